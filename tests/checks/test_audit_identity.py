"""Identity checks (IAM, account, Access Analyzer, KMS, Secrets Manager, Macie, Systems
Manager) on the edge cases where a control's published definition decides the verdict:
each test builds the case and asserts the verdict the control gives."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import boto3
import pytest
from moto import mock_aws

from srm_tui.model import Status
from tests.checks.engine_helpers import (
    ACCOUNT,
    REGION,
    by_resource,
    collect,
    run,
    statuses,
    stubbed,
)

P, F, E, NA = Status.PASS, Status.FAIL, Status.ERROR, Status.NOT_APPLICABLE
AWS_SUPPORT = "arn:aws:iam::aws:policy/AWSSupportAccess"
AWS_CLOUDSHELL = "arn:aws:iam::aws:policy/AWSCloudShellFullAccess"
WHEN = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)


def details(**parts: list[dict]) -> dict[str, list[dict]]:
    """An ``iam.authorization_details`` result with only the given parts."""
    base: dict[str, list[dict]] = {"users": [], "groups": [], "roles": [], "policies": []}
    base.update(parts)
    return base


def holder(kind: str, name: str, *policy_arns: str) -> dict:
    """A user, group or role with the managed policies ``policy_arns`` attached."""
    return {
        "Arn": f"arn:aws:iam::{ACCOUNT}:{kind}/{name}",
        "AttachedManagedPolicies": [
            {"PolicyName": a.rsplit("/", 1)[-1], "PolicyArn": a} for a in policy_arns
        ],
    }


def test_support_role_needs_a_role_with_the_aws_managed_policy() -> None:
    # CIS 2.15 reads the roles AWSSupportAccess is attached to: a user or group with it,
    # or a role with a customer policy that merely has the same name, is no support role.
    own = f"arn:aws:iam::{ACCOUNT}:policy/AWSSupportAccess"
    user_only = details(users=[holder("user", "ops", AWS_SUPPORT)])
    group_only = details(groups=[holder("group", "ops", AWS_SUPPORT)])
    lookalike = details(roles=[holder("role", "help", own)])
    real = details(roles=[holder("role", "help", AWS_SUPPORT)])
    assert statuses(run("iam.support_role", {"iam.authorization_details": user_only})) == [F]
    assert statuses(run("iam.support_role", {"iam.authorization_details": group_only})) == [F]
    assert statuses(run("iam.support_role", {"iam.authorization_details": lookalike})) == [F]
    assert statuses(run("iam.support_role", {"iam.authorization_details": real})) == [P]


def test_cloudshell_full_access_is_the_aws_managed_policy_only() -> None:
    # CIS 2.20 lists the entities of arn:aws:iam::aws:policy/AWSCloudShellFullAccess; a
    # customer policy of the same name is another policy.
    own = f"arn:aws:iam::{ACCOUNT}:policy/AWSCloudShellFullAccess"
    data = details(
        users=[holder("user", "dev", own)], groups=[holder("group", "admins", AWS_CLOUDSHELL)]
    )
    found = by_resource(run("iam.cloudshell_full_access", {"iam.authorization_details": data}))
    assert found == {f"arn:aws:iam::{ACCOUNT}:group/admins": F}


def test_support_role_through_the_collector(monkeypatch: pytest.MonkeyPatch) -> None:
    # The emulator's own answer shapes: AWSSupportAccess on a user only, and a customer
    # policy of the same name on a role, make no support role; the AWS one on a role does.
    monkeypatch.setenv("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")
    trust = json.dumps({"Version": "2012-10-17", "Statement": []})
    allow = {"Effect": "Allow", "Action": "support:*", "Resource": "*"}
    with mock_aws():
        iam = boto3.client("iam", region_name=REGION)
        iam.create_user(UserName="ops")
        iam.attach_user_policy(UserName="ops", PolicyArn=AWS_SUPPORT)
        own = iam.create_policy(
            PolicyName="AWSSupportAccess",
            PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [allow]}),
        )["Policy"]["Arn"]
        iam.create_role(RoleName="help", AssumeRolePolicyDocument=trust)
        iam.attach_role_policy(RoleName="help", PolicyArn=own)
        before = collect("iam.authorization_details")
        iam.attach_role_policy(RoleName="help", PolicyArn=AWS_SUPPORT)
        after = collect("iam.authorization_details")
    assert statuses(run("iam.support_role", {"iam.authorization_details": before})) == [F]
    (found,) = run("iam.support_role", {"iam.authorization_details": after})
    assert found.status is P and found.detail.endswith(":role/help")


def test_root_hardware_mfa_ignores_a_users_device_named_like_roots() -> None:
    # CIS 2.6 / IAM.6 fail on a virtual device of the root user; an IAM user's own
    # virtual device, whatever its name, says nothing about root.
    base = {
        "iam.account_summary": {"AccountMFAEnabled": 1},
        "iam.credential_report": [],
        "iam.root_access": {"member": False, "management_account": "", "features": None},
    }
    users_device = {
        "SerialNumber": f"arn:aws:iam::{ACCOUNT}:mfa/root-account-mfa-device",
        "User": {"Arn": f"arn:aws:iam::{ACCOUNT}:user/alice", "UserName": "alice"},
    }
    roots_device = {
        "SerialNumber": f"arn:aws:iam::{ACCOUNT}:mfa/my-phone",
        "User": {"Arn": f"arn:aws:iam::{ACCOUNT}:root", "UserId": ACCOUNT},
    }
    mine = run("iam.root_hardware_mfa", {**base, "iam.virtual_mfa_devices": [users_device]})
    root = run("iam.root_hardware_mfa", {**base, "iam.virtual_mfa_devices": [roots_device]})
    assert statuses(mine) == [P]
    assert statuses(root) == [F]


def _macie_with_administrator(relationship: str) -> list:
    """macie.automated_discovery over a stubbed Macie whose GetAdministratorAccount names
    another account with ``relationship``; discovery is off if Macie asks about it."""
    session, stub = stubbed("macie2")
    stub.add_response(
        "get_macie_session",
        {"createdAt": WHEN, "findingPublishingFrequency": "SIX_HOURS",
         "serviceRole": f"arn:aws:iam::{ACCOUNT}:role/macie", "status": "ENABLED",
         "updatedAt": WHEN},
        {},
    )  # fmt: skip
    stub.add_response(
        "get_administrator_account",
        {"administrator": {"accountId": "999999999999", "invitationId": "inv-1",
                           "invitedAt": WHEN, "relationshipStatus": relationship}},
        {},
    )  # fmt: skip
    if relationship in ("Resigned", "Removed", "Invited"):
        stub.add_response(
            "get_automated_discovery_configuration",
            {"status": "DISABLED", "classificationScopeId": "a1b2c3d4",
             "sensitivityInspectionTemplateId": "e5f6a7b8"},
            {},
        )  # fmt: skip
    with stub:
        found = collect("macie.automated_discovery", session=session)
    stub.assert_no_pending_responses()
    return run("macie.automated_discovery", {"macie.automated_discovery": found})


@pytest.mark.parametrize("relationship", ["Resigned", "Removed", "Invited"])
def test_macie_discovery_applies_to_an_account_that_left_its_administrator(
    relationship: str,
) -> None:
    # Macie.2 is not applicable to member accounts only; an account that resigned, was
    # removed or never accepted the invitation runs Macie on its own and is judged.
    assert statuses(_macie_with_administrator(relationship)) == [F]


@pytest.mark.parametrize("relationship", ["Enabled", "Paused"])
def test_macie_discovery_not_applicable_to_a_member(relationship: str) -> None:
    assert statuses(_macie_with_administrator(relationship)) == [NA]
