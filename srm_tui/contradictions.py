"""Answers the scan contradicts: a choice may name the checks whose failure disproves
it ("the root user has a hardware MFA device" and the root MFA check); an answer that
selects it while one of those checks fails is contradicted.

A failure under an accepted risk still contradicts: accepting a risk does not make the
claim true.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from srm_tui.model import Answer, Assessment, Finding, Question, Section, Status


def failing_checks(findings: Iterable[Finding]) -> set[str]:
    """The ids of the checks with at least one failing finding."""
    return {f.check for f in findings if f.status is Status.FAIL}


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


def of_answer(question: Question, answer: Answer | None, failing: set[str]) -> tuple[str, ...]:
    """The checks that contradict the answer (the JSON ``contradictions``), each once."""
    found = by_choice(question, answer, failing)
    return tuple(dict.fromkeys(c for checks in found.values() for c in checks))


def all_of(
    assessment: Assessment, sections: Sequence[Section]
) -> list[tuple[Question, tuple[str, ...]]]:
    """Every contradicted answer with its checks, in questionnaire order."""
    failing = failing_checks(assessment.findings)
    if not failing:
        return []
    result = []
    for section in sections:
        for question in section.questions:
            found = of_answer(question, assessment.answers.get(question.id), failing)
            if found:
                result.append((question, found))
    return result
