"""CloudTrail checks: a multi-region trail, and each trail's integrity, encryption,
delivery to CloudWatch Logs and the access logging of its bucket."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from srm_tui.checks.context import Context, check
from srm_tui.collected import Unreadable
from srm_tui.model import Finding


def all_trails(ctx: Context) -> list[dict[str, Any]]:
    """Every trail that logs this account in the scanned regions (each listed once, in
    its home region), the organization's trail included."""
    return [t for r in ctx.regions for t in ctx.data("cloudtrail.trails", r)]


def is_own(ctx: Context, trail: dict[str, Any]) -> bool:
    """True unless the trail's ARN names another account (an organization trail seen
    from a member account: its settings are the management account's to fix)."""
    parts = str(trail.get("TrailARN", "")).split(":")
    return len(parts) < 5 or parts[4] in ("", ctx.account_id)


def records_management_events(trail: dict[str, Any]) -> bool:
    """True when the trail logs all management events (read and write)."""
    selectors = trail.get("selectors")
    if not isinstance(selectors, dict):
        return False
    if not selectors.get("EventSelectors") and not selectors.get("AdvancedEventSelectors"):
        return True  # a trail without selectors records all management events
    for sel in selectors.get("EventSelectors", []):
        if sel.get("IncludeManagementEvents", True) and sel.get("ReadWriteType", "All") == "All":
            return True
    for sel in selectors.get("AdvancedEventSelectors", []):
        fields = {f.get("Field"): f for f in sel.get("FieldSelectors", [])}
        if (
            fields.get("eventCategory", {}).get("Equals") == ["Management"]
            and "readOnly" not in fields
        ):
            return True
    return False


def is_logging(trail: dict[str, Any]) -> bool:
    """True when the trail's status says it is logging."""
    status = trail.get("status")
    return isinstance(status, dict) and bool(status.get("IsLogging"))


def unread(trail: dict[str, Any]) -> str:
    """Why it is unknown whether this trail logs every region's management events (its
    status or selectors could not be read), or "" when that is known either way."""
    status, selectors = trail.get("status"), trail.get("selectors")
    known_off = (isinstance(status, dict) and not status.get("IsLogging")) or (
        isinstance(selectors, dict) and not records_management_events(trail)
    )
    if not trail.get("IsMultiRegionTrail") or known_off:
        return ""
    return next((v.reason for v in (status, selectors) if isinstance(v, Unreadable)), "")


@check("cloudtrail.multi_region", needs=("cloudtrail.trails",))
def multi_region(ctx: Context) -> Iterable[Finding]:
    trails = all_trails(ctx)
    good = [
        t
        for t in trails
        if t.get("IsMultiRegionTrail") and is_logging(t) and records_management_events(t)
    ]
    resource = ctx.account_arn("cloudtrail")
    if good:
        yield ctx.ok(resource, f"trail {good[0].get('Name')} covers every region")
        return
    # Only a trail that could still be the one makes the verdict unknown: an unreadable
    # single-region or stopped trail changes nothing.
    unknown = [reason for t in trails if (reason := unread(t))]
    if unknown:
        yield ctx.error(resource, unknown[0])
    elif any(t.get("IsMultiRegionTrail") for t in trails):
        yield ctx.fail(resource, "the multi-region trail is stopped or skips management events")
    else:
        yield ctx.fail(resource, "no multi-region trail")


def _each_trail(
    ctx: Context, judge: Callable[[dict[str, Any]], tuple[bool, str]]
) -> Iterable[Finding]:
    trails = [t for t in ctx.data("cloudtrail.trails") if is_own(ctx, t)]
    for trail in trails:
        passed, detail = judge(trail)
        yield (ctx.ok if passed else ctx.fail)(trail["TrailARN"], detail)
    if not trails:
        yield ctx.na(ctx.account_arn("cloudtrail"), "no trail has this region as home")


@check("cloudtrail.log_validation", needs=("cloudtrail.trails",))
def log_validation(ctx: Context) -> Iterable[Finding]:
    return _each_trail(
        ctx,
        lambda t: (bool(t.get("LogFileValidationEnabled")),
                   "log file validation " + ("on" if t.get("LogFileValidationEnabled") else "off")),
    )  # fmt: skip


@check("cloudtrail.kms_encryption", needs=("cloudtrail.trails",))
def kms_encryption(ctx: Context) -> Iterable[Finding]:
    return _each_trail(
        ctx,
        lambda t: (bool(t.get("KmsKeyId")),
                   "encrypted with a KMS key" if t.get("KmsKeyId") else "no KMS key (SSE-S3 only)"),
    )  # fmt: skip


@check("cloudtrail.cloudwatch_logs", needs=("cloudtrail.trails",))
def cloudwatch_logs(ctx: Context) -> Iterable[Finding]:
    return _each_trail(
        ctx,
        lambda t: (bool(t.get("CloudWatchLogsLogGroupArn")),
                   "delivers to CloudWatch Logs" if t.get("CloudWatchLogsLogGroupArn")
                   else "no CloudWatch Logs delivery"),
    )  # fmt: skip


@check(
    "cloudtrail.bucket_access_logging",
    needs=("cloudtrail.trails", "s3.buckets", "s3.bucket_logging"),
)
def bucket_access_logging(ctx: Context) -> Iterable[Finding]:
    trails = [t for t in all_trails(ctx) if is_own(ctx, t)]
    logging = ctx.data("s3.bucket_logging")
    buckets = {b["name"]: b for b in ctx.data("s3.buckets")}
    for trail in trails:
        name = trail.get("S3BucketName", "")
        where = trail.get("HomeRegion", ctx.region)
        if name not in buckets:
            yield ctx.na(
                trail["TrailARN"], f"bucket {name} is not in this account's scanned regions", where
            )
            continue
        value = logging.get(name)
        if isinstance(value, Unreadable):
            yield ctx.error(trail["TrailARN"], value.reason, where)
        elif value and value.get("TargetBucket"):
            yield ctx.ok(
                trail["TrailARN"], f"bucket {name} logs access to {value['TargetBucket']}", where
            )
        else:
            yield ctx.fail(trail["TrailARN"], f"bucket {name} has access logging off", where)
    if not trails:
        yield ctx.na(ctx.account_arn("cloudtrail"), "no trails")
