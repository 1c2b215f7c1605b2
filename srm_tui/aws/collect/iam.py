"""IAM and account-wide identity data: one credential report and one authorization
details listing serve most IAM checks, instead of calls per user."""

from __future__ import annotations

import csv
import io
import time
from typing import Any

from srm_tui.aws.api import Api
from srm_tui.aws.collectors import collector
from srm_tui.aws.errors import FAILED, CollectError


@collector(
    "iam.credential_report",
    service="iam",
    scope="global",
    api_calls=("iam:GenerateCredentialReport", "iam:GetCredentialReport"),
)
def credential_report(api: Api, region: str) -> list[dict[str, str]]:
    """The credential report's rows (one per user, plus ``<root_account>`` on AWS)."""
    deadline = time.monotonic() + 60
    while True:
        state = api.call("iam", region, "generate_credential_report").get("State")
        if state == "COMPLETE":
            break
        if time.monotonic() > deadline:
            raise CollectError(FAILED, "the IAM credential report was not ready within a minute")
        time.sleep(1)  # AWS builds the report asynchronously, usually within seconds
    content = api.call("iam", region, "get_credential_report")["Content"]
    text = content.decode("utf-8") if isinstance(content, bytes) else str(content)
    return [dict(row) for row in csv.DictReader(io.StringIO(text))]


@collector(
    "iam.authorization_details",
    service="iam",
    scope="global",
    api_calls=("iam:GetAccountAuthorizationDetails",),
)
def authorization_details(api: Api, region: str) -> dict[str, list[dict[str, Any]]]:
    """Users, groups, roles and customer-managed policies with their documents."""
    client = api.client("iam", region)
    result: dict[str, list[dict[str, Any]]] = {
        "users": [],
        "groups": [],
        "roles": [],
        "policies": [],
    }
    paginator = client.get_paginator("get_account_authorization_details")
    # AWS-managed policies are left out: over a thousand documents nobody here needs.
    for page in paginator.paginate(Filter=["User", "Role", "Group", "LocalManagedPolicy"]):
        result["users"].extend(page.get("UserDetailList", []))
        result["groups"].extend(page.get("GroupDetailList", []))
        result["roles"].extend(page.get("RoleDetailList", []))
        result["policies"].extend(page.get("Policies", []))
    return result


@collector(
    "iam.password_policy",
    service="iam",
    scope="global",
    api_calls=("iam:GetAccountPasswordPolicy",),
)
def password_policy(api: Api, region: str) -> dict[str, Any] | None:
    """The account password policy, or None when none is set."""
    answer = api.call("iam", region, "get_account_password_policy", missing=("NoSuchEntity",))
    return None if answer is None else answer["PasswordPolicy"]


@collector(
    "iam.account_summary", service="iam", scope="global", api_calls=("iam:GetAccountSummary",)
)
def account_summary(api: Api, region: str) -> dict[str, int]:
    """IAM's account summary map (root MFA and root access keys among others)."""
    return dict(api.call("iam", region, "get_account_summary")["SummaryMap"])


@collector(
    "iam.virtual_mfa_devices",
    service="iam",
    scope="global",
    api_calls=("iam:ListVirtualMFADevices",),
)
def virtual_mfa_devices(api: Api, region: str) -> list[dict[str, Any]]:
    """Assigned virtual MFA devices (the root user's shows whether its MFA is virtual)."""
    return api.pages(
        "iam", region, "list_virtual_mfa_devices", "VirtualMFADevices", AssignmentStatus="Assigned"
    )


@collector(
    "iam.server_certificates",
    service="iam",
    scope="global",
    api_calls=("iam:ListServerCertificates",),
)
def server_certificates(api: Api, region: str) -> list[dict[str, Any]]:
    """Server certificates stored in IAM (metadata only)."""
    return api.pages("iam", region, "list_server_certificates", "ServerCertificateMetadataList")


# Answers that mean "no organization" or "this account cannot read the organization's
# root access features" (a member account, or the feature's service access is off).
_NO_ORGANIZATION = ("AWSOrganizationsNotInUseException",)
_FEATURES_UNREADABLE = (
    "AccountNotManagementOrDelegatedAdministratorException",
    "OrganizationNotFoundException",
    "OrganizationNotInAllFeaturesModeException",
    "ServiceAccessNotEnabledException",
)


@collector(
    "iam.root_access",
    service="organizations",
    scope="global",
    api_calls=("organizations:DescribeOrganization", "iam:ListOrganizationsFeatures"),
)
def root_access(api: Api, region: str) -> dict[str, Any]:
    """Whether the account is a member of an organization (not its management account),
    and the organization's centralized root access features where this account may read
    them (``features`` None when it may not, as in most member accounts)."""
    found = api.call("organizations", region, "describe_organization", missing=_NO_ORGANIZATION)
    if found is None:
        return {"member": False, "management_account": "", "features": None}
    management = str((found.get("Organization") or {}).get("MasterAccountId", ""))
    member = bool(management) and management != api.account_id
    features = None
    if member:
        answer = api.call(
            "iam", region, "list_organizations_features", missing=_FEATURES_UNREADABLE
        )
        features = None if answer is None else list(answer.get("EnabledFeatures") or [])
    return {"member": member, "management_account": management, "features": features}
