"""Secrets Manager checks."""

from __future__ import annotations

from collections.abc import Iterable

import srm_tui.aws.collect.secretsmanager  # noqa: F401  (registers the collectors used here)
from srm_tui.checks.registry import Context, check
from srm_tui.model import Finding


@check(
    "secretsmanager.rotation",
    title="Secrets Manager secrets rotate automatically",
    service="secretsmanager",
    severity="medium",
    responsibility="customer",
    scope="regional",
    needs=("secretsmanager.secrets",),
    frameworks={
        "aws-fsbp": ["SecretsManager.1"],
        "nist-csf-2.0": ["PR.AA"],
        "iso-27017": ["9.2.4"],
    },
    remediation=(
        "Turn on automatic rotation with a rotation function (or managed rotation) for each "
        "secret. https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotating-secrets.html"
    ),
)
def rotation(ctx: Context) -> Iterable[Finding]:
    for secret in ctx.data("secretsmanager.secrets"):
        if secret["owning_service"]:
            yield ctx.na(secret["arn"], f"managed by {secret['owning_service']}")
        elif secret["rotation"]:
            days = secret["rotation_days"]
            yield ctx.ok(secret["arn"], f"rotates every {days} days" if days else "rotation on")
        else:
            yield ctx.fail(secret["arn"], "automatic rotation disabled")
