"""RDS checks over DB clusters: Aurora, Multi-AZ DB clusters and, where AWS's control
names them, DocumentDB and Neptune clusters."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from srm_tui.checks.context import Context, check
from srm_tui.checks.rds_engines import (
    AURORA_MYSQL,
    DEFAULT_ADMIN_NAMES,
    exports,
    group_values,
    on_off,
    own_service,
)
from srm_tui.collected import Unreadable
from srm_tui.model import Finding

#: The engines of Multi-AZ DB clusters (RDS for MySQL and PostgreSQL in a cluster).
MULTI_AZ_CLUSTER_ENGINES = ("mysql", "postgres")


def _clusters(ctx: Context) -> list[dict[str, Any]]:
    return ctx.data("rds.clusters")


def _rds_only(ctx: Context, judge: Callable[[Mapping[str, Any]], Finding]) -> Iterable[Finding]:
    """``judge`` every cluster but DocumentDB and Neptune ones (not_applicable)."""
    for db in _clusters(ctx):
        yield own_service(ctx, db, "cluster") or judge(db)


def _of_engines(ctx: Context, engines: Iterable[str]) -> list[dict[str, Any]]:
    wanted = tuple(engines)
    return [db for db in _clusters(ctx) if db["engine"] in wanted]


@check("rds.cluster_deletion_protection", needs=("rds.clusters",))
def cluster_deletion_protection(ctx: Context) -> Iterable[Finding]:
    # RDS.7 judges DocumentDB and Neptune clusters too, as AWS's text says.
    return on_off(
        ctx, _clusters(ctx), "deletion_protection",
        "deletion protection on", "deletion protection off",
    )  # fmt: skip


@check("rds.cluster_iam_authentication", needs=("rds.clusters",))
def cluster_iam_authentication(ctx: Context) -> Iterable[Finding]:
    def judge(db: Mapping[str, Any]) -> Finding:
        if db.get("iam_auth"):
            return ctx.ok(db["arn"], "IAM database authentication on")
        return ctx.fail(db["arn"], "IAM database authentication off")

    return _rds_only(ctx, judge)


@check("rds.aurora_backtracking", needs=("rds.clusters",))
def aurora_backtracking(ctx: Context) -> Iterable[Finding]:
    hours = float(ctx.param("backtrack_window_in_hours") or 0)  # 0: any window
    for db in _of_engines(ctx, AURORA_MYSQL):
        window = int(db.get("backtrack_window") or 0)
        if window <= 0:
            yield ctx.fail(db["arn"], "backtracking off")
        elif hours and window < hours * 3600:
            yield ctx.fail(db["arn"], f"backtrack window {window / 3600:g} h, under {hours:g} h")
        else:
            yield ctx.ok(db["arn"], f"backtrack window {window / 3600:g} h")


@check("rds.cluster_multi_az", needs=("rds.clusters",))
def cluster_multi_az(ctx: Context) -> Iterable[Finding]:
    def judge(db: Mapping[str, Any]) -> Finding:
        if db.get("multi_az"):
            return ctx.ok(db["arn"], "instances in several Availability Zones")
        return ctx.fail(db["arn"], "single Availability Zone")

    return _rds_only(ctx, judge)


@check("rds.aurora_copy_tags", needs=("rds.clusters",))
def aurora_copy_tags(ctx: Context) -> Iterable[Finding]:
    aurora = [db for db in _clusters(ctx) if db["engine"].startswith("aurora")]
    return on_off(
        ctx, aurora, "copy_tags", "copies tags to snapshots", "does not copy tags to snapshots"
    )


@check("rds.cluster_custom_admin", needs=("rds.clusters",))
def cluster_custom_admin(ctx: Context) -> Iterable[Finding]:
    def judge(db: Mapping[str, Any]) -> Finding:
        name = db.get("master_username", "")
        if name in DEFAULT_ADMIN_NAMES:
            return ctx.fail(db["arn"], f"administrator user has the default name {name!r}")
        return ctx.ok(db["arn"], "administrator user has a custom name")

    return _rds_only(ctx, judge)


@check("rds.cluster_encrypted", needs=("rds.clusters",))
def cluster_encrypted(ctx: Context) -> Iterable[Finding]:
    def judge(db: Mapping[str, Any]) -> Finding:
        if db.get("encrypted"):
            return ctx.ok(db["arn"], "storage encrypted")
        return ctx.fail(db["arn"], "storage not encrypted")

    return _rds_only(ctx, judge)


@check("rds.aurora_mysql_audit_logs", needs=("rds.clusters",))
def aurora_mysql_audit_logs(ctx: Context) -> Iterable[Finding]:
    clusters = _of_engines(ctx, AURORA_MYSQL)
    # Aurora Serverless v1 clusters cannot export logs; the control skips them.
    for db in clusters:
        if db.get("engine_mode") == "serverless":
            yield ctx.na(db["arn"], "Aurora Serverless v1: the control does not judge it")
    yield from exports(
        ctx, [db for db in clusters if db.get("engine_mode") != "serverless"], "audit"
    )


@check("rds.cluster_auto_minor_upgrade", needs=("rds.clusters",))
def cluster_auto_minor_upgrade(ctx: Context) -> Iterable[Finding]:
    for db in _of_engines(ctx, MULTI_AZ_CLUSTER_ENGINES):
        upgrade = db.get("auto_minor_upgrade")
        if upgrade is None:
            yield ctx.na(db["arn"], "AWS reports no auto minor version upgrade setting")
        elif upgrade:
            yield ctx.ok(db["arn"], "auto minor version upgrade on")
        else:
            yield ctx.fail(db["arn"], "auto minor version upgrade off")


@check("rds.aurora_postgres_logs", needs=("rds.clusters",))
def aurora_postgres_logs(ctx: Context) -> Iterable[Finding]:
    return exports(ctx, _of_engines(ctx, ("aurora-postgresql",)), "postgresql")


def out_of_sync(db: Mapping[str, Any]) -> list[str]:
    """The parameter-group states of a cluster's members other than in-sync."""
    return sorted({s for s in db.get("parameter_group_status") or [] if s != "in-sync"})


def cluster_group(
    ctx: Context, db: Mapping[str, Any]
) -> tuple[Mapping[str, Any] | None, Finding | None]:
    """The cluster's parameter-group settings, or the finding that ends its judgement
    (unreadable, not collected, or not in sync with the members)."""
    name = db.get("parameter_group", "")
    values = group_values(ctx.data("rds.cluster_parameters"), name)
    if isinstance(values, Unreadable):
        return None, ctx.error(db["arn"], f"could not read {name}: {values.reason}")
    if values is None:
        return None, ctx.error(db["arn"], f"cluster parameter group {name!r} was not collected")
    if stale := out_of_sync(db):
        return None, ctx.fail(db["arn"], f"parameter group {name} is {', '.join(stale)}")
    return values, None


@check("rds.aurora_mysql_audit_logging", needs=("rds.clusters", "rds.cluster_parameters"))
def aurora_mysql_audit_logging(ctx: Context) -> Iterable[Finding]:
    for db in _of_engines(ctx, AURORA_MYSQL):
        values, ended = cluster_group(ctx, db)
        if ended:
            yield ended
            continue
        logging = str((values or {}).get("server_audit_logging"))
        events = str((values or {}).get("server_audit_events") or "").strip()
        if logging != "1":
            yield ctx.fail(db["arn"], f"server_audit_logging is not 1 in {db['parameter_group']}")
        elif not events:
            yield ctx.fail(db["arn"], f"server_audit_events is empty in {db['parameter_group']}")
        else:
            yield ctx.ok(db["arn"], f"audit logging on for {events}")


@check("rds.postgres_cluster_copy_tags", needs=("rds.clusters",))
def postgres_cluster_copy_tags(ctx: Context) -> Iterable[Finding]:
    return on_off(
        ctx, _of_engines(ctx, ("postgres",)), "copy_tags",
        "copies tags to snapshots", "does not copy tags to snapshots",
    )  # fmt: skip


@check("rds.mysql_cluster_copy_tags", needs=("rds.clusters",))
def mysql_cluster_copy_tags(ctx: Context) -> Iterable[Finding]:
    return on_off(
        ctx, _of_engines(ctx, ("mysql",)), "copy_tags",
        "copies tags to snapshots", "does not copy tags to snapshots",
    )  # fmt: skip
