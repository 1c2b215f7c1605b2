"""GuardDuty checks: a detector in every region, and its protection plans."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from srm_tui.checks.context import Context, check
from srm_tui.model import Finding


@check("guardduty.enabled", needs=("guardduty.detectors",))
def enabled(ctx: Context) -> Iterable[Finding]:
    detectors = ctx.data("guardduty.detectors")
    if not detectors:
        yield ctx.fail(ctx.account_arn("guardduty"), "no GuardDuty detector in this region")
        return
    for detector in detectors:
        arn = (
            f"arn:{ctx.partition}:guardduty:{ctx.region}:{ctx.account_id}:detector/{detector['id']}"
        )
        if detector["status"] == "ENABLED":
            yield ctx.ok(arn, "detector enabled")
        else:
            yield ctx.fail(arn, f"detector is {detector['status'].lower() or 'not enabled'}")


def _detector_arn(ctx: Context, detector: dict[str, Any]) -> str:
    return f"arn:{ctx.partition}:guardduty:{ctx.region}:{ctx.account_id}:detector/{detector['id']}"


def _enabled(detector: dict[str, Any], names: tuple[str, ...]) -> bool:
    """True when the feature ``names[0]`` and its agent configurations ``names[1:]``
    are all ENABLED on the detector."""
    feature, *agents = names
    status = detector.get("agents") or {}
    return (detector.get("features") or {}).get(feature) == "ENABLED" and all(
        status.get(f"{feature}/{a}") == "ENABLED" for a in agents
    )


def _plan(ctx: Context, label: str, *wanted: tuple[str, ...]) -> Iterable[Finding]:
    """One finding per detector: passes when, for one of ``wanted`` (each a feature, or
    a feature and its agent configuration), everything named is ENABLED."""
    detectors = ctx.data("guardduty.detectors")
    if not detectors:
        yield ctx.na(ctx.account_arn("guardduty"), "no GuardDuty detector in this region")
        return
    for detector in detectors:
        arn = _detector_arn(ctx, detector)
        if detector["status"] != "ENABLED":
            yield ctx.fail(arn, f"the detector is {detector['status'].lower() or 'off'}")
        elif any(_enabled(detector, names) for names in wanted):
            yield ctx.ok(arn, f"{label} is enabled")
        else:
            yield ctx.fail(arn, f"{label} is not enabled")


@check("guardduty.eks_audit_logs", needs=("guardduty.detectors",))
def eks_audit_logs(ctx: Context) -> Iterable[Finding]:
    return _plan(ctx, "EKS Audit Log Monitoring", ("EKS_AUDIT_LOGS",))


@check("guardduty.lambda_protection", needs=("guardduty.detectors",))
def lambda_protection(ctx: Context) -> Iterable[Finding]:
    return _plan(ctx, "Lambda Protection", ("LAMBDA_NETWORK_LOGS",))


@check("guardduty.eks_runtime_monitoring", needs=("guardduty.detectors",))
def eks_runtime_monitoring(ctx: Context) -> Iterable[Finding]:
    # Runtime Monitoring took over EKS Runtime Monitoring; either, with GuardDuty
    # managing the EKS add-on, counts.
    return _plan(
        ctx,
        "EKS Runtime Monitoring with automated agent management",
        ("EKS_RUNTIME_MONITORING", "EKS_ADDON_MANAGEMENT"),
        ("RUNTIME_MONITORING", "EKS_ADDON_MANAGEMENT"),
    )


@check("guardduty.ec2_malware_protection", needs=("guardduty.detectors",))
def ec2_malware_protection(ctx: Context) -> Iterable[Finding]:
    return _plan(ctx, "Malware Protection for EC2", ("EBS_MALWARE_PROTECTION",))


@check("guardduty.rds_protection", needs=("guardduty.detectors",))
def rds_protection(ctx: Context) -> Iterable[Finding]:
    return _plan(ctx, "RDS Protection", ("RDS_LOGIN_EVENTS",))


@check("guardduty.s3_protection", needs=("guardduty.detectors",))
def s3_protection(ctx: Context) -> Iterable[Finding]:
    return _plan(ctx, "S3 Protection", ("S3_DATA_EVENTS",))


@check("guardduty.runtime_monitoring", needs=("guardduty.detectors",))
def runtime_monitoring(ctx: Context) -> Iterable[Finding]:
    return _plan(ctx, "Runtime Monitoring", ("RUNTIME_MONITORING",))


@check("guardduty.ecs_runtime_monitoring", needs=("guardduty.detectors",))
def ecs_runtime_monitoring(ctx: Context) -> Iterable[Finding]:
    return _plan(
        ctx,
        "ECS Runtime Monitoring (GuardDuty manages the Fargate agent)",
        ("RUNTIME_MONITORING", "ECS_FARGATE_AGENT_MANAGEMENT"),
    )


@check("guardduty.ec2_runtime_monitoring", needs=("guardduty.detectors",))
def ec2_runtime_monitoring(ctx: Context) -> Iterable[Finding]:
    return _plan(
        ctx,
        "EC2 Runtime Monitoring (GuardDuty manages the EC2 agent)",
        ("RUNTIME_MONITORING", "EC2_AGENT_MANAGEMENT"),
    )
