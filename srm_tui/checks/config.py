"""AWS Config checks."""

from __future__ import annotations

from collections.abc import Iterable

from srm_tui.checks._common import DOCS
from srm_tui.checks.registry import Context, check
from srm_tui.model import Finding


@check(
    "config.enabled",
    title="AWS Config records all resources in every region",
    service="config",
    severity="medium",
    responsibility="customer",
    scope="regional",
    needs=("config.recorders",),
    frameworks={
        "cis-aws-7.0": ["4.3"],
        "aws-fsbp": ["Config.1"],
        "nist-csf-2.0": ["ID.AM", "DE.CM"],
    },
    remediation="Set up AWS Config with a recorder for all supported resource types and a "
    f"delivery channel, in each region. {DOCS}/config/latest/developerguide/gs-console.html",
)
def enabled(ctx: Context) -> Iterable[Finding]:
    data = ctx.data("config.recorders")
    resource = ctx.account_arn("config")
    recording = {s.get("name") for s in data["status"] if s.get("recording")}
    if not data["recorders"]:
        yield ctx.fail(resource, "no configuration recorder")
        return
    problems = []
    for rec in data["recorders"]:
        group = rec.get("recordingGroup", {})
        strategy = group.get("recordingStrategy", {}).get("useOnly", "")
        if not (group.get("allSupported") or strategy == "ALL_SUPPORTED_RESOURCE_TYPES"):
            problems.append(f"recorder {rec.get('name')} records only some resource types")
        if rec.get("name") not in recording:
            problems.append(f"recorder {rec.get('name')} is stopped")
    if not data["channels"]:
        problems.append("no delivery channel")
    if problems:
        yield ctx.fail(resource, "; ".join(problems))
    else:
        yield ctx.ok(resource, "recording all resources with a delivery channel")
