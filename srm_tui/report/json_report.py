"""The JSON report, exactly as DESIGN.md's contract says."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from srm_tui import __version__
from srm_tui.model import Assessment, Section
from srm_tui.report.text import clean
from srm_tui.scoring import risk_of, summarise
from srm_tui.secrets import redact
from srm_tui.store import SCHEMA


def _time(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


def build(assessment: Assessment, sections: Sequence[Section]) -> dict[str, Any]:
    """The report as a JSON-ready dict."""
    questions = {q.id: q for s in sections for q in s.questions}
    summary = summarise(assessment, sections)
    scan = assessment.scan
    findings = []
    for f in sorted(assessment.findings, key=lambda f: (f.check, f.region, f.resource)):
        record = assessment.checks.get(f.check)
        findings.append(
            {
                "check": f.check,
                "title": record.title if record else f.check,
                "service": record.service if record else f.check.split(".")[0],
                "region": f.region,
                "resource": clean(f.resource),
                "status": f.status.value,
                "severity": record.severity.value if record else "medium",
                "responsibility": record.responsibility.value if record else "customer",
                "detail": redact(clean(f.detail)),
                "remediation": record.remediation if record else "",
                "frameworks": {
                    k: list(v) for k, v in (record.frameworks if record else {}).items()
                },
            }
        )
    answers = []
    for qid, answer in sorted(assessment.answers.items(), key=lambda kv: _order(kv[0], questions)):
        question = questions.get(qid)
        risk = risk_of(question, answer) if question else answer.risk
        answers.append(
            {
                "question": qid,
                "section": answer.section,
                "title": question.title if question else "",
                "selected": list(answer.selected),
                "applicable": answer.applicable,
                "reason": answer.reason.value if answer.reason else None,
                "notes": clean(answer.notes),
                "evidence": list(answer.evidence),
                "owner": answer.owner,
                "due": _time(answer.due),
                "answered": _time(answer.answered),
                "risk": risk.value,
                "responsibility": question.responsibility.value if question else None,
                "frameworks": {k: list(v) for k, v in question.frameworks.items()}
                if question
                else {},
            }
        )
    return {
        "assessment": {
            "name": assessment.name,
            "schema": SCHEMA,
            "created": _time(assessment.created),
            "updated": _time(assessment.updated),
            "tool_version": assessment.tool_version or __version__,
        },
        "scope": {
            "account_id": assessment.scope.account_id,
            "regions": list(assessment.scope.regions),
            "all_regions": assessment.scope.all_regions,
            "profile": assessment.scope.profile,
            "endpoint_url": assessment.scope.endpoint_url,
            "demo": assessment.scope.demo,
            "frameworks": list(assessment.scope.frameworks),
            "services": list(assessment.scope.services),
        },
        "scan": {
            "started": _time(scan.started),
            "finished": _time(scan.finished),
            "status": scan.status.value,
            "api_calls": scan.api_calls,
            "errors": [redact(clean(e)) for e in scan.errors],
        },
        "summary": {
            "questions": _counts(summary.overall),
            "by_section": {sid: _counts(c) for sid, c in summary.by_section.items()},
            "by_responsibility": {
                r.value: _counts(c) for r, c in summary.by_responsibility.items()
            },
            "findings": {s.value: n for s, n in sorted(summary.findings_by_status.items())},
            "failures_by_severity": {
                s.value: n for s, n in sorted(summary.failures_by_severity.items())
            },
        },
        "findings": findings,
        "answers": answers,
    }


def _order(qid: str, questions: dict[str, Any]) -> tuple[int, str]:
    keys = list(questions)
    return (keys.index(qid), qid) if qid in questions else (len(keys), qid)


def _counts(counts: Any) -> dict[str, int]:
    from srm_tui.model import Risk

    return {
        "total": counts.total,
        "answered": counts.answered,
        "percent_answered": counts.percent_answered,
        **{risk.value: counts[risk] for risk in Risk},
    }


def render(assessment: Assessment, sections: Sequence[Section]) -> str:
    """The JSON report as text."""
    return json.dumps(build(assessment, sections), indent=2, ensure_ascii=False) + "\n"
