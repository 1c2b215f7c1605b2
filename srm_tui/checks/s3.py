"""S3 checks: public access, TLS, encryption, versioning and logging of buckets."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from srm_tui.checks._common import as_list, statements
from srm_tui.checks.context import Context, check
from srm_tui.checks.resource_policy import public_actions
from srm_tui.collected import Unreadable
from srm_tui.model import Finding

_BPA_KEYS = ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets")
_PUBLIC_GROUPS = (
    "http://acs.amazonaws.com/groups/global/AllUsers",
    "http://acs.amazonaws.com/groups/global/AuthenticatedUsers",
)


def _each_bucket(
    ctx: Context,
    collector: str,
    judge: Callable[[Any], tuple[bool, str]],
) -> Iterable[Finding]:
    """One finding per bucket from one per-bucket setting; unreadable ones are errors."""
    buckets = ctx.data("s3.buckets")
    values = ctx.data(collector)
    for bucket in buckets:
        value = values.get(bucket["name"])
        if isinstance(value, Unreadable):
            yield ctx.error(bucket["arn"], value.reason, region=bucket["region"])
            continue
        passed, detail = judge(value)
        status = ctx.ok if passed else ctx.fail
        yield status(bucket["arn"], detail, region=bucket["region"])
    if not buckets:
        yield ctx.na(ctx.account_arn("s3"), "no buckets in the scanned regions")


@check("s3.account_public_access_block", needs=("s3.account_public_access_block",))
def account_public_access_block(ctx: Context) -> Iterable[Finding]:
    config = ctx.data("s3.account_public_access_block") or {}
    off = [k for k in _BPA_KEYS if not config.get(k)]
    if off:
        yield ctx.fail(ctx.account_arn("s3"), "not blocked: " + ", ".join(off))
    else:
        yield ctx.ok(ctx.account_arn("s3"), "all four settings are on")


def _bpa(value: Any) -> tuple[bool, str]:
    off = [k for k in _BPA_KEYS if not (value or {}).get(k)]
    return (not off, "not blocked: " + ", ".join(off) if off else "all four settings are on")


@check("s3.bucket_public_access_block", needs=("s3.buckets", "s3.bucket_public_access_blocks"))
def bucket_public_access_block(ctx: Context) -> Iterable[Finding]:
    return _each_bucket(ctx, "s3.bucket_public_access_blocks", _bpa)


def _denies_http(policy: Any) -> tuple[bool, str]:
    for stmt in statements(policy):
        actions = as_list(stmt.get("Action"))
        if stmt.get("Effect") != "Deny" or not ({"s3:*", "*"} & set(actions)):
            continue
        condition = stmt.get("Condition") or {}
        secure = {str(k).lower(): v for k, v in (condition.get("Bool") or {}).items()}
        if str(secure.get("aws:securetransport", "")).lower() == "false":
            return True, "the policy denies requests without TLS"
    if policy is None:
        return False, "no bucket policy, so plain HTTP requests are allowed"
    return False, "the policy does not deny requests without TLS (aws:SecureTransport)"


@check("s3.bucket_tls_only", needs=("s3.buckets", "s3.bucket_policies"))
def bucket_tls_only(ctx: Context) -> Iterable[Finding]:
    return _each_bucket(ctx, "s3.bucket_policies", _denies_http)


@check("s3.bucket_public_policy", needs=("s3.buckets", "s3.bucket_policies", "s3.bucket_acls"))
def bucket_public_policy(ctx: Context) -> Iterable[Finding]:
    policies = ctx.data("s3.bucket_policies")
    acls = ctx.data("s3.bucket_acls")
    buckets = ctx.data("s3.buckets")
    for bucket in buckets:
        name, arn, region = bucket["name"], bucket["arn"], bucket["region"]
        policy, grants = policies.get(name), acls.get(name)
        problems = []
        unknown = [v.reason for v in (policy, grants) if isinstance(v, Unreadable)]
        if not isinstance(policy, Unreadable):
            try:
                actions = public_actions(policy)
            except ValueError as exc:
                actions, unknown = [], [*unknown, str(exc)]
            if actions:
                problems.append("the policy allows anyone: " + ", ".join(actions))
        if isinstance(grants, list):
            for grant in grants:
                uri = grant.get("Grantee", {}).get("URI", "")
                if uri in _PUBLIC_GROUPS:
                    group = uri.rsplit("/", 1)[-1]
                    problems.append(f"the ACL grants {grant.get('Permission')} to {group}")
        if problems:
            yield ctx.fail(arn, "; ".join(problems), region=region)
        elif unknown:
            yield ctx.error(arn, "; ".join(unknown), region=region)
        else:
            yield ctx.ok(arn, "neither policy nor ACL grants public access", region=region)
    if not buckets:
        yield ctx.na(ctx.account_arn("s3"), "no buckets in the scanned regions")


@check("s3.bucket_mfa_delete", needs=("s3.buckets", "s3.bucket_versioning"))
def bucket_mfa_delete(ctx: Context) -> Iterable[Finding]:
    return _each_bucket(
        ctx,
        "s3.bucket_versioning",
        lambda v: (
            (v or {}).get("MFADelete") == "Enabled",
            "MFA Delete is " + str((v or {}).get("MFADelete", "off")).lower(),
        ),
    )


@check("s3.bucket_versioning", needs=("s3.buckets", "s3.bucket_versioning"))
def bucket_versioning(ctx: Context) -> Iterable[Finding]:
    return _each_bucket(
        ctx,
        "s3.bucket_versioning",
        lambda v: (
            (v or {}).get("Status") == "Enabled",
            "versioning is " + str((v or {}).get("Status", "never enabled")).lower(),
        ),
    )


def _encryption(rules: Any) -> tuple[bool, str]:
    for rule in rules or []:
        algo = rule.get("ApplyServerSideEncryptionByDefault", {}).get("SSEAlgorithm")
        if algo:
            return True, f"default encryption {algo}"
    return False, "no default encryption"


@check("s3.bucket_default_encryption", needs=("s3.buckets", "s3.bucket_encryption"))
def bucket_default_encryption(ctx: Context) -> Iterable[Finding]:
    return _each_bucket(ctx, "s3.bucket_encryption", _encryption)


@check("s3.bucket_access_logging", needs=("s3.buckets", "s3.bucket_logging"))
def bucket_access_logging(ctx: Context) -> Iterable[Finding]:
    return _each_bucket(
        ctx,
        "s3.bucket_logging",
        lambda v: (
            bool((v or {}).get("TargetBucket")),
            f"logs to {v['TargetBucket']}"
            if (v or {}).get("TargetBucket")
            else "access logging is off",
        ),
    )


def _data_event_coverage(trails: list[dict[str, Any]], bucket_arn: str, kind: str) -> str | None:
    """The name of a logging trail that records S3 object ``kind`` ("read"/"write")
    events for the bucket, or None."""
    wanted = {"read": ("All", "ReadOnly"), "write": ("All", "WriteOnly")}[kind]
    for trail in trails:
        selectors = trail.get("selectors")
        status = trail.get("status")
        if not isinstance(selectors, dict) or not isinstance(status, dict):
            continue
        if not status.get("IsLogging"):
            continue
        for sel in selectors.get("EventSelectors", []):
            if sel.get("ReadWriteType", "All") not in wanted:
                continue
            for resource in sel.get("DataResources", []):
                if resource.get("Type") != "AWS::S3::Object":
                    continue
                for value in resource.get("Values", []):
                    if value in ("arn:aws:s3", "arn:aws:s3:::") or value.startswith(bucket_arn):
                        return trail.get("Name", "")
        for sel in selectors.get("AdvancedEventSelectors", []):
            fields = {f.get("Field"): f for f in sel.get("FieldSelectors", [])}
            if fields.get("eventCategory", {}).get("Equals") != ["Data"]:
                continue
            if fields.get("resources.type", {}).get("Equals") != ["AWS::S3::Object"]:
                continue
            read_only = fields.get("readOnly", {}).get("Equals")
            if (read_only == ["true"] and kind == "write") or (
                read_only == ["false"] and kind == "read"
            ):
                continue
            arns = fields.get("resources.ARN", {})
            if not arns or any(
                str(v).startswith(bucket_arn)
                for v in arns.get("StartsWith", []) + arns.get("Equals", [])
            ):
                return trail.get("Name", "")
    return None


def _object_logging(ctx: Context, kind: str) -> Iterable[Finding]:
    trails = [t for r in ctx.regions for t in ctx.data("cloudtrail.trails", r)]
    buckets = ctx.data("s3.buckets")
    for bucket in buckets:
        trail = _data_event_coverage(trails, bucket["arn"], kind)
        if trail:
            yield ctx.ok(bucket["arn"], f"trail {trail} records object {kind}s", bucket["region"])
        else:
            yield ctx.fail(
                bucket["arn"], f"no logging trail records object {kind}s", bucket["region"]
            )
    if not buckets:
        yield ctx.na(ctx.account_arn("s3"), "no buckets in the scanned regions")


@check("s3.object_write_logging", needs=("s3.buckets", "cloudtrail.trails"))
def object_write_logging(ctx: Context) -> Iterable[Finding]:
    return _object_logging(ctx, "write")


@check("s3.object_read_logging", needs=("s3.buckets", "cloudtrail.trails"))
def object_read_logging(ctx: Context) -> Iterable[Finding]:
    return _object_logging(ctx, "read")
