"""Secrets Manager checks."""

from __future__ import annotations

from collections.abc import Iterable

from srm_tui.checks.context import Context, check
from srm_tui.model import Finding


@check("secretsmanager.rotation", needs=("secretsmanager.secrets",))
def rotation(ctx: Context) -> Iterable[Finding]:
    for secret in ctx.data("secretsmanager.secrets"):
        if secret["owning_service"]:
            yield ctx.na(secret["arn"], f"managed by {secret['owning_service']}")
        elif secret["rotation"]:
            days = secret["rotation_days"]
            yield ctx.ok(secret["arn"], f"rotates every {days} days" if days else "rotation on")
        else:
            yield ctx.fail(secret["arn"], "automatic rotation disabled")
