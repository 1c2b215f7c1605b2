"""The organization overview that opens the Markdown and HTML reports: one row per
account worst first, the worst checks across the estate, the responsibility matrix
across accounts, answers that differ by account or OU, findings grouped by check
with their accounts; readable at 200 accounts. Built in code, no AWS."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime

from srm_tui.model import (
    AccountState,
    Finding,
    OrgAccount,
    Organization,
    Override,
    Reason,
    Status,
)
from srm_tui.report import html_report, markdown
from srm_tui.report.inputs import ReportInput
from tests import report_samples

SCANNED = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)


def _account(number: int, state: AccountState = AccountState.DONE, **more) -> OrgAccount:
    return OrgAccount(
        f"{number:012d}",
        name=f"acct-{number}",
        ou_id="ou-ab12-cdefgh12" if number % 2 else "ou-ab12-ijklmn34",
        ou_names=("Root", "Workloads" if number % 2 else "Sandbox"),
        status=more.pop("status", "ACTIVE"),
        state=state,
        scanned=SCANNED if state in (AccountState.DONE, AccountState.FAILED) else None,
        **more,
    )


def organization_review(size: int) -> ReportInput:
    """``size`` accounts: every third fails the MFA check (critical), every account
    but the first fails the public bucket check on two buckets, one account could not
    be scanned, one is suspended."""
    assessment = report_samples.assessment()
    records = report_samples.records()
    assessment.checks = records
    findings: list[Finding] = []
    accounts = {}
    for number in range(1, size + 1):
        account = _account(number)
        accounts[account.account_id] = account
        aid = account.account_id
        mfa = Status.FAIL if number % 3 == 0 else Status.PASS
        findings.append(Finding("iam.root_mfa", "global", f"arn:aws:iam::{aid}:root", mfa, "", aid))
        for bucket in ("logs", "share"):
            status = Status.PASS if number == 1 else Status.FAIL
            findings.append(
                Finding("s3.public_access_block", "us-east-1", f"{bucket}-{aid}", status, "", aid)
            )
    broken = _account(size + 1, AccountState.FAILED, error="could not assume the role")
    findings.append(
        Finding("iam.root_mfa", "global", "account", Status.ERROR, "denied", broken.account_id)
    )
    suspended = _account(size + 2, AccountState.SKIPPED, status="SUSPENDED")
    accounts[broken.account_id] = broken
    accounts[suspended.account_id] = suspended
    assessment.findings = findings
    assessment.organization = Organization(
        id="o-abcdefghij",
        management_account=f"{1:012d}",
        role_name="OrganizationAccountAccessRole",
        round=2,
        round_started=SCANNED,
        round_finished=SCANNED,
        accounts=accounts,
    )
    qid = next(iter(assessment.answers))
    assessment.overrides = {
        qid: {
            "ou-ab12-ijklmn34": Override(qid, "ou-ab12-ijklmn34", (), False, Reason.OUT_OF_SCOPE),
            f"{3:012d}": Override(qid, f"{3:012d}", (f"{qid}_p1",)),
        }
    }
    return ReportInput(assessment, report_samples.sections(), checks={})


def _section(text: str, heading: str) -> str:
    start = text.index(heading)
    end = text.find("\n### ", start + len(heading))
    return text[start : end if end != -1 else len(text)]


def test_the_report_opens_with_the_overview_before_the_questionnaire() -> None:
    text = markdown.render(organization_review(6))
    overview = text.index("\n## Organization overview\n")
    answers = text.index("\n## Answers\n")
    assert overview < text.index("\n## Executive summary\n") < answers
    assert answers < text.index("\n## Automatic findings\n")
    # The questionnaire once, not once per account.
    assert text.count("## Answers\n") == 1


def test_accounts_are_listed_worst_first_with_counts_by_severity() -> None:
    text = markdown.render(organization_review(6))
    accounts = _section(text, "### Accounts")
    rows = [line for line in accounts.splitlines() if line.startswith("| `")]
    ids = [re.match(r"\| `(\d{12})`", row).group(1) for row in rows]
    # Accounts 3 and 6 fail the critical check: they come first; then the high ones;
    assert ids[:2] == [f"{3:012d}", f"{6:012d}"]
    # Then those that could not be checked, then account 1 (fails nothing), then the
    # account never scanned.
    assert ids[-3:] == [f"{7:012d}", f"{1:012d}", f"{8:012d}"]
    cells = [c.strip() for c in rows[0].split("|")[1:-1]]
    header = [c.strip() for c in accounts.splitlines()[4].split("|")[1:-1]]
    assert cells[header.index("Critical failing")] == "1"
    assert cells[header.index("High failing")] == "2"
    skipped = [c.strip() for c in rows[-1].split("|")[1:-1]]
    assert skipped[header.index("State")] == r"Skipped \(SUSPENDED\)"
    assert "could not assume the role" in accounts


def test_worst_checks_count_failing_accounts() -> None:
    text = markdown.render(organization_review(6))
    worst = _section(text, "### Worst checks across the estate")
    rows = [line for line in worst.splitlines() if line.startswith("| ") and "`" in line]
    assert "`iam.root_mfa`" in rows[0] and "| 2 of 7 | 2 |" in rows[0]
    assert "`s3.public_access_block`" in rows[1] and "| 5 of 7 | 10 |" in rows[1]


def test_the_matrix_counts_failing_accounts_per_service_and_responsibility() -> None:
    text = markdown.render(organization_review(6))
    matrix = _section(text, "### Responsibility across accounts")
    s3 = next(line for line in matrix.splitlines() if line.startswith("| s3 "))
    iam = next(line for line in matrix.splitlines() if line.startswith("| iam "))
    assert "**5 of 7**" in s3  # most of the estate: stands out
    assert "2 of 7" in iam and "**2 of 7**" not in iam
    assert "| **Any service** |" in matrix


def test_answers_that_differ_by_account_or_ou_are_listed() -> None:
    review = organization_review(6)
    text = markdown.render(review)
    table = _section(text, "### Answers that differ by account or OU")
    assert "`ou-ab12-ijklmn34` Root/Sandbox" in table and "does not apply (out of scope)" in table
    assert f"`{3:012d}` acct-3" in table and "Practice 1 of" in table
    row = next(line for line in table.splitlines() if f"`{3:012d}`" in line)
    assert row.endswith("| Medium risk |")  # practice 1 alone: the sample's medium rule


def test_findings_by_check_name_their_accounts() -> None:
    text = markdown.render(organization_review(6))
    findings = text[text.index("## Automatic findings") :]
    assert "Fails in 2 of 7 accounts: " in findings
    assert f"`{3:012d}` (1)" in findings


def test_readable_at_200_accounts() -> None:
    review = organization_review(200)
    started = time.perf_counter()
    text = markdown.render(review)
    assert time.perf_counter() - started < 5
    overview = text[: text.index("## Executive summary")]
    # One row per account, nothing more: no resource lists in the overview.
    assert sum(1 for line in overview.splitlines() if line.startswith("| `")) == 202
    # A check failing in 199 accounts names a dozen of them and counts the rest.
    line = next(x for x in text.splitlines() if "Fails in 199 of 201 accounts" in x)
    assert line.count("`") == 2 * 12 and "and 187 more accounts" in line
    # Ten times the accounts adds their rows to the HTML, and nothing else grows.
    small = html_report.render(organization_review(20)).count("<tr>")
    assert html_report.render(review).count("<tr>") - small == 180


def test_a_single_account_report_has_no_overview() -> None:
    text = markdown.render(ReportInput(report_samples.assessment(), report_samples.sections()))
    assert "Organization overview" not in text and "Fails in" not in text


def test_accepted_risks_count_apart_until_they_expire() -> None:
    # As in a single account's summary: a failure under an acceptance in force is not
    # counted as failing (accounts, worst checks, matrix), and is again once expired.
    from datetime import date

    from srm_tui.acceptances import accept

    review = organization_review(6)
    a = review.assessment
    three, six = f"{3:012d}", f"{6:012d}"
    accept(a, "iam.root_mfa", reason="break-glass", owner="CISO", expires=date(2026, 12, 31),
           account=three, on=date(2026, 12, 1))  # fmt: skip
    text = markdown.render(ReportInput(a, review.sections, checks={}, generated=SCANNED))
    accounts = _section(text, "### Accounts")
    header = [c.strip() for c in accounts.splitlines()[4].split("|")[1:-1]]
    rows = {
        re.match(r"\| `(\d{12})`", line).group(1): [c.strip() for c in line.split("|")[1:-1]]
        for line in accounts.splitlines()
        if line.startswith("| `")
    }
    assert rows[three][header.index("Critical failing")] == "0"
    assert rows[three][header.index("Accepted")] == "1"
    assert rows[six][header.index("Critical failing")] == "1"
    assert next(iter(rows)) == six  # the only account still failing the critical check
    worst = _section(text, "### Worst checks across the estate")
    assert "`iam.root_mfa`" in worst and "| 1 of 7 | 1 |" in worst
    iam = next(x for x in _section(text, "### Responsibility").splitlines() if "| iam " in x)
    assert "1 of 7" in iam
    # The charts too: account 3 is no longer counted among the critical ones.
    from srm_tui.report import overview

    now = ReportInput(a, review.sections, checks={}, generated=SCANNED)
    postures = dict(overview.accounts_picture(now).rows)
    assert postures["Critical fails"] == "1" and postures["High fails"] == "4"
    heat = overview.heat_picture(now)[1]
    row = heat.counts[heat.accounts.index(three)]
    assert row[heat.checks.index("iam.root_mfa")] == 0
    # Expired: failing again everywhere.
    later = datetime(2027, 1, 2, tzinfo=UTC)
    text = markdown.render(ReportInput(a, review.sections, checks={}, generated=later))
    assert "| 2 of 7 | 2 |" in _section(text, "### Worst checks across the estate")
    postures = dict(overview.accounts_picture(replace_date(now, later)).rows)
    assert postures["Critical fails"] == "2"


def replace_date(report: ReportInput, generated: datetime) -> ReportInput:
    return ReportInput(report.assessment, report.sections, checks={}, generated=generated)


def test_the_json_accounts_count_failures_as_the_summary_does() -> None:
    # accounts[].summary.failures_by_severity means what summary.failures_by_severity
    # means: failing findings not accepted; an acceptance that expires counts again.
    import json
    from datetime import date

    from srm_tui.acceptances import accept
    from srm_tui.report import json_report

    review = organization_review(6)
    a = review.assessment
    three = f"{3:012d}"
    # As the scan stored it, before any acceptance.
    a.organization.accounts[three].failures = {"critical": 1}
    accept(a, "iam.root_mfa", reason="break-glass", owner="CISO", expires=date(2026, 12, 31),
           account=three, on=date(2026, 12, 1))  # fmt: skip

    def critical(generated: datetime) -> int:
        data = json.loads(json_report.render(ReportInput(a, review.sections, checks={},
                                                         generated=generated)))  # fmt: skip
        entry = next(e for e in data["accounts"] if e["account_id"] == three)
        return entry["summary"]["failures_by_severity"].get("critical", 0)

    assert critical(SCANNED) == 0
    assert critical(datetime(2027, 1, 2, tzinfo=UTC)) == 1
