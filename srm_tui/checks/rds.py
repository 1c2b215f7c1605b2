"""RDS checks, over DB instances and manual snapshots."""

from __future__ import annotations

from collections.abc import Iterable

from srm_tui.checks.context import Context, check
from srm_tui.model import Finding

#: Days of automated backups below which RDS.11 fails.
MIN_BACKUP_DAYS = 7


@check("rds.encrypted", needs=("rds.instances",))
def encrypted(ctx: Context) -> Iterable[Finding]:
    for db in ctx.data("rds.instances"):
        if db["encrypted"]:
            yield ctx.ok(db["arn"], "storage encrypted")
        else:
            yield ctx.fail(db["arn"], "storage not encrypted")


@check("rds.auto_minor_upgrade", needs=("rds.instances",))
def auto_minor_upgrade(ctx: Context) -> Iterable[Finding]:
    for db in ctx.data("rds.instances"):
        if db["auto_minor_upgrade"]:
            yield ctx.ok(db["arn"], "auto minor version upgrade on")
        else:
            yield ctx.fail(db["arn"], "auto minor version upgrade off")


@check("rds.public_access", needs=("rds.instances",))
def public_access(ctx: Context) -> Iterable[Finding]:
    for db in ctx.data("rds.instances"):
        if db["public"]:
            yield ctx.fail(db["arn"], "publicly accessible")
        else:
            yield ctx.ok(db["arn"], "not publicly accessible")


@check("rds.multi_az", needs=("rds.instances",))
def multi_az(ctx: Context) -> Iterable[Finding]:
    for db in ctx.data("rds.instances"):
        if db["cluster"]:
            yield ctx.na(db["arn"], f"member of cluster {db['cluster']}: the cluster decides")
        elif db["read_replica_of"]:
            yield ctx.na(db["arn"], f"read replica of {db['read_replica_of']}")
        elif db["multi_az"]:
            yield ctx.ok(db["arn"], "Multi-AZ")
        else:
            yield ctx.fail(db["arn"], "single Availability Zone")


@check("rds.public_snapshots", needs=("rds.snapshots",))
def public_snapshots(ctx: Context) -> Iterable[Finding]:
    for snap in ctx.data("rds.snapshots"):
        if "all" in snap["restore"]:
            yield ctx.fail(snap["arn"], f"{snap['kind']} snapshot restorable by any account")
        elif snap["restore"]:
            yield ctx.ok(snap["arn"], "shared with " + ", ".join(snap["restore"]))
        else:
            yield ctx.ok(snap["arn"], "private")


@check("rds.backup_retention", needs=("rds.instances",))
def backup_retention(ctx: Context) -> Iterable[Finding]:
    for db in ctx.data("rds.instances"):
        days = db["backup_retention"]
        if db["read_replica_of"]:
            yield ctx.na(db["arn"], f"read replica of {db['read_replica_of']}")
        elif days >= MIN_BACKUP_DAYS:
            yield ctx.ok(db["arn"], f"backups kept {days} days")
        elif days == 0:
            yield ctx.fail(db["arn"], "automated backups disabled")
        else:
            yield ctx.fail(db["arn"], f"backups kept only {days} days")


@check("rds.snapshot_encrypted", needs=("rds.snapshots",))
def snapshot_encrypted(ctx: Context) -> Iterable[Finding]:
    for snap in ctx.data("rds.snapshots"):
        if snap["encrypted"]:
            yield ctx.ok(snap["arn"], f"{snap['kind']} snapshot encrypted")
        else:
            yield ctx.fail(snap["arn"], f"{snap['kind']} snapshot not encrypted")


@check("rds.deletion_protection", needs=("rds.instances",))
def deletion_protection(ctx: Context) -> Iterable[Finding]:
    for db in ctx.data("rds.instances"):
        if db["cluster"]:
            yield ctx.na(db["arn"], f"member of cluster {db['cluster']}: the cluster decides")
        elif db["deletion_protection"]:
            yield ctx.ok(db["arn"], "deletion protection on")
        else:
            yield ctx.fail(db["arn"], "deletion protection off")
