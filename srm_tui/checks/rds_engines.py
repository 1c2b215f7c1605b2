"""What the RDS-family checks share: engine families, the services that only share
RDS's API (DocumentDB and Neptune have controls of their own), log exports, and the
settings of parameter groups.

An RDS control judges DocumentDB and Neptune resources only where AWS's control
text names them (RDS.1 to RDS.4 and RDS.7); elsewhere they are ``not_applicable``
and their own service's checks judge them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from srm_tui.checks.context import Context
from srm_tui.collected import Unreadable
from srm_tui.model import Finding

OTHER_SERVICES = {"docdb": "DocumentDB", "neptune": "Neptune"}
#: Aurora MySQL's engine names ("aurora" is Aurora MySQL 1, MySQL 5.6-compatible).
AURORA_MYSQL = ("aurora", "aurora-mysql")
#: The master user names AWS counts as defaults (RDS.24, RDS.25).
DEFAULT_ADMIN_NAMES = ("admin", "postgres")


def of_family(engine: str, family: str) -> bool:
    """True for the engine ``family`` and its editions ("sqlserver-ee" is "sqlserver")."""
    return engine == family or engine.startswith(family + "-")


def own_service(ctx: Context, db: Mapping[str, Any], kind: str) -> Finding | None:
    """``not_applicable`` for a DocumentDB or Neptune ``kind`` ("cluster",
    "instance"), which its own service's checks judge; None for any other engine."""
    name = OTHER_SERVICES.get(db.get("engine", ""), "")
    if not name:
        return None
    return ctx.na(db["arn"], f"a {name} {kind}: the {name} checks judge it")


def missing_logs(exports: Iterable[str], wanted: Iterable[str]) -> list[str]:
    """The wanted log types (in order) that are not exported, compared case-blind."""
    have = {e.lower() for e in exports}
    return [w for w in wanted if str(w).lower() not in have]


def effective_exports(db: Mapping[str, Any], clusters: Iterable[Mapping[str, Any]]) -> list[str]:
    """The log types an instance publishes: its own, and for a cluster member those its
    cluster exports (Aurora and Multi-AZ DB clusters set log exports on the cluster)."""
    exports = list(db.get("log_exports") or [])
    if db.get("cluster"):
        for cluster in clusters:
            if cluster.get("id") == db["cluster"]:
                exports += cluster.get("log_exports") or []
    return exports


def group_values(groups: Mapping[str, Any], name: str) -> Mapping[str, Any] | Unreadable | None:
    """A parameter group's collected settings, ``Unreadable``, or None if not collected."""
    found = groups.get(name)
    return found if isinstance(found, Unreadable | dict) else None


def on_off(
    ctx: Context, resources: Iterable[Mapping[str, Any]], key: str, good: str, bad: str
) -> Iterable[Finding]:
    """Each resource: pass where ``key`` is on, fail where it is off."""
    for db in resources:
        if db.get(key):
            yield ctx.ok(db["arn"], good)
        else:
            yield ctx.fail(db["arn"], bad)


def exports(ctx: Context, clusters: Iterable[Mapping[str, Any]], log: str) -> Iterable[Finding]:
    """Each cluster: pass where it publishes ``log`` logs to CloudWatch Logs."""
    for db in clusters:
        if missing_logs(db.get("log_exports") or [], [log]):
            yield ctx.fail(db["arn"], f"{log} logs not published to CloudWatch Logs")
        else:
            yield ctx.ok(db["arn"], f"publishes {log} logs to CloudWatch Logs")


def retention(
    ctx: Context, clusters: Iterable[Mapping[str, Any]], minimum: int
) -> Iterable[Finding]:
    """Each cluster: automated backups kept ``minimum`` days or more."""
    for db in clusters:
        days = int(db.get("backup_retention") or 0)
        if days >= minimum:
            yield ctx.ok(db["arn"], f"backups kept {days} days")
        else:
            yield ctx.fail(db["arn"], f"backups kept {days} days (at least {minimum})")


def public_snapshots(ctx: Context, snapshots: Iterable[Mapping[str, Any]]) -> Iterable[Finding]:
    """Manual snapshots (the only ones that can be shared): fail where any account may
    restore them."""
    for snap in snapshots:
        restore = snap.get("restore")
        if restore is None:
            continue
        if isinstance(restore, Unreadable):
            yield ctx.error(snap["arn"], f"could not read who may restore it: {restore.reason}")
        elif "all" in restore:
            yield ctx.fail(snap["arn"], f"{snap['kind']} snapshot restorable by any account")
        elif restore:
            yield ctx.ok(snap["arn"], "shared with " + ", ".join(restore))
        else:
            yield ctx.ok(snap["arn"], "private")


def snapshot_encryption(ctx: Context, snapshots: Iterable[Mapping[str, Any]]) -> Iterable[Finding]:
    """Every snapshot, automated or manual: encrypted or not."""
    for snap in snapshots:
        what = f"{snap.get('type') or 'manual'} {snap['kind']} snapshot"
        if snap["encrypted"]:
            yield ctx.ok(snap["arn"], f"{what} encrypted")
        else:
            yield ctx.fail(snap["arn"], f"{what} not encrypted")


def of_engine(snapshots: Iterable[Mapping[str, Any]], engine: str) -> list[Mapping[str, Any]]:
    """The snapshots of one engine."""
    return [s for s in snapshots if s.get("engine") == engine]
