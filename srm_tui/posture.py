"""Where an assessment stands, as the numbers its pictures are drawn from: findings by
severity and status, risks by section, the trend across milestones. The report's charts
and the wizard's dashboard both read these; nothing here draws or formats.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from srm_tui import store
from srm_tui.acceptances import Index
from srm_tui.errors import SrmError
from srm_tui.milestones import list_milestones
from srm_tui.model import Assessment, Finding, Risk, Section, Severity, Status
from srm_tui.scoring import RiskCounts, summarise

#: Severities worst first, as every chart lists them.
SEVERITIES = (Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM, Severity.LOW, Severity.INFO)
#: Risks in the order the charts stack them: the worst first, the unanswered last.
RISKS = (Risk.HIGH, Risk.MEDIUM, Risk.NONE, Risk.NOT_APPLICABLE, Risk.UNANSWERED)


@dataclass(frozen=True, slots=True)
class SeverityRow:
    """The findings of the checks of one severity, by status."""

    severity: Severity
    failed: int = 0
    passed: int = 0
    errors: int = 0
    not_applicable: int = 0
    #: Failing findings under an acceptance in force: not counted in ``failed``.
    accepted: int = 0

    @property
    def total(self) -> int:
        return self.failed + self.accepted + self.passed + self.errors + self.not_applicable


#: Accepted risks are counted under this key, apart from the statuses.
ACCEPTED = "accepted"


def by_severity(
    assessment: Assessment, on: date | None = None, index: Index | None = None
) -> list[SeverityRow]:
    """One row per severity, worst first; a failure accepted on day ``on`` (today)
    counts as accepted, not failed (as in ``scoring.summarise``). A check the file has
    no record of counts as medium, as everywhere else. ``index``: the acceptances as
    already read (a redacted report's)."""
    counts: dict[Severity, Counter[str]] = {s: Counter() for s in SEVERITIES}
    if index is None:
        index = Index.of(assessment, on)
    for finding in assessment.findings:
        severity = _severity(assessment, finding)
        accepted = bool(index) and index.accepted(finding)
        counts[severity][ACCEPTED if accepted else finding.status.value] += 1
    return [
        SeverityRow(
            severity,
            counts[severity][Status.FAIL.value],
            counts[severity][Status.PASS.value],
            counts[severity][Status.ERROR.value],
            counts[severity][Status.NOT_APPLICABLE.value],
            counts[severity][ACCEPTED],
        )
        for severity in SEVERITIES
    ]


@dataclass(frozen=True, slots=True)
class SectionRow:
    """One section of the questionnaire and the risks its answers leave."""

    id: str
    title: str
    counts: RiskCounts


def by_section(assessment: Assessment, sections: Sequence[Section]) -> list[SectionRow]:
    """Every section in questionnaire order with its questions counted by risk."""
    summary = summarise(assessment, sections)
    return [
        SectionRow(s.id, s.title, summary.by_section.get(s.id) or RiskCounts()) for s in sections
    ]


@dataclass(frozen=True, slots=True)
class TrendPoint:
    """The state of the review at one milestone, or now."""

    name: str
    taken: datetime | None
    failed: int
    high: int
    medium: int
    answered_percent: int
    errors: int = 0
    accepted: int = 0


def point(
    name: str,
    taken: datetime | None,
    assessment: Assessment,
    sections: Sequence[Section],
    index: Index | None = None,
) -> TrendPoint:
    """The trend point of one assessment, its answers read against ``sections``
    (``index``: its acceptances as already read)."""
    summary = summarise(assessment, sections, index=index)
    return TrendPoint(
        name,
        taken,
        summary.findings_by_status[Status.FAIL],
        summary.overall[Risk.HIGH],
        summary.overall[Risk.MEDIUM],
        summary.overall.percent_answered,
        summary.findings_by_status[Status.ERROR],
        summary.accepted,
    )


# Milestones never change once written: their points are kept, keyed by file and state.
_CACHE: dict[tuple[str, int, int, tuple[str, ...]], TrendPoint | None] = {}


def trend(
    path: str | Path | None,
    assessment: Assessment,
    sections: Sequence[Section],
    *,
    now: str = "Now",
    index: Index | None = None,
) -> list[TrendPoint]:
    """A point per milestone of the assessment at ``path``, oldest first, then the
    assessment as it is now. A milestone that cannot be read is left out. Without a
    path, or without milestones, only the present point."""
    points = []
    if path is not None:
        for milestone in list_milestones(path):
            got = _milestone_point(milestone.path, milestone.name, sections)
            if got is not None:
                points.append(got)
    points.append(point(now, assessment.updated, assessment, sections, index))
    return points


def _milestone_point(path: Path, name: str, sections: Sequence[Section]) -> TrendPoint | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    key = (str(path), stat.st_mtime_ns, stat.st_size, tuple(s.id for s in sections))
    if key not in _CACHE:
        try:
            snapshot = store.load(path)
        except (SrmError, OSError):
            _CACHE[key] = None
        else:
            taken = snapshot.milestone.created if snapshot.milestone else None
            _CACHE[key] = point(name, taken, snapshot, sections)
    return _CACHE[key]


# --- organization reviews ------------------------------------------------------------

#: An account's posture: its worst failing severity, or why it has none.
POSTURES = ("critical", "high", "medium", "low", "info", "no failures", "not scanned", "failed")


@dataclass(frozen=True, slots=True)
class AccountPosture:
    """One account of an organization review as the charts need it: ``state`` as the
    review keeps it (``done``, ``failed``, ``pending``...), ``failures`` its failing
    findings by severity value."""

    account_id: str
    name: str
    state: str
    failures: Mapping[str, int]

    @property
    def posture(self) -> str:
        """The worst severity that fails in it, ``no failures``, ``failed`` (it could
        not be scanned) or ``not scanned``."""
        if self.state == "failed":
            return "failed"
        for severity in SEVERITIES:
            if self.failures.get(severity.value, 0):
                return severity.value
        return "no failures" if self.state == "done" else "not scanned"


def accounts_of(assessment: Assessment, index: Index | None = None) -> list[AccountPosture]:
    """The accounts of an organization review (none for a single account's review).

    Their failures are those each account's scan counted; with ``index`` (the review's
    acceptances on a day, its findings merged in), those of its findings no acceptance
    in force covers."""
    organization = assessment.organization
    if organization is None:
        return []
    counted: dict[str, Counter[str]] | None = None
    if index is not None:
        counted = {account_id: Counter() for account_id in organization.accounts}
        for finding in assessment.findings:
            if finding.status is Status.FAIL and not index.accepted(finding):
                counted.setdefault(finding.account_id, Counter())[
                    _severity(assessment, finding).value
                ] += 1
    return [
        AccountPosture(
            account_id,
            account.name,
            account.state.value,
            dict(counted[account_id]) if counted is not None else dict(account.failures),
        )
        for account_id, account in sorted(organization.accounts.items())
    ]


def _severity(assessment: Assessment, finding: Finding) -> Severity:
    """The finding's check's severity; medium for a check the file has no record of."""
    record = assessment.checks.get(finding.check)
    return record.severity if record is not None else Severity.MEDIUM


def worst_accounts(accounts: Sequence[AccountPosture], count: int) -> list[AccountPosture]:
    """The ``count`` accounts with the most failures, the most severe counting first."""

    def badness(account: AccountPosture) -> tuple[int, ...]:
        return tuple(-account.failures.get(s.value, 0) for s in SEVERITIES)

    return sorted(accounts, key=badness)[:count]


def by_posture(accounts: Sequence[AccountPosture]) -> list[tuple[str, int]]:
    """How many accounts have each posture, worst first (every posture listed)."""
    counts = Counter(a.posture for a in accounts)
    return [(posture, counts[posture]) for posture in POSTURES]


@dataclass(frozen=True, slots=True)
class HeatMap:
    """Failing findings of the worst checks (columns) in each account (rows)."""

    accounts: tuple[str, ...]
    checks: tuple[str, ...]
    counts: tuple[tuple[int, ...], ...]  # counts[account][check]


def heat_map(
    assessment: Assessment, accounts: Sequence[str], top: int = 10, index: Index | None = None
) -> HeatMap:
    """The ``top`` worst checks across the accounts (most severe first, then failing in
    the most accounts, then the most failures) and their failing findings per account
    (with ``index``, those no acceptance in force covers). Findings carry their
    ``account_id``."""
    failing: dict[str, Counter[str]] = {}
    for finding in assessment.findings:
        if finding.status is Status.FAIL and not (index is not None and index.accepted(finding)):
            account = finding.account_id or assessment.scope.account_id
            failing.setdefault(finding.check, Counter())[account] += 1

    def badness(check: str) -> tuple[int, int, int, str]:
        record = assessment.checks.get(check)
        rank = record.severity.rank if record is not None else Severity.MEDIUM.rank
        spread = failing[check]
        return (-rank, -len(spread), -sum(spread.values()), check)

    chosen = tuple(sorted(failing, key=badness)[:top])
    counts = tuple(tuple(failing[c].get(a, 0) for c in chosen) for a in accounts)
    return HeatMap(tuple(accounts), chosen, counts)
