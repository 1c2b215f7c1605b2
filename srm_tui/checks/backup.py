"""AWS Backup checks: recovery points are encrypted at rest."""

from __future__ import annotations

from collections.abc import Iterable

from srm_tui.checks.context import Context, check
from srm_tui.collected import Unreadable
from srm_tui.model import Finding


@check("backup.recovery_points_encrypted", needs=("backup.recovery_points",))
def recovery_points_encrypted(ctx: Context) -> Iterable[Finding]:
    seen = False
    for vault in ctx.data("backup.recovery_points"):
        if isinstance(vault["points"], Unreadable):
            seen = True
            yield ctx.error(vault["arn"], vault["points"].reason)
            continue
        for point in vault["points"]:
            seen = True
            if point["encrypted"]:
                yield ctx.ok(point["arn"], f"encrypted ({point['resource_type']})")
            else:
                yield ctx.fail(point["arn"], f"not encrypted ({point['resource_type']})")
    if not seen:
        yield ctx.na(ctx.account_arn("backup"), "no recovery points in this region")
