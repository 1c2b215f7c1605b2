"""import in an organization review: Security Hub's aggregated findings (read with the
management account's credentials) and files holding several accounts are placed
account by account, each imported finding set against its own account's findings;
an account outside the organization is refused with nothing changed, while a
single-account review still refuses a file of several accounts."""

from __future__ import annotations

import json
from pathlib import Path

import boto3
import pytest
from botocore.stub import Stubber
from moto import mock_aws
from test_security_hub import asff_finding

from srm_tui import store
from srm_tui.aws import security_hub_findings
from srm_tui.imports import combine
from srm_tui.imports.combine import Agreement
from srm_tui.model import Assessment, CheckRecord, Finding, Responsibility, Severity, Status
from srm_tui.organization import files
from srm_tui.report import formats
from tests.org_reviews import account_findings, scanned_account, write_org_review

MANAGEMENT = "123456789012"  # moto's own account: the caller in the Security Hub test
LEFT = "111111111111"
RIGHT = "222222222222"
OUTSIDER = "999999999999"
# An S3 ARN names no account: only the account tells the two buckets apart.
BUCKET = "arn:aws:s3:::shared-name"
REGIONS = ("us-east-1",)
PROWLER_FIXTURE = Path(__file__).parent.parent / "fixtures" / "prowler" / "demo-account.ocsf.json"
RECORD = CheckRecord(
    "s3.public_access_block",
    "Block public access",
    "s3",
    Severity.HIGH,
    Responsibility.CUSTOMER,
    {"aws-fsbp": ("S3.8",)},
)


def _member(account: str, status: Status) -> Assessment:
    return account_findings(account, account, RECORD, [Finding(RECORD.id, "global", BUCKET, status)],
                            REGIONS)  # fmt: skip


@pytest.fixture
def review(tmp_path: Path) -> Path:
    """An organization review: LEFT's bucket passes srm-tui's check, RIGHT's fails."""
    return write_org_review(
        tmp_path / "org.toml",
        RECORD,
        {a: scanned_account(a) for a in (MANAGEMENT, LEFT, RIGHT)},
        {
            LEFT: _member(LEFT, Status.PASS).findings,
            RIGHT: _member(RIGHT, Status.FAIL).findings,
        },
        management=MANAGEMENT,
        name="Estate",
        regions=REGIONS,
        scope_account=MANAGEMENT,
    )


def _finding(number: int, account: str, status: str = "FAILED") -> dict:
    found = asff_finding(number, "S3.8", status, BUCKET, AwsAccountId=account)
    found["Id"] = f"arn:aws:securityhub:us-east-1:{account}:finding/{number}"
    return found


def _placed(path: Path) -> dict[str, combine.Placed]:
    view = files.merged(store.load(path), path)
    return {p.finding.account_id: p for p in combine.place(view)}


def test_an_asff_file_of_several_member_accounts_is_placed_per_account(run_cli, review, tmp_path):
    path = tmp_path / "org-findings.json"
    path.write_text(json.dumps({"Findings": [_finding(1, LEFT), _finding(2, RIGHT)]}))
    result = run_cli("import", review, "--asff", path)
    assert result.code == 0, result.err
    assert "of 2 accounts" in result.out
    placed = _placed(review)
    # The same bucket name: LEFT's passes srm-tui's check, RIGHT's fails it.
    assert placed[LEFT].agreement is Agreement.DISAGREES and placed[LEFT].own is Status.PASS
    assert placed[RIGHT].agreement is Agreement.CORROBORATES
    assert f"for {BUCKET} in {LEFT}" in result.out
    kept = store.load(review).imports["security-hub"]
    assert kept.account_id == "" and kept.accounts() == [LEFT, RIGHT]
    summary = json.loads(formats.report(store.load(review), (), "json", path=review))["imports"]
    assert summary[0]["accounts"] == [LEFT, RIGHT]
    assert [d["account_id"] for d in summary[0]["disagreements"]] == [LEFT]


def test_an_account_outside_the_organization_is_refused(run_cli, review, tmp_path):
    before = review.read_bytes()
    path = tmp_path / "mixed.json"
    path.write_text(json.dumps([_finding(1, LEFT), _finding(2, OUTSIDER)]))
    result = run_cli("import", review, "--asff", path)
    assert result.code == 2 and OUTSIDER in result.err and "outside the organization" in result.err
    assert "Traceback" not in result.err
    assert review.read_bytes() == before


def test_a_single_account_review_still_refuses_several_accounts(run_cli, tmp_path):
    single = tmp_path / "single.toml"
    store.save(_member(LEFT, Status.PASS), single)
    before = single.read_bytes()
    path = tmp_path / "two.json"
    path.write_text(json.dumps([_finding(1, LEFT), _finding(2, RIGHT)]))
    result = run_cli("import", single, "--asff", path)
    assert result.code == 2 and "2 accounts" in result.err
    assert single.read_bytes() == before


def test_security_hub_reads_the_organizations_aggregated_findings(run_cli, review, monkeypatch):
    for key in ("AWS_PROFILE", "AWS_ENDPOINT_URL"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with mock_aws():
        hub = boto3.client("securityhub", region_name="us-east-1")
        hub.enable_security_hub()
        # The administrator's Security Hub holds its members' findings, and one of a
        # member invited by hand that is not in the organization.
        hub.batch_import_findings(
            Findings=[_finding(1, LEFT), _finding(2, RIGHT), _finding(3, OUTSIDER)]
        )
        result = run_cli("import", review, "--security-hub", "--region", "us-east-1")
    assert result.code == 0, result.err
    assert "Left out 1 findings of accounts outside the organization" in result.err
    kept = store.load(review).imports["security-hub"]
    assert kept.accounts() == [LEFT, RIGHT]
    placed = _placed(review)
    assert placed[LEFT].agreement is Agreement.DISAGREES
    assert placed[RIGHT].agreement is Agreement.CORROBORATES


def test_security_hub_refuses_credentials_outside_the_organization(run_cli, review, monkeypatch):
    for key in ("AWS_PROFILE", "AWS_ENDPOINT_URL"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    loaded = store.load(review)
    assert loaded.organization is not None
    del loaded.organization.accounts[MANAGEMENT]
    loaded.organization.management_account = LEFT
    store.save(loaded, review)
    before = review.read_bytes()
    with mock_aws():
        result = run_cli("import", review, "--security-hub", "--region", "us-east-1")
    assert result.code == 2 and "not in the organization" in result.err
    assert review.read_bytes() == before


def test_get_findings_for_the_organization_asks_for_every_account_once():
    client = boto3.client(
        "securityhub", region_name="eu-west-1", aws_access_key_id="x", aws_secret_access_key="x"
    )
    every = {"Filters": security_hub_findings.filters(None), "MaxResults": 100}
    assert "AwsAccountId" not in every["Filters"]
    with Stubber(client) as stub:
        # The aggregation region returns the linked region's finding as well.
        stub.add_response("get_findings", {"Findings": [_finding(1, LEFT)]}, every)
        stub.add_response(
            "get_findings", {"Findings": [_finding(1, LEFT), _finding(2, RIGHT)]}, every
        )
        found = security_hub_findings.fetch(
            lambda region: client, None, ["eu-west-1", "eu-central-1"]
        ).findings
        stub.assert_no_pending_responses()
    assert [f["AwsAccountId"] for f in found] == [LEFT, RIGHT]


# --- several files: Prowler writes one per account -------------------------------------------


def prowler_file(tmp_path: Path, account: str, status: str) -> Path:
    """One Prowler run (one account) judging the shared-name bucket by FSBP S3.8."""
    event = json.loads(PROWLER_FIXTURE.read_text())[0]
    event["cloud"]["account"]["uid"] = account
    event["status_code"] = status
    event["resources"][0].update(uid=BUCKET, region="us-east-1")
    event["unmapped"]["compliance"] = {"AWS-Foundational-Security-Best-Practices": ["S3.8"]}
    path = tmp_path / f"prowler-{account}.ocsf.json"
    path.write_text(json.dumps([event]))
    return path


def test_an_organizations_prowler_files_import_together(run_cli, review, tmp_path):
    left = prowler_file(tmp_path, LEFT, "FAIL")
    right = prowler_file(tmp_path, RIGHT, "FAIL")
    result = run_cli("import", review, "--prowler", left, right)
    assert result.code == 0, result.err
    assert "Imported 2 prowler findings of 2 accounts" in result.out
    kept = store.load(review).imports["prowler"]
    assert kept.accounts() == [LEFT, RIGHT] and kept.account_id == ""
    assert kept.origin == f"{left.name}, {right.name}"
    placed = _placed(review)
    assert placed[LEFT].agreement is Agreement.DISAGREES
    assert placed[RIGHT].agreement is Agreement.CORROBORATES


def test_one_accounts_findings_in_two_files_are_refused(run_cli, review, tmp_path):
    left = prowler_file(tmp_path, LEFT, "FAIL")
    again = tmp_path / "again.ocsf.json"
    again.write_bytes(left.read_bytes())
    before = review.read_bytes()
    result = run_cli("import", review, "--prowler", left, again)
    assert result.code == 2 and f"both hold findings of account {LEFT}" in result.err
    assert review.read_bytes() == before
