"""Imported findings in the JSON report: those that count on their own, as findings
with their ``source``, per import what it brought and where it disagrees with srm-tui's
own checks (``imports.combine`` decides which is which), and the imported failures that
contradict an answer."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from srm_tui.contradictions import ImportedFailure
from srm_tui.imports.combine import Agreement, QuestionIndex, place
from srm_tui.report.inputs import ReportInput
from srm_tui.report.text import clean
from srm_tui.secrets import redact


def imported_findings(report: ReportInput) -> list[dict[str, Any]]:
    """The imported findings that count, shaped like srm-tui's own findings."""
    a = report.assessment
    if not a.imports:
        return []
    rows = []
    questions = QuestionIndex(report.questions.values())
    for placed in place(a):
        if placed.agreement is not Agreement.COUNTS:
            continue
        f = placed.finding
        rows.append(
            {
                "check": clean(f.check),
                "title": clean(f.title),
                "service": "",
                "region": clean(f.region),
                "resource": clean(f.resource),
                "status": f.status.value,
                "severity": f.severity.value,
                "responsibility": None,
                "detail": redact(clean(f.detail)),
                "remediation": "",
                "frameworks": {clean(k): [clean(i) for i in v] for k, v in f.frameworks.items()},
                "exception": None,
                "source": clean(f.source),
                "account_id": clean(f.account_id or a.imports[f.source].account_id),
                # The questions whose controls or evidence checks it bears on.
                "questions": [clean(q) for q in questions.of(placed)],
            }
        )
    return rows


def contradicting(found: Sequence[ImportedFailure]) -> list[dict[str, Any]]:
    """Imported failures that contradict an answer, said as imported (the JSON report's
    and OCSF's ``imported_contradictions``): their producer's check and the srm-tui
    checks they map to, never as those checks failing."""
    return [
        {
            "source": clean(f.source),
            "check": clean(f.check),
            "checks": [clean(c) for c in f.checks],
            "resource": clean(f.resource),
            "account_id": clean(f.account_id),
        }
        for f in found
    ]


def imports_summary(report: ReportInput) -> list[dict[str, Any]]:
    """Per import: where it came from, when, and how its findings sit beside srm-tui's."""
    a = report.assessment
    if not a.imports:
        return []
    placed = place(a)
    questions = QuestionIndex(report.questions.values())
    result = []
    for source, kept in sorted(a.imports.items()):
        mine = [p for p in placed if p.finding.source == source]
        counts = Counter(p.agreement.value for p in mine)
        result.append(
            {
                "source": clean(source),
                "origin": clean(kept.origin),
                "imported": kept.imported.isoformat(),
                "account_id": clean(kept.account_id),
                # Every account it holds findings of (several for an organization's).
                "accounts": [clean(x) for x in kept.accounts()],
                "findings": len(kept.findings),
                "skipped": kept.skipped,
                "muted": kept.muted,
                "agreement": {x.value: counts.get(x.value, 0) for x in Agreement},
                "disagreements": [
                    {
                        "check": clean(p.finding.check),
                        "resource": clean(p.finding.resource),
                        "status": p.finding.status.value,
                        "own_checks": [clean(c) for c in p.checks],
                        "own_status": p.own.value if p.own else None,
                        "account_id": clean(p.finding.account_id or kept.account_id),
                        "questions": [clean(q) for q in questions.of(p)],
                    }
                    for p in mine
                    if p.agreement is Agreement.DISAGREES
                ],
            }
        )
    return result
