"""Demo seed: Aurora MySQL and PostgreSQL clusters, Multi-AZ DB clusters and Neptune
clusters, one well-run and one neglected of each kind."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from srm_tui.demo.seeds.rds import _DEMO_MASTER_PASSWORD

_AUDIT = ("server_audit_logging", "server_audit_events")


def _audit_group(rds: Any, name: str, logging: str, events: str) -> str:
    rds.create_db_cluster_parameter_group(
        DBClusterParameterGroupName=name, DBParameterGroupFamily="aurora-mysql8.0",
        Description=name,
    )  # fmt: skip
    rds.modify_db_cluster_parameter_group(
        DBClusterParameterGroupName=name,
        Parameters=[
            {"ParameterName": key, "ParameterValue": value, "ApplyMethod": "immediate"}
            for key, value in zip(_AUDIT, (logging, events), strict=True)
            if value
        ],
    )
    return name


def _aurora(rds: Any, region: str, n: int, audited: str, silent: str) -> None:
    rds.create_db_cluster(
        DBClusterIdentifier=f"ledger-{n}", Engine="aurora-mysql", MasterUsername="ledger_admin",
        MasterUserPassword=_DEMO_MASTER_PASSWORD, StorageEncrypted=True, DeletionProtection=True,
        EnableIAMDatabaseAuthentication=True, BacktrackWindow=86400, CopyTagsToSnapshot=True,
        EnableCloudwatchLogsExports=["audit", "error", "general", "slowquery"],
        DBClusterParameterGroupName=audited,
    )  # fmt: skip
    for zone in "ab":  # readers in two zones make the cluster Multi-AZ
        rds.create_db_instance(
            DBInstanceIdentifier=f"ledger-{n}-{zone}", DBClusterIdentifier=f"ledger-{n}",
            Engine="aurora-mysql", DBInstanceClass="db.r6g.large",
            AvailabilityZone=f"{region}{zone}", StorageEncrypted=True,
        )  # fmt: skip
    rds.create_db_cluster(
        DBClusterIdentifier=f"queue-{n}", Engine="aurora-mysql", MasterUsername="admin",
        MasterUserPassword=_DEMO_MASTER_PASSWORD, DBClusterParameterGroupName=silent,
    )  # fmt: skip
    rds.create_db_cluster(
        DBClusterIdentifier=f"metrics-{n}", Engine="aurora-postgresql",
        MasterUsername="metrics_admin", MasterUserPassword=_DEMO_MASTER_PASSWORD,
        StorageEncrypted=True, EnableCloudwatchLogsExports=["postgresql"],
    )  # fmt: skip


def _multi_az(rds: Any, n: int, kept: str) -> None:
    """A PostgreSQL and a MySQL Multi-AZ DB cluster; the ``kept`` engine's copies tags
    to snapshots and takes minor upgrades, the other does neither."""
    for engine, name in (("postgres", "billing"), ("mysql", "events")):
        good = engine == kept
        rds.create_db_cluster(
            DBClusterIdentifier=f"{name}-{n}", Engine=engine, MasterUsername=f"{name}_admin",
            MasterUserPassword=_DEMO_MASTER_PASSWORD, DBClusterInstanceClass="db.m5d.large",
            AllocatedStorage=100, StorageType="io1", Iops=1000,
            CopyTagsToSnapshot=good, AutoMinorVersionUpgrade=good,
        )  # fmt: skip


def _neptune(rds: Any, n: int) -> None:
    rds.create_db_cluster(
        DBClusterIdentifier=f"graph-{n}", Engine="neptune", StorageEncrypted=True,
        DeletionProtection=True, EnableCloudwatchLogsExports=["audit"], BackupRetentionPeriod=14,
        CopyTagsToSnapshot=True,
    )  # fmt: skip
    rds.create_db_cluster(DBClusterIdentifier=f"graph-legacy-{n}", Engine="neptune")
    rds.create_db_cluster_snapshot(
        DBClusterIdentifier=f"graph-{n}", DBClusterSnapshotIdentifier=f"graph-{n}-weekly"
    )
    rds.create_db_cluster_snapshot(
        DBClusterIdentifier=f"graph-legacy-{n}",
        DBClusterSnapshotIdentifier=f"graph-legacy-{n}-copy",
    )
    rds.modify_db_cluster_snapshot_attribute(
        DBClusterSnapshotIdentifier=f"graph-legacy-{n}-copy", AttributeName="restore",
        ValuesToAdd=["all"],
    )  # fmt: skip


def seed(session: Any, regions: Sequence[str], scale: int = 1) -> None:
    """Per region and ``scale``: Aurora MySQL ``ledger-N`` (encrypted, protected, IAM
    authentication, backtracking, tags copied, logs published, audit logging on, readers
    in two zones) and ``queue-N`` (none of that); Aurora PostgreSQL ``metrics-N`` (logs
    published); Multi-AZ DB clusters ``billing-N`` (PostgreSQL) and ``events-N`` (MySQL),
    the first region's PostgreSQL one and the second's MySQL one well kept; Neptune
    ``graph-N`` (encrypted, protected, audited, 14 days of backups, tags copied, private
    snapshot) and ``graph-legacy-N`` (none of that, with a snapshot anyone may restore)."""
    for index, region in enumerate(regions):
        rds = session.client("rds", region_name=region)
        audited = _audit_group(rds, "aurora-audit", "1", "CONNECT,QUERY_DCL,QUERY_DDL")
        silent = _audit_group(rds, "aurora-quiet", "0", "")
        for n in range(scale):
            _aurora(rds, region, n, audited, silent)
            _multi_az(rds, n, "postgres" if index % 2 == 0 else "mysql")
            _neptune(rds, n)
