"""EFS checks."""

from __future__ import annotations

from collections.abc import Iterable

from srm_tui.checks.context import Context, check
from srm_tui.model import Finding


@check("efs.encrypted", needs=("efs.file_systems",))
def encrypted(ctx: Context) -> Iterable[Finding]:
    for fs in ctx.data("efs.file_systems"):
        if fs["encrypted"]:
            yield ctx.ok(fs["arn"], "encrypted at rest")
        else:
            yield ctx.fail(fs["arn"], "not encrypted at rest")
