"""Answers the scan contradicts: a choice may name the checks whose failure disproves
it ("the root user has a hardware MFA device" and the root MFA check); an answer that
selects it while one of those checks fails is contradicted.

An answer "does not apply" is contradicted by every failing check linked to any of its
question's choices: a check fails only where the account has what the question asks
about (a resource in scope, or an account-level setting), so the scan disproves it.

A failure under an accepted risk still contradicts: accepting a risk does not make the
claim true. In an organization review, an account (or OU) with its own answer to a
question is judged by that answer: its failures do not contradict the review's.

A failure imported from another tool (Prowler, Security Hub) contradicts an answer as a
failure of the srm-tui checks it maps to would (``imports.combine``: through its AWS
FSBP or CIS id), by the same rules, when it counts on its own as combine decides
(``combine.counts_as_failure``): no own verdict on that control and resource. One that
disagrees with an own pass, sits beside the own check's findings in that region, or
whose own check could not tell does not: srm-tui's result stands, as it does for what
the review counts (one that corroborates an own failure adds nothing: that failure
contradicts already). It is said as imported, with its source and its own check id,
never as the srm-tui check failing; in an organization review it belongs to its
account (else its import's, else the review's).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from srm_tui.imports.combine import SOURCE_NAMES, counts_as_failure, place
from srm_tui.model import Answer, Assessment, Finding, Question, Section, Status
from srm_tui.scoring import holding_target

T = TypeVar("T")


def failing_checks(findings: Iterable[Finding]) -> set[str]:
    """The ids of the checks with at least one failing finding."""
    return {f.check for f in findings if f.status is Status.FAIL}


def failing_by_account(assessment: Assessment) -> dict[str, set[str]]:
    """The failing checks of each account (a single account's review: its one)."""
    own = assessment.scope.account_id
    result: dict[str, set[str]] = {}
    for finding in assessment.findings:
        if finding.status is Status.FAIL:
            result.setdefault(finding.account_id or own, set()).add(finding.check)
    return result


def failing_for(
    assessment: Assessment,
    question: Question,
    by_account: Mapping[str, set[str]],
    target: str | None = None,
) -> set[str]:
    """The failing checks that can contradict the review's own answer to ``question``
    (``target``: the answer of that account or OU): those of every account where that
    answer holds, not of one answering it otherwise."""
    return set().union(*_holding(assessment, question, by_account, target))


def _holding(
    assessment: Assessment, question: Question, by_account: Mapping[str, T], target: str | None
) -> list[T]:
    """The values of the accounts where the answer of ``target`` (None: the review's
    own) to ``question`` holds."""
    if target is None and (
        assessment.organization is None or not assessment.overrides.get(question.id)
    ):
        return list(by_account.values())
    return [
        value
        for account, value in by_account.items()
        if holding_target(assessment, question.id, account) == target
    ]


def by_choice(
    question: Question, answer: Answer | None, failing: set[str]
) -> dict[str, tuple[str, ...]]:
    """Each selected choice that a failing check contradicts, with those checks."""
    if answer is None or not answer.applicable or not failing:
        return {}
    result = {}
    for choice_id in answer.selected:
        choice = question.choice(choice_id)
        if choice is None:
            continue
        found = tuple(c for c in choice.checks if c in failing)
        if found:
            result[choice_id] = found
    return result


def not_applying(question: Question, answer: Answer | None, failing: set[str]) -> tuple[str, ...]:
    """For an answer "does not apply": the failing checks linked to any of the
    question's choices, each once, in choice order (none for any other answer)."""
    if answer is None or answer.applicable or not failing:
        return ()
    linked = (c for choice in question.choices for c in choice.checks)
    return tuple(dict.fromkeys(c for c in linked if c in failing))


def of_answer(question: Question, answer: Answer | None, failing: set[str]) -> tuple[str, ...]:
    """The checks that contradict the answer (the JSON ``contradictions``), each once."""
    if answer is not None and not answer.applicable:
        return not_applying(question, answer, failing)
    found = by_choice(question, answer, failing)
    return tuple(dict.fromkeys(c for checks in found.values() for c in checks))


def not_applying_said(checks: Sequence[str]) -> str:
    """A contradicted "does not apply" in words, ``checks`` as the caller writes them."""
    if len(checks) == 1:
        return f"marked as not applying, but this linked check fails: {checks[0]}"
    return "marked as not applying, but these linked checks fail: " + ", ".join(checks)


def all_of(
    assessment: Assessment, sections: Sequence[Section]
) -> list[tuple[Question, tuple[str, ...]]]:
    """Every contradicted answer with its checks, in questionnaire order."""
    return _every_answer(
        assessment, sections, failing_by_account(assessment), failing_for, of_answer
    )


def _every_answer(
    assessment: Assessment,
    sections: Sequence[Section],
    by_account: Mapping[str, Any],
    against: Callable[[Assessment, Question, Mapping[str, Any]], Any],
    judged: Callable[[Question, Answer | None, Any], tuple[T, ...]],
) -> list[tuple[Question, tuple[T, ...]]]:
    """Each answer ``judged`` finds contradicted by what ``against`` gives for its
    question, in questionnaire order (none without anything failing)."""
    if not by_account:
        return []
    result = []
    for section in sections:
        for question in section.questions:
            failing = against(assessment, question, by_account)
            found = judged(question, assessment.answers.get(question.id), failing)
            if found:
                result.append((question, found))
    return result


# --- failures imported from other tools ------------------------------------------------


@dataclass(frozen=True, slots=True)
class ImportedFailure:
    """An imported failure that counts on its own: its source (``prowler``,
    ``security-hub``), the producer's own check id, the srm-tui checks it maps to (once
    it contradicts an answer: only those the answer names), its resource and account."""

    source: str
    check: str
    checks: tuple[str, ...]
    resource: str
    account_id: str


def imported_by_account(assessment: Assessment) -> dict[str, list[ImportedFailure]]:
    """The imported failures that count, mapped to an srm-tui check, by account."""
    if not assessment.imports:
        return {}
    result: dict[str, list[ImportedFailure]] = {}
    for placed in place(assessment):
        if not placed.checks or not counts_as_failure(placed):
            continue
        found = placed.finding
        kept = assessment.imports.get(found.source)
        account = found.account_id or (kept.account_id if kept else "")
        account = account or assessment.scope.account_id
        failure = ImportedFailure(found.source, found.check, placed.checks, found.resource, account)
        result.setdefault(account, []).append(failure)
    return result


def imported_for(
    assessment: Assessment,
    question: Question,
    by_account: Mapping[str, list[ImportedFailure]],
    target: str | None = None,
) -> list[ImportedFailure]:
    """The imported failures that can contradict the answer to ``question`` (the
    review's, or with ``target`` that account's or OU's), as ``failing_for`` decides."""
    return [f for found in _holding(assessment, question, by_account, target) for f in found]


def imported_naming(
    imported: Sequence[ImportedFailure], named: Iterable[str]
) -> tuple[ImportedFailure, ...]:
    """Each imported failure mapped to a check in ``named`` (a choice's checks, say),
    with only those checks."""
    wanted = tuple(dict.fromkeys(named))
    result = []
    for failure in imported:
        hit = tuple(c for c in wanted if c in failure.checks)
        if hit:
            result.append(replace(failure, checks=hit))
    return tuple(result)


def imported_by_choice(
    question: Question, answer: Answer | None, imported: Sequence[ImportedFailure]
) -> dict[str, tuple[ImportedFailure, ...]]:
    """Each selected choice that an imported failure contradicts, with those failures
    (each with the checks of that choice it maps to)."""
    if answer is None or not answer.applicable or not imported:
        return {}
    result = {}
    for choice_id in answer.selected:
        choice = question.choice(choice_id)
        found = imported_naming(imported, choice.checks) if choice is not None else ()
        if found:
            result[choice_id] = found
    return result


def imported_not_applying(
    question: Question, answer: Answer | None, imported: Sequence[ImportedFailure]
) -> tuple[ImportedFailure, ...]:
    """For an answer "does not apply": the imported failures mapped to a check linked to
    any of the question's choices (none for any other answer)."""
    if answer is None or answer.applicable or not imported:
        return ()
    return imported_naming(imported, (c for choice in question.choices for c in choice.checks))


def imported_of_answer(
    question: Question, answer: Answer | None, imported: Sequence[ImportedFailure]
) -> tuple[ImportedFailure, ...]:
    """The imported failures that contradict the answer (the JSON
    ``imported_contradictions``), each once, with the checks the answer names."""
    if answer is None or not imported:
        return ()
    if not answer.applicable:
        return imported_not_applying(question, answer, imported)
    chosen = (question.choice(c) for c in answer.selected)
    return imported_naming(imported, (c for choice in chosen if choice for c in choice.checks))


def all_imported(
    assessment: Assessment,
    sections: Sequence[Section],
    by_account: Mapping[str, list[ImportedFailure]] | None = None,
) -> list[tuple[Question, tuple[ImportedFailure, ...]]]:
    """Every answer an imported failure contradicts, with those failures, in
    questionnaire order (``by_account``: ``imported_by_account``, when known)."""
    if by_account is None:
        by_account = imported_by_account(assessment)
    return _every_answer(assessment, sections, by_account, imported_for, imported_of_answer)


def source_name(source: str, show: Callable[[str], str] = str) -> str:
    """The producer of an import as a reader knows it (an unknown one as ``show``
    writes it: it comes from the assessment file)."""
    return SOURCE_NAMES.get(source) or show(source)


def imported_named(found: Sequence[ImportedFailure], show: Callable[[str], str] = str) -> str:
    """The imported failures in words, ids as ``show`` writes them (their text comes
    from another tool's file: ``show`` must make it safe), e.g. "Prowler's
    iam_root_hardware_mfa_enabled (maps to iam.root_hardware_mfa)"; the same check on
    several resources once, with how many."""
    groups: dict[tuple[str, str, tuple[str, ...]], int] = {}
    for f in found:
        key = (f.source, f.check, f.checks)
        groups[key] = groups.get(key, 0) + 1

    def one_line(text: str) -> str:
        return show(" ".join(text.split()))  # an id has no line of its own to open

    said = []
    for (source, check, checks), count in groups.items():
        where = f" on {count} resources" if count > 1 else ""
        maps = ", ".join(one_line(c) for c in checks)
        said.append(f"{source_name(source, one_line)}'s {one_line(check)}{where} (maps to {maps})")
    return "; ".join(said)


def imported_lead(found: Sequence[ImportedFailure]) -> str:
    """How a contradiction by imported failures is announced."""
    if len(found) == 1:
        return "contradicted by an imported finding"
    return "contradicted by imported findings"


def imported_said(found: Sequence[ImportedFailure], show: Callable[[str], str] = str) -> str:
    """A choice's contradiction by imported failures in words."""
    return f"{imported_lead(found)}: {imported_named(found, show)}"


def imported_not_applying_said(
    found: Sequence[ImportedFailure], show: Callable[[str], str] = str
) -> str:
    """A "does not apply" contradicted by imported failures in words, as
    ``not_applying_said`` says it of srm-tui's checks."""
    if len(found) == 1:
        lead = "marked as not applying, but an imported finding fails a linked check"
    else:
        lead = "marked as not applying, but imported findings fail linked checks"
    return f"{lead}: {imported_named(found, show)}"
