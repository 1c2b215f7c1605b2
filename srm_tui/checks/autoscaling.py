"""Amazon EC2 Auto Scaling checks: load balancer health checks, zone spread, instance
types, launch templates, and what launch configurations give instances (AWS FSBP
AutoScaling.1-3, Autoscaling.5, AutoScaling.6, AutoScaling.9)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from srm_tui.checks.context import Context, check
from srm_tui.model import Finding

GROUPS = "autoscaling.groups"
CONFIGS = "autoscaling.launch_configurations"


def _each(
    ctx: Context,
    name: str,
    what: str,
    judge: Callable[[dict[str, Any]], tuple[bool | None, str]],
) -> Iterable[Finding]:
    """One finding per item of collector ``name``; ``judge`` answers (passed, detail),
    passed None when the control does not apply to that item."""
    items = ctx.data(name)
    for item in items:
        passed, detail = judge(item)
        detail = f"{item['name']}: {detail}"
        if passed is None:
            yield ctx.na(item["arn"], detail)
        elif passed:
            yield ctx.ok(item["arn"], detail)
        else:
            yield ctx.fail(item["arn"], detail)
    if not items:
        yield ctx.na(ctx.account_arn("autoscaling"), f"no {what} in this region")


@check("autoscaling.elb_health_checks", needs=(GROUPS,))
def elb_health_checks(ctx: Context) -> Iterable[Finding]:
    def judge(group: dict[str, Any]) -> tuple[bool | None, str]:
        if not group["load_balancers"] and not group["target_groups"]:
            return None, "not associated with a load balancer"
        types = [t.strip() for t in str(group["health_check_type"]).split(",")]
        if "ELB" in types:
            return True, "uses load balancer health checks"
        return False, f"health checks {group['health_check_type'] or 'not set'}, not ELB"

    return _each(ctx, GROUPS, "Auto Scaling groups", judge)


@check("autoscaling.multi_az", needs=(GROUPS,))
def multi_az(ctx: Context) -> Iterable[Finding]:
    wanted = int(ctx.param("min_availability_zones"))

    def judge(group: dict[str, Any]) -> tuple[bool | None, str]:
        zones = group["zones"]
        detail = f"{len(zones)} Availability Zone(s)"
        return len(zones) >= wanted, detail if len(zones) >= wanted else f"{detail}, under {wanted}"

    return _each(ctx, GROUPS, "Auto Scaling groups", judge)


@check("autoscaling.multiple_instance_types", needs=(GROUPS,))
def multiple_instance_types(ctx: Context) -> Iterable[Finding]:
    def judge(group: dict[str, Any]) -> tuple[bool | None, str]:
        if group["attribute_based"]:
            return None, "chooses instance types by attributes"
        types = group["instance_types"]
        if len(types) > 1:
            return True, f"{len(types)} instance types"
        return False, "a single instance type"

    return _each(ctx, GROUPS, "Auto Scaling groups", judge)


@check("autoscaling.launch_template", needs=(GROUPS,))
def launch_template(ctx: Context) -> Iterable[Finding]:
    def judge(group: dict[str, Any]) -> tuple[bool | None, str]:
        if group["launch_template"]:
            return True, f"launch template {group['launch_template']}"
        if group["launch_configuration"]:
            return False, f"launch configuration {group['launch_configuration']}"
        return False, "no launch template"

    return _each(ctx, GROUPS, "Auto Scaling groups", judge)


@check("autoscaling.launch_config_imdsv2", needs=(CONFIGS,))
def launch_config_imdsv2(ctx: Context) -> Iterable[Finding]:
    def judge(config: dict[str, Any]) -> tuple[bool | None, str]:
        tokens = config["http_tokens"]
        if tokens == "required":
            return True, "IMDSv2 required"
        return False, f"IMDSv1 allowed (HttpTokens {tokens or 'not set'})"

    return _each(ctx, CONFIGS, "launch configurations", judge)


@check("autoscaling.launch_config_public_ip", needs=(CONFIGS,))
def launch_config_public_ip(ctx: Context) -> Iterable[Finding]:
    def judge(config: dict[str, Any]) -> tuple[bool | None, str]:
        if config["public_ip"] is True:
            return False, "gives instances a public IP address"
        return True, "gives instances no public IP address"

    return _each(ctx, CONFIGS, "launch configurations", judge)
