"""GuardDuty checks: a detector in every region, and its protection plans."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from srm_tui.checks.context import CheckFunction, Context, check
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


# Each protection plan control: its check, what the findings call it, and the ways it
# counts as on (a feature, or a feature and the agent configuration GuardDuty manages).
# Runtime Monitoring took over EKS Runtime Monitoring; either, with the EKS add-on
# managed, counts for GuardDuty.7.
PLANS: tuple[tuple[str, str, tuple[tuple[str, ...], ...]], ...] = (
    ("eks_audit_logs", "EKS Audit Log Monitoring", (("EKS_AUDIT_LOGS",),)),
    ("lambda_protection", "Lambda Protection", (("LAMBDA_NETWORK_LOGS",),)),
    ("eks_runtime_monitoring", "EKS Runtime Monitoring with automated agent management",
     (("EKS_RUNTIME_MONITORING", "EKS_ADDON_MANAGEMENT"),
      ("RUNTIME_MONITORING", "EKS_ADDON_MANAGEMENT"))),
    ("ec2_malware_protection", "Malware Protection for EC2", (("EBS_MALWARE_PROTECTION",),)),
    ("rds_protection", "RDS Protection", (("RDS_LOGIN_EVENTS",),)),
    ("s3_protection", "S3 Protection", (("S3_DATA_EVENTS",),)),
    ("runtime_monitoring", "Runtime Monitoring", (("RUNTIME_MONITORING",),)),
    ("ecs_runtime_monitoring", "ECS Runtime Monitoring (GuardDuty manages the Fargate agent)",
     (("RUNTIME_MONITORING", "ECS_FARGATE_AGENT_MANAGEMENT"),)),
    ("ec2_runtime_monitoring", "EC2 Runtime Monitoring (GuardDuty manages the EC2 agent)",
     (("RUNTIME_MONITORING", "EC2_AGENT_MANAGEMENT"),)),
)  # fmt: skip


def _plan_check(name: str, label: str, wanted: tuple[tuple[str, ...], ...]) -> CheckFunction:
    def run(ctx: Context) -> Iterable[Finding]:
        return _plan(ctx, label, *wanted)

    run.__name__ = name
    return check(f"guardduty.{name}", needs=("guardduty.detectors",))(run)


PLAN_CHECKS = tuple(_plan_check(*plan) for plan in PLANS)
