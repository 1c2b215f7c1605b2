"""The JSON report, exactly as DESIGN.md's contract says: each finding carries its
``exception`` (the acceptance covering it, or null) and its ``source``, each answer its
evidence (with ``changed``), attestation, ``contradictions`` and ``carried_from`` (and
``imported_contradictions``: the imported failures that contradict it); the summary
counts ``accepted`` apart from ``fail``. Findings imported from other tools
that count on their own follow srm-tui's own; ``imports`` says what each import
brought and where it disagrees with srm-tui.

Every string that comes from outside (the file, AWS, a questionnaire) is cleaned like
the text of every other format: no control, invisible or bidirectional character
reaches the reader's program.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from srm_tui import __version__
from srm_tui.acceptances import Covered, covered_counts
from srm_tui.model import OWN_SOURCE, Answer, OrgAccount, Parameter, Risk
from srm_tui.posture import accounts_of
from srm_tui.report.imported import contradicting, imported_findings, imports_summary
from srm_tui.report.inputs import ReportInput
from srm_tui.report.text import clean
from srm_tui.scoring import RiskCounts, account_risks, effective_answer, risk_of
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
    index = report.acceptances
    exceptions: dict[str, dict[str, Any]] = {}  # by acceptance id and expiry state
    own_account = clean(scope.account_id)
    for f in sorted(
        assessment.findings, key=lambda f: (f.check, f.account_id, f.region, f.resource)
    ):
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
                "exception": _exception(index.covering(f), exceptions) if index else None,
                "source": OWN_SOURCE,
                "account_id": clean(f.account_id) if f.account_id else own_account,
            }
        )
    findings.extend(imported_findings(report))
    position = {qid: n for n, qid in enumerate(questions)}
    answers = []
    for qid, answer in sorted(
        assessment.answers.items(), key=lambda kv: (position.get(kv[0], len(position)), kv[0])
    ):
        question = questions.get(qid)
        risk = risk_of(question, answer) if question else answer.risk
        due = report.review_due(question, answer)
        answers.append(
            {
                "question": clean(qid),
                "section": clean(answer.section),
                "title": clean(question.title) if question else "",
                "selected": _texts(answer.selected),
                "applicable": answer.applicable,
                "reason": answer.reason.value if answer.reason else None,
                "notes": clean(answer.notes),
                "evidence": _evidence(report, answer),
                "owner": clean(answer.owner),
                "due": _time(answer.due),
                "answered": _time(answer.answered),
                "risk": risk.value,
                "responsibility": question.responsibility.value if question else None,
                "frameworks": _frameworks(question.frameworks) if question else {},
                "attested_by": clean(answer.attested_by) or None,
                "attested": _time(answer.attested),
                "review_due": _time(due),
                "due_for_review": due is not None and due <= report.today,
                "contradictions": _texts(report.contradictions(question, answer)),
                "imported_contradictions": contradicting(
                    report.imported_contradictions(question, answer)
                ),
                "carried_from": clean(answer.carried_from) or None,
                "to_confirm": answer.to_confirm,
            }
        )
    return {
        "assessment": {
            "name": clean(assessment.name),
            "schema": SCHEMA,
            "created": _time(assessment.created),
            "updated": _time(assessment.updated),
            "tool_version": clean(assessment.tool_version) or __version__,
            "assessor": clean(assessment.assessor),
            "max_acceptance_days": assessment.max_acceptance_days,
            "report_date": _time(report.today),
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
            "environment": clean(scope.environment),
            "review_owner": clean(scope.review_owner),
            "signed_off_by": clean(scope.signed_off_by),
            "signed_off": _time(scope.signed_off),
            "parameters": [
                {
                    "check": clean(c.check),
                    "parameter": clean(c.name),
                    "value": _parameter(c.value),
                    "default": _parameter(c.default),
                }
                for c in report.parameter_changes
            ],
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
            "accepted": summary.accepted,
            "accepted_by_severity": {
                s.value: n for s, n in sorted(summary.accepted_by_severity.items())
            },
            "expired_exceptions": summary.expired,
            "out_of_policy_exceptions": summary.out_of_policy,
            "contradictions": len(report.contradicted),
            "imported_contradictions": len(report.imported_contradicted),
            "due_for_review": len(report.due_answers),
            "to_confirm": len(report.to_confirm),
        },
        "acceptances": _acceptances(report),
        "assignments": [
            {
                "check": clean(a.check),
                "resource": clean(a.resource),
                "owner": clean(a.owner),
                "due": _time(a.due),
            }
            for a in assessment.assignments
        ],
        "findings": findings,
        "answers": answers,
        "imports": imports_summary(report),
        "accounts": _accounts(report),
        "overrides": _overrides(report),
    }


def _accounts(report: ReportInput) -> list[dict[str, Any]]:
    """Every account of an organization review; a single account's review lists the
    one account it scanned (none before its first scan)."""
    assessment = report.assessment
    org = assessment.organization
    if org is not None:
        # Failures as the report counts them, accepted risks apart (the scan's own
        # counts knew nothing of acceptances made or expired since).
        failing = {a.account_id: a.failures for a in accounts_of(assessment, report.acceptances)}
        entries = []
        for account_id in sorted(org.accounts):
            entry = account_entry(org.accounts[account_id])
            entry["summary"]["failures_by_severity"] = {
                clean(k): v for k, v in sorted(failing.get(account_id, {}).items()) if v
            }
            risks = account_risks(assessment, report.sections, account_id)
            entry["summary"]["questions"] = _counts(risks)
            entries.append(entry)
        return entries
    if not assessment.scope.account_id:
        return []
    summary = report.summary
    return [
        {
            "account_id": clean(assessment.scope.account_id),
            "name": None,
            "ou": None,
            "status": None,
            "state": None,
            "scanned": _time(assessment.scan.finished),
            "api_calls": assessment.scan.api_calls,
            "summary": {
                "findings": {s.value: n for s, n in sorted(summary.findings_by_status.items())},
                "failures_by_severity": {
                    s.value: n for s, n in sorted(summary.failures_by_severity.items())
                },
            },
        }
    ]


def _overrides(report: ReportInput) -> list[dict[str, Any]]:
    """An organization review's answers for one account or OU, by question then target."""
    assessment = report.assessment
    org = assessment.organization
    result = []
    for qid in sorted(assessment.overrides):
        question = report.questions.get(qid)
        for target, override in sorted(assessment.overrides[qid].items()):
            if question is not None:
                answer = effective_answer(assessment, question, target)
                risk = risk_of(question, answer).value if answer is not None else None
            else:
                risk = None
            account = org.accounts.get(target) if org is not None else None
            result.append(
                {
                    "question": clean(qid),
                    "target": clean(target),
                    "kind": "account" if account is not None or target.isdigit() else "ou",
                    "selected": _texts(override.selected),
                    "applicable": override.applicable,
                    "reason": override.reason.value if override.reason else None,
                    "notes": clean(override.notes),
                    "answered": _time(override.answered),
                    "risk": risk,
                    "contradictions": _texts(report.override_contradictions(question, target)),
                    "imported_contradictions": contradicting(
                        report.override_imported_contradictions(question, target)
                    ),
                }
            )
    return result


def account_entry(account: OrgAccount) -> dict[str, Any]:
    """One account of an organization review as the JSON report (and ``accounts
    --format json``) gives it."""
    ou = None
    if account.ou_id:
        ou = {
            "id": clean(account.ou_id),
            "name": clean(account.ou_name),
            "path": clean(account.ou_label),
        }
    return {
        "account_id": clean(account.account_id),
        "name": clean(account.name),
        "ou": ou,
        "status": clean(account.status),
        "state": account.state.value,
        "scanned": _time(account.scanned),
        "round": account.round,
        "api_calls": account.api_calls,
        "scan_status": account.scan_status.value,
        "error": redact(clean(account.error)) or None,
        "summary": {
            "findings": {clean(k): v for k, v in sorted(account.findings.items())},
            "failures_by_severity": {clean(k): v for k, v in sorted(account.failures.items())},
        },
    }


def _acceptance(covered: Covered) -> dict[str, Any]:
    acceptance = covered.acceptance
    return {
        "id": clean(acceptance.id),
        "reason": clean(acceptance.reason),
        "owner": clean(acceptance.owner),
        "approved_by": clean(acceptance.approved_by),
        "created": _time(acceptance.created),
        "expires": _time(acceptance.expires),
        "expired": covered.expired,
        # Added later: "in force", "expired" or "out of policy", and why it is out.
        "state": covered.state,
        "flaw": covered.flaw,
    }


def _exception(covered: Covered | None, seen: dict[str, dict[str, Any]]) -> dict[str, Any] | None:
    # The same acceptance covers many findings: built once, copied for each.
    if covered is None:
        return None
    fields = seen.get(covered.acceptance.id)
    if fields is None:
        fields = seen[covered.acceptance.id] = _acceptance(covered)
    return dict(fields)


def _acceptances(report: ReportInput) -> list[dict[str, Any]]:
    counts = covered_counts(report.assessment, report.today, report.acceptances)
    return [
        {
            **_acceptance(report.acceptances.standing(a)),
            "check": clean(a.check),
            "resource": clean(a.resource),
            "account": clean(a.account),
            "findings": counts.get(a.id, 0),
        }
        for a in report.assessment.acceptances
    ]


def _evidence(report: ReportInput, answer: Answer) -> list[dict[str, Any]]:
    result = []
    for number, entry in enumerate(answer.evidence):
        state = report.evidence_state(answer.question, number)
        result.append(
            {
                "kind": clean(entry.kind),
                "ref": clean(entry.ref),
                "size": entry.size,
                "sha256": clean(entry.sha256) or None,
                "added": _time(entry.added),
                "by": clean(entry.by),
                "note": clean(entry.note),
                "changed": state.changed,
                "state": state.value,
            }
        )
    return result


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


def _parameter(value: Parameter | None) -> Any:
    if isinstance(value, tuple):
        return _texts(value)
    return clean(value) if isinstance(value, str) else value


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
