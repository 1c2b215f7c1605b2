"""RDS checks, over DB instances and manual snapshots."""

from __future__ import annotations

from collections.abc import Iterable

import srm_tui.aws.collect.rds  # noqa: F401  (registers the collectors used here)
from srm_tui.checks.registry import Context, check
from srm_tui.model import Finding

_DOCS = "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide"
#: Days of automated backups below which RDS.11 fails.
MIN_BACKUP_DAYS = 7


@check(
    "rds.encrypted",
    title="RDS DB instances are encrypted at rest",
    service="rds",
    severity="medium",
    responsibility="customer",
    scope="regional",
    needs=("rds.instances",),
    frameworks={
        "cis-aws-7.0": ["3.2.1"],
        "aws-fsbp": ["RDS.3"],
        "nist-csf-2.0": ["PR.DS"],
        "iso-27017": ["10.1.1"],
    },
    remediation=(
        "Encryption is chosen at creation: snapshot the instance, copy the snapshot with a KMS "
        f"key, and restore from the encrypted copy. {_DOCS}/Overview.Encryption.html"
    ),
)
def encrypted(ctx: Context) -> Iterable[Finding]:
    for db in ctx.data("rds.instances"):
        if db["encrypted"]:
            yield ctx.ok(db["arn"], "storage encrypted")
        else:
            yield ctx.fail(db["arn"], "storage not encrypted")


@check(
    "rds.auto_minor_upgrade",
    title="RDS DB instances take minor engine upgrades automatically",
    service="rds",
    severity="high",
    responsibility="shared",
    scope="regional",
    needs=("rds.instances",),
    frameworks={
        "cis-aws-7.0": ["3.2.2"],
        "aws-fsbp": ["RDS.13"],
        "nist-csf-2.0": ["PR.PS"],
        "iso-27017": ["12.6.1"],
    },
    remediation=(
        "Turn on auto minor version upgrade so engine security fixes are applied in the "
        f"maintenance window. {_DOCS}/USER_UpgradeDBInstance.Upgrading.html"
    ),
)
def auto_minor_upgrade(ctx: Context) -> Iterable[Finding]:
    for db in ctx.data("rds.instances"):
        if db["auto_minor_upgrade"]:
            yield ctx.ok(db["arn"], "auto minor version upgrade on")
        else:
            yield ctx.fail(db["arn"], "auto minor version upgrade off")


@check(
    "rds.public_access",
    title="RDS DB instances are not publicly accessible",
    service="rds",
    severity="critical",
    responsibility="customer",
    scope="regional",
    needs=("rds.instances",),
    frameworks={
        "cis-aws-7.0": ["3.2.3"],
        "aws-fsbp": ["RDS.2"],
        "nist-csf-2.0": ["PR.IR", "PR.AA"],
        "iso-27017": ["13.1.1"],
    },
    remediation=(
        "Set PubliclyAccessible to false and reach the database from inside the VPC (or "
        f"through a bastion or VPN). {_DOCS}/USER_VPC.WorkingWithRDSInstanceinaVPC.html"
    ),
)
def public_access(ctx: Context) -> Iterable[Finding]:
    for db in ctx.data("rds.instances"):
        if db["public"]:
            yield ctx.fail(db["arn"], "publicly accessible")
        else:
            yield ctx.ok(db["arn"], "not publicly accessible")


@check(
    "rds.multi_az",
    title="RDS DB instances are deployed in several Availability Zones",
    service="rds",
    severity="medium",
    responsibility="customer",
    scope="regional",
    needs=("rds.instances",),
    frameworks={
        "cis-aws-7.0": ["3.2.4"],
        "aws-fsbp": ["RDS.5"],
        "nist-csf-2.0": ["PR.IR"],
        "iso-27017": ["17.2.1"],
    },
    remediation=(
        "Modify the instance to a Multi-AZ deployment (a standby in another zone). "
        f"{_DOCS}/Concepts.MultiAZ.html"
    ),
)
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


@check(
    "rds.public_snapshots",
    title="RDS snapshots are not public",
    service="rds",
    severity="critical",
    responsibility="customer",
    scope="regional",
    needs=("rds.snapshots",),
    frameworks={"aws-fsbp": ["RDS.1"], "nist-csf-2.0": ["PR.DS", "PR.AA"], "iso-27017": ["9.4.1"]},
    remediation=(
        "Remove 'all' from the snapshot's restore attribute (share with named accounts only). "
        f"{_DOCS}/USER_ShareSnapshot.html"
    ),
)
def public_snapshots(ctx: Context) -> Iterable[Finding]:
    for snap in ctx.data("rds.snapshots"):
        if "all" in snap["restore"]:
            yield ctx.fail(snap["arn"], f"{snap['kind']} snapshot restorable by any account")
        elif snap["restore"]:
            yield ctx.ok(snap["arn"], "shared with " + ", ".join(snap["restore"]))
        else:
            yield ctx.ok(snap["arn"], "private")


@check(
    "rds.backup_retention",
    title=f"RDS DB instances keep automated backups for {MIN_BACKUP_DAYS} days or more",
    service="rds",
    severity="medium",
    responsibility="customer",
    scope="regional",
    needs=("rds.instances",),
    frameworks={
        "aws-fsbp": ["RDS.11"],
        "nist-csf-2.0": ["PR.DS", "RC.RP"],
        "iso-27017": ["12.3.1"],
    },
    remediation=(
        f"Set the backup retention period to {MIN_BACKUP_DAYS} days or more. "
        f"{_DOCS}/USER_WorkingWithAutomatedBackups.html"
    ),
)
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


@check(
    "rds.snapshot_encrypted",
    title="RDS snapshots are encrypted at rest",
    service="rds",
    severity="medium",
    responsibility="customer",
    scope="regional",
    needs=("rds.snapshots",),
    frameworks={"aws-fsbp": ["RDS.4"], "nist-csf-2.0": ["PR.DS"], "iso-27017": ["10.1.1"]},
    remediation=(
        "Copy the snapshot with a KMS key (the copy is encrypted), delete the unencrypted one, "
        f"and encrypt the source database. {_DOCS}/USER_CopySnapshot.html"
    ),
)
def snapshot_encrypted(ctx: Context) -> Iterable[Finding]:
    for snap in ctx.data("rds.snapshots"):
        if snap["encrypted"]:
            yield ctx.ok(snap["arn"], f"{snap['kind']} snapshot encrypted")
        else:
            yield ctx.fail(snap["arn"], f"{snap['kind']} snapshot not encrypted")


@check(
    "rds.deletion_protection",
    title="RDS DB instances are protected from deletion",
    service="rds",
    severity="low",
    responsibility="customer",
    scope="regional",
    needs=("rds.instances",),
    frameworks={"aws-fsbp": ["RDS.8"], "nist-csf-2.0": ["PR.DS", "PR.IR"]},
    remediation=(
        "Turn on deletion protection so that the instance cannot be deleted until it is "
        f"turned off again. {_DOCS}/USER_DeleteInstance.html#USER_DeleteInstance.DeletionProtection"
    ),
)
def deletion_protection(ctx: Context) -> Iterable[Finding]:
    for db in ctx.data("rds.instances"):
        if db["cluster"]:
            yield ctx.na(db["arn"], f"member of cluster {db['cluster']}: the cluster decides")
        elif db["deletion_protection"]:
            yield ctx.ok(db["arn"], "deletion protection on")
        else:
            yield ctx.fail(db["arn"], "deletion protection off")
