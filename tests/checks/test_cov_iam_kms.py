"""IAM and KMS controls: root MFA where centralized root access removed a member's root
credentials, the FSBP password, unused-credential and policy controls apart from the CIS
items, KMS keys scheduled for deletion and policies that decrypt with any key."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from botocore.stub import Stubber

from srm_tui.aws.actions import iam_action
from srm_tui.aws.session import AwsSession
from srm_tui.model import Status
from tests.checks.engine_helpers import ACCOUNT, NOWHERE, REGION, by_resource, collect, run

P, F, NA = Status.PASS, Status.FAIL, Status.NOT_APPLICABLE
ROOT = f"arn:aws:iam::{ACCOUNT}:root"
NOW = datetime.now(UTC)


def days_ago(n: int) -> str:
    return (NOW - timedelta(days=n)).isoformat()


def root_row(**values: str) -> dict[str, str]:
    row = {
        "user": "<root_account>",
        "arn": ROOT,
        "password_enabled": "not_supported",
        "mfa_active": "false",
        "access_key_1_active": "false",
        "access_key_2_active": "false",
        "cert_1_active": "false",
        "cert_2_active": "false",
    }
    row.update(values)
    return row


def user(name: str, **values: str) -> dict[str, str]:
    row = {"user": name, "arn": f"arn:aws:iam::{ACCOUNT}:user/{name}"}
    row.update({"password_enabled": "false", "access_key_1_active": "false",
                "access_key_2_active": "false"})  # fmt: skip
    row.update(values)
    return row


MEMBER = {"member": True, "management_account": "999999999999", "features": None}


def root_data(access: dict, row: dict | None, mfa: int = 0) -> dict:
    return {
        "iam.account_summary": {"AccountMFAEnabled": mfa},
        "iam.credential_report": [row] if row else [],
        "iam.root_access": access,
        "iam.virtual_mfa_devices": [],
    }


# --- root MFA and centralized root access -------------------------------------------


@pytest.mark.parametrize("check_id", ["iam.root_mfa", "iam.root_hardware_mfa"])
def test_root_mfa_does_not_apply_to_a_member_without_root_credentials(check_id):
    (found,) = run(check_id, root_data(MEMBER, root_row()))
    assert found.status is NA and "999999999999" in found.detail
    # Where the account may read the features and root credential management is on: too.
    enabled = {**MEMBER, "features": ["RootCredentialsManagement", "RootSessions"]}
    assert run(check_id, root_data(enabled, root_row()))[0].status is NA


@pytest.mark.parametrize("check_id", ["iam.root_mfa", "iam.root_hardware_mfa"])
def test_root_mfa_still_applies_where_root_keeps_a_credential_or_the_feature_is_off(check_id):
    with_password = root_row(password_enabled="true")
    assert run(check_id, root_data(MEMBER, with_password))[0].status is F
    off = {**MEMBER, "features": ["RootSessions"]}
    assert run(check_id, root_data(off, root_row()))[0].status is F
    # The management account (or a standalone one) always keeps its root user.
    management = {"member": False, "management_account": ACCOUNT, "features": None}
    assert run(check_id, root_data(management, root_row()))[0].status is F
    # No root row (an emulator): could be anything, so the check stays applicable.
    assert run(check_id, root_data(MEMBER, None))[0].status is F
    assert run("iam.root_mfa", root_data(MEMBER, with_password, mfa=1))[0].status is P


def _stubbed(*services: str) -> tuple[AwsSession, list[Stubber]]:
    session = AwsSession(endpoint_url=NOWHERE)
    return session, [Stubber(session.client(s, REGION)) for s in services]


def _organization(management: str) -> dict:
    return {
        "Organization": {
            "Id": "o-a1b2c3d4e5",
            "Arn": f"arn:aws:organizations::{management}:organization/o-a1b2c3d4e5",
            "FeatureSet": "ALL",
            "MasterAccountArn": f"arn:aws:organizations::{management}:account/o-a1b2c3d4e5/{management}",
            "MasterAccountId": management,
            "MasterAccountEmail": "aws-management@example.com",
        }
    }


def test_root_access_collector_reads_membership_and_features():
    session, (org, iam) = _stubbed("organizations", "iam")
    org.add_response("describe_organization", _organization("999999999999"), {})
    iam.add_client_error(
        "list_organizations_features",
        "AccountNotManagementOrDelegatedAdministratorException",
        "The request failed because the account is not the management account.",
    )
    with org, iam:
        found = collect("iam.root_access", session=session)
    assert found == {"member": True, "management_account": "999999999999", "features": None}

    session, (org, iam) = _stubbed("organizations", "iam")
    org.add_response("describe_organization", _organization("999999999999"), {})
    iam.add_response(
        "list_organizations_features",
        {"OrganizationId": "o-a1b2c3d4e5", "EnabledFeatures": ["RootCredentialsManagement"]},
        {},
    )
    with org, iam:
        assert collect("iam.root_access", session=session)["features"] == [
            "RootCredentialsManagement"
        ]

    # The management account itself never asks for the features: it stays applicable.
    session, (org,) = _stubbed("organizations")
    org.add_response("describe_organization", _organization(ACCOUNT), {})
    with org:
        assert collect("iam.root_access", session=session)["member"] is False

    session, (org,) = _stubbed("organizations")
    org.add_client_error(
        "describe_organization", "AWSOrganizationsNotInUseException", "not in an organization"
    )
    with org:
        assert collect("iam.root_access", session=session) == {
            "member": False, "management_account": "", "features": None
        }  # fmt: skip


# --- password policy (IAM.7) and unused credentials (IAM.8) --------------------------

STRONG = {
    "MinimumPasswordLength": 8, "RequireUppercaseCharacters": True,
    "RequireLowercaseCharacters": True, "RequireSymbols": True, "RequireNumbers": True,
}  # fmt: skip


def test_password_policy_strong_uses_security_hub_defaults_and_scope_values():
    data = {"iam.password_policy": STRONG}
    assert run("iam.password_policy_strong", data)[0].status is P
    weak = {**STRONG, "RequireSymbols": False, "MinimumPasswordLength": 6}
    (found,) = run("iam.password_policy_strong", {"iam.password_policy": weak})
    assert found.status is F and "symbol" in found.detail and "6 < 8" in found.detail
    assert run("iam.password_policy_strong", {"iam.password_policy": None})[0].status is F
    # Reuse and expiry are not required unless the scope asks for them.
    asked = {"password_reuse_prevention": 12, "max_password_age": 90}
    (found,) = run("iam.password_policy_strong", data, parameters=asked)
    assert found.status is F and "12" in found.detail and "90" in found.detail
    kept = {**STRONG, "PasswordReusePrevention": 24, "MaxPasswordAge": 60}
    assert run("iam.password_policy_strong", {"iam.password_policy": kept},
               parameters=asked)[0].status is P  # fmt: skip


def test_unused_user_credentials_waits_ninety_days_where_cis_waits_forty_five():
    report = [
        user("sixty", password_enabled="true", password_last_used=days_ago(60)),
        user("hundred", access_key_1_active="true", access_key_1_last_used_date=days_ago(100)),
        user("never", password_enabled="true", password_last_changed=days_ago(120)),
    ]
    data = {"iam.credential_report": report}
    fsbp = {
        f.resource.rsplit("/", 1)[-1]: f.status for f in run("iam.unused_user_credentials", data)
    }
    cis = {f.resource.rsplit("/", 1)[-1]: f.status for f in run("iam.unused_credentials", data)}
    assert fsbp == {"sixty": P, "hundred": F, "never": F}
    assert cis == {"sixty": F, "hundred": F, "never": F}
    shorter = run("iam.unused_user_credentials", data, parameters={"max_credential_usage_age": 30})
    assert {f.status for f in shorter} == {F}


# --- customer managed policies (IAM.1, IAM.21; CIS 2.14) -----------------------------


def policy(name: str, *statements: dict, attached: int = 1, boundary: int = 0) -> dict:
    return {
        "PolicyName": name,
        "Arn": f"arn:aws:iam::{ACCOUNT}:policy/{name}",
        "AttachmentCount": attached,
        "PermissionsBoundaryUsageCount": boundary,
        "PolicyVersionList": [
            {"IsDefaultVersion": True,
             "Document": json.dumps({"Version": "2012-10-17", "Statement": list(statements)})}
        ],
    }  # fmt: skip


def details(*policies: dict, **identities: list) -> dict:
    return {"iam.authorization_details": {
        "users": identities.get("users", []), "groups": identities.get("groups", []),
        "roles": identities.get("roles", []), "policies": list(policies),
    }}  # fmt: skip


ADMIN = {"Effect": "Allow", "Action": "*", "Resource": "*"}
S3_ALL = {"Effect": "Allow", "Action": ["s3:*", "ec2:Describe*"], "Resource": "*"}
NARROW = {"Effect": "Allow", "Action": "ec2:Describe*", "Resource": "*"}


def short(findings) -> dict[str, Status]:
    return {r.rsplit("/", 1)[-1]: s for r, s in by_resource(findings).items()}


def test_full_admin_policies_judge_unattached_ones_and_leave_boundaries_out():
    data = details(
        policy("admin-spare", ADMIN, attached=0),
        policy("admin-boundary", ADMIN, attached=0, boundary=3),
        policy("reader", NARROW),
    )
    assert short(run("iam.full_admin_policies", data)) == {
        "admin-spare": F, "admin-boundary": NA, "reader": P,
    }  # fmt: skip
    judged = run("iam.full_admin_policies", data,
                 parameters={"exclude_permission_boundary_policy": False})  # fmt: skip
    assert short(judged)["admin-boundary"] is F
    # CIS 2.14 is about attached policies only.
    assert short(run("iam.admin_policies", data))["admin-spare"] is NA
    assert short(run("iam.admin_policies", details(policy("admin", ADMIN))))["admin"] is F


def test_service_wildcard_policies_fail_service_star_but_not_prefixes():
    data = details(policy("s3-all", S3_ALL), policy("describe", NARROW), policy("admin", ADMIN))
    found = run("iam.service_wildcard_policies", data)
    assert short(found) == {"s3-all": F, "describe": P, "admin": F}
    assert "s3:*" in next(f for f in found if f.resource.endswith("s3-all")).detail


# --- KMS ------------------------------------------------------------------------------


def key(ident: str, manager: str = "CUSTOMER", state: str = "Enabled") -> dict:
    return {
        "id": ident, "arn": f"arn:aws:kms:{REGION}:{ACCOUNT}:key/{ident}", "manager": manager,
        "state": state, "spec": "SYMMETRIC_DEFAULT", "origin": "AWS_KMS", "rotation": True,
        "policy": None,
    }  # fmt: skip


def test_keys_scheduled_for_deletion_fail():
    keys = [key("live"), key("going", state="PendingDeletion"), key("aws", manager="AWS")]
    assert short(run("kms.scheduled_deletion", {"kms.keys": keys})) == {"live": P, "going": F}


ORDERS_KEY = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/1234abcd-orders"


def decrypt(resource, action="kms:Decrypt", **extra) -> dict:
    return {"Effect": "Allow", "Action": action, "Resource": resource, **extra}


def test_managed_policies_that_decrypt_with_any_key_fail_whatever_their_condition():
    data = details(
        policy("any-key", decrypt("*", Condition={"StringEquals": {"kms:ViaService": "s3"}})),
        policy("any-account", decrypt("arn:aws:kms:*:*:key/*", action="kms:ReEncrypt*")),
        policy("named-key", decrypt(ORDERS_KEY, action="kms:*")),
        policy("not-action", {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}),
        policy("encrypt-only", decrypt("*", action="kms:Encrypt")),
    )
    found = run("kms.decrypt_all_keys_managed_policies", data)
    assert short(found) == {
        "any-key": F, "any-account": F, "named-key": P, "not-action": F, "encrypt-only": P,
    }  # fmt: skip
    assert "kms:ReEncryptFrom" in next(f for f in found if "any-account" in f.resource).detail
    only_decrypt = run("kms.decrypt_all_keys_managed_policies", data,
                       parameters={"blocked_actions": ["kms:Decrypt"]})  # fmt: skip
    assert short(only_decrypt)["any-account"] is P


def test_inline_policies_that_decrypt_with_any_key_fail():
    role = {
        "Arn": f"arn:aws:iam::{ACCOUNT}:role/batch",
        # Authorization details hold inline documents as parsed JSON.
        "RolePolicyList": [{"PolicyName": "read", "PolicyDocument": {"Statement": [decrypt("*")]}}],
    }
    good = {
        "Arn": f"arn:aws:iam::{ACCOUNT}:user/app",
        "UserPolicyList": [
            {
                "PolicyName": "read",
                "PolicyDocument": json.dumps({"Statement": [decrypt(ORDERS_KEY)]}),
            }
        ],
    }
    bare = {"Arn": f"arn:aws:iam::{ACCOUNT}:group/none", "GroupPolicyList": []}  # fmt: skip
    found = run("kms.decrypt_all_keys_inline_policies", details(roles=[role], users=[good],
                                                                groups=[bare]))  # fmt: skip
    assert short(found) == {"batch": F, "app": P}
    assert "read allows kms:Decrypt" in next(f for f in found if f.status is F).detail
    assert [f.status for f in run("kms.decrypt_all_keys_inline_policies", details())] == [NA]


def test_directory_bucket_calls_need_s3express_actions():
    assert iam_action("s3", "ListDirectoryBuckets") == "s3express:ListAllMyDirectoryBuckets"
    on_directory = json.dumps({"Bucket": "logs--use1-az4--x-s3"})
    assert (iam_action("s3", "GetBucketLifecycleConfiguration", on_directory)
            == "s3express:GetLifecycleConfiguration")  # fmt: skip
    general = json.dumps({"Bucket": "logs"})
    assert iam_action("s3", "GetBucketLifecycleConfiguration", general) == (
        "s3:GetLifecycleConfiguration"
    )
