"""Where an assessment stands, as the numbers its pictures are drawn from: findings by
severity and status, risks by section, the trend across milestones. The report's charts
and the wizard's dashboard both read these; nothing here draws or formats.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from srm_tui import store
from srm_tui.errors import SrmError
from srm_tui.milestones import list_milestones
from srm_tui.model import Assessment, Risk, Section, Severity, Status
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

    @property
    def total(self) -> int:
        return self.failed + self.passed + self.errors + self.not_applicable


def by_severity(assessment: Assessment) -> list[SeverityRow]:
    """One row per severity, worst first; a check the file has no record of counts as
    medium, as everywhere else."""
    counts: dict[Severity, Counter[Status]] = {s: Counter() for s in SEVERITIES}
    for finding in assessment.findings:
        record = assessment.checks.get(finding.check)
        severity = record.severity if record is not None else Severity.MEDIUM
        counts[severity][finding.status] += 1
    return [
        SeverityRow(
            severity,
            counts[severity][Status.FAIL],
            counts[severity][Status.PASS],
            counts[severity][Status.ERROR],
            counts[severity][Status.NOT_APPLICABLE],
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


def point(
    name: str, taken: datetime | None, assessment: Assessment, sections: Sequence[Section]
) -> TrendPoint:
    """The trend point of one assessment, its answers read against ``sections``."""
    summary = summarise(assessment, sections)
    return TrendPoint(
        name,
        taken,
        summary.findings_by_status[Status.FAIL],
        summary.overall[Risk.HIGH],
        summary.overall[Risk.MEDIUM],
        summary.overall.percent_answered,
        summary.findings_by_status[Status.ERROR],
    )


# Milestones never change once written: their points are kept, keyed by file and state.
_CACHE: dict[tuple[str, int, int, tuple[str, ...]], TrendPoint | None] = {}


def trend(
    path: str | Path | None,
    assessment: Assessment,
    sections: Sequence[Section],
    *,
    now: str = "Now",
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
    points.append(point(now, assessment.updated, assessment, sections))
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
