"""Demo seed: a well-run database and a neglected one, each with a snapshot."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from srm_tui.demo.seeds.data_network import data_network

# A throwaway password for emulated databases; it is neither a finding nor a secret.
_DEMO_MASTER_PASSWORD = "demo-only-not-a-secret-1"


def _subnet_groups(session: Any, region: str) -> tuple[str, str]:
    """A DB subnet group of private subnets and one of subnets routed to the internet."""
    network = data_network(session, region)
    rds = session.client("rds", region_name=region)
    for name in ("private", "public"):
        rds.create_db_subnet_group(
            DBSubnetGroupName=f"demo-{name}", DBSubnetGroupDescription=f"{name} subnets",
            SubnetIds=network[name],
        )  # fmt: skip
    return "demo-private", "demo-public"


def seed(session: Any, regions: Sequence[str], scale: int = 1) -> None:
    """Per region and ``scale``: ``orders-db-N`` (encrypted, private in private subnets,
    Multi-AZ, minor upgrades, 14 days of backups, deletion protection, Enhanced
    Monitoring, its logs and tags exported, IAM authentication, a custom port and
    administrator name, private snapshot), ``legacy-db-N`` (none of that, in subnets
    routed to the internet, with an unencrypted snapshot any account may restore), and
    an encrypted Aurora cluster ``analytics-N`` with a private cluster snapshot."""
    for region in regions:
        rds = session.client("rds", region_name=region)
        private, public = _subnet_groups(session, region)
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
                MonitoringInterval=60,
                MonitoringRoleArn="arn:aws:iam::123456789012:role/rds-monitoring-role",
                EnableCloudwatchLogsExports=["postgresql", "upgrade"],
                EnableIAMDatabaseAuthentication=True,
                CopyTagsToSnapshot=True,
                Port=5433,
                DBSubnetGroupName=private,
            )
            rds.create_db_instance(
                DBInstanceIdentifier=f"legacy-db-{n}",
                Engine="mysql",
                DBInstanceClass="db.t3.small",
                AllocatedStorage=20,
                MasterUsername="admin",
                MasterUserPassword=_DEMO_MASTER_PASSWORD,
                StorageEncrypted=False,
                PubliclyAccessible=True,
                MultiAZ=False,
                AutoMinorVersionUpgrade=False,
                BackupRetentionPeriod=1,
                DBSubnetGroupName=public,
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
