"""Organizations the other tests do not build: accounts AWS reports by their newer
``State``, accounts that leave or move between two runs of a round."""

from __future__ import annotations

import datetime as dt

from botocore.stub import Stubber

from srm_tui.aws.ledger import Ledger
from srm_tui.aws.organization import read_organization
from srm_tui.aws.session import AwsSession, Identity
from srm_tui.model import AccountState, Organization
from srm_tui.organization.selection import AccountFilter, merge_listing, plan_round

REGION = "us-east-1"
ORG = "o-exampleorg1"
MANAGEMENT = "012345678901"  # a leading zero, as real account ids may have
ROOT = "r-ab12"
CALLER = Identity(MANAGEMENT, f"arn:aws:iam::{MANAGEMENT}:user/auditor", "aws")
WHEN = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)


def _account(account_id: str, name: str, **status: str) -> dict:
    """An ``Account`` as ListAccountsForParent answers it; ``status`` gives State
    and/or the retired Status."""
    return {"Id": account_id, "Arn": f"arn:aws:organizations::{MANAGEMENT}:account/{ORG}/{account_id}",
            "Email": f"{name}@example.com", "Name": name, "JoinedMethod": "CREATED",
            "JoinedTimestamp": dt.datetime(2026, 1, 1, tzinfo=dt.UTC), **status}  # fmt: skip


def _listed(accounts: list[dict]):
    session = AwsSession(None, "http://127.0.0.1:9", Ledger())
    stub = Stubber(session.client("organizations", REGION))
    stub.add_response("describe_organization", {"Organization": {
        "Id": ORG, "Arn": f"arn:aws:organizations::{MANAGEMENT}:organization/{ORG}",
        "FeatureSet": "ALL", "MasterAccountId": MANAGEMENT,
        "MasterAccountArn": f"arn:aws:organizations::{MANAGEMENT}:account/{ORG}/{MANAGEMENT}",
        "MasterAccountEmail": "root@example.com"}})  # fmt: skip
    stub.add_response("list_roots", {"Roots": [{"Id": ROOT, "Name": "Root", "PolicyTypes": [],
                      "Arn": f"arn:aws:organizations::{MANAGEMENT}:root/{ORG}/{ROOT}"}]})  # fmt: skip
    stub.add_response("list_accounts_for_parent", {"Accounts": accounts}, {"ParentId": ROOT})
    stub.add_response(
        "list_organizational_units_for_parent", {"OrganizationalUnits": []}, {"ParentId": ROOT}
    )
    stub.activate()
    listing = read_organization(session, REGION, CALLER)
    stub.assert_no_pending_responses()
    return listing


def test_the_account_state_is_trusted_over_the_retired_status() -> None:
    # AWS retired Status for State: where both are given, State says what the account
    # is; a closed account is CLOSED, one whose sign-up is not finished is not scanned.
    listing = _listed([
        _account(MANAGEMENT, "management", Status="ACTIVE", State="ACTIVE"),
        _account("000000000011", "closed", Status="SUSPENDED", State="CLOSED"),
        _account("000000000012", "new", Status="ACTIVE", State="PENDING_ACTIVATION"),
        _account("000000000013", "closing", State="PENDING_CLOSURE"),
        _account("000000000014", "older answer", Status="SUSPENDED"),
    ])  # fmt: skip
    status = {a.account_id: a.status for a in listing.accounts}
    assert status == {
        MANAGEMENT: "ACTIVE",
        "000000000011": "CLOSED",
        "000000000012": "PENDING_ACTIVATION",
        "000000000013": "PENDING_CLOSURE",
        "000000000014": "SUSPENDED",
    }
    org = Organization()
    merge_listing(org, listing)
    plan = plan_round(org, AccountFilter(), rescan=False, when=WHEN)
    assert plan.to_scan == [MANAGEMENT]
    assert plan.skipped == ["000000000011", "000000000012", "000000000013", "000000000014"]
    assert org.accounts["000000000012"].state is AccountState.SKIPPED
