"""Amazon Neptune checks, over its clusters and cluster snapshots (collected with the
RDS-family listings)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from srm_tui.checks.context import Context, check
from srm_tui.checks.rds_engines import (
    exports,
    of_engine,
    on_off,
    public_snapshots,
    retention,
    snapshot_encryption,
)
from srm_tui.model import Finding


def _clusters(ctx: Context) -> list[dict[str, Any]]:
    return ctx.data("neptune.clusters")


def _snapshots(ctx: Context) -> list[Any]:
    return [s for s in of_engine(ctx.data("rds.snapshots"), "neptune") if s["kind"] == "cluster"]


@check("neptune.encrypted", needs=("neptune.clusters",))
def encrypted(ctx: Context) -> Iterable[Finding]:
    return on_off(ctx, _clusters(ctx), "encrypted", "storage encrypted", "storage not encrypted")


@check("neptune.audit_logs", needs=("neptune.clusters",))
def audit_logs(ctx: Context) -> Iterable[Finding]:
    return exports(ctx, _clusters(ctx), "audit")


@check("neptune.public_snapshots", needs=("rds.snapshots",))
def public_cluster_snapshots(ctx: Context) -> Iterable[Finding]:
    return public_snapshots(ctx, _snapshots(ctx))


@check("neptune.deletion_protection", needs=("neptune.clusters",))
def deletion_protection(ctx: Context) -> Iterable[Finding]:
    return on_off(
        ctx, _clusters(ctx), "deletion_protection",
        "deletion protection on", "deletion protection off",
    )  # fmt: skip


@check("neptune.backup_retention", needs=("neptune.clusters",))
def backup_retention(ctx: Context) -> Iterable[Finding]:
    return retention(ctx, _clusters(ctx), int(ctx.param("minimum_backup_retention_period")))


@check("neptune.snapshot_encrypted", needs=("rds.snapshots",))
def snapshot_encrypted(ctx: Context) -> Iterable[Finding]:
    return snapshot_encryption(ctx, _snapshots(ctx))


@check("neptune.iam_authentication", needs=("neptune.clusters",))
def iam_authentication(ctx: Context) -> Iterable[Finding]:
    return on_off(
        ctx, _clusters(ctx), "iam_auth",
        "IAM database authentication on", "IAM database authentication off",
    )  # fmt: skip


@check("neptune.copy_tags", needs=("neptune.clusters",))
def copy_tags(ctx: Context) -> Iterable[Finding]:
    return on_off(
        ctx, _clusters(ctx), "copy_tags",
        "copies tags to snapshots", "does not copy tags to snapshots",
    )  # fmt: skip
