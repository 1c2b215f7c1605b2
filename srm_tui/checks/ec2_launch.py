"""EC2 launch settings checks: what the default version of each launch template and each
Spot Fleet request would give new instances (AWS FSBP EC2.25, EC2.170, EC2.173,
EC2.181)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from srm_tui.checks.context import Context, check
from srm_tui.model import Finding

TEMPLATES = "ec2.launch_templates"


def _templates(
    ctx: Context, judge: Callable[[dict[str, Any]], tuple[bool | None, str]]
) -> Iterable[Finding]:
    """One finding per launch template (its default version); ``judge`` answers
    (passed, detail), passed None when the control does not apply."""
    items = ctx.data(TEMPLATES)
    for template in items:
        arn = ctx.arn("ec2", f"launch-template/{template['id']}")
        passed, detail = judge(template)
        detail = f"{template['name']} v{template['version']}: {detail}"
        if passed is None:
            yield ctx.na(arn, detail)
        elif passed:
            yield ctx.ok(arn, detail)
        else:
            yield ctx.fail(arn, detail)
    if not items:
        yield ctx.na(ctx.account_arn("ec2"), "no launch templates in this region")


@check("ec2.launch_template_public_ip", needs=(TEMPLATES,))
def launch_template_public_ip(ctx: Context) -> Iterable[Finding]:
    def judge(template: dict[str, Any]) -> tuple[bool | None, str]:
        public = sum(flag is True for flag in template["public_ip"])
        if public:
            return False, f"{public} network interface(s) get a public IP address"
        return True, "no network interface gets a public IP address"

    return _templates(ctx, judge)


@check("ec2.launch_template_imdsv2", needs=(TEMPLATES,))
def launch_template_imdsv2(ctx: Context) -> Iterable[Finding]:
    def judge(template: dict[str, Any]) -> tuple[bool | None, str]:
        tokens = template["http_tokens"]
        if tokens == "required":
            return True, "IMDSv2 required"
        return False, f"IMDSv1 allowed (HttpTokens {tokens or 'not set'})"

    return _templates(ctx, judge)


@check("ec2.launch_template_ebs_encryption", needs=(TEMPLATES,))
def launch_template_ebs_encryption(ctx: Context) -> Iterable[Finding]:
    def judge(template: dict[str, Any]) -> tuple[bool | None, str]:
        volumes = template["volumes"]
        if not volumes:
            return None, "attaches no EBS volume"
        # AWS fails a template only where Encrypted is set to false.
        off = sum(flag is False for flag in volumes)
        if off:
            return False, f"{off} of {len(volumes)} EBS volume(s) set to unencrypted"
        return True, f"no EBS volume set to unencrypted ({len(volumes)} volume(s))"

    return _templates(ctx, judge)


@check("ec2.spot_fleet_ebs_encryption", needs=("ec2.spot_fleet_requests",))
def spot_fleet_ebs_encryption(ctx: Context) -> Iterable[Finding]:
    items = ctx.data("ec2.spot_fleet_requests")
    for request in items:
        arn = ctx.arn("ec2", f"spot-fleet-request/{request['id']}")
        volumes = request["volumes"]
        # EC2.173 fails a volume whose Encrypted is set to false, and gives no finding
        # for a request that sets Encrypted nowhere.
        off = sum(flag is False for flag in volumes)
        if not request["launch_specifications"]:
            yield ctx.na(arn, "launches from launch templates only")
        elif off:
            yield ctx.fail(arn, f"{off} of {len(volumes)} EBS volume(s) set to unencrypted")
        elif not any(isinstance(flag, bool) for flag in volumes):
            yield ctx.na(arn, "its launch parameters set encryption on no EBS volume")
        else:
            yield ctx.ok(arn, f"no EBS volume set to unencrypted ({len(volumes)} volume(s))")
    if not items:
        yield ctx.na(ctx.account_arn("ec2"), "no active Spot Fleet requests in this region")
