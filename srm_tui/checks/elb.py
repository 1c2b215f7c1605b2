"""Load balancer checks."""

from __future__ import annotations

from collections.abc import Iterable

from srm_tui.checks.context import Context, check
from srm_tui.model import Finding


@check("elb.access_logging", needs=("elbv2.load_balancers", "elb.classic_load_balancers"))
def access_logging(ctx: Context) -> Iterable[Finding]:
    for lb in ctx.data("elbv2.load_balancers"):
        if lb["access_logs"] is None:
            continue  # network and gateway load balancers: not web front ends
        if lb["access_logs"]:
            yield ctx.ok(lb["arn"], "access logs on")
        else:
            yield ctx.fail(lb["arn"], "access logs off")
    for lb in ctx.data("elb.classic_load_balancers"):
        if lb["access_logs"]:
            yield ctx.ok(lb["arn"], "access logs on (classic)")
        else:
            yield ctx.fail(lb["arn"], "access logs off (classic)")
