"""Who may list the organization, and what happens when a member role cannot be
assumed: real response shapes through botocore's Stubber where the emulator allows
everything."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import boto3
import pytest
from botocore.stub import Stubber

from srm_tui import store
from srm_tui.aws.ledger import Ledger
from srm_tui.aws.organization import read_organization
from srm_tui.aws.session import AwsSession, Identity
from srm_tui.errors import SrmError
from srm_tui.model import AccountState, Status
from srm_tui.organization import files
from srm_tui.organization.executor import LocalExecutor
from srm_tui.organization.runner import OrgScanOptions, _task, scan_organization
from srm_tui.scan import AccountTask, ScanOptions, scan_account
from tests.org.conftest import CHECKS, MANAGEMENT, REGION

ORG = "o-exampleorg1"
MEMBER = "111122223333"
CALLER = Identity(MEMBER, f"arn:aws:iam::{MEMBER}:user/auditor", "aws")


def _sts_denying(account_id: str) -> object:
    sts = boto3.client("sts", region_name=REGION, aws_access_key_id="x", aws_secret_access_key="x")
    stub = Stubber(sts)
    stub.add_client_error(
        "assume_role",
        service_error_code="AccessDenied",
        service_message=(
            f"User: arn:aws:iam::{MANAGEMENT}:user/auditor is not authorized to perform: "
            f"sts:AssumeRole on resource: arn:aws:iam::{account_id}:role/OrganizationAccountAccessRole"
        ),
        http_status_code=403,
    )
    stub.activate()
    return sts


def test_a_denied_assume_role_is_an_account_level_error_and_the_others_go_on(org, tmp_path):
    denied = org.id("development")

    def scan_with_stub(task, on_progress, cancel):
        sts = _sts_denying(task.account_id) if task.account_id == denied else None
        return scan_account(task, on_progress, cancel, sts=sts)

    options = OrgScanOptions(
        scan=ScanOptions(
            regions=(REGION,), endpoint_url=org.endpoint_url, checks=tuple(CHECKS.split(","))
        ),
        parallel=2,
    )
    path = tmp_path / "denied.toml"
    with store.open_assessment(path) as opened, LocalExecutor(2, function=scan_with_stub) as pool:
        outcome = scan_organization(opened, options, executor=pool)
    assert outcome.failed == [denied]
    assert sorted(outcome.scanned) == sorted([MANAGEMENT, org.id("production"), org.id("sandbox")])
    review = store.load(path)
    account = review.organization.accounts[denied]
    assert account.state is AccountState.FAILED
    assert "AccessDenied" in account.error and f"arn:aws:iam::{denied}:role/" in account.error
    found = files.load_account(path, denied)
    # One error per check, never a pass or a fail.
    assert {f.status for f in found.findings} == {Status.ERROR}
    assert sorted(f.check for f in found.findings) == sorted(CHECKS.split(","))
    assert all(f.resource.endswith(f":{denied}:account") for f in found.findings)
    assert review.scan.status.value == "partial"
    assert any(denied in e for e in review.scan.errors)
    # The next plain run of the round does not retry it; naming it does.
    with store.open_assessment(path) as opened:
        from srm_tui.organization.selection import AccountFilter

        retry = scan_organization(
            opened, OrgScanOptions(scan=options.scan, selection=AccountFilter(accounts=(denied,)))
        )
    assert retry.scanned == [denied]
    assert store.load(path).organization.accounts[denied].state is AccountState.DONE
    assert {f.status for f in files.load_account(path, denied).findings} != {Status.ERROR}


def test_a_role_answer_without_credentials_is_refused():
    sts = boto3.client("sts", region_name=REGION, aws_access_key_id="x", aws_secret_access_key="x")
    stub = Stubber(sts)
    stub.add_response(
        "assume_role",
        {
            "AssumedRoleUser": {
                "AssumedRoleId": "AROAEXAMPLE:srm",
                "Arn": f"arn:aws:sts::{MEMBER}:assumed-role/Audit/srm",
            }
        },
    )
    stub.activate()
    task = AccountTask(account_id=MEMBER, role_name="Audit", regions=(REGION,),
                       endpoint_url="http://127.0.0.1:9", checks=("iam.root_mfa",))  # fmt: skip
    result = scan_account(task, sts=sts)
    assert result.error and "answered without credentials" in result.error
    assert [f.status for f in result.findings] == [Status.ERROR]


def test_the_external_id_is_sent_and_never_recorded(org):
    sts = boto3.client("sts", region_name=REGION, aws_access_key_id="x", aws_secret_access_key="x")
    stub = Stubber(sts)
    arn = f"arn:aws:iam::{MEMBER}:role/Audit"
    stub.add_client_error(
        "assume_role",
        service_error_code="AccessDenied",
        service_message="not authorized",
        http_status_code=403,
        expected_params={
            "RoleArn": arn,
            "RoleSessionName": "srm-tui-review",
            "DurationSeconds": 3600,
            "ExternalId": "shared-secret-77",
        },
    )
    stub.activate()
    ledger = Ledger()
    task = AccountTask(account_id=MEMBER, role_name="Audit", external_id="shared-secret-77",
                       regions=(REGION,), endpoint_url=org.endpoint_url,
                       checks=("iam.root_mfa",))  # fmt: skip
    result = scan_account(task, ledger=ledger, sts=sts)
    stub.assert_no_pending_responses()
    assert result.error.startswith(f"could not assume {arn}: AccessDenied")
    assert "shared-secret-77" not in repr(result) and "shared-secret-77" not in repr(ledger.calls())


def _stubbed_session(org_answer: dict | None, roots_error: str | None) -> AwsSession:
    session = AwsSession(None, "http://127.0.0.1:9", Ledger())
    client = session.client("organizations", REGION)
    stub = Stubber(client)
    if org_answer is None:
        stub.add_client_error(
            "describe_organization",
            service_error_code="AWSOrganizationsNotInUseException",
            service_message="Your account is not a member of an organization.",
            http_status_code=400,
        )
    else:
        stub.add_response("describe_organization", {"Organization": org_answer})
    if roots_error:
        stub.add_client_error(
            "list_roots",
            service_error_code=roots_error,
            service_message="You don't have permissions to access this resource.",
            http_status_code=400,
        )
    stub.activate()
    return session


ORGANIZATION = {
    "Id": ORG,
    "Arn": f"arn:aws:organizations::{MANAGEMENT}:organization/{ORG}",
    "FeatureSet": "ALL",
    "MasterAccountArn": f"arn:aws:organizations::{MANAGEMENT}:account/{ORG}/{MANAGEMENT}",
    "MasterAccountId": MANAGEMENT,
    "MasterAccountEmail": "root@example.com",
}


def test_a_member_that_is_not_a_delegated_administrator_is_told_so_in_one_sentence():
    session = _stubbed_session(ORGANIZATION, "AccessDeniedException")
    with pytest.raises(SrmError) as caught:
        read_organization(session, REGION, CALLER)
    message = str(caught.value)
    assert message.startswith(f"Account {MEMBER} is a member of organization {ORG}")
    assert f"management account ({MANAGEMENT})" in message and "delegated administrator" in message
    assert message.count(". ") == 0 and "\n" not in message


def test_an_account_outside_any_organization_is_told_so():
    session = _stubbed_session(None, None)
    with pytest.raises(SrmError, match=f"Account {MEMBER} is not in an AWS Organization"):
        read_organization(session, REGION, CALLER)


def test_the_management_account_without_permission_is_told_which():
    caller = Identity(MANAGEMENT, f"arn:aws:iam::{MANAGEMENT}:role/Audit", "aws")
    session = _stubbed_session(ORGANIZATION, "AccessDeniedException")
    with pytest.raises(SrmError, match=r"organizations:List\* and organizations:Describe\*"):
        read_organization(session, REGION, caller)


def test_a_hostile_listing_is_read_safely():
    session = AwsSession(None, "http://127.0.0.1:9", Ledger())
    client = session.client("organizations", REGION)
    stub = Stubber(client)
    stub.add_response("describe_organization", {"Organization": ORGANIZATION})
    root = {"Id": "r-ab12", "Arn": f"arn:aws:organizations::{MANAGEMENT}:root/{ORG}/r-ab12",
            "Name": "Root", "PolicyTypes": []}  # fmt: skip
    stub.add_response("list_roots", {"Roots": [root]})

    def account(account_id: str, name: str, status: str = "ACTIVE") -> dict:
        return {"Id": account_id, "Arn": f"arn:aws:organizations::{MANAGEMENT}:account/{ORG}/x",
                "Email": "a@example.com", "Name": name, "Status": status,
                "JoinedMethod": "CREATED",
                "JoinedTimestamp": dt.datetime(2026, 1, 1, tzinfo=dt.UTC)}  # fmt: skip

    stub.add_response(
        "list_accounts_for_parent",
        {
            "Accounts": [
                account("../../etc/passwd", "escape"),
                account(MEMBER, "evil\x1b[2Jname\u202e"),
                account("12345678901\u0663", "unicode digit"),
            ]
        },
        {"ParentId": "r-ab12"},
    )
    ou = "ou-ab12-abcdefgh"
    stub.add_response(
        "list_organizational_units_for_parent",
        {
            "OrganizationalUnits": [
                {"Id": ou, "Arn": "arn:x", "Name": "Child"},
                {"Id": "../ou", "Arn": "arn:x", "Name": "bad"},
            ]
        },
        {"ParentId": "r-ab12"},
    )
    stub.add_response("list_accounts_for_parent", {"Accounts": []}, {"ParentId": ou})
    # An answer that loops back to the root: walked once, not forever.
    stub.add_response(
        "list_organizational_units_for_parent",
        {"OrganizationalUnits": [{"Id": "r-ab12", "Arn": "arn:x", "Name": "Root again"}]},
        {"ParentId": ou},
    )
    stub.activate()
    listing = read_organization(session, REGION, CALLER)
    stub.assert_no_pending_responses()
    assert [a.account_id for a in listing.accounts] == [MEMBER]
    (member,) = listing.accounts
    assert "\x1b" not in member.name and "\u202e" not in member.name
    assert member.ou_path == ("r-ab12",) and member.ou_names == ("Root",)
    assert listing.management_account == MANAGEMENT and listing.id == ORG
    assert listing.api_calls == 0  # stubbed: nothing reached AWS


def test_the_callers_own_account_uses_its_credentials_every_other_the_role():
    options = OrgScanOptions(role_name="Audit", external_id="xid-1")
    mine = _task(options, MEMBER, MEMBER, "aws")
    other = _task(options, MANAGEMENT, MEMBER, "aws")  # a delegated administrator's view
    assert (mine.role_name, mine.external_id) == ("", "")
    assert (other.role_name, other.external_id, other.account_id) == ("Audit", "xid-1", MANAGEMENT)


@pytest.mark.parametrize("spared", [frozenset({"sts"}), frozenset({"sts", "s3"})])
def test_a_member_role_denied_every_read_is_an_account_that_was_not_scanned(org, spared):
    # The role can be assumed, but its policy lets it read nothing (or, second case,
    # S3 only): the first is an account-level error, the second a partial scan.
    from tests.faults.proxy import DENY, Rule, fault_proxy

    member = org.id("production")
    task = AccountTask(account_id=member, role_name="OrganizationAccountAccessRole",
                       regions=(REGION,), checks=tuple(CHECKS.split(",")))  # fmt: skip
    with fault_proxy(org.endpoint_url) as proxy:
        proxy.reset(Rule(DENY, spare=spared))
        result = scan_account(replace(task, endpoint_url=proxy.url))
        assert proxy.injected[DENY] > 0
    if spared == {"sts"}:
        assert "AWS denied every read" in result.error
        assert f"arn:aws:sts::{member}:assumed-role/OrganizationAccountAccessRole" in result.error
        assert result.scan.status.value == "failed"
        assert {f.status for f in result.findings} == {Status.ERROR}
        assert sorted(f.check for f in result.findings) == sorted(CHECKS.split(","))
    else:
        assert result.error == ""
        assert result.scan.status.value == "partial"
        assert Status.ERROR in {f.status for f in result.findings}
        assert {f.status for f in result.findings if f.check.startswith("s3.")} - {Status.ERROR}
