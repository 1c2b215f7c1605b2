"""Amazon DocumentDB checks, over its clusters and cluster snapshots (collected with the
RDS-family listings)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from srm_tui.checks.context import Context, check
from srm_tui.checks.rds_clusters import cluster_group
from srm_tui.checks.rds_engines import exports, of_engine, on_off, public_snapshots, retention
from srm_tui.model import Finding

#: DocumentDB.6: TLS settings that do not require an encrypted connection ("enabled"
#: accepts older TLS versions; the control's excludeTlsParameters, not customizable).
WEAK_TLS = ("disabled", "enabled")


def _clusters(ctx: Context) -> list[dict[str, Any]]:
    return ctx.data("docdb.clusters")


@check("docdb.encrypted", needs=("docdb.clusters",))
def encrypted(ctx: Context) -> Iterable[Finding]:
    return on_off(ctx, _clusters(ctx), "encrypted", "storage encrypted", "storage not encrypted")


@check("docdb.backup_retention", needs=("docdb.clusters",))
def backup_retention(ctx: Context) -> Iterable[Finding]:
    return retention(ctx, _clusters(ctx), int(ctx.param("minimum_backup_retention_period")))


@check("docdb.public_snapshots", needs=("rds.snapshots",))
def public_cluster_snapshots(ctx: Context) -> Iterable[Finding]:
    return public_snapshots(ctx, of_engine(ctx.data("rds.snapshots"), "docdb"))


@check("docdb.audit_logs", needs=("docdb.clusters",))
def audit_logs(ctx: Context) -> Iterable[Finding]:
    return exports(ctx, _clusters(ctx), "audit")


@check("docdb.deletion_protection", needs=("docdb.clusters",))
def deletion_protection(ctx: Context) -> Iterable[Finding]:
    return on_off(
        ctx, _clusters(ctx), "deletion_protection",
        "deletion protection on", "deletion protection off",
    )  # fmt: skip


@check("docdb.tls", needs=("docdb.clusters", "rds.cluster_parameters"))
def tls(ctx: Context) -> Iterable[Finding]:
    for db in _clusters(ctx):
        values, ended = cluster_group(ctx, db)
        if ended:
            yield ended
            continue
        setting = (values or {}).get("tls")
        if setting is None or str(setting).lower() in WEAK_TLS:
            shown = "not set" if setting is None else repr(setting)
            yield ctx.fail(db["arn"], f"tls is {shown} in {db['parameter_group']}")
        else:
            yield ctx.ok(db["arn"], f"tls is {setting!r}: connections need TLS")
