"""EKS checks."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from srm_tui.checks import per_resource
from srm_tui.checks.context import Context, check
from srm_tui.model import Finding

_ALL_LOGS = ("api", "audit", "authenticator", "controllerManager", "scheduler")
_VERSION = re.compile(r"^(\d+)\.(\d+)")


def minor_version(text: str) -> tuple[int, int] | None:
    """``"1.31"`` (or ``"1.31.2"``) as ``(1, 31)``; None when it is not a version."""
    found = _VERSION.match(str(text).strip())
    return (int(found.group(1)), int(found.group(2))) if found else None


def _clusters(ctx: Context, judge: Any) -> Iterable[Finding]:
    return per_resource.each(ctx, ctx.data("eks.clusters"), judge)


@check("eks.public_endpoint", needs=("eks.clusters",))
def public_endpoint(ctx: Context) -> Iterable[Finding]:
    def judge(cluster: Mapping[str, Any]) -> Finding:
        if not cluster["public_endpoint"]:
            return ctx.ok(cluster["arn"], "endpoint is private")
        if cluster["public_cidrs"] and "0.0.0.0/0" not in cluster["public_cidrs"]:
            return ctx.fail(
                cluster["arn"],
                "endpoint is public, limited to " + ", ".join(cluster["public_cidrs"]),
            )
        return ctx.fail(cluster["arn"], "endpoint is public to the whole internet")

    return _clusters(ctx, judge)


@check("eks.secrets_encryption", needs=("eks.clusters",))
def secrets_encryption(ctx: Context) -> Iterable[Finding]:
    def judge(cluster: Mapping[str, Any]) -> Finding:
        if "secrets" in cluster["encrypted_resources"]:
            return ctx.ok(cluster["arn"], "secrets are encrypted with a KMS key")
        return ctx.fail(cluster["arn"], "secrets are not encrypted with a KMS key")

    return _clusters(ctx, judge)


@check("eks.control_plane_logging", needs=("eks.clusters",))
def control_plane_logging(ctx: Context) -> Iterable[Finding]:
    def judge(cluster: Mapping[str, Any]) -> Finding:
        missing = [kind for kind in _ALL_LOGS if kind not in cluster["logging"]]
        if "audit" in cluster["logging"]:
            extra = f" (not enabled: {', '.join(missing)})" if missing else ""
            return ctx.ok(cluster["arn"], "audit logging enabled" + extra)
        return ctx.fail(
            cluster["arn"], "audit logging disabled; not enabled: " + ", ".join(missing)
        )

    return _clusters(ctx, judge)


@check("eks.supported_version", needs=("eks.clusters",))
def supported_version(ctx: Context) -> Iterable[Finding]:
    oldest_text = str(ctx.param("oldest_version_supported"))
    oldest = minor_version(oldest_text)
    if oldest is None:
        raise ValueError(f"oldest_version_supported {oldest_text!r} is not a version")

    def judge(cluster: Mapping[str, Any]) -> Finding:
        version = minor_version(cluster["version"])
        if version is None:
            return ctx.error(
                cluster["arn"], f"unreadable Kubernetes version {cluster['version']!r}"
            )
        if version < oldest:
            return ctx.fail(
                cluster["arn"],
                f"Kubernetes {cluster['version']}, older than the oldest supported {oldest_text}",
            )
        return ctx.ok(cluster["arn"], f"Kubernetes {cluster['version']}")

    return _clusters(ctx, judge)
