"""EventBridge checks."""

from __future__ import annotations

from collections.abc import Iterable

from srm_tui.checks.context import Context, check
from srm_tui.model import Finding

# Partner event sources' buses are named after the source; "default" is the account's.
_PARTNER_PREFIX = "aws.partner/"


@check("eventbridge.custom_bus_policy", needs=("events.buses",))
def custom_bus_policy(ctx: Context) -> Iterable[Finding]:
    for bus in ctx.data("events.buses"):
        name = bus["name"]
        if name == "default" or name.startswith(_PARTNER_PREFIX):
            yield ctx.na(bus["arn"], "not a custom event bus")
        elif bus["has_policy"]:
            yield ctx.ok(bus["arn"], "a resource-based policy is attached")
        else:
            yield ctx.fail(bus["arn"], "no resource-based policy is attached")
