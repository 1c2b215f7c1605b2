"""Answers the scan contradicts: a choice may name the checks whose failure disproves
it ("the root user has a hardware MFA device" and the root MFA check); an answer that
selects it while one of those checks fails is contradicted.

An answer "does not apply" is contradicted by every failing check linked to any of its
question's choices: a check fails only where the account has what the question asks
about (a resource in scope, or an account-level setting), so the scan disproves it.

A failure under an accepted risk still contradicts: accepting a risk does not make the
claim true. In an organization review, an account (or OU) with its own answer to a
question is judged by that answer: its failures do not contradict the review's.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from srm_tui.model import Answer, Assessment, Finding, Question, Section, Status
from srm_tui.scoring import holding_target


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
    if target is None and (
        assessment.organization is None or not assessment.overrides.get(question.id)
    ):
        return set().union(*by_account.values())
    return set().union(
        *(
            checks
            for account, checks in by_account.items()
            if holding_target(assessment, question.id, account) == target
        )
    )


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
    by_account = failing_by_account(assessment)
    if not by_account:
        return []
    result = []
    for section in sections:
        for question in section.questions:
            failing = failing_for(assessment, question, by_account)
            found = of_answer(question, assessment.answers.get(question.id), failing)
            if found:
                result.append((question, found))
    return result
