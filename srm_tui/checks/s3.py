"""S3 checks: public access, TLS, encryption, versioning and logging of buckets."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from srm_tui.aws.api import ItemError
from srm_tui.checks._common import DOCS, as_list, is_public_statement, statements
from srm_tui.checks.registry import Context, check
from srm_tui.model import Finding

S3_DOCS = f"{DOCS}/AmazonS3/latest/userguide"
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
        if isinstance(value, ItemError):
            yield ctx.error(bucket["arn"], value.reason, region=bucket["region"])
            continue
        passed, detail = judge(value)
        status = ctx.ok if passed else ctx.fail
        yield status(bucket["arn"], detail, region=bucket["region"])
    if not buckets:
        yield ctx.na(ctx.account_arn("s3"), "no buckets in the scanned regions")


_BUCKET = dict(service="s3", responsibility="customer", scope="global")


@check(
    "s3.account_public_access_block",
    title="S3 Block Public Access is on for the account",
    severity="high",
    needs=("s3.account_public_access_block",),
    frameworks={"cis-aws-7.0": ["3.1.4"], "aws-fsbp": ["S3.1"], "nist-csf-2.0": ["PR.DS"]},
    remediation="Turn on all four Block Public Access settings for the account. "
    f"{S3_DOCS}/configuring-block-public-access-account.html",
    **_BUCKET,
)
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


@check(
    "s3.bucket_public_access_block",
    title="Buckets have Block Public Access on",
    severity="high",
    needs=("s3.buckets", "s3.bucket_public_access_blocks"),
    frameworks={"cis-aws-7.0": ["3.1.4"], "aws-fsbp": ["S3.8"], "nist-csf-2.0": ["PR.DS"]},
    remediation="Turn on all four Block Public Access settings on the bucket. "
    f"{S3_DOCS}/configuring-block-public-access-bucket.html",
    **_BUCKET,
)
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


@check(
    "s3.bucket_tls_only",
    title="Bucket policies deny requests without TLS",
    severity="medium",
    needs=("s3.buckets", "s3.bucket_policies"),
    frameworks={"cis-aws-7.0": ["3.1.1"], "aws-fsbp": ["S3.5"], "nist-csf-2.0": ["PR.DS"]},
    remediation='Add a Deny statement for "s3:*" with the condition '
    '"Bool": {"aws:SecureTransport": "false"}. '
    f"{DOCS}/AmazonS3/latest/userguide/security-best-practices.html",
    **_BUCKET,
)
def bucket_tls_only(ctx: Context) -> Iterable[Finding]:
    return _each_bucket(ctx, "s3.bucket_policies", _denies_http)


@check(
    "s3.bucket_public_policy",
    title="Buckets are not public through their policy or ACL",
    severity="critical",
    needs=("s3.buckets", "s3.bucket_policies", "s3.bucket_acls"),
    frameworks={
        "cis-aws-7.0": ["2.21"],
        "aws-fsbp": ["S3.2", "S3.3"],
        "nist-csf-2.0": ["PR.DS", "PR.AA"],
    },
    remediation='Remove statements that allow "Principal": "*" without a narrowing '
    "condition, and ACL grants to AllUsers or AuthenticatedUsers. "
    f"{S3_DOCS}/access-control-block-public-access.html",
    **_BUCKET,
)
def bucket_public_policy(ctx: Context) -> Iterable[Finding]:
    policies = ctx.data("s3.bucket_policies")
    acls = ctx.data("s3.bucket_acls")
    buckets = ctx.data("s3.buckets")
    for bucket in buckets:
        name, arn, region = bucket["name"], bucket["arn"], bucket["region"]
        policy, grants = policies.get(name), acls.get(name)
        problems = []
        unknown = [v.reason for v in (policy, grants) if isinstance(v, ItemError)]
        if not isinstance(policy, ItemError):
            public = [s for s in statements(policy) if is_public_statement(s)]
            if public:
                actions = sorted({a for s in public for a in as_list(s.get("Action"))})
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


@check(
    "s3.bucket_mfa_delete",
    title="Buckets require MFA to delete object versions",
    severity="low",
    needs=("s3.buckets", "s3.bucket_versioning"),
    frameworks={"cis-aws-7.0": ["3.1.2"], "nist-csf-2.0": ["PR.DS"]},
    remediation="As the root user, enable versioning with MFA Delete "
    "('aws s3api put-bucket-versioning ... MFADelete=Enabled'). "
    f"{S3_DOCS}/MultiFactorAuthenticationDelete.html",
    **_BUCKET,
)
def bucket_mfa_delete(ctx: Context) -> Iterable[Finding]:
    return _each_bucket(
        ctx,
        "s3.bucket_versioning",
        lambda v: (
            (v or {}).get("MFADelete") == "Enabled",
            "MFA Delete is " + str((v or {}).get("MFADelete", "off")).lower(),
        ),
    )


@check(
    "s3.bucket_versioning",
    title="Buckets keep object versions",
    severity="low",
    needs=("s3.buckets", "s3.bucket_versioning"),
    frameworks={"aws-fsbp": ["S3.14"], "nist-csf-2.0": ["PR.DS"]},
    remediation=f"Enable versioning on the bucket. {S3_DOCS}/manage-versioning-examples.html",
    **_BUCKET,
)
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


@check(
    "s3.bucket_default_encryption",
    title="Buckets encrypt new objects by default",
    severity="medium",
    needs=("s3.buckets", "s3.bucket_encryption"),
    frameworks={"nist-csf-2.0": ["PR.DS"]},
    remediation="Set default encryption (SSE-S3 or SSE-KMS) on the bucket. "
    f"{S3_DOCS}/default-bucket-encryption.html",
    **_BUCKET,
)
def bucket_default_encryption(ctx: Context) -> Iterable[Finding]:
    return _each_bucket(ctx, "s3.bucket_encryption", _encryption)


@check(
    "s3.bucket_access_logging",
    title="Buckets log server access",
    severity="low",
    needs=("s3.buckets", "s3.bucket_logging"),
    frameworks={"aws-fsbp": ["S3.9"], "nist-csf-2.0": ["DE.CM"]},
    remediation="Enable server access logging to a separate log bucket. "
    f"{S3_DOCS}/enable-server-access-logging.html",
    **_BUCKET,
)
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


@check(
    "s3.object_write_logging",
    title="CloudTrail records object-level writes of buckets",
    severity="medium",
    needs=("s3.buckets", "cloudtrail.trails"),
    frameworks={"cis-aws-7.0": ["4.8"], "nist-csf-2.0": ["DE.CM"]},
    remediation="Add an S3 data-event selector for write events to a multi-region trail. "
    f"{DOCS}/awscloudtrail/latest/userguide/logging-data-events-with-cloudtrail.html",
    **_BUCKET,
)
def object_write_logging(ctx: Context) -> Iterable[Finding]:
    return _object_logging(ctx, "write")


@check(
    "s3.object_read_logging",
    title="CloudTrail records object-level reads of buckets",
    severity="medium",
    needs=("s3.buckets", "cloudtrail.trails"),
    frameworks={"cis-aws-7.0": ["4.9"], "nist-csf-2.0": ["DE.CM"]},
    remediation="Add an S3 data-event selector for read events to a multi-region trail. "
    f"{DOCS}/awscloudtrail/latest/userguide/logging-data-events-with-cloudtrail.html",
    **_BUCKET,
)
def object_read_logging(ctx: Context) -> Iterable[Finding]:
    return _object_logging(ctx, "read")
