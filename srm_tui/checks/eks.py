"""EKS checks."""

from __future__ import annotations

from collections.abc import Iterable

from srm_tui.checks.context import Context, check
from srm_tui.model import Finding

_ALL_LOGS = ("api", "audit", "authenticator", "controllerManager", "scheduler")


@check("eks.public_endpoint", needs=("eks.clusters",))
def public_endpoint(ctx: Context) -> Iterable[Finding]:
    for cluster in ctx.data("eks.clusters"):
        if not cluster["public_endpoint"]:
            yield ctx.ok(cluster["arn"], "endpoint is private")
        elif cluster["public_cidrs"] and "0.0.0.0/0" not in cluster["public_cidrs"]:
            yield ctx.fail(
                cluster["arn"],
                "endpoint is public, limited to " + ", ".join(cluster["public_cidrs"]),
            )
        else:
            yield ctx.fail(cluster["arn"], "endpoint is public to the whole internet")


@check("eks.secrets_encryption", needs=("eks.clusters",))
def secrets_encryption(ctx: Context) -> Iterable[Finding]:
    for cluster in ctx.data("eks.clusters"):
        if "secrets" in cluster["encrypted_resources"]:
            yield ctx.ok(cluster["arn"], "secrets are encrypted with a KMS key")
        else:
            yield ctx.fail(cluster["arn"], "secrets are not encrypted with a KMS key")


@check("eks.control_plane_logging", needs=("eks.clusters",))
def control_plane_logging(ctx: Context) -> Iterable[Finding]:
    for cluster in ctx.data("eks.clusters"):
        missing = [kind for kind in _ALL_LOGS if kind not in cluster["logging"]]
        if "audit" in cluster["logging"]:
            extra = f" (not enabled: {', '.join(missing)})" if missing else ""
            yield ctx.ok(cluster["arn"], "audit logging enabled" + extra)
        else:
            yield ctx.fail(
                cluster["arn"], "audit logging disabled; not enabled: " + ", ".join(missing)
            )
