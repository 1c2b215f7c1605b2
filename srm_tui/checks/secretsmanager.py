"""Secrets Manager checks: rotation is on, succeeds and is recent; unused secrets go."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from srm_tui.checks._common import days_since, parse_date
from srm_tui.checks.context import Context, check
from srm_tui.model import Finding


@check("secretsmanager.rotation", needs=("secretsmanager.secrets",))
def rotation(ctx: Context) -> Iterable[Finding]:
    longest = int(ctx.param("maximum_allowed_rotation_frequency"))
    for secret in ctx.data("secretsmanager.secrets"):
        days = secret["rotation_days"]
        # SecretsManager.1 (secretsmanager-rotation-enabled-check) exempts no secret: one
        # another service owns is judged too, and its owner named where it must act.
        owner = f" (managed by {secret['owning_service']})" if secret["owning_service"] else ""
        if not secret["rotation"]:
            yield ctx.fail(secret["arn"], "automatic rotation disabled" + owner)
        elif longest and days and int(days) > longest:
            yield ctx.fail(secret["arn"], f"rotates every {days} days, more than {longest}")
        else:
            yield ctx.ok(secret["arn"], f"rotates every {days} days" if days else "rotation on")


@check("secretsmanager.rotation_succeeds", needs=("secretsmanager.secrets",))
def rotation_succeeds(ctx: Context) -> Iterable[Finding]:
    now = datetime.now(UTC)
    for secret in ctx.data("secretsmanager.secrets"):
        if not secret["rotation"]:
            yield ctx.na(secret["arn"], "automatic rotation is not configured")
            continue
        due = parse_date(secret.get("next_rotation"))
        if due is None:
            yield ctx.na(secret["arn"], "no scheduled rotation date yet")
        elif due < now:
            yield ctx.fail(
                secret["arn"], f"rotation was due on {due.date().isoformat()} and did not happen"
            )
        else:
            yield ctx.ok(secret["arn"], f"next rotation due {due.date().isoformat()}")


def _age(ctx: Context, key: str, limit: int, what: str, since: str) -> Iterable[Finding]:
    for secret in ctx.data("secretsmanager.secrets"):
        days = days_since(secret.get(key))
        label = what
        if days is None:
            days, label = days_since(secret.get("created")), since
        if days is None:
            yield ctx.na(secret["arn"], f"neither {what} nor created date is known")
        elif days > limit:
            yield ctx.fail(secret["arn"], f"{label} {days} days ago (more than {limit})")
        else:
            yield ctx.ok(secret["arn"], f"{label} {days} days ago")


@check("secretsmanager.unused", needs=("secretsmanager.secrets",))
def unused(ctx: Context) -> Iterable[Finding]:
    return _age(
        ctx, "last_accessed", int(ctx.param("unused_for_days")), "last accessed",
        "never accessed; created",
    )  # fmt: skip


@check("secretsmanager.rotated_recently", needs=("secretsmanager.secrets",))
def rotated_recently(ctx: Context) -> Iterable[Finding]:
    return _age(
        ctx, "last_rotated", int(ctx.param("max_days_since_rotation")), "last rotated",
        "never rotated; created",
    )  # fmt: skip
