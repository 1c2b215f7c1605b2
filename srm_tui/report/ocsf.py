"""OCSF out: the review as a JSON array of OCSF Compliance Finding events (class 2003),
the shape SIEMs and GRC platforms (CISO Assistant among them) ingest.

One event per finding of a check and one per answered question. The control is the
check or question id, the standards and requirements its framework ids, the
compliance status the finding's status or the answer's risk. A failure under an
acceptance in force is ``Suppressed`` with the acceptance in ``comment`` and
``unmapped``; an answer's evidence becomes ``evidences`` (files with their SHA-256).
Findings imported from another tool (Prowler, Security Hub) that srm-tui's own checks
do not already cover are events too, their producer named in ``unmapped.source``.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import PurePath
from typing import Any

from srm_tui import __version__
from srm_tui.contradictions import imported_not_applying_said, not_applying_said
from srm_tui.imports.combine import SOURCE_NAMES, counted_imports
from srm_tui.model import (
    Answer,
    Evidence,
    Finding,
    ImportedFinding,
    OrgAccount,
    Question,
    Risk,
    Severity,
    Status,
)
from srm_tui.report import content
from srm_tui.report.imported import contradicting
from srm_tui.report.inputs import ReportInput
from srm_tui.report.text import clean
from srm_tui.scoring import risk_of
from srm_tui.secrets import redact

OCSF_VERSION = "1.5.0"
CLASS_UID = 2003  # Compliance Finding
CATEGORY_UID = 2  # Findings
ACTIVITY_CREATE = 1
TYPE_UID = CLASS_UID * 100 + ACTIVITY_CREATE

# The namespace of the finding ids' version-5 UUIDs.
_UID_ROOT = uuid.UUID("0f6d3a52-8c1e-5b7a-9d24-6e1f3c8b2a90")

# OCSF severity_id: 1 Informational, 2 Low, 3 Medium, 4 High, 5 Critical.
_SEVERITY = {
    Severity.INFO: (1, "Informational"),
    Severity.LOW: (2, "Low"),
    Severity.MEDIUM: (3, "Medium"),
    Severity.HIGH: (4, "High"),
    Severity.CRITICAL: (5, "Critical"),
}
_RISK_SEVERITY = {Risk.HIGH: (4, "High"), Risk.MEDIUM: (3, "Medium")}
# The compliance status (compliance.status_id): 0 Unknown, 1 Pass, 2 Warning, 3 Fail,
# 99 Other. "Could not check" is Unknown, never a pass or a fail. An answer at a medium
# risk is a Fail of medium severity: OCSF's Warning means "did not yield a result due
# to missing information", which an answer did.
_STATUS = {
    Status.PASS: (1, "Pass"),
    Status.FAIL: (3, "Fail"),
    Status.ERROR: (0, "Unknown"),
    Status.NOT_APPLICABLE: (99, "Not applicable"),
}
_RISK_STATUS = {
    Risk.NONE: (1, "Pass"),
    Risk.MEDIUM: (3, "Fail"),
    Risk.HIGH: (3, "Fail"),
    Risk.NOT_APPLICABLE: (99, "Not applicable"),
}
# The finding's own status (status_id): 1 New, 3 Suppressed.
_NEW, _SUPPRESSED = (1, "New"), (3, "Suppressed")


def _epoch(moment: datetime | None, fallback: datetime) -> int:
    """An OCSF timestamp: milliseconds since the epoch (``timestamp_t``)."""
    return int((moment or fallback).timestamp() * 1000)


def _compliance(
    control: str, frameworks: Mapping[str, Sequence[str]], status: tuple[int, str]
) -> dict[str, Any]:
    keys = sorted(frameworks)
    return {
        "control": clean(control),
        "standards": [clean(content.framework_name(k)) for k in keys if frameworks[k]],
        "requirements": [f"{clean(k)}:{clean(i)}" for k in keys for i in frameworks[k]],
        "status_id": status[0],
        "status": status[1],
    }


def _metadata(uid: str, code: str) -> dict[str, Any]:
    return {
        "version": OCSF_VERSION,
        "uid": uid,
        "event_code": code,
        "profiles": ["cloud"],
        "product": {
            "name": "srm-tui",
            "uid": "srm-tui",
            "vendor_name": "srm-tui",
            "version": __version__,
        },
    }


def _event(
    report: ReportInput,
    *,
    uid: str,
    control: str,
    title: str,
    frameworks: Mapping[str, Sequence[str]],
    status: tuple[int, str],
    severity: tuple[int, str],
    time: int,
    region: str,
    message: str,
) -> dict[str, Any]:
    scope = report.assessment.scope
    cloud: dict[str, Any] = {"provider": "AWS"}
    if scope.account_id:
        cloud["account"] = _account(report, scope.account_id)
    if report.assessment.organization is not None:
        cloud["org"] = _org(report, scope.account_id)
    if region and region != "global":
        cloud["region"] = clean(region)
    return {
        "class_uid": CLASS_UID,
        "class_name": "Compliance Finding",
        "category_uid": CATEGORY_UID,
        "category_name": "Findings",
        "activity_id": ACTIVITY_CREATE,
        "activity_name": "Create",
        "type_uid": TYPE_UID,
        "type_name": "Compliance Finding: Create",
        "time": time,
        "severity_id": severity[0],
        "severity": severity[1],
        "status_id": _NEW[0],
        "status": _NEW[1],
        "message": message,
        "metadata": _metadata(uid, clean(control)),
        "finding_info": {"uid": uid, "title": clean(title) or clean(control)},
        "compliance": _compliance(control, frameworks, status),
        "cloud": cloud,
    }


def _finding_uid(source: str, check: str, account: str, region: str, resource: str) -> str:
    """The finding's id: the same finding (check, account, region, resource) has the same
    id in every export, so a SIEM updates it rather than adding a new one."""
    where = uuid.uuid5(_UID_ROOT, "|".join((account, region, resource)))
    return f"{clean(source)}:{clean(check)}:{where}"


def _finding_event(report: ReportInput, finding: Finding) -> dict[str, Any]:
    record = report.record(finding.check)
    scanned = report.assessment.scan.finished or report.assessment.updated
    status = _STATUS[finding.status]
    event = _event(
        report,
        uid=_finding_uid(
            "srm-tui",
            finding.check,
            finding.account_id or report.assessment.scope.account_id,
            finding.region,
            finding.resource,
        ),
        control=finding.check,
        title=record.title,
        frameworks=record.frameworks,
        status=status,
        severity=_SEVERITY[record.severity],
        time=_epoch(scanned, report.generated),
        region=finding.region,
        message=redact(clean(finding.detail)) or f"{clean(record.title)}: {status[1]}",
    )
    event["status_code"] = finding.status.value.upper()
    _own_account(report, event, finding.account_id)
    event["resources"] = [
        {
            "uid": clean(finding.resource),
            "type": clean(record.service),
            **({"region": clean(finding.region)} if finding.region != "global" else {}),
        }
    ]
    if record.remediation:
        event["remediation"] = {"desc": clean(record.remediation)}
    event["unmapped"] = {"source": "srm-tui", "responsibility": record.responsibility.value}
    _exception(report, event, finding)
    return event


def _exception(
    report: ReportInput, event: dict[str, Any], finding: Finding | ImportedFinding
) -> None:
    """A failure under an acceptance: the acceptance in ``unmapped.exception`` (with its
    state and, out of policy, its flaw), and while it is in force the finding
    ``Suppressed`` with the acceptance in ``comment`` (the control still fails)."""
    covered = report.acceptances.covering(finding) if finding.status is Status.FAIL else None  # type: ignore[arg-type]
    if covered is None:
        return
    acceptance = covered.acceptance
    event["unmapped"]["exception"] = {
        "id": clean(acceptance.id),
        "reason": clean(acceptance.reason),
        "owner": clean(acceptance.owner),
        "approved_by": clean(acceptance.approved_by),
        "expires": acceptance.expires.isoformat(),
        "expired": covered.expired,
        "state": covered.state,
        "flaw": clean(covered.flaw) if covered.flaw is not None else None,
    }
    if covered.in_force:
        event["status_id"], event["status"] = _SUPPRESSED
        event["comment"] = clean(
            f"Accepted risk {acceptance.id} until {acceptance.expires.isoformat()}: "
            f"{acceptance.reason} (owner {acceptance.owner})"
        )


def _file(entry: Evidence) -> dict[str, Any]:
    """A file of evidence as OCSF's ``file`` object: its name and path, a regular file
    (``type_id`` 1), its size and its SHA-256 as a fingerprint (``algorithm_id`` 3)."""
    path = clean(entry.ref)
    made: dict[str, Any] = {
        "name": PurePath(path).name or path or "-",
        "path": path,
        "type_id": 1,
        "type": "Regular File",
    }
    if entry.size is not None:
        made["size"] = entry.size
    if entry.sha256:
        made["hashes"] = [{"algorithm_id": 3, "algorithm": "SHA-256", "value": clean(entry.sha256)}]
    return made


def _evidences(report: ReportInput, answer: Answer) -> list[dict[str, Any]]:
    result = []
    for number, entry in enumerate(answer.evidence):
        data: dict[str, Any] = {"kind": clean(entry.kind), "ref": clean(entry.ref)}
        if entry.sha256:
            data["sha256"] = clean(entry.sha256)
        if entry.size is not None:
            data["size"] = entry.size
        if entry.note:
            data["note"] = clean(entry.note)
        data["state"] = report.evidence_state(answer.question, number).value
        artifact: dict[str, Any] = {"name": clean(entry.ref), "data": data}
        if entry.is_file:
            artifact["file"] = _file(entry)
        else:
            artifact["url"] = {"url_string": clean(entry.ref)}
        result.append(artifact)
    return result


def _answer_event(
    report: ReportInput, question: Question, answer: Answer, target: str = ""
) -> dict[str, Any]:
    """The event of an answer (``target``: the account or OU it is given for)."""
    risk = risk_of(question, answer)
    when = answer.attested or answer.answered
    selected = [c.title for c in question.choices if c.id in answer.selected]
    contradicted = report.contradictions(question, answer, target)
    imported = report.imported_contradictions(question, answer, target)
    if not answer.applicable:
        reason = answer.reason.label if answer.reason else "no reason given"
        message = f"Does not apply: {reason}"
        if contradicted:
            message += f"; {not_applying_said(contradicted)}"
        if imported:
            message += f"; {imported_not_applying_said(imported)}"
    else:
        message = "Selected: " + ("; ".join(selected) or "nothing")
    event = _event(
        report,
        uid=f"srm-tui:question:{clean(question.id)}",
        control=question.id,
        title=question.title,
        frameworks=question.frameworks,
        status=_RISK_STATUS.get(risk, (0, "Unknown")),
        severity=_RISK_SEVERITY.get(risk, (1, "Informational")),
        time=_epoch(when, report.assessment.updated),
        region="",
        message=clean(message),
    )
    event["status_code"] = risk.value.upper()
    unmapped: dict[str, Any] = {
        "source": "srm-tui",
        "kind": "question",
        "risk": risk.value,
        "responsibility": question.responsibility.value,
        "selected": [clean(c) for c in answer.selected],
    }
    if answer.notes:
        unmapped["notes"] = redact(clean(answer.notes))
    if answer.attested_by:
        unmapped["attested_by"] = clean(answer.attested_by)
    if contradicted:
        # The practices the answer claims that a failing check says are not in place, or
        # the failing checks that say a question marked as not applying does apply.
        unmapped["contradictions"] = [clean(c) for c in contradicted]
    if imported:
        # The same, by failures imported from another tool: said as theirs, with the
        # srm-tui checks they map to.
        unmapped["imported_contradictions"] = contradicting(imported)
    event["unmapped"] = unmapped
    if answer.evidence:
        event["evidences"] = _evidences(report, answer)
    return event


def _member(report: ReportInput, account_id: str) -> OrgAccount | None:
    org = report.assessment.organization
    return org.accounts.get(account_id) if org is not None and account_id else None


def _account(report: ReportInput, account_id: str) -> dict[str, Any]:
    """OCSF's account: its id, and its name ("AWS Account name") where the organization
    review knows it."""
    member = _member(report, account_id)
    return {
        "uid": clean(account_id),
        "name": clean(member.name if member is not None and member.name else account_id),
        "type": "AWS Account",
        "type_id": 10,
    }


def _org(report: ReportInput, account_id: str) -> dict[str, Any]:
    """OCSF's organization of an organization review: the AWS Organization's id, and
    the organizational unit the account sits in, when known."""
    org = report.assessment.organization
    made: dict[str, Any] = {"uid": clean(org.id) if org is not None else ""}
    member = _member(report, account_id)
    if member is not None and member.ou_id:
        made["ou_uid"] = clean(member.ou_id)
        if member.ou_name:
            made["ou_name"] = clean(member.ou_name)
    return made


def _own_account(report: ReportInput, event: dict[str, Any], account_id: str) -> None:
    """The account a finding was made in, when it is not the scope's (an organization
    review's member accounts, an organization-wide import)."""
    if account_id:
        event["cloud"]["account"] = _account(report, account_id)
        if report.assessment.organization is not None:
            event["cloud"]["org"] = _org(report, account_id)


def _imported_event(report: ReportInput, found: ImportedFinding) -> dict[str, Any]:
    source = clean(found.source)
    kept = report.assessment.imports.get(found.source)
    imported = kept.imported if kept is not None else None
    event = _event(
        report,
        uid=_finding_uid(
            found.source,
            found.check,
            found.account_id or report.assessment.scope.account_id,
            found.region,
            found.resource,
        ),
        control=found.check,
        title=found.title,
        frameworks=found.frameworks,
        status=_STATUS[found.status],
        severity=_SEVERITY[found.severity],
        time=_epoch(imported, report.generated),
        region=found.region,
        message=redact(clean(found.detail)) or clean(found.title),
    )
    event["status_code"] = found.status.value.upper()
    _own_account(report, event, found.account_id)
    if found.resource:
        event["resources"] = [{"uid": clean(found.resource)}]
    # srm-tui reports the event (metadata.product); the tool that made the finding is
    # finding_info.product, "the product that reported the finding".
    name = SOURCE_NAMES.get(found.source, source)
    event["finding_info"]["product"] = {"name": name, "uid": source, "vendor_name": name}
    event["finding_info"]["product_uid"] = source
    event["unmapped"] = {"source": source}
    _exception(report, event, found)
    return event


def build(report: ReportInput) -> list[dict[str, Any]]:
    """The events: every finding of a check, every answered question, an organization
    review's answers for one account or OU, then the imported findings that count."""
    events = []
    findings = sorted(report.assessment.findings, key=lambda f: (f.check, f.region, f.resource))
    for finding in findings:
        events.append(_finding_event(report, finding))
    for qid, question in report.questions.items():
        answer = report.assessment.answers.get(qid)
        if answer is not None and answer.is_answered:
            events.append(_answer_event(report, question, answer))
    events += _override_events(report)
    for found in counted_imports(report.assessment):
        events.append(_imported_event(report, found))
    return events


def _override_events(report: ReportInput) -> list[dict[str, Any]]:
    """An organization review's own answers for one account or OU: an event each, in
    that account (or OU), beside the organization's answer it sets aside there."""
    org = report.assessment.organization
    events = []
    for question, target, answer in report.override_answers:
        event = _answer_event(report, question, answer, target)
        uid = f"{event['finding_info']['uid']}:{clean(target)}"
        event["finding_info"]["uid"] = event["metadata"]["uid"] = uid
        if org is not None and (target in org.accounts or target.isdigit()):
            event["cloud"]["account"] = _account(report, target)
            event["cloud"]["org"] = _org(report, target)
        else:
            event["cloud"].pop("account", None)
            event["cloud"]["org"] = _ou(report, target)
        event["unmapped"]["applies_to"] = clean(target)
        events.append(event)
    return events


def _ou(report: ReportInput, ou_id: str) -> dict[str, Any]:
    """The organization and one of its OUs (or its root), named as an account below it
    knows it."""
    org = report.assessment.organization
    made: dict[str, Any] = {"uid": clean(org.id) if org is not None else "", "ou_uid": clean(ou_id)}
    for member in org.accounts.values() if org is not None else ():
        names = dict(zip(member.ou_path, member.ou_names, strict=False))
        if names.get(ou_id):
            made["ou_name"] = clean(names[ou_id])
            break
    return made


def render(report: ReportInput) -> str:
    """The OCSF events as a JSON array."""
    return json.dumps(build(report), indent=2, ensure_ascii=False) + "\n"
