"""RDS: DB instances and the manual snapshots with who may restore them."""

from __future__ import annotations

from typing import Any

from srm_tui.aws.api import Api
from srm_tui.aws.collectors import collector


@collector(
    "rds.instances",
    service="rds",
    api_calls=("rds:DescribeDBInstances",),
    in_use=bool,
)
def instances(api: Api, region: str) -> list[dict[str, Any]]:
    """Each DB instance with the settings the checks read."""
    return [
        {
            "id": db.get("DBInstanceIdentifier", ""),
            "arn": db.get("DBInstanceArn", ""),
            "engine": db.get("Engine", ""),
            "cluster": db.get("DBClusterIdentifier", ""),
            "encrypted": bool(db.get("StorageEncrypted")),
            "public": bool(db.get("PubliclyAccessible")),
            "multi_az": bool(db.get("MultiAZ")),
            "auto_minor_upgrade": bool(db.get("AutoMinorVersionUpgrade")),
            "backup_retention": int(db.get("BackupRetentionPeriod") or 0),
            "read_replica_of": db.get("ReadReplicaSourceDBInstanceIdentifier", ""),
            "deletion_protection": bool(db.get("DeletionProtection")),
        }
        for db in api.pages("rds", None, "describe_db_instances", "DBInstances")
    ]


def _restore_accounts(attributes: list[dict[str, Any]]) -> list[str]:
    return [
        value
        for attribute in attributes
        if attribute.get("AttributeName") == "restore"
        for value in attribute.get("AttributeValues") or []
    ]


@collector(
    "rds.snapshots",
    service="rds",
    api_calls=(
        "rds:DescribeDBSnapshots",
        "rds:DescribeDBSnapshotAttributes",
        "rds:DescribeDBClusterSnapshots",
        "rds:DescribeDBClusterSnapshotAttributes",
    ),
)
def snapshots(api: Api, region: str) -> list[dict[str, Any]]:
    """Each manual DB and DB cluster snapshot (only those can be shared): whether it is
    encrypted and the accounts allowed to restore it ("all" means public)."""
    found = []
    for snap in api.pages(
        "rds", None, "describe_db_snapshots", "DBSnapshots", SnapshotType="manual"
    ):
        result = api.call(
            "rds", None, "describe_db_snapshot_attributes",
            DBSnapshotIdentifier=snap["DBSnapshotIdentifier"],
        )["DBSnapshotAttributesResult"]  # fmt: skip
        found.append(
            {
                "id": snap["DBSnapshotIdentifier"],
                "arn": snap.get("DBSnapshotArn", ""),
                "kind": "instance",
                "encrypted": bool(snap.get("Encrypted")),
                "restore": _restore_accounts(result.get("DBSnapshotAttributes") or []),
            }
        )
    for snap in api.pages(
        "rds", None, "describe_db_cluster_snapshots", "DBClusterSnapshots", SnapshotType="manual"
    ):
        result = api.call(
            "rds", None, "describe_db_cluster_snapshot_attributes",
            DBClusterSnapshotIdentifier=snap["DBClusterSnapshotIdentifier"],
        )["DBClusterSnapshotAttributesResult"]  # fmt: skip
        found.append(
            {
                "id": snap["DBClusterSnapshotIdentifier"],
                "arn": snap.get("DBClusterSnapshotArn", ""),
                "kind": "cluster",
                "encrypted": bool(snap.get("StorageEncrypted")),
                "restore": _restore_accounts(result.get("DBClusterSnapshotAttributes") or []),
            }
        )
    return found
