"""What an auditor relies on when reading a report: accepted risks, evidence and
answers count the same whichever way the report is made (redacted or not)."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from datetime import UTC, date, datetime

from report_samples import ACCOUNT, OTHER_ACCOUNT, assessment, sections

from srm_tui.acceptances import accept
from srm_tui.model import Finding, Status
from srm_tui.report.formats import report

ON = date(2026, 9, 10)
GENERATED = datetime(2026, 9, 10, 12, tzinfo=UTC)


def root_mfa_in_two_accounts():
    """Root without MFA in two accounts; only the other account's is accepted, by its
    root's ARN (which names the account)."""
    a = assessment()
    a.findings = [f for f in a.findings if f.check != "iam.root_mfa"] + [
        Finding(
            "iam.root_mfa",
            "global",
            f"arn:aws:iam::{acct}:root",
            Status.FAIL,
            "no MFA",
            account_id=acct,
        )
        for acct in (ACCOUNT, OTHER_ACCOUNT)
    ]
    accept(
        a,
        "iam.root_mfa",
        reason="break-glass account",
        owner="CISO",
        expires=date(2026, 12, 31),
        resource=f"arn:aws:iam::{OTHER_ACCOUNT}:root",
        on=ON,
    )
    return a


def _accepted_json(text: str) -> tuple[int, list[bool]]:
    data = json.loads(text)
    roots = [f for f in data["findings"] if f["check"] == "iam.root_mfa"]
    return data["summary"]["accepted"], sorted(f["exception"] is not None for f in roots)


def test_redacting_a_report_does_not_widen_an_acceptance():
    # Masking turns both roots' ARNs into arn:aws:iam::XXXXXXXXXXXX:root, and the
    # acceptance's pattern with them: matched on the masked text, it covered both.
    a = root_mfa_in_two_accounts()
    plain = report(a, sections(), "json", generated=GENERATED)
    masked = report(a, sections(), "json", redact=True, generated=GENERATED)
    assert f"arn:aws:iam::{OTHER_ACCOUNT}:root" not in masked
    assert _accepted_json(plain) == (1, [False, True])
    assert _accepted_json(masked) == _accepted_json(plain)
    rows = list(csv.DictReader(io.StringIO(report(a, sections(), "csv", redact=True))))
    roots = sorted(r["accepted"] for r in rows if r["check"] == "iam.root_mfa")
    assert roots[0] != roots[1]  # one accepted, one not
    text = report(a, sections(), "markdown", redact=True, generated=GENERATED)
    assert "1 more accepted as known risks" in text


def test_redacting_keeps_what_a_masked_pattern_stops_matching():
    # A pattern naming part of the account id (a prefix) no longer matches once the
    # resources are masked; the acceptance still covers its finding.
    a = root_mfa_in_two_accounts()
    a.acceptances[0] = replace(a.acceptances[0], resource=f"arn:aws:iam::{OTHER_ACCOUNT[:6]}*")
    plain = report(a, sections(), "json", generated=GENERATED)
    masked = report(a, sections(), "json", redact=True, generated=GENERATED)
    assert _accepted_json(masked) == _accepted_json(plain) == (1, [False, True])
