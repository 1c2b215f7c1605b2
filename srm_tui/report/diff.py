"""What changed between two assessments of the same scope (or an assessment and one of
its milestones): risks per question, findings fixed or new, acceptances added, expired,
revoked or out of policy, progress per section."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from srm_tui.acceptances import EXPIRED, Covered, standing
from srm_tui.model import (
    Acceptance,
    Assessment,
    Finding,
    Question,
    Risk,
    Section,
    Severity,
    Status,
    today,
)
from srm_tui.report.content import record_for
from srm_tui.report.organization_diff import OrganizationChange, organization_change
from srm_tui.report.redaction import mask, redacted
from srm_tui.scoring import RiskCounts, risk_of

Key = tuple[str, str, str, str]  # account (in an organization review), check, region, resource


@dataclass(frozen=True, slots=True)
class RiskChange:
    """One question whose risk changed."""

    question: str
    section: str  # the section's title (its id for a question the catalogue lacks)
    title: str
    old: Risk
    new: Risk

    @property
    def kind(self) -> str:
        """``better``, ``worse``, ``answered`` (first answer), ``not_applicable`` (now
        marked as not applying) or ``reopened`` (an answer was withdrawn)."""
        if self.old.rank >= 0 and self.new.rank >= 0:
            return "better" if self.new.rank < self.old.rank else "worse"
        if self.new is Risk.NOT_APPLICABLE:
            return "not_applicable"
        if self.new is Risk.UNANSWERED:
            return "reopened"
        return "answered"


@dataclass(frozen=True, slots=True)
class FindingChange:
    """One resource whose check result changed between fail and not fail."""

    check: str
    title: str
    severity: Severity
    region: str
    resource: str
    old: Status | None  # None: not in that assessment
    new: Status | None
    account_id: str = ""  # in an organization review, the resource's account


@dataclass(frozen=True, slots=True)
class SectionProgress:
    """A section's counts before and after."""

    section: str
    title: str
    old_answered: int
    new_answered: int
    total: int
    old_high: int
    new_high: int
    old_medium: int
    new_medium: int

    @property
    def changed(self) -> bool:
        return (self.old_answered, self.old_high, self.old_medium) != (
            self.new_answered,
            self.new_high,
            self.new_medium,
        )


@dataclass(slots=True)
class Diff:
    """The comparison of ``old`` with ``new``."""

    old_label: str
    new_label: str
    old_updated: datetime | None
    new_updated: datetime | None
    risks: list[RiskChange] = field(default_factory=list)
    fixed: list[FindingChange] = field(default_factory=list)
    new_failures: list[FindingChange] = field(default_factory=list)
    sections: list[SectionProgress] = field(default_factory=list)
    #: Checks with failures before that did not run in the new assessment: not fixed,
    #: just not known.
    not_rechecked: list[str] = field(default_factory=list)
    old_account: str = ""
    new_account: str = ""
    #: Account ids to mask in the rendered text (``redact``).
    masked: tuple[str, ...] = ()
    #: Acceptances only the new assessment has, only the old one had (revoked), and
    #: those in both that were in force when the old one was saved and have expired by
    #: the day of the comparison.
    acceptances_added: list[Acceptance] = field(default_factory=list)
    acceptances_revoked: list[Acceptance] = field(default_factory=list)
    acceptances_expired: list[Acceptance] = field(default_factory=list)
    #: Acceptances in both whose expiry, reason, owner or approver changed: (before, now).
    acceptances_changed: list[tuple[Acceptance, Acceptance]] = field(default_factory=list)
    #: Acceptances of the new assessment out of its policy (they cover nothing) that were
    #: not out of it in the old one, added ones included: each read with its flaw.
    acceptances_out_of_policy: list[Covered] = field(default_factory=list)
    #: Organization reviews: accounts added and removed, and each account's progress.
    organization: OrganizationChange | None = None

    def risks_of(self, kind: str) -> list[RiskChange]:
        """The risk changes of one kind (see ``RiskChange.kind``)."""
        return [r for r in self.risks if r.kind == kind]

    @property
    def better(self) -> list[RiskChange]:
        return self.risks_of("better")

    @property
    def worse(self) -> list[RiskChange]:
        return self.risks_of("worse")

    @property
    def empty(self) -> bool:
        """True when nothing changed."""
        return not (
            self.risks
            or self.fixed
            or self.new_failures
            or self.not_rechecked
            or self.acceptances_added
            or self.acceptances_revoked
            or self.acceptances_expired
            or self.acceptances_changed
            or self.acceptances_out_of_policy
        )


def _risks(assessment: Assessment, questions: dict[str, Question]) -> dict[str, Risk]:
    result = {qid: risk_of(q, assessment.answers.get(qid)) for qid, q in questions.items()}
    for qid, answer in assessment.answers.items():
        if qid not in questions:
            result[qid] = answer.risk
    return result


def _results(assessment: Assessment) -> dict[Key, Finding]:
    return {(f.account_id, f.check, f.region, f.resource): f for f in assessment.findings}


def accounts_differ(old: Assessment, new: Assessment) -> bool:
    """True when both assessments name their account and the accounts differ: a
    comparison of the two would show one account's findings fixed and the other's new."""
    if old.organization is not None or new.organization is not None:
        # Two reviews of one organization compare account by account.
        first_org = old.organization.id if old.organization is not None else ""
        second_org = new.organization.id if new.organization is not None else ""
        return bool(first_org and second_org and first_org != second_org)
    first, second = old.scope.account_id, new.scope.account_id
    return bool(first and second and first != second)


def compare(
    old: Assessment,
    new: Assessment,
    sections: Sequence[Section],
    old_label: str = "",
    new_label: str = "",
    *,
    redact: bool = False,
    on: date | None = None,
) -> Diff:
    """What changed from ``old`` to ``new``.

    A failure is fixed when the resource now passes, no longer applies, or is gone
    while its check did run again; a failure is new when the resource fails now and
    did not before. A resource that now gives an error is neither: it could not be
    checked. An acceptance is the same in both when its id, check, resources and
    account are; ``on`` (today) is the day expiry is read. ``redact`` masks both
    account ids everywhere, labels included.
    """
    old_label, new_label = old_label or old.name, new_label or new.name
    masked: tuple[str, ...] = ()
    if redact:
        ids = [old.scope.account_id, new.scope.account_id]
        for review in (old, new):
            if review.organization is not None:
                ids += sorted(review.organization.accounts)
        masked = tuple(a for a in dict.fromkeys(ids) if a)
        for account in masked:
            old_label, new_label = mask(old_label, account), mask(new_label, account)
        old, new = redacted(old), redacted(new)
    diff = Diff(
        old_label,
        new_label,
        old.updated,
        new.updated,
        old_account=old.scope.account_id,
        new_account=new.scope.account_id,
        masked=masked,
    )
    questions = {q.id: q for s in sections for q in s.questions}
    section_titles = {s.id: s.title for s in sections}
    old_risks = _risks(old, questions)
    new_risks = _risks(new, questions)
    order = {qid: i for i, qid in enumerate(questions)}
    for qid in sorted(set(old_risks) | set(new_risks), key=lambda q: (order.get(q, 10**9), q)):
        before = old_risks.get(qid, Risk.UNANSWERED)
        after = new_risks.get(qid, Risk.UNANSWERED)
        if before is after:
            continue
        question = questions.get(qid)
        answer = new.answers.get(qid) or old.answers.get(qid)
        section = question.section if question else (answer.section if answer else "")
        diff.risks.append(
            RiskChange(
                qid,
                section_titles.get(section, section),
                question.title if question else qid,
                before,
                after,
            )
        )
    old_results = _results(old)
    new_results = _results(new)
    new_checks = set(new.checks) | {key[1] for key in new_results}
    not_rechecked: set[str] = set()
    for key in sorted(set(old_results) | set(new_results)):
        before = old_results.get(key)
        after = new_results.get(key)
        was_failing = before is not None and before.status is Status.FAIL
        is_failing = after is not None and after.status is Status.FAIL
        if was_failing == is_failing:
            continue
        if was_failing and after is None and key[1] not in new_checks:
            not_rechecked.add(key[1])
            continue
        if was_failing and after is not None and after.status is Status.ERROR:
            continue
        record = record_for(new if key[1] in new.checks else old, key[1])
        change = FindingChange(
            key[1],
            record.title,
            record.severity,
            key[2],
            key[3],
            before.status if before else None,
            after.status if after else None,
            key[0],
        )
        (diff.new_failures if is_failing else diff.fixed).append(change)
    for bucket in (diff.fixed, diff.new_failures):
        bucket.sort(key=lambda c: (-c.severity.rank, c.check, c.account_id, c.region, c.resource))
    diff.not_rechecked = sorted(not_rechecked)
    _acceptance_changes(diff, old, new, on or today())
    for section in sections:
        before, after = RiskCounts(), RiskCounts()
        for question in section.questions:
            before.add(old_risks.get(question.id, Risk.UNANSWERED))
            after.add(new_risks.get(question.id, Risk.UNANSWERED))
        diff.sections.append(
            SectionProgress(
                section.id,
                section.title,
                before.answered,
                after.answered,
                after.total,
                before[Risk.HIGH],
                after[Risk.HIGH],
                before[Risk.MEDIUM],
                after[Risk.MEDIUM],
            )
        )
    if old.organization is not None or new.organization is not None:
        diff.organization = organization_change(old, new, diff.fixed, diff.new_failures)
    return diff


def _acceptance_changes(diff: Diff, old: Assessment, new: Assessment, on: date) -> None:
    def key(a: Acceptance) -> tuple[str, str, str, str]:
        return (a.id, a.check, a.resource, a.account)

    before = {key(a): a for a in old.acceptances}
    after = {key(a): a for a in new.acceptances}
    then = old.updated.date()
    # Each read under its own assessment's policy, on its own day.
    was = {k: standing(a, old.max_acceptance_days, then) for k, a in before.items()}
    now = {k: standing(a, new.max_acceptance_days, on) for k, a in after.items()}
    diff.acceptances_added = [a for k, a in after.items() if k not in before]
    diff.acceptances_revoked = [a for k, a in before.items() if k not in after]
    diff.acceptances_expired = [
        a for k, a in after.items() if k in before and now[k].state == EXPIRED and was[k].in_force
    ]
    diff.acceptances_out_of_policy = [
        c for k, c in now.items() if c.flaw is not None and (k not in was or was[k].flaw is None)
    ]
    # The same rule renewed or handed over by editing it: an auditor must see it.
    diff.acceptances_changed = [
        (before[k], a) for k, a in after.items() if k in before and acceptance_changes(before[k], a)
    ]


def acceptance_changes(before: Acceptance, after: Acceptance) -> list[tuple[str, str, str]]:
    """What differs between two versions of one acceptance: (field, before, now) for its
    expiry, reason, owner and approver."""
    pairs = [
        ("expires", before.expires.isoformat(), after.expires.isoformat()),
        ("reason", before.reason, after.reason),
        ("owner", before.owner, after.owner),
        ("approved_by", before.approved_by, after.approved_by),
    ]
    return [(name, old, new) for name, old, new in pairs if old != new]
