"""Athena checks."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from srm_tui.checks import per_resource
from srm_tui.checks.context import Context, check
from srm_tui.model import Finding


@check("athena.workgroup_logging", needs=("athena.workgroups",))
def workgroup_logging(ctx: Context) -> Iterable[Finding]:
    def judge(group: Mapping[str, Any]) -> Finding:
        if group["cloudwatch_metrics"]:
            return ctx.ok(group["arn"], "publishes query metrics to CloudWatch")
        return ctx.fail(group["arn"], "does not publish query metrics to CloudWatch")

    return per_resource.each(ctx, ctx.data("athena.workgroups"), judge)
