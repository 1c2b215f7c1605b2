"""Risk of each answer, and summaries by section, responsibility and severity.

A failing finding under an acceptance still in force counts as accepted, apart from the
failures; under an expired one it counts as failed again, and under one out of the
assessment's policy (acceptances.flaw) as failed too.

In an organization review the answers are the organization's; an override gives one
account, or every account under an OU, an answer of its own. ``effective_answer``
decides which answer holds for an account, and ``summarise(..., account_id=...)``
counts an account's risks with its overrides applied.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from srm_tui import rules
from srm_tui.acceptances import Index
from srm_tui.model import (
    Answer,
    Assessment,
    Override,
    Question,
    Responsibility,
    Risk,
    Section,
    Severity,
    Status,
)


def normalise(question: Question, selected: Iterable[str]) -> tuple[str, ...]:
    """The selection as stored: known choices in the question's order; "None of these"
    excludes every practice; a single-choice question keeps one."""
    chosen = set(selected)
    none = question.none_choice
    if none is not None and none.id in chosen:
        return (none.id,)
    ordered = tuple(c.id for c in question.choices if c.id in chosen)
    if not question.multiple and len(ordered) > 1:
        ordered = ordered[-1:]
    return ordered


def risk_of(question: Question, answer: Answer | None) -> Risk:
    """The risk an answer leaves: the first risk rule that holds wins."""
    if answer is None:
        return Risk.UNANSWERED
    if not answer.applicable:
        return Risk.NOT_APPLICABLE
    if not answer.selected:
        return Risk.UNANSWERED
    return rules.decide(question.risk_rules, frozenset(answer.selected))[1]


def effective_answer(assessment: Assessment, question: Question, account_id: str) -> Answer | None:
    """The answer that holds for ``account_id``: its own override, else that of the
    nearest OU above it (the deepest), else the organization's answer."""
    base = assessment.answers.get(question.id)
    target = holding_target(assessment, question.id, account_id)
    if target is None:
        return base
    return _as_answer(question, assessment.overrides[question.id][target], base)


def holding_target(assessment: Assessment, question_id: str, account_id: str) -> str | None:
    """The account or OU whose own answer to the question holds for ``account_id`` (see
    ``effective_answer``); None when the organization's answer holds."""
    targets = assessment.overrides.get(question_id)
    org = assessment.organization
    if not targets or org is None:
        return None
    if account_id in targets:
        return account_id
    if account_id in org.accounts:
        for parent in reversed(org.accounts[account_id].ou_path):
            if parent in targets:
                return parent
    return None


def _as_answer(question: Question, override: Override, base: Answer | None) -> Answer:
    answer = Answer(
        question.id,
        question.section,
        selected=override.selected,
        applicable=override.applicable,
        reason=override.reason,
        notes=override.notes,
        answered=override.answered,
        owner=base.owner if base else "",
        due=base.due if base else None,
    )
    answer.risk = risk_of(question, answer)
    return answer


def account_risks(
    assessment: Assessment, sections: Sequence[Section], account_id: str
) -> RiskCounts:
    """The questionnaire's risks for one account of an organization review, with its
    overrides (and those of its OUs) applied."""
    counts = RiskCounts()
    for section in sections:
        for question in section.questions:
            counts.add(risk_of(question, effective_answer(assessment, question, account_id)))
    return counts


def applies(question: Question, services: Sequence[str]) -> bool:
    """Whether a question applies given the services a scan found in use.

    Before any scan (no services known) every question applies.
    """
    if not question.applies_when or not services:
        return True
    return any(service in services for service in question.applies_when)


def missing_practices(question: Question, answer: Answer) -> list[tuple[str, str]]:
    """(practice title, improvement) for each practice not selected, in order."""
    if not answer.applicable:
        return []
    chosen = set(answer.selected)
    return [(c.title, c.improvement) for c in question.practices if c.id not in chosen]


@dataclass(slots=True)
class RiskCounts:
    """How many questions leave each risk."""

    counts: Counter[Risk] = field(default_factory=Counter)

    def add(self, risk: Risk) -> None:
        self.counts[risk] += 1

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def answered(self) -> int:
        """Answered or marked as not applying."""
        return self.total - self.counts[Risk.UNANSWERED]

    @property
    def percent_answered(self) -> int:
        return round(100 * self.answered / self.total) if self.total else 0

    @property
    def worst(self) -> Risk:
        """The highest risk answered so far (``none`` when nothing is at risk)."""
        for risk in (Risk.HIGH, Risk.MEDIUM, Risk.NONE):
            if self.counts[risk]:
                return risk
        return Risk.UNANSWERED if self.counts[Risk.UNANSWERED] else Risk.NOT_APPLICABLE

    def __getitem__(self, risk: Risk) -> int:
        return self.counts[risk]


@dataclass(slots=True)
class Summary:
    """The state of an assessment's questionnaire and findings."""

    overall: RiskCounts
    by_section: dict[str, RiskCounts]
    by_responsibility: dict[Responsibility, RiskCounts]
    findings_by_status: Counter[Status]
    failures_by_severity: Counter[Severity]
    findings_by_responsibility: dict[Responsibility, Counter[Status]]
    #: Failing findings under an acceptance in force: not counted in the three above.
    accepted: int = 0
    accepted_by_severity: Counter[Severity] = field(default_factory=Counter)
    accepted_by_responsibility: Counter[Responsibility] = field(default_factory=Counter)
    #: Failing findings whose acceptance has expired (counted as failed).
    expired: int = 0
    #: Failing findings whose acceptance is out of policy (counted as failed).
    out_of_policy: int = 0


def summarise(
    assessment: Assessment,
    sections: Sequence[Section],
    on: date | None = None,
    account_id: str | None = None,
    index: Index | None = None,
) -> Summary:
    """Count risks per section and responsibility, and findings per status and severity;
    a failure accepted on day ``on`` (today) is counted apart as accepted. With
    ``account_id`` (an organization review), each question is counted with the answer
    that holds for that account, and only its findings are counted. ``index``: the
    acceptances as already read (a redacted report's), instead of as of ``on``."""
    overall = RiskCounts()
    by_section: dict[str, RiskCounts] = {}
    by_owner: dict[Responsibility, RiskCounts] = {r: RiskCounts() for r in Responsibility}
    for section in sections:
        counts = by_section.setdefault(section.id, RiskCounts())
        for question in section.questions:
            if account_id is None:
                answer = assessment.answers.get(question.id)
            else:
                answer = effective_answer(assessment, question, account_id)
            risk = risk_of(question, answer)
            counts.add(risk)
            overall.add(risk)
            by_owner[question.responsibility].add(risk)
    statuses: Counter[Status] = Counter()
    severities: Counter[Severity] = Counter()
    findings_owner: dict[Responsibility, Counter[Status]] = {r: Counter() for r in Responsibility}
    if index is None:
        index = Index.of(assessment, on)
    summary = Summary(overall, by_section, by_owner, statuses, severities, findings_owner)
    for finding in assessment.findings:
        if account_id is not None and (finding.account_id or account_id) != account_id:
            continue
        record = assessment.checks.get(finding.check)
        covered = index.covering(finding) if index else None
        if covered is not None and covered.in_force:
            summary.accepted += 1
            if record is not None:
                summary.accepted_by_severity[record.severity] += 1
                summary.accepted_by_responsibility[record.responsibility] += 1
            continue
        if covered is not None and covered.flaw is not None:
            summary.out_of_policy += 1
        elif covered is not None:
            summary.expired += 1
        statuses[finding.status] += 1
        if record is None:
            continue
        findings_owner[record.responsibility][finding.status] += 1
        if finding.status is Status.FAIL:
            severities[record.severity] += 1
    return summary
