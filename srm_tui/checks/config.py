"""AWS Config checks."""

from __future__ import annotations

from collections.abc import Iterable

from srm_tui.checks.context import Context, check
from srm_tui.model import Finding


@check("config.enabled", needs=("config.recorders",))
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
