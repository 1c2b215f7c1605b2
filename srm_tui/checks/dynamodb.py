"""DynamoDB checks."""

from __future__ import annotations

from collections.abc import Iterable

import srm_tui.aws.collect.dynamodb  # noqa: F401  (registers the collectors used here)
from srm_tui.checks.registry import Context, check
from srm_tui.model import Finding


@check(
    "dynamodb.point_in_time_recovery",
    title="DynamoDB tables have point-in-time recovery",
    service="dynamodb",
    severity="medium",
    responsibility="customer",
    scope="regional",
    needs=("dynamodb.tables",),
    frameworks={
        "aws-fsbp": ["DynamoDB.2"],
        "nist-csf-2.0": ["PR.DS", "RC.RP"],
        "iso-27017": ["12.3.1"],
    },
    remediation=(
        "Enable point-in-time recovery on the table (continuous backups for up to 35 days). "
        "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/PointInTimeRecovery.html"
    ),
)
def point_in_time_recovery(ctx: Context) -> Iterable[Finding]:
    for table in ctx.data("dynamodb.tables"):
        if table["pitr"] == "ENABLED":
            yield ctx.ok(table["arn"], "point-in-time recovery enabled")
        else:
            yield ctx.fail(table["arn"], "point-in-time recovery disabled")
