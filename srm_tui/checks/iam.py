"""IAM checks: the root user, the password policy, users' credentials and policies."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any

from srm_tui.checks._common import allows_everything, days_since, parse_date, statements
from srm_tui.checks.context import Context, check
from srm_tui.checks.iam_policy import (
    default_document,
    judge_customer_policies,
    service_wildcards,
)
from srm_tui.model import Finding

ROOT_ROW = "<root_account>"
SUPPORT_POLICY = "AWSSupportAccess"
CLOUDSHELL_POLICY = "AWSCloudShellFullAccess"


def _root_arn(ctx: Context) -> str:
    return f"arn:{ctx.partition}:iam::{ctx.account_id}:root"


def _users(report: list[dict[str, str]]) -> Iterator[dict[str, str]]:
    return (row for row in report if row.get("user") != ROOT_ROW)


def _true(value: Any) -> bool:
    return str(value).lower() == "true"


@check("iam.root_access_keys", needs=("iam.account_summary",))
def root_access_keys(ctx: Context) -> Iterable[Finding]:
    summary = ctx.data("iam.account_summary")
    if summary.get("AccountAccessKeysPresent", 0):
        yield ctx.fail(_root_arn(ctx), "the root user has an access key")
    else:
        yield ctx.ok(_root_arn(ctx), "the root user has no access key")


_ROOT_CREDENTIALS = (
    "password_enabled", "access_key_1_active", "access_key_2_active", "cert_1_active",
    "cert_2_active", "mfa_active",
)  # fmt: skip


def root_without_credentials(ctx: Context) -> str | None:
    """Why root MFA does not apply, or None when it does.

    CIS v7.0: in a member account whose root credentials centralized root access
    removed, MFA for the root user is neither possible nor necessary. A member account
    (the organization's management account is another) whose credential report shows a
    root user without password, access key, signing certificate or MFA device is taken
    as such. Where this account may read the organization's root access features and
    RootCredentialsManagement is off, the root email could still recover a password, so
    the check stays applicable. The management account and standalone accounts always
    keep their root credentials: applicable."""
    access = ctx.data("iam.root_access") or {}
    if not access.get("member"):
        return None
    features = access.get("features")
    if features is not None and "RootCredentialsManagement" not in features:
        return None
    row = next((r for r in ctx.data("iam.credential_report") if r.get("user") == ROOT_ROW), None)
    if row is None or any(_true(row.get(key)) for key in _ROOT_CREDENTIALS):
        return None
    where = access.get("management_account") or "another account"
    return (
        f"member account (management account {where}) whose root user has no password, "
        "access key, certificate or MFA device: centralized root access removed them, "
        "so root MFA is neither possible nor necessary"
    )


_ROOT_NEEDS = ("iam.account_summary", "iam.credential_report", "iam.root_access")


@check("iam.root_mfa", needs=_ROOT_NEEDS)
def root_mfa(ctx: Context) -> Iterable[Finding]:
    if ctx.data("iam.account_summary").get("AccountMFAEnabled", 0):
        yield ctx.ok(_root_arn(ctx), "MFA is enabled for the root user")
    elif why := root_without_credentials(ctx):
        yield ctx.na(_root_arn(ctx), why)
    else:
        yield ctx.fail(_root_arn(ctx), "the root user has no MFA device")


def _roots_device(device: dict[str, Any]) -> bool:
    """True when a virtual MFA device is the root user's: its User is the root ARN.
    The serial name "root-account-mfa-device" (what the console once gave root's device,
    and what the CIS audit greps for) decides only when the answer names no user: an IAM
    user may name its own device so."""
    user = device.get("User")
    if isinstance(user, dict) and user.get("Arn"):
        return str(user["Arn"]).endswith(":root")
    return str(device.get("SerialNumber", "")).endswith("/root-account-mfa-device")


@check("iam.root_hardware_mfa", needs=(*_ROOT_NEEDS, "iam.virtual_mfa_devices"))
def root_hardware_mfa(ctx: Context) -> Iterable[Finding]:
    if not ctx.data("iam.account_summary").get("AccountMFAEnabled", 0):
        if why := root_without_credentials(ctx):
            yield ctx.na(_root_arn(ctx), why)
        else:
            yield ctx.fail(_root_arn(ctx), "the root user has no MFA device at all")
        return
    virtual = [d for d in ctx.data("iam.virtual_mfa_devices") if _roots_device(d)]
    if virtual:
        yield ctx.fail(_root_arn(ctx), "the root user's MFA is a virtual device")
    else:
        yield ctx.ok(_root_arn(ctx), "the root user's MFA is a hardware device")


@check("iam.root_recent_use", needs=("iam.credential_report",))
def root_recent_use(ctx: Context) -> Iterable[Finding]:
    row = next((r for r in ctx.data("iam.credential_report") if r.get("user") == ROOT_ROW), None)
    if row is None:
        yield ctx.error(_root_arn(ctx), "the credential report has no row for the root user")
        return
    used = [
        (label, days)
        for label, key in (
            ("password", "password_last_used"),
            ("access key 1", "access_key_1_last_used_date"),
            ("access key 2", "access_key_2_last_used_date"),
        )
        if (days := days_since(row.get(key))) is not None and days < 90
    ]
    if used:
        label, days = min(used, key=lambda u: u[1])
        yield ctx.fail(_root_arn(ctx), f"the root user's {label} was used {days} days ago")
    else:
        yield ctx.ok(_root_arn(ctx), "the root user was not used in the last 90 days")


def _password_policy_check(ctx: Context, key: str, minimum: int, what: str) -> Iterable[Finding]:
    policy = ctx.data("iam.password_policy")
    resource = ctx.account_arn("iam")
    if policy is None:
        yield ctx.fail(resource, "the account has no password policy")
        return
    value = int(policy.get(key) or 0)
    if value >= minimum:
        yield ctx.ok(resource, f"{what} is {value}")
    else:
        yield ctx.fail(resource, f"{what} is {value or 'not set'}; at least {minimum} is needed")


@check("iam.password_min_length", needs=("iam.password_policy",))
def password_min_length(ctx: Context) -> Iterable[Finding]:
    return _password_policy_check(ctx, "MinimumPasswordLength", 14, "the minimum password length")


@check("iam.password_reuse", needs=("iam.password_policy",))
def password_reuse(ctx: Context) -> Iterable[Finding]:
    return _password_policy_check(
        ctx, "PasswordReusePrevention", 24, "the number of remembered passwords"
    )


_STRONG = (
    ("require_uppercase", "RequireUppercaseCharacters", "an uppercase letter"),
    ("require_lowercase", "RequireLowercaseCharacters", "a lowercase letter"),
    ("require_symbols", "RequireSymbols", "a symbol"),
    ("require_numbers", "RequireNumbers", "a number"),
)


@check("iam.password_policy_strong", needs=("iam.password_policy",))
def password_policy_strong(ctx: Context) -> Iterable[Finding]:
    policy = ctx.data("iam.password_policy")
    resource = ctx.account_arn("iam")
    if policy is None:
        yield ctx.fail(resource, "the account has no password policy")
        return
    problems = [
        f"does not require {what}"
        for name, key, what in _STRONG
        if ctx.param(name) and not policy.get(key)
    ]
    length = int(policy.get("MinimumPasswordLength") or 0)
    if length < int(ctx.param("minimum_password_length")):
        problems.append(f"minimum length {length} < {ctx.param('minimum_password_length')}")
    reuse = int(ctx.param("password_reuse_prevention"))
    if reuse and int(policy.get("PasswordReusePrevention") or 0) < reuse:
        problems.append(f"remembers fewer than {reuse} passwords")
    max_age = int(ctx.param("max_password_age"))
    age = int(policy.get("MaxPasswordAge") or 0)
    if max_age and not 0 < age <= max_age:
        problems.append(f"passwords do not expire within {max_age} days")
    if problems:
        yield ctx.fail(resource, "; ".join(problems))
    else:
        yield ctx.ok(resource, "the password policy meets every required setting")


@check("iam.user_mfa", needs=("iam.credential_report",))
def user_mfa(ctx: Context) -> Iterable[Finding]:
    any_console = False
    for row in _users(ctx.data("iam.credential_report")):
        if not _true(row.get("password_enabled")):
            continue
        any_console = True
        if _true(row.get("mfa_active")):
            yield ctx.ok(row["arn"], "console password with MFA")
        else:
            yield ctx.fail(row["arn"], "console password without MFA")
    if not any_console:
        yield ctx.na(ctx.account_arn("iam"), "no IAM user has a console password")


def _stale(row: dict[str, str], used_key: str, since_key: str, limit: int) -> int | None:
    """Days unused when a credential has not been used for ``limit`` days or more."""
    used = days_since(row.get(used_key))
    if used is not None:
        return used if used >= limit else None
    since = days_since(row.get(since_key))
    return since if since is not None and since >= limit else None


def _unused(ctx: Context, limit: int) -> Iterable[Finding]:
    seen = False
    for row in _users(ctx.data("iam.credential_report")):
        problems = []
        if _true(row.get("password_enabled")):
            days = _stale(row, "password_last_used", "password_last_changed", limit)
            if days is not None:
                problems.append(f"password unused for {days} days")
        for n in ("1", "2"):
            if _true(row.get(f"access_key_{n}_active")):
                days = _stale(
                    row, f"access_key_{n}_last_used_date", f"access_key_{n}_last_rotated", limit
                )
                if days is not None:
                    problems.append(f"access key {n} unused for {days} days")
        has_credentials = _true(row.get("password_enabled")) or any(
            _true(row.get(f"access_key_{n}_active")) for n in "12"
        )
        if not has_credentials:
            continue
        seen = True
        if problems:
            yield ctx.fail(row["arn"], "; ".join(problems))
        else:
            yield ctx.ok(row["arn"], f"every credential was used in the last {limit} days")
    if not seen:
        yield ctx.na(ctx.account_arn("iam"), "no IAM user has a password or an active key")


@check("iam.unused_credentials", needs=("iam.credential_report",))
def unused_credentials(ctx: Context) -> Iterable[Finding]:
    return _unused(ctx, 45)  # CIS 2.11: 45 days, no parameter


@check("iam.unused_user_credentials", needs=("iam.credential_report",))
def unused_user_credentials(ctx: Context) -> Iterable[Finding]:
    return _unused(ctx, int(ctx.param("max_credential_usage_age")))


@check("iam.access_key_rotation", needs=("iam.credential_report",))
def access_key_rotation(ctx: Context) -> Iterable[Finding]:
    seen = False
    for row in _users(ctx.data("iam.credential_report")):
        ages = {
            n: days_since(row.get(f"access_key_{n}_last_rotated"))
            for n in "12"
            if _true(row.get(f"access_key_{n}_active"))
        }
        if not ages:
            continue
        seen = True
        old = [f"access key {n} is {age} days old" for n, age in ages.items() if (age or 0) > 90]
        if old:
            yield ctx.fail(row["arn"], "; ".join(old))
        else:
            yield ctx.ok(row["arn"], "active keys are younger than 90 days")
    if not seen:
        yield ctx.na(ctx.account_arn("iam"), "no IAM user has an active access key")


@check("iam.user_direct_policies", needs=("iam.authorization_details",))
def user_direct_policies(ctx: Context) -> Iterable[Finding]:
    users = ctx.data("iam.authorization_details")["users"]
    for user in users:
        attached = [p.get("PolicyName", "") for p in user.get("AttachedManagedPolicies", [])]
        inline = [p.get("PolicyName", "") for p in user.get("UserPolicyList", [])]
        if attached or inline:
            names = ", ".join(sorted(attached + inline))
            yield ctx.fail(user["Arn"], f"policies on the user itself: {names}")
        else:
            yield ctx.ok(user["Arn"], "no policy on the user itself")
    if not users:
        yield ctx.na(ctx.account_arn("iam"), "the account has no IAM users")


@check("iam.admin_policies", needs=("iam.authorization_details",))
def admin_policies(ctx: Context) -> Iterable[Finding]:
    policies = ctx.data("iam.authorization_details")["policies"]
    for policy in policies:
        arn = policy.get("Arn", policy.get("PolicyName", ""))
        count = int(policy.get("AttachmentCount") or 0)
        if not any(allows_everything(s) for s in statements(default_document(policy))):
            yield ctx.ok(arn, 'does not allow "*:*"')
        elif count:
            yield ctx.fail(arn, f'allows "*:*"; attached to {count} identities')
        else:
            # CIS 2.14 is about attached policies; FSBP IAM.1 judges this one.
            yield ctx.na(arn, 'allows "*:*" but is attached to no identity')
    if not policies:
        yield ctx.na(ctx.account_arn("iam"), "the account has no customer-managed policies")


@check("iam.full_admin_policies", needs=("iam.authorization_details",))
def full_admin_policies(ctx: Context) -> Iterable[Finding]:
    return judge_customer_policies(
        ctx,
        lambda doc: 'allows "*" on "*"' if any(allows_everything(s) for s in statements(doc))
        else "",
        'no statement allows "*" on "*"',
    )  # fmt: skip


@check("iam.service_wildcard_policies", needs=("iam.authorization_details",))
def service_wildcard_policies(ctx: Context) -> Iterable[Finding]:
    def judge(document: Any) -> str:
        found = sorted({a for s in statements(document) for a in service_wildcards(s)})
        return "allows every action of a service: " + ", ".join(found) if found else ""

    return judge_customer_policies(ctx, judge, "no statement allows every action of a service")


def _aws_policy_arn(ctx: Context, name: str) -> str:
    """The ARN of an AWS managed policy; a customer policy may reuse its name."""
    return f"arn:{ctx.partition}:iam::aws:policy/{name}"


def _holders(
    details: dict[str, list[dict[str, Any]]],
    policy_arn: str,
    kinds: tuple[str, ...] = ("users", "groups", "roles"),
) -> list[str]:
    """The identities of ``kinds`` that have the managed policy ``policy_arn`` attached."""
    found = []
    for kind in kinds:
        for item in details[kind]:
            if any(
                p.get("PolicyArn") == policy_arn for p in item.get("AttachedManagedPolicies", [])
            ):
                found.append(item["Arn"])
    return found


@check("iam.support_role", needs=("iam.authorization_details",))
def support_role(ctx: Context) -> Iterable[Finding]:
    # CIS 2.15 asks for a role (its audit reads PolicyRoles of the AWS managed policy,
    # as Security Hub IAM.18 does with policyUsageType ROLE): a user or group holding it
    # is not a support role.
    arn = _aws_policy_arn(ctx, SUPPORT_POLICY)
    holders = _holders(ctx.data("iam.authorization_details"), arn, ("roles",))
    if holders:
        yield ctx.ok(ctx.account_arn("iam"), f"{SUPPORT_POLICY} is attached to {holders[0]}")
    else:
        yield ctx.fail(ctx.account_arn("iam"), f"no role has the AWS managed {SUPPORT_POLICY}")


@check("iam.instance_roles", needs=("ec2.instances",))
def instance_roles(ctx: Context) -> Iterable[Finding]:
    items = ctx.data("ec2.instances")
    for inst in items:
        arn = ctx.arn("ec2", f"instance/{inst['InstanceId']}")
        profile = inst.get("IamInstanceProfile", {}).get("Arn")
        if profile:
            yield ctx.ok(arn, f"instance profile {profile.rsplit('/', 1)[-1]}")
        else:
            yield ctx.fail(arn, "no instance profile (IAM role)")
    if not items:
        yield ctx.na(ctx.account_arn("ec2"), "no EC2 instances in this region")


@check("iam.expired_certificates", needs=("iam.server_certificates",))
def expired_certificates(ctx: Context) -> Iterable[Finding]:
    certs = ctx.data("iam.server_certificates")
    now = datetime.now(UTC)
    for cert in certs:
        arn = cert.get("Arn", cert.get("ServerCertificateName", ""))
        expires = parse_date(cert.get("Expiration"))
        if expires is not None and expires < now:
            yield ctx.fail(arn, f"expired on {expires.date().isoformat()}")
        else:
            when = expires.date().isoformat() if expires else "an unknown date"
            yield ctx.ok(arn, f"valid until {when}")
    if not certs:
        yield ctx.na(ctx.account_arn("iam"), "no server certificates are stored in IAM")


@check("iam.cloudshell_full_access", needs=("iam.authorization_details",))
def cloudshell_full_access(ctx: Context) -> Iterable[Finding]:
    arn = _aws_policy_arn(ctx, CLOUDSHELL_POLICY)
    holders = _holders(ctx.data("iam.authorization_details"), arn)
    for holder in holders:
        yield ctx.fail(holder, f"{CLOUDSHELL_POLICY} is attached")
    if not holders:
        yield ctx.ok(ctx.account_arn("iam"), f"no identity has {CLOUDSHELL_POLICY}")
