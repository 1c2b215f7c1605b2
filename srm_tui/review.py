"""Answering questions: the operations every front end (wizard, plain prompts) shares,
including an organization review's answers for one account or one OU (overrides)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from srm_tui.errors import UsageError
from srm_tui.model import (
    Answer,
    Assessment,
    Override,
    Question,
    Reason,
    Section,
    is_account_id,
    is_parent_id,
    now,
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


def set_answer(
    assessment: Assessment,
    question: Question,
    *,
    selected: Iterable[str] | None = None,
    applicable: bool | None = None,
    reason: Reason | None = None,
    notes: str | None = None,
    evidence: Sequence[str] | None = None,
    owner: str | None = None,
    due: date | str | None = "",
) -> Answer:
    """Update (or create) the answer to ``question``; only the given fields change.

    The selection is normalised ("None of these" excludes the rest) and the risk is
    recomputed. ``due=None`` clears the due date; leaving it out keeps it.
    """
    answer = assessment.answers.get(question.id) or Answer(question.id, question.section)
    if selected is not None:
        answer.selected = normalise(question, selected)
    if applicable is not None:
        answer.applicable = applicable
        answer.reason = None if applicable else (reason or answer.reason or Reason.OTHER)
    elif reason is not None:
        answer.reason = reason
    if notes is not None:
        answer.notes = notes
    if evidence is not None:
        answer.evidence = tuple(link.strip() for link in evidence if link.strip())
    if owner is not None:
        answer.owner = owner.strip()
    if due != "":
        answer.due = due if not isinstance(due, str) else None
    answer.section = question.section
    answer.risk = risk_of(question, answer)
    answer.answered = now()
    assessment.answers[question.id] = answer
    return answer


def refresh_risks(assessment: Assessment, sections: Sequence[Section]) -> None:
    """Recompute the stored risk of every answer whose question is in the catalogue."""
    questions = {q.id: q for s in sections for q in s.questions}
    for qid, answer in assessment.answers.items():
        question = questions.get(qid)
        if question is not None:
            answer.risk = risk_of(question, answer)


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
    if selected is not None:
        override.selected = normalise(question, selected)
    if applicable is not None:
        override.applicable = applicable
        override.reason = None if applicable else (reason or override.reason or Reason.OTHER)
    elif reason is not None:
        override.reason = reason
    if notes is not None:
        override.notes = notes
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
