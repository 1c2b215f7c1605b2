"""Reading identity-based policies: which policies a control looks at, and what one
statement allows.

Used by the IAM checks (full administrative access, service wildcards) and the KMS
checks of IAM policies (decryption on all keys). AWS's controls read the Action and
Resource elements only and leave conditions aside; so does this module.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from fnmatch import fnmatchcase
from typing import Any

from srm_tui.checks._common import as_list, statements
from srm_tui.checks.context import Context
from srm_tui.model import Finding


def default_document(policy: dict[str, Any]) -> Any:
    """The document of a customer managed policy's default version (None if absent)."""
    for version in policy.get("PolicyVersionList") or []:
        if version.get("IsDefaultVersion"):
            return version.get("Document")
    return None


def is_boundary(policy: dict[str, Any]) -> bool:
    """True when the policy is used as a permissions boundary somewhere."""
    return int(policy.get("PermissionsBoundaryUsageCount") or 0) > 0


def customer_policies(
    details: dict[str, Any], exclude_boundaries: bool
) -> Iterator[tuple[dict[str, Any], str | None]]:
    """Each customer managed policy with, when it is left out, why (else None)."""
    for policy in details.get("policies") or []:
        if exclude_boundaries and is_boundary(policy):
            yield policy, "used as a permissions boundary, which the control leaves out"
        else:
            yield policy, None


def judge_customer_policies(
    ctx: Context, judge: Callable[[Any], str], passed: str
) -> Iterator[Finding]:
    """One finding per customer managed policy, from ``judge`` over its default
    document ("" passes with the detail ``passed``, else the reason it fails). Policies used as permissions
    boundaries are not applicable where the check's exclude_permission_boundary_policy
    parameter says so."""
    details = ctx.data("iam.authorization_details")
    exclude = bool(ctx.param("exclude_permission_boundary_policy"))
    for policy, skipped in customer_policies(details, exclude):
        arn = policy.get("Arn", policy.get("PolicyName", ""))
        if skipped:
            yield ctx.na(arn, skipped)
        elif problem := judge(default_document(policy)):
            count = int(policy.get("AttachmentCount") or 0)
            yield ctx.fail(arn, f"{problem}; attached to {count} identities")
        else:
            yield ctx.ok(arn, passed)
    if not details.get("policies"):
        yield ctx.na(ctx.account_arn("iam"), "the account has no customer-managed policies")


_INLINE = (("users", "UserPolicyList"), ("groups", "GroupPolicyList"), ("roles", "RolePolicyList"))


def inline_policies(details: dict[str, Any]) -> Iterator[tuple[dict[str, Any], list[Any]]]:
    """Each user, group and role with the documents of its inline policies."""
    for kind, key in _INLINE:
        for identity in details.get(kind) or []:
            documents = [
                (p.get("PolicyName", ""), p.get("PolicyDocument")) for p in identity.get(key) or []
            ]
            yield identity, documents


def _matches(patterns: Iterable[Any], value: str) -> bool:
    return any(fnmatchcase(value.lower(), str(p).lower()) for p in patterns)


def allows_action(statement: dict[str, Any], action: str) -> bool:
    """True when an Allow statement's Action (or NotAction) takes in ``action``."""
    if statement.get("Effect") != "Allow":
        return False
    if "NotAction" in statement:
        return not _matches(as_list(statement.get("NotAction")), action)
    return _matches(as_list(statement.get("Action")), action)


def on_any_resource(statement: dict[str, Any], probe: str) -> bool:
    """True when the statement's resources take in ``probe``, an ARN of no real account
    or region: the statement reaches arbitrary resources of that kind, in any account."""
    if "NotResource" in statement:
        return not _matches(as_list(statement.get("NotResource")), probe)
    return _matches(as_list(statement.get("Resource")), probe)


def allow_statements(document: Any) -> list[dict[str, Any]]:
    """The Allow statements of a document (a dict, or JSON text)."""
    return [s for s in statements(document) if s.get("Effect") == "Allow"]


def service_wildcards(statement: dict[str, Any]) -> list[str]:
    """The actions of an Allow statement that grant a whole service (``"s3:*"``) or
    everything (``"*"``); a prefix with a wildcard (``"ec2:Describe*"``) is not one."""
    if statement.get("Effect") != "Allow":
        return []
    found = []
    for action in as_list(statement.get("Action")):
        text = str(action)
        if text == "*" or (text.endswith(":*") and text.count(":") == 1):
            found.append(text)
    return found
