"""Masking the account id before a report leaves the team (``report --redact``)."""

from __future__ import annotations

import copy
import re
from dataclasses import replace

from srm_tui.model import Assessment

MASK = "XXXXXXXXXXXX"
# The account field of any ARN (arn:partition:service:region:ACCOUNT:...), whoever's
# account it is: a trust to another account is as telling as our own id.
_ARN_ACCOUNT = re.compile(r"(arn:[A-Za-z0-9-]*:[A-Za-z0-9-]*:[A-Za-z0-9-]*:)(\d{12})(?=:|/|$)")


def mask(text: str, account_id: str = "") -> str:
    """``text`` with the account id, and the account field of every ARN, masked."""
    if not text:
        return text
    text = _ARN_ACCOUNT.sub(lambda m: m.group(1) + MASK, text)
    if account_id:
        text = text.replace(account_id, MASK)
    return text


def redacted(assessment: Assessment) -> Assessment:
    """A copy of ``assessment`` in which no account id is left in any text a report
    shows: scope, resources, details, scan errors, answers, evidence, accepted risks,
    assignments and the name."""
    account = assessment.scope.account_id

    def m(text: str) -> str:
        return mask(text, account)

    result = copy.copy(assessment)
    result.name = m(assessment.name)
    result.assessor = m(assessment.assessor)
    if assessment.milestone is not None:
        result.milestone = replace(assessment.milestone, name=m(assessment.milestone.name))
    result.scope = replace(
        assessment.scope,
        account_id=MASK if account else "",
        endpoint_url=m(assessment.scope.endpoint_url),
        profile=m(assessment.scope.profile),
        environment=m(assessment.scope.environment),
        review_owner=m(assessment.scope.review_owner),
        signed_off_by=m(assessment.scope.signed_off_by),
    )
    result.scan = replace(assessment.scan, errors=tuple(m(e) for e in assessment.scan.errors))
    result.findings = [
        replace(f, resource=m(f.resource), detail=m(f.detail)) for f in assessment.findings
    ]
    result.checks = {
        cid: replace(record, title=m(record.title), remediation=m(record.remediation))
        for cid, record in assessment.checks.items()
    }
    answers = {}
    for qid, answer in assessment.answers.items():
        answers[qid] = replace(
            answer,
            notes=m(answer.notes),
            evidence=tuple(
                replace(e, ref=m(e.ref), by=m(e.by), note=m(e.note)) for e in answer.evidence
            ),
            owner=m(answer.owner),
            attested_by=m(answer.attested_by),
            carried_from=m(answer.carried_from),
            extra=dict(answer.extra),
        )
    result.answers = answers
    result.acceptances = [
        replace(
            a,
            resource=m(a.resource),
            account=m(a.account),
            reason=m(a.reason),
            owner=m(a.owner),
            approved_by=m(a.approved_by),
        )
        for a in assessment.acceptances
    ]
    result.assignments = [
        replace(a, resource=m(a.resource), owner=m(a.owner)) for a in assessment.assignments
    ]
    result.extra = _mask_tree(assessment.extra, account)
    return result


def _mask_tree(value: object, account: str) -> object:
    if isinstance(value, str):
        return mask(value, account)
    if isinstance(value, dict):
        return {k: _mask_tree(v, account) for k, v in value.items()}
    if isinstance(value, list):
        return [_mask_tree(v, account) for v in value]
    return value
