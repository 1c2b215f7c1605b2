"""Demo seed: a well-run database and a neglected one, each with a snapshot."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

# A throwaway password for emulated databases; it is neither a finding nor a secret.
_DEMO_MASTER_PASSWORD = "demo-only-not-a-secret-1"


def seed(session: Any, regions: Sequence[str], scale: int = 1) -> None:
    """Per region and ``scale``: ``orders-db-N`` (encrypted, private, Multi-AZ, minor
    upgrades, 14 days of backups, deletion protection, private snapshot), ``legacy-db-N``
    (none of that, with an unencrypted snapshot any account may restore), and an
    encrypted Aurora cluster ``analytics-N`` with a private cluster snapshot."""
    for region in regions:
        rds = session.client("rds", region_name=region)
        for n in range(scale):
            rds.create_db_instance(
                DBInstanceIdentifier=f"orders-db-{n}",
                Engine="postgres",
                DBInstanceClass="db.t3.medium",
                AllocatedStorage=20,
                MasterUsername="orders_admin",
                MasterUserPassword=_DEMO_MASTER_PASSWORD,
                StorageEncrypted=True,
                PubliclyAccessible=False,
                MultiAZ=True,
                AutoMinorVersionUpgrade=True,
                BackupRetentionPeriod=14,
                DeletionProtection=True,
            )
            rds.create_db_instance(
                DBInstanceIdentifier=f"legacy-db-{n}",
                Engine="mysql",
                DBInstanceClass="db.t3.small",
                AllocatedStorage=20,
                MasterUsername="admin_legacy",
                MasterUserPassword=_DEMO_MASTER_PASSWORD,
                StorageEncrypted=False,
                PubliclyAccessible=True,
                MultiAZ=False,
                AutoMinorVersionUpgrade=False,
                BackupRetentionPeriod=1,
            )
            rds.create_db_snapshot(
                DBInstanceIdentifier=f"orders-db-{n}", DBSnapshotIdentifier=f"orders-db-{n}-manual"
            )
            rds.create_db_snapshot(
                DBInstanceIdentifier=f"legacy-db-{n}", DBSnapshotIdentifier=f"legacy-db-{n}-export"
            )
            rds.create_db_cluster(
                DBClusterIdentifier=f"analytics-{n}",
                Engine="aurora-postgresql",
                MasterUsername="analytics_admin",
                MasterUserPassword=_DEMO_MASTER_PASSWORD,
                StorageEncrypted=True,
            )
            rds.create_db_cluster_snapshot(
                DBClusterIdentifier=f"analytics-{n}",
                DBClusterSnapshotIdentifier=f"analytics-{n}-monthly",
            )
            rds.modify_db_snapshot_attribute(
                DBSnapshotIdentifier=f"legacy-db-{n}-export",
                AttributeName="restore",
                ValuesToAdd=["all"],
            )
