"""Who gave each answer and when, when it is due for re-confirmation, and answers
carried forward from an earlier review.

Every change to an answer attests it (``attested_by``, ``attested``); a question or its
section may say how many days an answer holds (``review_every``) before it is due for
re-confirmation. An answer carried forward keeps what it said and where it came from
(``carried_from``) and stays "to confirm" until someone attests it in this review.
"""

from __future__ import annotations

import getpass
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path

from srm_tui import evidence as evidence_files
from srm_tui.model import Answer, Assessment, Question, Section, now


def default_attester(assessment: Assessment) -> str:
    """Who attests an answer unless told: the assessor named in the assessment, else
    the user logged in on this machine (empty when neither is known)."""
    if assessment.assessor.strip():
        return assessment.assessor.strip()
    try:
        return getpass.getuser()
    except (OSError, KeyError, ImportError):  # no login name in a bare container
        return ""


def attest(answer: Answer, by: str, when: datetime | None = None) -> None:
    """Record that ``by`` gave or confirmed the answer ``when`` (now)."""
    answer.attested_by = by.strip()
    answer.attested = when or now()


def review_every(question: Question, sections: Sequence[Section]) -> int | None:
    """The days an answer to ``question`` holds: the question's own ``review_every``,
    else its section's, else None (no re-confirmation asked)."""
    if question.review_every is not None:
        return question.review_every
    section = next((s for s in sections if s.id == question.section), None)
    return section.review_every if section is not None else None


def review_due(answer: Answer, days: int | None) -> date | None:
    """The day the answer is due for re-confirmation: ``days`` after it was last
    attested (or answered, in a file older than attestations); None when never."""
    if days is None or not answer.is_answered:
        return None
    since = answer.attested or answer.answered
    return since.date() + timedelta(days=days) if since is not None else None


def due_for_review(answer: Answer, days: int | None, on: date) -> bool:
    """Whether the answer is due for re-confirmation on day ``on``."""
    due = review_due(answer, days)
    return due is not None and due <= on


def due_answers(
    assessment: Assessment, sections: Sequence[Section], on: date
) -> list[tuple[Question, Answer, date]]:
    """Every answer due for re-confirmation on ``on``, with the day it fell due, in
    questionnaire order."""
    result = []
    for section in sections:
        for question in section.questions:
            answer = assessment.answers.get(question.id)
            if answer is None:
                continue
            due = review_due(answer, review_every(question, sections))
            if due is not None and due <= on:
                result.append((question, answer, due))
    return result


def to_confirm(assessment: Assessment) -> list[Answer]:
    """The answers carried forward and not confirmed yet, by question id."""
    return [a for _, a in sorted(assessment.answers.items()) if a.to_confirm]


def confirm(answer: Answer, by: str, when: datetime | None = None) -> None:
    """Confirm an answer as it stands (a carried one, or one due for re-confirmation)."""
    attest(answer, by, when)


def carry_forward(
    new: Assessment,
    old: Assessment,
    label: str,
    questions: Iterable[str] | None = None,
    *,
    folders: tuple[Path, Path] | None = None,
) -> list[str]:
    """Copy every answer of ``old`` that ``new`` has not answered into ``new``, each
    marked as carried from ``label`` and to be confirmed; returns their question ids.

    ``questions`` limits the copy to those ids (the catalogue's, say). An answer ``new``
    already has is never overwritten. ``folders`` (old's folder, new's folder): evidence
    files kept relative to old's folder are kept so that they name the same files from
    new's.
    """
    wanted = set(questions) if questions is not None else None
    carried = []
    for qid, answer in sorted(old.answers.items()):
        if not answer.is_answered or (wanted is not None and qid not in wanted):
            continue
        current = new.answers.get(qid)
        if current is not None and current.is_answered:
            continue
        evidence = answer.evidence
        if folders is not None:
            evidence = tuple(evidence_files.moved(e, *folders) for e in evidence)
        new.answers[qid] = replace(
            answer,
            evidence=evidence,
            attested_by="",
            attested=None,
            carried_from=label,
            extra=dict(answer.extra),
        )
        carried.append(qid)
    return carried
