"""RDS checks over DB instances, snapshots and proxies (the cluster checks are in
``rds_clusters``, the event subscriptions in ``rds_events``)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from srm_tui.checks.context import Context, check
from srm_tui.checks.rds_engines import (
    DEFAULT_ADMIN_NAMES,
    effective_exports,
    group_values,
    missing_logs,
    of_family,
    own_service,
    snapshot_encryption,
)
from srm_tui.checks.rds_engines import public_snapshots as public_snapshots_of
from srm_tui.collected import Unreadable
from srm_tui.model import Finding

#: Engines whose instances RDS.8 judges (the control's databaseEngines, not customizable).
DELETION_PROTECTION_ENGINES = frozenset(
    {
        "mariadb", "mysql", "custom-oracle-ee", "oracle-ee-cdb", "oracle-se2-cdb", "oracle-ee",
        "oracle-se2", "oracle-se1", "oracle-se", "postgres", "sqlserver-ee", "sqlserver-se",
        "sqlserver-ex", "sqlserver-web",
    }
)  # fmt: skip
#: RDS.9: the log types each engine family must publish, as the control lists them.
LOGS_BY_ENGINE = (
    ("oracle", ("alert", "audit", "trace", "listener")),
    ("postgres", ("postgresql", "upgrade")),
    ("mysql", ("audit", "error", "general", "slowquery")),
    ("mariadb", ("audit", "error", "general", "slowquery")),
    ("sqlserver", ("error", "agent")),
    ("aurora", ("audit", "error", "general", "slowquery")),
    ("aurora-mysql", ("audit", "error", "general", "slowquery")),
    ("aurora-postgresql", ("postgresql",)),
)
#: RDS.10 judges these engines.
IAM_AUTH_ENGINES = ("mysql", "postgres", "aurora", "aurora-mysql", "aurora-postgresql", "mariadb")
#: RDS.9 and RDS.10 judge instances in these states only (their AWS Config rules give
#: every other state NOT_APPLICABLE: a stopped instance publishes nothing).
JUDGED_STATES = ("available", "backing-up", "storage-optimization", "storage-full")
#: RDS.23: each engine family's default port.
DEFAULT_PORTS = (
    ("mysql", 3306),
    ("mariadb", 3306),
    ("postgres", 5432),
    ("oracle", 1521),
    ("sqlserver", 1433),
    ("db2", 50000),
)
#: RDS.36 (not customizable): what an RDS for PostgreSQL instance must publish.
POSTGRES_LOGS = ("postgresql",)
_IGW_DESTINATIONS = ("0.0.0.0/0", "::/0")


def _instances(ctx: Context) -> list[dict[str, Any]]:
    return ctx.data("rds.instances")


@check("rds.encrypted", needs=("rds.instances",))
def encrypted(ctx: Context) -> Iterable[Finding]:
    for db in _instances(ctx):
        if db["encrypted"]:
            yield ctx.ok(db["arn"], "storage encrypted")
        else:
            yield ctx.fail(db["arn"], "storage not encrypted")


@check("rds.auto_minor_upgrade", needs=("rds.instances",))
def auto_minor_upgrade(ctx: Context) -> Iterable[Finding]:
    for db in _instances(ctx):
        if db["auto_minor_upgrade"]:
            yield ctx.ok(db["arn"], "auto minor version upgrade on")
        else:
            yield ctx.fail(db["arn"], "auto minor version upgrade off")


@check("rds.public_access", needs=("rds.instances",))
def public_access(ctx: Context) -> Iterable[Finding]:
    for db in _instances(ctx):
        if db["public"]:
            yield ctx.fail(db["arn"], "publicly accessible")
        else:
            yield ctx.ok(db["arn"], "not publicly accessible")


@check("rds.multi_az", needs=("rds.instances",))
def multi_az(ctx: Context) -> Iterable[Finding]:
    # AWS does not judge cluster members (Aurora, DocumentDB, Neptune, Multi-AZ DB
    # clusters); a read replica is judged like any other instance.
    for db in _instances(ctx):
        if db["cluster"]:
            yield ctx.na(db["arn"], f"member of cluster {db['cluster']}: the cluster decides")
        elif db["multi_az"]:
            yield ctx.ok(db["arn"], "Multi-AZ")
        else:
            yield ctx.fail(db["arn"], "single Availability Zone")


@check("rds.public_snapshots", needs=("rds.snapshots",))
def public_snapshots(ctx: Context) -> Iterable[Finding]:
    # RDS.1 covers the snapshots of every engine, DocumentDB and Neptune included.
    return public_snapshots_of(ctx, ctx.data("rds.snapshots"))


@check("rds.backup_retention", needs=("rds.instances",))
def backup_retention(ctx: Context) -> Iterable[Finding]:
    minimum = int(ctx.param("backup_retention_minimum"))
    for db in _instances(ctx):
        days = db["backup_retention"]
        if db["read_replica_of"]:
            yield ctx.na(db["arn"], f"read replica of {db['read_replica_of']}")
        elif days >= minimum:
            yield ctx.ok(db["arn"], f"backups kept {days} days")
        elif days == 0:
            yield ctx.fail(db["arn"], "automated backups disabled")
        else:
            yield ctx.fail(db["arn"], f"backups kept only {days} days (at least {minimum})")


@check("rds.snapshot_encrypted", needs=("rds.snapshots",))
def snapshot_encrypted(ctx: Context) -> Iterable[Finding]:
    # RDS.4 covers automated snapshots too, and every engine.
    return snapshot_encryption(ctx, ctx.data("rds.snapshots"))


@check("rds.deletion_protection", needs=("rds.instances",))
def deletion_protection(ctx: Context) -> Iterable[Finding]:
    for db in _instances(ctx):
        if db["engine"] not in DELETION_PROTECTION_ENGINES:
            yield ctx.na(db["arn"], f"engine {db['engine']} is not one the control judges")
        elif db["deletion_protection"]:
            yield ctx.ok(db["arn"], "deletion protection on")
        else:
            yield ctx.fail(db["arn"], "deletion protection off")


@check("rds.enhanced_monitoring", needs=("rds.instances",))
def enhanced_monitoring(ctx: Context) -> Iterable[Finding]:
    wanted = int(ctx.param("monitoring_interval") or 0)  # 0: any interval
    for db in _instances(ctx):
        interval = int(db.get("monitoring_interval") or 0)
        if skip := own_service(ctx, db, "instance"):
            yield skip
        elif interval <= 0:
            yield ctx.fail(db["arn"], "enhanced monitoring off")
        elif wanted and interval != wanted:
            yield ctx.fail(db["arn"], f"enhanced monitoring every {interval} s, not {wanted} s")
        else:
            yield ctx.ok(db["arn"], f"enhanced monitoring every {interval} s")


def _not_running(ctx: Context, db: Mapping[str, Any]) -> Finding | None:
    """``not_applicable`` for an instance in a state the control does not judge."""
    if db.get("status") in JUDGED_STATES:
        return None
    return ctx.na(db["arn"], f"instance is {db.get('status') or 'in an unknown state'}")


def _required_logs(engine: str) -> tuple[str, ...] | None:
    for family, logs in LOGS_BY_ENGINE:
        if engine == family or (family in ("oracle", "sqlserver") and of_family(engine, family)):
            return logs
    return None


@check("rds.cloudwatch_logs", needs=("rds.instances", "rds.clusters"))
def cloudwatch_logs(ctx: Context) -> Iterable[Finding]:
    clusters = ctx.data("rds.clusters")
    for db in _instances(ctx):
        wanted = _required_logs(db["engine"])
        if skip := own_service(ctx, db, "instance") or _not_running(ctx, db):
            yield skip
        elif wanted is None:
            yield ctx.na(db["arn"], f"the control lists no log types for engine {db['engine']}")
        elif missing := missing_logs(effective_exports(db, clusters), wanted):
            yield ctx.fail(db["arn"], "not published to CloudWatch Logs: " + ", ".join(missing))
        else:
            yield ctx.ok(db["arn"], "publishes " + ", ".join(wanted) + " logs")


@check("rds.iam_authentication", needs=("rds.instances",))
def iam_authentication(ctx: Context) -> Iterable[Finding]:
    for db in _instances(ctx):
        if db["engine"] not in IAM_AUTH_ENGINES:
            yield ctx.na(db["arn"], f"engine {db['engine']} is not one the control judges")
        elif skip := _not_running(ctx, db):
            yield skip
        elif db.get("iam_auth"):
            yield ctx.ok(db["arn"], "IAM database authentication on")
        else:
            yield ctx.fail(db["arn"], "IAM database authentication off")


@check("rds.copy_tags_to_snapshots", needs=("rds.instances",))
def copy_tags_to_snapshots(ctx: Context) -> Iterable[Finding]:
    for db in _instances(ctx):
        if skip := own_service(ctx, db, "instance"):
            yield skip
        elif db["cluster"]:
            yield ctx.na(db["arn"], f"member of cluster {db['cluster']}: the cluster decides")
        elif db.get("copy_tags"):
            yield ctx.ok(db["arn"], "copies tags to snapshots")
        else:
            yield ctx.fail(db["arn"], "does not copy tags to snapshots")


def _default_port(engine: str) -> int:
    return next((port for family, port in DEFAULT_PORTS if of_family(engine, family)), 0)


@check("rds.non_default_port", needs=("rds.instances",))
def non_default_port(ctx: Context) -> Iterable[Finding]:
    for db in _instances(ctx):
        default, port = _default_port(db["engine"]), int(db.get("port") or 0)
        if skip := own_service(ctx, db, "instance"):
            yield skip
        elif db["cluster"]:
            yield ctx.na(db["arn"], f"member of cluster {db['cluster']}: the control skips it")
        elif not default or not port:
            yield ctx.na(db["arn"], f"no known default port for {db['engine']} or no endpoint")
        elif port == default:
            yield ctx.fail(db["arn"], f"listens on {db['engine']}'s default port {port}")
        else:
            yield ctx.ok(db["arn"], f"listens on port {port}, not the default {default}")


@check("rds.custom_admin", needs=("rds.instances",))
def custom_admin(ctx: Context) -> Iterable[Finding]:
    for db in _instances(ctx):
        name = db.get("master_username", "")
        if skip := own_service(ctx, db, "instance"):
            yield skip
        elif db["cluster"]:
            yield ctx.na(db["arn"], f"member of cluster {db['cluster']}: the cluster decides")
        elif name in DEFAULT_ADMIN_NAMES:
            yield ctx.fail(db["arn"], f"administrator user has the default name {name!r}")
        else:
            yield ctx.ok(db["arn"], "administrator user has a custom name")


def _log_check(ctx: Context, family: str, wanted: Iterable[str], what: str) -> Iterable[Finding]:
    """Instances of one engine family: every ``wanted`` log type published."""
    wanted = [str(w) for w in wanted]
    clusters = ctx.data("rds.clusters")
    for db in _instances(ctx):
        if not of_family(db["engine"], family):
            continue
        if missing := missing_logs(effective_exports(db, clusters), wanted):
            yield ctx.fail(db["arn"], f"{what} not published: " + ", ".join(missing))
        else:
            yield ctx.ok(db["arn"], f"publishes {', '.join(wanted)} logs")


def _log_types(ctx: Context) -> tuple[str, ...]:
    value = ctx.param("log_types")
    return (value,) if isinstance(value, str) else tuple(value)


@check("rds.postgres_logs", needs=("rds.instances", "rds.clusters"))
def postgres_logs(ctx: Context) -> Iterable[Finding]:
    return _log_check(ctx, "postgres", POSTGRES_LOGS, "PostgreSQL logs")


@check("rds.sqlserver_logs", needs=("rds.instances", "rds.clusters"))
def sqlserver_logs(ctx: Context) -> Iterable[Finding]:
    return _log_check(ctx, "sqlserver", _log_types(ctx), "SQL Server logs")


@check("rds.mariadb_logs", needs=("rds.instances", "rds.clusters"))
def mariadb_logs(ctx: Context) -> Iterable[Finding]:
    return _log_check(ctx, "mariadb", _log_types(ctx), "MariaDB logs")


def _transport_check(
    ctx: Context, db: Mapping[str, Any], parameter: str, accepted: tuple[str, ...]
) -> Finding:
    """One instance: every parameter group in sync, with ``parameter`` at an accepted
    value."""
    groups = ctx.data("rds.instance_parameters")
    if not db.get("parameter_groups"):
        return ctx.fail(db["arn"], "no DB parameter group")
    for group in db["parameter_groups"]:
        values = group_values(groups, group["name"])
        if isinstance(values, Unreadable):
            return ctx.error(db["arn"], f"could not read {group['name']}: {values.reason}")
        if values is None:
            return ctx.error(db["arn"], f"parameter group {group['name']} was not collected")
        if group.get("status") != "in-sync":
            return ctx.fail(db["arn"], f"parameter group {group['name']} is {group.get('status')}")
        value = values.get(parameter)
        if str(value).lower() not in accepted:
            shown = "not set" if value is None else f"{value!r}"
            return ctx.fail(db["arn"], f"{parameter} is {shown} in {group['name']}")
    return ctx.ok(db["arn"], f"{parameter} requires TLS")


@check("rds.sqlserver_tls", needs=("rds.instances", "rds.instance_parameters"))
def sqlserver_tls(ctx: Context) -> Iterable[Finding]:
    for db in _instances(ctx):
        if of_family(db["engine"], "sqlserver"):
            yield _transport_check(ctx, db, "rds.force_ssl", ("1",))


def _version(text: str) -> tuple[int, ...]:
    parts = []
    for part in str(text).split(".")[:2]:
        digits = "".join(c for c in part if c.isdigit())
        parts.append(int(digits) if digits else 0)
    return tuple(parts)


@check("rds.mariadb_tls", needs=("rds.instances", "rds.instance_parameters"))
def mariadb_tls(ctx: Context) -> Iterable[Finding]:
    for db in _instances(ctx):
        if db["engine"] != "mariadb":
            continue
        if _version(db.get("engine_version", "")) < (10, 5):
            yield ctx.na(db["arn"], "MariaDB before 10.5 cannot require secure transport")
        else:
            yield _transport_check(ctx, db, "require_secure_transport", ("on", "1"))


@check("rds.proxy_tls", needs=("rds.proxies",))
def proxy_tls(ctx: Context) -> Iterable[Finding]:
    for proxy in ctx.data("rds.proxies"):
        if proxy["require_tls"]:
            yield ctx.ok(proxy["arn"], "requires TLS for every connection")
        else:
            yield ctx.fail(proxy["arn"], "does not require TLS")


def _igw_route_tables(route_tables: Iterable[Mapping[str, Any]]) -> set[str]:
    """Route tables with a default route (IPv4 or IPv6) to an internet gateway."""
    found = set()
    for table in route_tables:
        for route in table.get("Routes") or []:
            target = str(route.get("GatewayId") or "")
            destination = route.get("DestinationCidrBlock") or route.get("DestinationIpv6CidrBlock")
            if target.startswith("igw-") and destination in _IGW_DESTINATIONS:
                found.add(table.get("RouteTableId", ""))
    return found


def _route_table_of(subnet: str, vpc: str, route_tables: Iterable[Mapping[str, Any]]) -> str:
    """The subnet's route table: its explicit association, else its VPC's main table."""
    main = ""
    for table in route_tables:
        for association in table.get("Associations") or []:
            if association.get("SubnetId") == subnet:
                return table.get("RouteTableId", "")
            if association.get("Main") and table.get("VpcId") == vpc:
                main = table.get("RouteTableId", "")
    return main


@check("rds.public_subnet", needs=("rds.instances", "ec2.route_tables"))
def public_subnet(ctx: Context) -> Iterable[Finding]:
    route_tables = ctx.data("ec2.route_tables")
    to_internet = _igw_route_tables(route_tables)
    for db in _instances(ctx):
        subnets = [s for s in db.get("subnets") or [] if s]
        if skip := own_service(ctx, db, "instance"):
            yield skip
        elif not subnets:
            yield ctx.na(db["arn"], "no DB subnet group")
        elif public := [
            s for s in subnets if _route_table_of(s, db.get("vpc", ""), route_tables) in to_internet
        ]:
            yield ctx.fail(
                db["arn"], "in subnets routed to an internet gateway: " + ", ".join(public)
            )
        else:
            yield ctx.ok(db["arn"], "no subnet of its group routes to an internet gateway")
