"""Answering questions: the operations every front end (wizard, plain prompts) shares,
including an organization review's answers for one account or one OU (overrides)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from srm_tui import evidence as evidence_files
from srm_tui.attestation import attest, default_attester, review_due, review_every
from srm_tui.errors import UsageError
from srm_tui.model import (
    Answer,
    Assessment,
    Evidence,
    Override,
    Question,
    Reason,
    Section,
    is_account_id,
    is_parent_id,
    now,
    today,
)
from srm_tui.scoring import applies, normalise, risk_of


def in_scope(assessment: Assessment, sections: Sequence[Section]) -> list[Question]:
    """The questions that apply to this assessment's scope, in review order."""
    services = assessment.scope.services
    return [q for s in sections for q in s.questions if applies(q, services)]


def unanswered(assessment: Assessment, questions: Iterable[Question]) -> list[Question]:
    """The questions with no answer yet (neither choices nor "does not apply")."""
    result = []
    for question in questions:
        answer = assessment.answers.get(question.id)
        if answer is None or not answer.is_answered:
            result.append(question)
    return result


def _apply(
    given: Answer | Override,
    question: Question,
    selected: Iterable[str] | None,
    applicable: bool | None,
    reason: Reason | None,
    notes: str | None,
) -> None:
    """Change the fields an answer and an override share; only those given. The
    selection is normalised; "does not apply" keeps or takes a reason."""
    if selected is not None:
        given.selected = normalise(question, selected)
    if applicable is not None:
        given.applicable = applicable
        given.reason = None if applicable else (reason or given.reason or Reason.OTHER)
    elif reason is not None:
        given.reason = reason
    if notes is not None:
        given.notes = notes


def set_answer(
    assessment: Assessment,
    question: Question,
    *,
    selected: Iterable[str] | None = None,
    applicable: bool | None = None,
    reason: Reason | None = None,
    notes: str | None = None,
    evidence: Sequence[str | Evidence] | None = None,
    owner: str | None = None,
    due: date | str | None = "",
    by: str | None = None,
) -> Answer:
    """Update (or create) the answer to ``question``; only the given fields change.

    The selection is normalised ("None of these" excludes the rest) and the risk is
    recomputed. ``due=None`` clears the due date; leaving it out keeps it. ``evidence``
    replaces the evidence: a string keeps the entry recorded under it, or becomes a link.
    The answer is attested by ``by`` (default: the assessor, else the OS user) now,
    which also confirms an answer carried forward.
    """
    who = default_attester(assessment) if by is None else by
    answer = assessment.answers.get(question.id) or Answer(question.id, question.section)
    if evidence is not None:  # first: a link it refuses leaves the answer as it was
        evidence_files.replace_all(answer, evidence, by=who)
    _apply(answer, question, selected, applicable, reason, notes)
    if owner is not None:
        answer.owner = owner.strip()
    if due != "":
        answer.due = due if not isinstance(due, str) else None
    answer.section = question.section
    answer.risk = risk_of(question, answer)
    answer.answered = now()
    attest(answer, who, answer.answered)
    assessment.answers[question.id] = answer
    return answer


def refresh_risks(assessment: Assessment, sections: Sequence[Section]) -> None:
    """Recompute the stored risk of every answer whose question is in the catalogue."""
    questions = {q.id: q for s in sections for q in s.questions}
    for qid, answer in assessment.answers.items():
        question = questions.get(qid)
        if question is not None:
            answer.risk = risk_of(question, answer)


def checked_choices(question: Question, choice_ids: Sequence[str]) -> list[str]:
    """The choice ids a script gives for ``question``, checked: an unknown id, "None of
    these" with other choices, or several choices for a question that takes one, is a
    UsageError naming the question."""
    known = {c.id for c in question.choices}
    wanted = [c.strip() for c in choice_ids if c.strip()]
    if not wanted:
        raise UsageError(f"{question.id}: name at least one choice.")
    unknown = [c for c in wanted if c not in known]
    if unknown:
        raise UsageError(
            f"{question.id} has no choice {unknown[0]!r}; its choices are: "
            + ", ".join(c.id for c in question.choices)
        )
    none = question.none_choice
    if none is not None and none.id in wanted and len(set(wanted)) > 1:
        raise UsageError(f"{question.id}: {none.id!r} (None of these) excludes the other choices.")
    if not question.multiple and len(set(wanted)) > 1:
        raise UsageError(f"{question.id} takes one choice, not {len(set(wanted))}.")
    return wanted


def choose(
    assessment: Assessment, question: Question, choice_ids: Sequence[str], by: str | None = None
) -> Answer:
    """Answer ``question`` with exactly these choices (by id), as a script would: an
    unknown id, "None of these" with other choices, or several choices for a question
    that takes one, is a UsageError naming the question."""
    wanted = checked_choices(question, choice_ids)
    return set_answer(assessment, question, selected=wanted, applicable=True, by=by)


def to_review(
    assessment: Assessment,
    questions: Iterable[Question],
    sections: Sequence[Section],
    on: date | None = None,
) -> list[Question]:
    """The questions that need someone now: unanswered, carried forward and not
    confirmed yet, or due for re-confirmation on ``on`` (today)."""
    day = on or today()
    result = []
    for question in questions:
        answer = assessment.answers.get(question.id)
        if answer is None or not answer.is_answered or answer.to_confirm:
            result.append(question)
            continue
        due = review_due(answer, review_every(question, sections))
        if due is not None and due <= day:
            result.append(question)
    return result


def override_targets(assessment: Assessment) -> dict[str, str]:
    """What an answer may be overridden for in this review: every account id and every
    OU (or root) id its accounts sit in, each with a label (``name`` or OU path)."""
    org = assessment.organization
    if org is None:
        return {}
    targets: dict[str, str] = {}
    for account in org.accounts.values():
        targets[account.account_id] = account.name or account.account_id
        for depth, ou in enumerate(account.ou_path, 1):
            targets.setdefault(ou, "/".join(account.ou_names[:depth]) or ou)
    return targets


def _check_target(assessment: Assessment, target: str) -> None:
    if assessment.organization is None:
        raise UsageError(
            f"{assessment.name!r} is a review of one account: an answer for one account or "
            "OU needs an organization review."
        )
    if not (is_account_id(target) or is_parent_id(target)):
        raise UsageError(f"{target!r} is neither an account id nor an OU or root id.")
    if target not in override_targets(assessment):
        raise UsageError(
            f"{target} is not an account or OU of organization {assessment.organization.id}; "
            "'srm-tui accounts FILE' lists them."
        )


def set_override(
    assessment: Assessment,
    question: Question,
    target: str,
    *,
    selected: Iterable[str] | None = None,
    applicable: bool | None = None,
    reason: Reason | None = None,
    notes: str | None = None,
) -> Override:
    """A different answer to ``question`` for one account or one OU (and the OUs below
    it) of an organization review; only the given fields change. UsageError for a
    target the organization does not have."""
    _check_target(assessment, target)
    targets = assessment.overrides.setdefault(question.id, {})
    override = targets.get(target) or Override(question.id, target)
    _apply(override, question, selected, applicable, reason, notes)
    override.answered = now()
    targets[target] = override
    return override


def clear_override(assessment: Assessment, question_id: str, target: str) -> bool:
    """Drop the override of ``question_id`` for ``target``; False when there was none."""
    targets = assessment.overrides.get(question_id, {})
    if targets.pop(target, None) is None:
        return False
    if not targets:
        assessment.overrides.pop(question_id, None)
    return True
