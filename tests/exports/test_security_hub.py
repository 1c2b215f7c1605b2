"""import --asff FILE and --security-hub: Security Hub's control findings (ASFF) in.
The live read is GetFindings only, filtered to the assessment's account and active
records; moto serves the findings, botocore's Stubber checks the request and the
refusal when Security Hub is off."""

from __future__ import annotations

import json

import boto3
import pytest
from botocore.stub import Stubber
from moto import mock_aws

from srm_tui import store
from srm_tui.aws import security_hub_findings
from srm_tui.errors import SrmError
from srm_tui.imports import asff, combine
from srm_tui.imports.combine import Agreement
from srm_tui.model import (
    Assessment,
    CheckRecord,
    Finding,
    Responsibility,
    Scope,
    Severity,
    Status,
)

ACCOUNT = "123456789012"
BUCKET = "arn:aws:s3:::demo-public-assets"


def asff_finding(
    number: int, control: str | None, status: str | None, resource: str, **extra: object
) -> dict:
    """A finding as Security Hub writes it (consolidated control findings)."""
    finding: dict = {
        "SchemaVersion": "2018-10-08",
        "Id": f"arn:aws:securityhub:us-east-1:{ACCOUNT}:security-control/{control}/finding/{number}",
        "ProductArn": "arn:aws:securityhub:us-east-1::product/aws/securityhub",
        "GeneratorId": f"security-control/{control}" if control else "guardduty",
        "AwsAccountId": ACCOUNT,
        "Types": ["Software and Configuration Checks/Industry and Regulatory Standards"],
        "CreatedAt": "2026-11-30T10:00:00.000Z",
        "UpdatedAt": "2026-12-01T10:00:00.000Z",
        "Severity": {"Label": "HIGH", "Normalized": 70},
        "Title": f"Control {control}",
        "Description": "Checks the resource.",
        "Resources": [
            {"Type": "AwsS3Bucket", "Id": resource, "Partition": "aws", "Region": "us-east-1"}
        ],
        "RecordState": "ACTIVE",
        "Workflow": {"Status": "NEW"},
        "Region": "us-east-1",
    }
    if status is not None:
        finding["Compliance"] = {
            "Status": status,
            "SecurityControlId": control,
            "AssociatedStandards": [
                {"StandardsId": "standards/aws-foundational-security-best-practices/v/1.0.0"}
            ],
        }
    finding.update(extra)
    return finding


FINDINGS = [
    asff_finding(1, "S3.8", "FAILED", BUCKET),  # srm-tui says pass: a disagreement
    asff_finding(2, "S3.5", "PASSED", BUCKET),  # no srm-tui check cites S3.5 here: counts
    asff_finding(3, None, None, BUCKET),  # a threat detection: skipped
    asff_finding(4, "S3.1", "FAILED", BUCKET, RecordState="ARCHIVED"),  # archived: skipped
]


def own() -> Assessment:
    record = CheckRecord(
        "s3.public_access_block",
        "Block public access",
        "s3",
        Severity.HIGH,
        Responsibility.CUSTOMER,
        {"aws-fsbp": ("S3.8",)},
    )
    return Assessment(
        name="With Security Hub",
        scope=Scope(account_id=ACCOUNT, regions=("us-east-1",)),
        checks={record.id: record},
        findings=[Finding(record.id, "global", BUCKET, Status.PASS)],
    )


def test_an_asff_file_imports_control_findings_only(run_cli, tmp_path):
    review = tmp_path / "review.toml"
    store.save(own(), review)
    path = tmp_path / "findings.json"
    path.write_text(json.dumps({"Findings": FINDINGS}))
    result = run_cli("import", review, "--asff", path)
    assert result.code == 0, result.err
    assert "2 security-hub findings" in result.out and "(2 without a verdict skipped)" in result.out
    placed = {p.finding.check: p for p in combine.place(store.load(review))}
    assert placed["S3.8"].agreement is Agreement.DISAGREES and placed["S3.8"].own is Status.PASS
    assert placed["S3.5"].agreement is Agreement.COUNTS
    assert "disagrees: security-hub S3.8 says fail" in result.out


def test_a_foreign_or_broken_asff_file_is_refused(run_cli, tmp_path):
    review = tmp_path / "review.toml"
    store.save(own(), review)
    before = review.read_bytes()
    path = tmp_path / "findings.json"
    path.write_text(
        json.dumps([asff_finding(1, "S3.8", "FAILED", BUCKET, AwsAccountId="444455556666")])
    )
    result = run_cli("import", review, "--asff", path)
    assert result.code == 2 and "444455556666" in result.err
    path.write_text(json.dumps([asff_finding(1, "S3.8", "BROKEN", BUCKET)]))
    result = run_cli("import", review, "--asff", path)
    assert result.code == 2 and "unknown Compliance.Status" in result.err
    path.write_text(json.dumps([{**asff_finding(1, "S3.8", "FAILED", BUCKET), "Resources": "x"}]))
    result = run_cli("import", review, "--asff", path)
    assert result.code == 2 and "'Resources' must be a list" in result.err
    assert review.read_bytes() == before


def scanned_review(tmp_path, monkeypatch):
    """The own assessment saved as review.toml, and credentials for the emulator only."""
    for key in ("AWS_PROFILE", "AWS_ENDPOINT_URL"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    review = tmp_path / "review.toml"
    store.save(own(), review)
    return review


def test_security_hub_is_read_for_the_assessments_account(run_cli, tmp_path, monkeypatch):
    review = scanned_review(tmp_path, monkeypatch)
    with mock_aws():
        hub = boto3.client("securityhub", region_name="us-east-1")
        hub.enable_security_hub()
        hub.batch_import_findings(Findings=FINDINGS[:3])
        result = run_cli("import", review, "--security-hub", "--region", "us-east-1")
    assert result.code == 0, result.err
    kept = store.load(review).imports["security-hub"]
    assert kept.origin == "GetFindings us-east-1"
    assert sorted(f.check for f in kept.findings) == ["S3.5", "S3.8"]


def test_get_findings_asks_for_active_findings_of_the_account_only():
    client = boto3.client(
        "securityhub", region_name="eu-west-1", aws_access_key_id="x", aws_secret_access_key="x"
    )
    with Stubber(client) as stub:
        stub.add_response(
            "get_findings",
            {"Findings": [asff_finding(1, "S3.8", "FAILED", BUCKET)], "NextToken": "n1"},
            {"Filters": security_hub_findings.filters(ACCOUNT), "MaxResults": 100},
        )
        stub.add_response(
            "get_findings",
            {"Findings": [asff_finding(2, "S3.5", "PASSED", BUCKET)]},
            {
                "Filters": security_hub_findings.filters(ACCOUNT),
                "MaxResults": 100,
                "NextToken": "n1",
            },
        )
        found = security_hub_findings.fetch(lambda region: client, ACCOUNT, ["eu-west-1"]).findings
        stub.assert_no_pending_responses()
    assert [f["Compliance"]["SecurityControlId"] for f in found] == ["S3.8", "S3.5"]
    made = asff.from_findings(found, "Security Hub", "GetFindings eu-west-1")
    assert made.account_id == ACCOUNT and len(made.findings) == 2
    filters = security_hub_findings.filters(ACCOUNT)
    assert filters["AwsAccountId"] == [{"Value": ACCOUNT, "Comparison": "EQUALS"}]
    assert filters["RecordState"] == [{"Value": "ACTIVE", "Comparison": "EQUALS"}]


def test_security_hub_off_in_a_region_is_one_sentence():
    client = boto3.client(
        "securityhub", region_name="eu-west-1", aws_access_key_id="x", aws_secret_access_key="x"
    )
    with Stubber(client) as stub:
        stub.add_client_error(
            "get_findings",
            service_error_code="InvalidAccessException",
            service_message=f"Account {ACCOUNT} is not subscribed to AWS Security Hub",
            http_status_code=401,
        )
        with pytest.raises(SrmError, match="not enabled in eu-west-1"):
            security_hub_findings.fetch(lambda region: client, ACCOUNT, ["eu-west-1"])
    with Stubber(client) as stub:
        stub.add_client_error(
            "get_findings", service_error_code="AccessDeniedException", http_status_code=403
        )
        with pytest.raises(SrmError, match="access denied to securityhub:GetFindings"):
            security_hub_findings.fetch(lambda region: client, ACCOUNT, ["eu-west-1"])


def _hub(region: str) -> object:
    return boto3.client(
        "securityhub", region_name=region, aws_access_key_id="x", aws_secret_access_key="x"
    )


def _refused(stub: Stubber, code: str) -> None:
    """GetFindings refused as Security Hub refuses it: not subscribed (401), denied (403)."""
    if code == "InvalidAccessException":
        message, status = f"Account {ACCOUNT} is not subscribed to AWS Security Hub", 401
    else:
        message = (
            f"User: arn:aws:iam::{ACCOUNT}:user/auditor is not authorized to perform: "
            "securityhub:GetFindings"
        )
        status = 403
    stub.add_client_error(
        "get_findings", service_error_code=code, service_message=message, http_status_code=status
    )


def test_regions_without_security_hub_or_denied_are_skipped_and_the_others_read():
    clients = {r: _hub(r) for r in ("us-east-1", "eu-west-1", "eu-central-1")}
    stubs = {r: Stubber(c) for r, c in clients.items()}
    stubs["us-east-1"].add_response("get_findings", {"Findings": FINDINGS[:2]})
    _refused(stubs["eu-west-1"], "InvalidAccessException")
    _refused(stubs["eu-central-1"], "AccessDeniedException")
    for stub in stubs.values():
        stub.activate()
    fetched = security_hub_findings.fetch(
        clients.__getitem__, ACCOUNT, ["eu-west-1", "us-east-1", "eu-central-1"]
    )
    for stub in stubs.values():
        stub.assert_no_pending_responses()
    assert [f["Id"] for f in fetched.findings] == [f["Id"] for f in FINDINGS[:2]]
    assert fetched.regions == ("us-east-1",)
    off, denied = fetched.skipped
    assert "eu-west-1" in off and "not enabled" in off and "denied" not in off
    assert "eu-central-1" in denied and "denied" in denied and "not enabled" not in denied
    assert "securityhub:GetFindings" in denied


def test_no_region_with_security_hub_is_an_error_naming_each():
    clients = {r: _hub(r) for r in ("eu-west-1", "eu-central-1")}
    with Stubber(clients["eu-west-1"]) as west, Stubber(clients["eu-central-1"]) as central:
        _refused(west, "InvalidAccessException")
        _refused(central, "AccessDeniedException")
        with pytest.raises(SrmError) as raised:
            security_hub_findings.fetch(clients.__getitem__, ACCOUNT, list(clients))
    message = str(raised.value)
    assert "not enabled in eu-west-1" in message
    assert "access denied to securityhub:GetFindings in eu-central-1" in message
    assert "nothing was imported" in message


def test_another_failure_in_one_region_still_stops_the_import():
    # Only "not enabled" and "denied" say the region has nothing to give; a throttled
    # or failing region might hold findings, so the import stops rather than lose them.
    clients = {r: _hub(r) for r in ("us-east-1", "eu-west-1")}
    with Stubber(clients["us-east-1"]) as east, Stubber(clients["eu-west-1"]) as west:
        east.add_response("get_findings", {"Findings": FINDINGS[:1]})
        west.add_client_error(
            "get_findings", service_error_code="InternalException", http_status_code=500
        )
        with pytest.raises(SrmError, match="eu-west-1"):
            security_hub_findings.fetch(clients.__getitem__, ACCOUNT, list(clients))


def test_the_import_skips_a_region_without_security_hub_with_a_sentence(run_cli, tmp_path):
    # Over HTTP: the emulator holds the findings in us-east-1, and a proxy answers for
    # Security Hub as it does where it is not enabled (eu-west-1) and denied (eu-central-1).
    from srm_tui.demo import demo_account
    from tests.faults.proxy import DENY, NOT_SUBSCRIBED, Rule, fault_proxy

    review = tmp_path / "review.toml"
    store.save(own(), review)
    with (
        demo_account(seed=False, organization=False) as demo,
        fault_proxy(demo.endpoint_url) as proxy,
    ):
        hub = boto3.client("securityhub", region_name="us-east-1", endpoint_url=demo.endpoint_url)
        # The emulator answers GetFindings with or without enabling: the proxy is what
        # tells the regions apart, as Security Hub does.
        hub.batch_import_findings(Findings=FINDINGS[:3])
        hub_only = frozenset({"securityhub"})
        proxy.reset(
            Rule(NOT_SUBSCRIBED, services=hub_only, regions=frozenset({"eu-west-1"})),
            Rule(DENY, services=hub_only, regions=frozenset({"eu-central-1"})),
        )
        regions = ("--region", "eu-west-1", "--region", "us-east-1", "--region", "eu-central-1")
        result = run_cli("import", review, "--security-hub", "--endpoint-url", proxy.url, *regions)
        assert result.code == 0, result.err
        lines = result.err.splitlines()
        assert [x for x in lines if "eu-west-1" in x] == [
            "Security Hub: not enabled in eu-west-1 for this account; skipped that region."
        ]
        [denied] = [x for x in lines if "eu-central-1" in x]
        assert "denied" in denied and "not enabled" not in denied
        kept = store.load(review).imports["security-hub"]
        assert kept.origin == "GetFindings us-east-1"
        assert sorted(f.check for f in kept.findings) == ["S3.5", "S3.8"]

        # No region to read: exit 1, one sentence, the earlier import kept as it was.
        before = review.read_bytes()
        proxy.reset(Rule(NOT_SUBSCRIBED, services=hub_only))
        result = run_cli("import", review, "--security-hub", "--endpoint-url", proxy.url, *regions)
    assert result.code == 1 and "Traceback" not in result.err
    assert "could not be read in any region asked" in result.err
    assert all(f"not enabled in {r}" in result.err for r in regions[1::2])
    assert review.read_bytes() == before


def test_the_read_only_policy_allows_get_findings_for_the_import(run_cli):
    policy = json.loads(run_cli("policy").out)
    actions = {a for s in policy["Statement"] for a in s["Action"]}
    assert "securityhub:GetFindings" in actions


def test_all_regions_reads_every_enabled_region(run_cli, tmp_path, monkeypatch):
    review = scanned_review(tmp_path, monkeypatch)
    # A region the assessment does not name: only --all-regions finds its findings.
    tokyo = asff_finding(5, "S3.9", "FAILED", BUCKET, Region="ap-northeast-1")
    with mock_aws():
        for region, found in (("us-east-1", FINDINGS[:2]), ("ap-northeast-1", [tokyo])):
            hub = boto3.client("securityhub", region_name=region)
            hub.enable_security_hub()
            hub.batch_import_findings(Findings=found)
        both = run_cli("import", review, "--security-hub", "--all-regions", "--region", "us-east-1")
        result = run_cli("import", review, "--security-hub", "--all-regions")
    assert both.code == 2 and "either --region or --all-regions" in both.err
    assert result.code == 0, result.err
    kept = store.load(review).imports["security-hub"]
    assert "ap-northeast-1" in kept.origin and "us-east-1" in kept.origin
    assert sorted(f.check for f in kept.findings) == ["S3.5", "S3.8", "S3.9"]
