"""AWS Security Hub CSPM checks: is it on, and does it run a standard."""

from __future__ import annotations

from collections.abc import Iterable

from srm_tui.checks.context import Context, check
from srm_tui.model import Finding


@check("securityhub.enabled", needs=("securityhub.hub",))
def enabled(ctx: Context) -> Iterable[Finding]:
    hub = ctx.data("securityhub.hub")
    if hub is None:
        yield ctx.fail(ctx.account_arn("securityhub"), "Security Hub CSPM is not enabled")
    else:
        yield ctx.ok(hub["arn"] or ctx.account_arn("securityhub"), "Security Hub CSPM is enabled")


@check("securityhub.standards_enabled", needs=("securityhub.standards",))
def standards_enabled(ctx: Context) -> Iterable[Finding]:
    standards = ctx.data("securityhub.standards")
    resource = ctx.account_arn("securityhub")
    if standards is None:
        yield ctx.na(resource, "Security Hub CSPM is not enabled in this region")
        return
    # INCOMPLETE: the standard runs, some of its controls could not be enabled.
    running = ("READY", "PENDING", "INCOMPLETE")
    ready = sorted(s["arn"].split("/", 1)[-1] for s in standards if s["status"] in running)
    if ready:
        yield ctx.ok(resource, "standards enabled: " + ", ".join(ready))
    else:
        yield ctx.fail(resource, "Security Hub CSPM is enabled but runs no standard")
