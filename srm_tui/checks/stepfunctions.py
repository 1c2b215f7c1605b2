"""Step Functions checks."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from srm_tui.checks import per_resource
from srm_tui.checks.context import Context, check
from srm_tui.model import Finding


@check("stepfunctions.logging", needs=("stepfunctions.state_machines",))
def logging(ctx: Context) -> Iterable[Finding]:
    levels = tuple(ctx.param("log_levels"))

    def judge(machine: Mapping[str, Any]) -> Finding:
        level = machine["log_level"]
        if level in levels:
            return ctx.ok(machine["arn"], f"logging level {level}")
        return ctx.fail(machine["arn"], f"logging level {level}, not one of {', '.join(levels)}")

    return per_resource.each(ctx, ctx.data("stepfunctions.state_machines"), judge)
