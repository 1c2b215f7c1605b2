"""DynamoDB checks."""

from __future__ import annotations

from collections.abc import Iterable

from srm_tui.checks.context import Context, check
from srm_tui.model import Finding


@check("dynamodb.point_in_time_recovery", needs=("dynamodb.tables",))
def point_in_time_recovery(ctx: Context) -> Iterable[Finding]:
    for table in ctx.data("dynamodb.tables"):
        if table["pitr"] == "ENABLED":
            yield ctx.ok(table["arn"], "point-in-time recovery enabled")
        else:
            yield ctx.fail(table["arn"], "point-in-time recovery disabled")
