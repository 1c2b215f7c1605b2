"""RDS and the engines that share its API (Aurora, DocumentDB, Neptune): DB instances,
DB clusters, snapshots with who may restore them, event subscriptions, proxies, and
the few parameter-group settings the checks read.

One listing per region serves every engine: DescribeDBInstances and
DescribeDBClusters answer DocumentDB and Neptune resources too, each with its
``Engine``; the checks of each service pick their own.
"""

from __future__ import annotations

from typing import Any

from srm_tui.aws.api import Api
from srm_tui.aws.collect.paged_detail import paged_detail
from srm_tui.aws.collectors import collector
from srm_tui.collected import Unreadable

#: Engines whose instance parameter groups the checks read, and the parameters they read.
INSTANCE_PARAMETERS = {
    "sqlserver": ("rds.force_ssl",),  # RDS.41
    "mariadb": ("require_secure_transport",),  # RDS.44
}
#: Engines that only share RDS's API: their resources show their own service in use.
OTHER_SERVICES = ("docdb", "neptune")
#: The same for cluster parameter groups.
CLUSTER_PARAMETERS = {
    "aurora-mysql": ("server_audit_logging", "server_audit_events"),  # RDS.45
    "docdb": ("tls",),  # DocumentDB.6
}


def _engine_key(engine: str, table: dict[str, tuple[str, ...]]) -> str:
    """The entry of ``table`` an engine falls under ("sqlserver-ee" -> "sqlserver")."""
    for key in table:
        if engine == key or engine.startswith(key + "-"):
            return key
    return ""


def _rds_in_use(found: list[dict[str, Any]]) -> bool:
    return any(db["engine"] not in OTHER_SERVICES for db in found)


def _instance(db: dict[str, Any]) -> dict[str, Any]:
    subnet_group = db.get("DBSubnetGroup") or {}
    endpoint = db.get("Endpoint") or {}
    return {
        "id": db.get("DBInstanceIdentifier", ""),
        "arn": db.get("DBInstanceArn", ""),
        "engine": db.get("Engine", ""),
        "engine_version": db.get("EngineVersion", ""),
        "status": db.get("DBInstanceStatus", ""),
        "cluster": db.get("DBClusterIdentifier", ""),
        "encrypted": bool(db.get("StorageEncrypted")),
        "public": bool(db.get("PubliclyAccessible")),
        "multi_az": bool(db.get("MultiAZ")),
        "auto_minor_upgrade": bool(db.get("AutoMinorVersionUpgrade")),
        "backup_retention": int(db.get("BackupRetentionPeriod") or 0),
        # A read replica's source: a DB instance, or a Multi-AZ DB cluster.
        "read_replica_of": db.get("ReadReplicaSourceDBInstanceIdentifier")
        or db.get("ReadReplicaSourceDBClusterIdentifier", ""),
        "deletion_protection": bool(db.get("DeletionProtection")),
        "monitoring_interval": int(db.get("MonitoringInterval") or 0),
        "log_exports": list(db.get("EnabledCloudwatchLogsExports") or []),
        "iam_auth": bool(db.get("IAMDatabaseAuthenticationEnabled")),
        "copy_tags": bool(db.get("CopyTagsToSnapshot")),
        "port": int(endpoint.get("Port") or db.get("DbInstancePort") or 0),
        "master_username": db.get("MasterUsername", ""),
        "parameter_groups": [
            {"name": g.get("DBParameterGroupName", ""), "status": g.get("ParameterApplyStatus", "")}
            for g in db.get("DBParameterGroups") or []
        ],
        "vpc": subnet_group.get("VpcId", ""),
        "subnets": [s.get("SubnetIdentifier", "") for s in subnet_group.get("Subnets") or []],
    }


@collector(
    "rds.instances",
    service="rds",
    api_calls=("rds:DescribeDBInstances",),
    in_use=_rds_in_use,
)
def instances(api: Api, region: str) -> list[dict[str, Any]]:
    """Each DB instance (every engine) with the settings the checks read."""
    return [_instance(db) for db in api.pages("rds", None, "describe_db_instances", "DBInstances")]


def _cluster(db: dict[str, Any]) -> dict[str, Any]:
    members = db.get("DBClusterMembers") or []
    upgrade = db.get("AutoMinorVersionUpgrade")
    return {
        "id": db.get("DBClusterIdentifier", ""),
        "arn": db.get("DBClusterArn", ""),
        "engine": db.get("Engine", ""),
        "engine_mode": db.get("EngineMode", ""),
        "engine_version": db.get("EngineVersion", ""),
        "encrypted": bool(db.get("StorageEncrypted")),
        "deletion_protection": bool(db.get("DeletionProtection")),
        "iam_auth": bool(db.get("IAMDatabaseAuthenticationEnabled")),
        "backtrack_window": int(db.get("BacktrackWindow") or 0),  # seconds
        "multi_az": bool(db.get("MultiAZ")),
        "copy_tags": bool(db.get("CopyTagsToSnapshot")),
        "master_username": db.get("MasterUsername", ""),
        "log_exports": list(db.get("EnabledCloudwatchLogsExports") or []),
        # Only Multi-AZ DB clusters carry the setting; None elsewhere.
        "auto_minor_upgrade": None if upgrade is None else bool(upgrade),
        "backup_retention": int(db.get("BackupRetentionPeriod") or 0),
        "parameter_group": db.get("DBClusterParameterGroup", ""),
        "parameter_group_status": [m.get("DBClusterParameterGroupStatus", "") for m in members],
        "port": int(db.get("Port") or 0),
    }


@collector(
    "rds.clusters",
    service="rds",
    api_calls=("rds:DescribeDBClusters",),
    in_use=_rds_in_use,
)
def clusters(api: Api, region: str) -> list[dict[str, Any]]:
    """Each DB cluster of every engine (Aurora, Multi-AZ DB clusters, DocumentDB,
    Neptune) with the settings the checks read."""
    return [_cluster(db) for db in api.pages("rds", None, "describe_db_clusters", "DBClusters")]


def _engine_clusters(api: Api, engine: str) -> list[dict[str, Any]]:
    return [db for db in api.data("rds.clusters") if db["engine"] == engine]


# DocumentDB's and Neptune's own APIs are DescribeDBClusters filtered on their engine:
# their clusters come out of the one listing above, under their own service name so
# that the scan records the service as in use.
@collector(
    "docdb.clusters",
    service="docdb",
    api_calls=("rds:DescribeDBClusters",),
    in_use=bool,
    reads=("rds.clusters",),
)
def docdb_clusters(api: Api, region: str) -> list[dict[str, Any]]:
    """The DocumentDB clusters of ``rds.clusters``."""
    return _engine_clusters(api, "docdb")


@collector(
    "neptune.clusters",
    service="neptune",
    api_calls=("rds:DescribeDBClusters",),
    in_use=bool,
    reads=("rds.clusters",),
)
def neptune_clusters(api: Api, region: str) -> list[dict[str, Any]]:
    """The Neptune clusters of ``rds.clusters``."""
    return _engine_clusters(api, "neptune")


def _restore_accounts(attributes: list[dict[str, Any]]) -> list[str]:
    return [
        value
        for attribute in attributes
        if attribute.get("AttributeName") == "restore"
        for value in attribute.get("AttributeValues") or []
    ]


def _restore(api: Api, kind: str, ident: str) -> list[str] | Unreadable:
    """The accounts allowed to restore a manual snapshot ("all" means public)."""
    if kind == "instance":
        answer = api.detail(
            "rds", None, "describe_db_snapshot_attributes", DBSnapshotIdentifier=ident
        )
        field, inner = "DBSnapshotAttributesResult", "DBSnapshotAttributes"
    else:
        answer = api.detail(
            "rds", None, "describe_db_cluster_snapshot_attributes",
            DBClusterSnapshotIdentifier=ident,
        )  # fmt: skip
        field, inner = "DBClusterSnapshotAttributesResult", "DBClusterSnapshotAttributes"
    if isinstance(answer, Unreadable):
        return answer
    return _restore_accounts(((answer or {}).get(field) or {}).get(inner) or [])


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
    """The account's DB and DB cluster snapshots, automated and manual, of every engine:
    whether each is encrypted and, for manual ones (the only ones that can be shared),
    the accounts allowed to restore it ("all" means public). ``restore`` is None where
    sharing does not apply."""
    listed = [
        {
            "id": snap.get("DBSnapshotIdentifier", ""),
            "arn": snap.get("DBSnapshotArn", ""),
            "kind": "instance",
            "type": snap.get("SnapshotType", ""),
            "engine": snap.get("Engine", ""),
            "encrypted": bool(snap.get("Encrypted")),
        }
        for snap in api.pages("rds", None, "describe_db_snapshots", "DBSnapshots")
    ] + [
        {
            "id": snap.get("DBClusterSnapshotIdentifier", ""),
            "arn": snap.get("DBClusterSnapshotArn", ""),
            "kind": "cluster",
            "type": snap.get("SnapshotType", ""),
            "engine": snap.get("Engine", ""),
            "encrypted": bool(snap.get("StorageEncrypted")),
        }
        for snap in api.pages("rds", None, "describe_db_cluster_snapshots", "DBClusterSnapshots")
    ]

    def with_restore(snap: dict[str, Any]) -> dict[str, Any]:
        manual = snap["type"] == "manual"
        return {**snap, "restore": _restore(api, snap["kind"], snap["id"]) if manual else None}

    return api.each(with_restore, listed)


@collector(
    "rds.event_subscriptions",
    service="rds",
    api_calls=("rds:DescribeEventSubscriptions",),
)
def event_subscriptions(api: Api, region: str) -> list[dict[str, Any]]:
    """Each RDS event notification subscription: its source type, event categories
    (empty means all of them) and whether it is enabled."""
    return [
        {
            "id": sub.get("CustSubscriptionId", ""),
            "arn": sub.get("EventSubscriptionArn", ""),
            "source_type": sub.get("SourceType", ""),
            "categories": list(sub.get("EventCategoriesList") or []),
            "enabled": bool(sub.get("Enabled")),
        }
        for sub in api.pages("rds", None, "describe_event_subscriptions", "EventSubscriptionsList")
    ]


@collector("rds.proxies", service="rds", api_calls=("rds:DescribeDBProxies",))
def proxies(api: Api, region: str) -> list[dict[str, Any]]:
    """Each RDS proxy and whether it requires TLS."""
    return [
        {
            "name": proxy.get("DBProxyName", ""),
            "arn": proxy.get("DBProxyArn", ""),
            "require_tls": bool(proxy.get("RequireTLS")),
        }
        for proxy in api.pages("rds", None, "describe_db_proxies", "DBProxies")
    ]


def _wanted_values(parameters: list[Any] | Unreadable | None, wanted: set[str]) -> Any:
    """{name: value} of the wanted parameters (None: not set, the engine default);
    other parameters are dropped."""
    if isinstance(parameters, Unreadable):
        return parameters
    values: dict[str, str | None] = {}
    for parameter in parameters or []:
        name = parameter.get("ParameterName", "")
        if name in wanted:
            values[name] = parameter.get("ParameterValue")
    return values


@collector(
    "rds.instance_parameters",
    service="rds",
    api_calls=("rds:DescribeDBInstances", "rds:DescribeDBParameters"),
    reads=("rds.instances",),
)
def instance_parameters(api: Api, region: str) -> dict[str, Any]:
    """Parameter group name -> {parameter: value} for the groups of the engines whose
    transport settings the checks read (SQL Server, MariaDB); ``Unreadable`` for a
    group AWS refused. A parameter left at the engine default may have no value."""
    wanted: dict[str, set[str]] = {}
    for db in api.data("rds.instances"):
        key = _engine_key(db["engine"], INSTANCE_PARAMETERS)
        for group in db["parameter_groups"] if key else ():
            wanted.setdefault(group["name"], set()).update(INSTANCE_PARAMETERS[key])

    def read(name: str) -> tuple[str, Any]:
        found = paged_detail(
            api, "rds", "describe_db_parameters", "Parameters", DBParameterGroupName=name
        )
        return name, _wanted_values(found, wanted[name])

    return dict(api.each(read, sorted(n for n in wanted if n)))


@collector(
    "rds.cluster_parameters",
    service="rds",
    api_calls=("rds:DescribeDBClusters", "rds:DescribeDBClusterParameters"),
    reads=("rds.clusters",),
)
def cluster_parameters(api: Api, region: str) -> dict[str, Any]:
    """Cluster parameter group name -> {parameter: value} for the groups of the
    engines whose settings the checks read (Aurora MySQL audit logging, DocumentDB
    TLS); ``Unreadable`` for a group AWS refused."""
    wanted: dict[str, set[str]] = {}
    for db in api.data("rds.clusters"):
        # "aurora" is Aurora MySQL 1 (MySQL 5.6-compatible): RDS.45 judges it as Aurora MySQL.
        engine = "aurora-mysql" if db["engine"] == "aurora" else db["engine"]
        key = _engine_key(engine, CLUSTER_PARAMETERS)
        if key and db["parameter_group"]:
            wanted.setdefault(db["parameter_group"], set()).update(CLUSTER_PARAMETERS[key])

    def read(name: str) -> tuple[str, Any]:
        found = paged_detail(
            api, "rds", "describe_db_cluster_parameters", "Parameters",
            DBClusterParameterGroupName=name,
        )  # fmt: skip
        return name, _wanted_values(found, wanted[name])

    return dict(api.each(read, sorted(wanted)))
