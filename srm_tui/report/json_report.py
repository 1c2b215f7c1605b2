"""The JSON report, exactly as DESIGN.md's contract says.

Every string that comes from outside (the file, AWS, a questionnaire) is cleaned like
the text of every other format: no control, invisible or bidirectional character
reaches the reader's program.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from srm_tui import __version__
from srm_tui.model import Risk
from srm_tui.report.inputs import ReportInput
from srm_tui.report.text import clean
from srm_tui.scoring import RiskCounts, risk_of
from srm_tui.secrets import redact
from srm_tui.store import SCHEMA


def _time(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _texts(values: Any) -> list[str]:
    return [clean(v) for v in values]


def _frameworks(frameworks: Any) -> dict[str, list[str]]:
    return {clean(k): _texts(v) for k, v in frameworks.items()}


def build(report: ReportInput) -> dict[str, Any]:
    """The report as a JSON-ready dict."""
    assessment = report.assessment
    questions = report.questions
    summary = report.summary
    scan = assessment.scan
    scope = assessment.scope
    # A check's fields are the same on each of its findings: cleaned once per check.
    per_check: dict[str, dict[str, Any]] = {}
    regions: dict[str, str] = {}
    findings = []
    for f in sorted(assessment.findings, key=lambda f: (f.check, f.region, f.resource)):
        fields = per_check.get(f.check)
        if fields is None:
            fields = per_check[f.check] = _check_fields(report, f.check)
        region = regions.get(f.region)
        if region is None:
            region = regions[f.region] = clean(f.region)
        findings.append(
            {
                "check": fields["check"],
                "title": fields["title"],
                "service": fields["service"],
                "region": region,
                "resource": clean(f.resource),
                "status": f.status.value,
                "severity": fields["severity"],
                "responsibility": fields["responsibility"],
                "detail": redact(clean(f.detail)),
                "remediation": fields["remediation"],
                "frameworks": {k: list(v) for k, v in fields["frameworks"].items()},
            }
        )
    order = {qid: n for n, qid in enumerate(questions)}
    answers = []
    for qid, answer in sorted(
        assessment.answers.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0])
    ):
        question = questions.get(qid)
        risk = risk_of(question, answer) if question else answer.risk
        answers.append(
            {
                "question": clean(qid),
                "section": clean(answer.section),
                "title": clean(question.title) if question else "",
                "selected": _texts(answer.selected),
                "applicable": answer.applicable,
                "reason": answer.reason.value if answer.reason else None,
                "notes": clean(answer.notes),
                "evidence": _texts(answer.evidence),
                "owner": clean(answer.owner),
                "due": _time(answer.due),
                "answered": _time(answer.answered),
                "risk": risk.value,
                "responsibility": question.responsibility.value if question else None,
                "frameworks": _frameworks(question.frameworks) if question else {},
            }
        )
    return {
        "assessment": {
            "name": clean(assessment.name),
            "schema": SCHEMA,
            "created": _time(assessment.created),
            "updated": _time(assessment.updated),
            "tool_version": clean(assessment.tool_version) or __version__,
        },
        "scope": {
            "account_id": clean(scope.account_id),
            "regions": _texts(scope.regions),
            "all_regions": scope.all_regions,
            "profile": clean(scope.profile),
            "endpoint_url": clean(scope.endpoint_url),
            "demo": scope.demo,
            "frameworks": _texts(scope.frameworks),
            "services": _texts(scope.services),
        },
        "scan": {
            "started": _time(scan.started),
            "finished": _time(scan.finished),
            "status": scan.status.value,
            "api_calls": scan.api_calls,
            "errors": [redact(clean(e)) for e in scan.errors],
            "checks": _texts(scan.checks),
            "regions": _texts(scan.regions),
            "subset": scan.subset,
        },
        "summary": {
            "questions": _counts(summary.overall),
            "by_section": {clean(sid): _counts(c) for sid, c in summary.by_section.items()},
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


def _check_fields(report: ReportInput, check_id: str) -> dict[str, Any]:
    record = report.assessment.checks.get(check_id)
    if record is None:
        return {
            "check": clean(check_id),
            "title": clean(check_id),
            "service": clean(check_id.split(".")[0]),
            "severity": "medium",
            "responsibility": "customer",
            "remediation": "",
            "frameworks": {},
        }
    return {
        "check": clean(check_id),
        "title": clean(record.title),
        "service": clean(record.service),
        "severity": record.severity.value,
        "responsibility": record.responsibility.value,
        "remediation": clean(record.remediation),
        "frameworks": _frameworks(record.frameworks),
    }


def _counts(counts: RiskCounts) -> dict[str, int]:
    return {
        "total": counts.total,
        "answered": counts.answered,
        "percent_answered": counts.percent_answered,
        **{risk.value: counts[risk] for risk in Risk},
    }


def render(report: ReportInput) -> str:
    """The JSON report as text."""
    return json.dumps(build(report), indent=2, ensure_ascii=False) + "\n"
