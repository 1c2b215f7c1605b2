"""The data-service checks (RDS, DocumentDB, Neptune, DynamoDB, Redshift, EFS) over
hand-made collected data: each control's passing and failing resources, what it does
not judge, and its parameters."""

from __future__ import annotations

from typing import Any

import pytest

from srm_tui.collected import Unreadable
from srm_tui.model import Status
from tests.checks.engine_helpers import run, statuses

P, F, NA, ERR = Status.PASS, Status.FAIL, Status.NOT_APPLICABLE, Status.ERROR
RDS_ARN = "arn:aws:rds:us-east-1:123456789012"


def _db(name: str = "db", **changes: Any) -> dict[str, Any]:
    db = {
        "id": name, "arn": f"{RDS_ARN}:db:{name}", "engine": "postgres",
        "engine_version": "16.3", "status": "available", "cluster": "", "encrypted": True,
        "public": False, "multi_az": True, "auto_minor_upgrade": True, "backup_retention": 7,
        "read_replica_of": "", "deletion_protection": True, "monitoring_interval": 60,
        "log_exports": ["postgresql", "upgrade"], "iam_auth": True, "copy_tags": True,
        "port": 5433, "master_username": "app_admin",
        "parameter_groups": [{"name": "default.postgres16", "status": "in-sync"}],
        "vpc": "vpc-1", "subnets": ["subnet-private"],
    }  # fmt: skip
    db.update(changes)
    return db


def _cluster(name: str = "c", **changes: Any) -> dict[str, Any]:
    db = {
        "id": name, "arn": f"{RDS_ARN}:cluster:{name}", "engine": "aurora-mysql",
        "engine_mode": "provisioned", "engine_version": "8.0", "encrypted": True,
        "deletion_protection": True, "iam_auth": True, "backtrack_window": 86400,
        "multi_az": True, "copy_tags": True, "master_username": "app_admin",
        "log_exports": ["audit", "error", "general", "slowquery"], "auto_minor_upgrade": None,
        "backup_retention": 7, "parameter_group": "audited",
        "parameter_group_status": ["in-sync", "in-sync"], "port": 3306,
    }  # fmt: skip
    db.update(changes)
    return db


def _one(check: str, data: dict[str, Any], **kw: Any) -> Any:
    (finding,) = run(check, data, **kw)
    return finding


def _instances(check: str, *dbs: dict[str, Any], clusters=(), **data: Any) -> list[Status]:
    return statuses(
        run(check, {"rds.instances": list(dbs), "rds.clusters": list(clusters), **data})
    )


def _clusters(check: str, *dbs: dict[str, Any], **data: Any) -> list[Status]:
    return statuses(run(check, {"rds.clusters": list(dbs), **data}))


# --- RDS instances -----------------------------------------------------------------------


def test_enhanced_monitoring_and_its_interval_parameter():
    dbs = (_db("a"), _db("b", monitoring_interval=0), _db("d", engine="docdb"))
    assert _instances("rds.enhanced_monitoring", *dbs) == [P, F, NA]
    findings = run(
        "rds.enhanced_monitoring", {"rds.instances": [_db("a"), _db("b", monitoring_interval=30)]},
        parameters={"monitoring_interval": 30},
    )  # fmt: skip
    assert statuses(findings) == [F, P]
    assert "not 30 s" in findings[0].detail


def test_cloudwatch_logs_per_engine():
    member = _db("m", engine="aurora-mysql", cluster="c", log_exports=[])
    dbs = (
        _db("pg"),
        _db("my", engine="mysql", log_exports=["error", "general"]),
        _db("ss", engine="sqlserver-ee", log_exports=["error", "agent"]),
        _db("ora", engine="oracle-ee-cdb", log_exports=["alert", "audit", "trace"]),
        member,
        _db("doc", engine="docdb"),
        _db("db2", engine="db2-se"),
    )
    found = run("rds.cloudwatch_logs", {"rds.instances": list(dbs), "rds.clusters": [_cluster()]})
    assert statuses(found) == [P, F, P, F, P, NA, NA]
    assert found[1].detail.endswith("audit, slowquery")
    assert found[3].detail.endswith("listener")


def test_iam_authentication_engines_and_states():
    dbs = (
        _db("on"),
        _db("off", engine="mariadb", iam_auth=False),
        _db("ora", engine="oracle-se2", iam_auth=False),
        _db("stopped", iam_auth=False, status="stopped"),
    )
    assert _instances("rds.iam_authentication", *dbs) == [P, F, NA, NA]


def test_copy_tags_port_and_administrator_name_skip_cluster_members():
    member = _db("m", engine="aurora-postgresql", cluster="c", copy_tags=False, port=5432)
    assert _instances(
        "rds.copy_tags_to_snapshots", _db("a"), _db("b", copy_tags=False), member,
        _db("n", engine="neptune"),
    ) == [P, F, NA, NA]  # fmt: skip
    assert _instances(
        "rds.non_default_port", _db("a"), _db("b", port=5432),
        _db("c", engine="sqlserver-web", port=1433), member, _db("x", engine="custom-sqlserver-ee"),
    ) == [P, F, F, NA, NA]  # fmt: skip
    assert _instances(
        "rds.custom_admin", _db("a"), _db("b", master_username="admin"),
        _db("c", master_username="postgres"), _db("d", master_username="Admin"),
        _db("m", cluster="c", master_username="admin"), _db("doc", engine="docdb"),
    ) == [P, F, F, P, NA, NA]  # fmt: skip


def test_engine_log_checks_judge_their_engine_only():
    dbs = (_db("pg"), _db("pg2", log_exports=["upgrade"]), _db("my", engine="mysql"))
    assert _instances("rds.postgres_logs", *dbs) == [P, F]
    sql = (
        _db("s1", engine="sqlserver-se", log_exports=["agent", "error"]),
        _db("s2", engine="sqlserver-ex", log_exports=["error"]),
    )
    assert _instances("rds.sqlserver_logs", *sql) == [P, F]
    data = {"rds.instances": list(sql), "rds.clusters": []}
    assert statuses(run("rds.sqlserver_logs", data, parameters={"log_types": ["error"]})) == [P, P]
    maria = (
        _db("m1", engine="mariadb", log_exports=["audit", "error"]),
        _db("m2", engine="mariadb", log_exports=["error", "general"]),
    )
    assert _instances("rds.mariadb_logs", *maria) == [P, F]
    data = {"rds.instances": list(maria), "rds.clusters": []}
    assert statuses(run("rds.mariadb_logs", data, parameters={"log_types": ["general"]})) == [F, P]


def _tls(engine: str, group: str, status: str = "in-sync", **db: Any) -> dict[str, Any]:
    return _db(group, engine=engine, parameter_groups=[{"name": group, "status": status}], **db)


def test_sqlserver_tls_reads_force_ssl_in_sync():
    groups = {
        "forced": {"rds.force_ssl": "1"}, "off": {"rds.force_ssl": "0"}, "unset": {},
        "denied": Unreadable("access denied to rds:DescribeDBParameters"),
    }  # fmt: skip
    dbs = [
        _tls("sqlserver-se", "forced"), _tls("sqlserver-se", "off"),
        _tls("sqlserver-ee", "unset"), _tls("sqlserver-se", "forced", "pending-reboot"),
        _tls("sqlserver-se", "denied"), _tls("sqlserver-se", "missing"),
        _tls("postgres", "off"),
    ]  # fmt: skip
    found = run("rds.sqlserver_tls", {"rds.instances": dbs, "rds.instance_parameters": groups})
    assert statuses(found) == [P, F, F, F, ERR, ERR]
    assert "not set" in found[2].detail and "pending-reboot" in found[3].detail


def test_mariadb_tls_from_version_10_5():
    groups = {"on": {"require_secure_transport": "ON"}, "one": {"require_secure_transport": "1"},
              "off": {"require_secure_transport": "OFF"}}  # fmt: skip
    dbs = [
        _tls("mariadb", "on", engine_version="10.11.6"),
        _tls("mariadb", "one", engine_version="10.5.2"),
        _tls("mariadb", "off", engine_version="10.6.14"),
        _tls("mariadb", "off", engine_version="10.4.34"),
    ]
    found = run("rds.mariadb_tls", {"rds.instances": dbs, "rds.instance_parameters": groups})
    assert statuses(found) == [P, P, F, NA]


def test_public_subnet_follows_routes_to_internet_gateways():
    tables = [
        {"RouteTableId": "rtb-main", "VpcId": "vpc-1", "Associations": [{"Main": True}],
         "Routes": [{"DestinationCidrBlock": "10.0.0.0/16", "GatewayId": "local"}]},
        {"RouteTableId": "rtb-public", "VpcId": "vpc-1",
         "Associations": [{"SubnetId": "subnet-public"}],
         "Routes": [{"DestinationIpv6CidrBlock": "::/0", "GatewayId": "igw-1"}]},
        {"RouteTableId": "rtb-main2", "VpcId": "vpc-2", "Associations": [{"Main": True}],
         "Routes": [{"DestinationCidrBlock": "0.0.0.0/0", "GatewayId": "igw-2"}]},
        {"RouteTableId": "rtb-nat", "VpcId": "vpc-1", "Associations": [{"SubnetId": "subnet-nat"}],
         "Routes": [{"DestinationCidrBlock": "0.0.0.0/0", "NatGatewayId": "nat-1"}]},
    ]  # fmt: skip
    dbs = (
        _db("private"),
        _db("public", subnets=["subnet-private", "subnet-public"]),
        _db("main", vpc="vpc-2", subnets=["subnet-x"]),
        _db("nat", subnets=["subnet-nat"]),
        _db("none", subnets=[]),
    )
    found = run("rds.public_subnet", {"rds.instances": list(dbs), "ec2.route_tables": tables})
    assert statuses(found) == [P, F, F, P, NA]
    assert found[1].detail.endswith("subnet-public")


def test_proxy_tls():
    proxies = [
        {"name": "a", "arn": f"{RDS_ARN}:db-proxy:a", "require_tls": True},
        {"name": "b", "arn": f"{RDS_ARN}:db-proxy:b", "require_tls": False},
    ]
    assert statuses(run("rds.proxy_tls", {"rds.proxies": proxies})) == [P, F]


def test_existing_instance_checks_follow_their_controls():
    # RDS.8 judges only the engines AWS lists; RDS.5 judges read replicas too.
    assert _instances(
        "rds.deletion_protection", _db("a"), _db("b", engine="mysql", deletion_protection=False),
        _db("c", engine="aurora-mysql", cluster="c"), _db("d", engine="db2-ae"),
    ) == [P, F, NA, NA]  # fmt: skip
    replica = _db("r", read_replica_of="src", multi_az=False)
    assert _instances("rds.multi_az", replica) == [F]
    # RDS.11's minimum is a parameter (7 days by default).
    dbs = {"rds.instances": [_db("a", backup_retention=10)]}
    assert statuses(run("rds.backup_retention", dbs)) == [P]
    assert statuses(
        run("rds.backup_retention", dbs, parameters={"backup_retention_minimum": 14})
    ) == [F]


def _snap(name: str, **changes: Any) -> dict[str, Any]:
    snap = {"id": name, "arn": f"{RDS_ARN}:snapshot:{name}", "kind": "instance",
            "type": "manual", "engine": "postgres", "encrypted": True, "restore": []}  # fmt: skip
    snap.update(changes)
    return snap


def test_snapshots_automated_ones_and_unreadable_attributes():
    snaps = [
        _snap("auto", type="automated", encrypted=False, restore=None),
        _snap("denied", restore=Unreadable("access denied")),
        _snap("public", restore=["all"]),
    ]
    assert statuses(run("rds.snapshot_encrypted", {"rds.snapshots": snaps})) == [F, P, P]
    assert statuses(run("rds.public_snapshots", {"rds.snapshots": snaps})) == [ERR, F]


# --- RDS clusters --------------------------------------------------------------------------


def test_cluster_settings_and_the_engines_they_judge():
    docdb = _cluster("doc", engine="docdb", deletion_protection=False, iam_auth=False)
    bare = _cluster(
        "bare", engine="aurora-postgresql", deletion_protection=False, iam_auth=False,
        multi_az=False, encrypted=False, master_username="postgres",
    )  # fmt: skip
    assert _clusters("rds.cluster_deletion_protection", _cluster(), bare, docdb) == [P, F, F]
    assert _clusters("rds.cluster_iam_authentication", _cluster(), bare, docdb) == [P, F, NA]
    assert _clusters("rds.cluster_multi_az", _cluster(), bare, docdb) == [P, F, NA]
    assert _clusters("rds.cluster_encrypted", _cluster(), bare, docdb) == [P, F, NA]
    assert _clusters("rds.cluster_custom_admin", _cluster(), bare, docdb) == [P, F, NA]


def test_aurora_backtracking_and_its_window_parameter():
    clusters = [_cluster("a"), _cluster("b", backtrack_window=0),
                _cluster("pg", engine="aurora-postgresql", backtrack_window=0)]  # fmt: skip
    assert _clusters("rds.aurora_backtracking", *clusters) == [P, F]
    data = {"rds.clusters": clusters}
    found = run("rds.aurora_backtracking", data, parameters={"backtrack_window_in_hours": 48})
    assert statuses(found) == [F, F] and "under 48 h" in found[0].detail


def test_aurora_logs_and_copy_tags():
    mysql = (
        _cluster("a"), _cluster("b", log_exports=["error"], copy_tags=False),
        _cluster("v1", engine_mode="serverless", log_exports=[]),
    )  # fmt: skip
    assert _clusters("rds.aurora_mysql_audit_logs", *mysql) == [NA, P, F]
    pg = (_cluster("p", engine="aurora-postgresql", log_exports=["postgresql"]),
          _cluster("q", engine="aurora-postgresql", log_exports=[]))  # fmt: skip
    assert _clusters("rds.aurora_postgres_logs", *mysql, *pg) == [P, F]
    multi_az = _cluster("maz", engine="postgres", copy_tags=False)
    assert _clusters("rds.aurora_copy_tags", *mysql[:2], multi_az) == [P, F]


def test_multi_az_db_cluster_checks():
    clusters = (
        _cluster("pg", engine="postgres", auto_minor_upgrade=True, copy_tags=True),
        _cluster("my", engine="mysql", auto_minor_upgrade=False, copy_tags=False),
        _cluster("unknown", engine="mysql", auto_minor_upgrade=None, copy_tags=True),
        _cluster("aurora", auto_minor_upgrade=False, copy_tags=False),
    )
    assert _clusters("rds.cluster_auto_minor_upgrade", *clusters) == [P, F, NA]
    assert _clusters("rds.postgres_cluster_copy_tags", *clusters) == [P]
    assert _clusters("rds.mysql_cluster_copy_tags", *clusters) == [F, P]


def test_aurora_mysql_audit_logging_reads_the_cluster_parameter_group():
    groups = {
        "audited": {"server_audit_logging": "1", "server_audit_events": "CONNECT,QUERY"},
        "quiet": {"server_audit_logging": "0", "server_audit_events": "CONNECT"},
        "no_events": {"server_audit_logging": "1", "server_audit_events": ""},
        "denied": Unreadable("access denied to rds:DescribeDBClusterParameters"),
    }
    clusters = [
        _cluster("a"), _cluster("b", parameter_group="quiet"),
        _cluster("c", parameter_group="no_events"),
        _cluster("d", parameter_group_status=["in-sync", "pending-reboot"]),
        _cluster("e", parameter_group="denied"),
        _cluster("pg", engine="aurora-postgresql", parameter_group="quiet"),
    ]  # fmt: skip
    data = {"rds.clusters": clusters, "rds.cluster_parameters": groups}
    found = run("rds.aurora_mysql_audit_logging", data)
    assert statuses(found) == [P, F, F, F, ERR]
    assert "pending-reboot" in found[3].detail


# --- RDS event subscriptions ---------------------------------------------------------------


def _sub(source: str, categories: list[str], enabled: bool = True, name: str = "") -> dict:
    name = name or source
    return {"id": name, "arn": f"{RDS_ARN}:es:{name}", "source_type": source,
            "categories": categories, "enabled": enabled}  # fmt: skip


EVENT_CHECKS = (
    "rds.cluster_event_subscription", "rds.instance_event_subscription",
    "rds.parameter_group_event_subscription", "rds.security_group_event_subscription",
)  # fmt: skip


@pytest.mark.parametrize("check", EVENT_CHECKS)
def test_event_subscriptions_pass_when_the_region_has_none(check):
    finding = _one(check, {"rds.event_subscriptions": []})
    assert finding.status is P and finding.resource.endswith(":account")


def test_existing_cluster_and_instance_subscriptions_are_each_judged():
    subs = [
        _sub("db-cluster", ["maintenance", "failure"], name="a"),
        _sub("db-cluster", ["maintenance"], name="b"),
        _sub("db-cluster", [], enabled=False, name="c"),
        _sub("db-instance", [], name="d"),
    ]
    found = run("rds.cluster_event_subscription", {"rds.event_subscriptions": subs})
    assert statuses(found) == [P, F, F]
    assert found[1].detail.endswith("failure") and found[2].detail.endswith("disabled")
    found = run("rds.instance_event_subscription", {"rds.event_subscriptions": subs})
    assert statuses(found) == [P]
    only_clusters = {"rds.event_subscriptions": subs[:1]}
    assert _one("rds.instance_event_subscription", only_clusters).status is NA


def test_parameter_and_security_group_subscriptions_must_exist_once_any_does():
    subs = [_sub("db-instance", []), _sub("db-parameter-group", ["configuration change"])]
    data = {"rds.event_subscriptions": subs}
    assert _one("rds.parameter_group_event_subscription", data).status is P
    missing = _one("rds.security_group_event_subscription", data)
    assert missing.status is F and missing.resource.endswith(":account")
    subs.append(_sub("db-security-group", ["configuration change"]))
    assert _one("rds.security_group_event_subscription", data).status is F  # lacks failure
    subs.append(_sub("db-security-group", [], name="all"))
    assert _one("rds.security_group_event_subscription", data).status is P


# --- DocumentDB and Neptune ----------------------------------------------------------------


def test_documentdb_cluster_checks():
    good = _cluster("good", engine="docdb", parameter_group="tls", log_exports=["audit"])
    bad = _cluster(
        "bad", engine="docdb", encrypted=False, deletion_protection=False, backup_retention=1,
        log_exports=["profiler"], parameter_group="tls",
    )  # fmt: skip
    data = {"docdb.clusters": [good, bad]}
    for check in ("docdb.encrypted", "docdb.deletion_protection", "docdb.audit_logs",
                  "docdb.backup_retention"):  # fmt: skip
        assert statuses(run(check, data)) == [P, F], check
    longer = run("docdb.backup_retention", data, parameters={"minimum_backup_retention_period": 14})
    assert statuses(longer) == [F, F]


@pytest.mark.parametrize(
    ("tls", "in_sync", "expected"),
    [
        ("tls1.2+", True, P), ("fips-140-3", True, P), ("enabled", True, F),
        ("disabled", True, F), (None, True, F), ("tls1.3+", False, F),
    ],
)  # fmt: skip
def test_documentdb_tls(tls, in_sync, expected):
    values = {} if tls is None else {"tls": tls}
    cluster = _cluster(
        "d", engine="docdb", parameter_group="g",
        parameter_group_status=["in-sync"] if in_sync else ["pending-reboot"],
    )  # fmt: skip
    finding = _one(
        "docdb.tls", {"docdb.clusters": [cluster], "rds.cluster_parameters": {"g": values}}
    )
    assert finding.status is expected


def test_cluster_snapshots_of_each_engine():
    snaps = [
        _snap("doc", kind="cluster", engine="docdb", restore=["all"]),
        _snap("doc-auto", kind="cluster", engine="docdb", type="automated", restore=None),
        _snap("nep", kind="cluster", engine="neptune", restore=["111122223333"]),
        _snap("nep-auto", kind="cluster", engine="neptune", type="automated", encrypted=False,
              restore=None),
        _snap("pg", restore=["all"]),
    ]  # fmt: skip
    data = {"rds.snapshots": snaps}
    assert statuses(run("docdb.public_snapshots", data)) == [F]
    assert statuses(run("neptune.public_snapshots", data)) == [P]
    assert statuses(run("neptune.snapshot_encrypted", data)) == [P, F]
    assert statuses(run("rds.public_snapshots", data)) == [F, P, F]  # every engine


def test_neptune_cluster_checks():
    good = _cluster("g", engine="neptune", log_exports=["audit"], backup_retention=14)
    bad = _cluster(
        "b", engine="neptune", encrypted=False, deletion_protection=False, iam_auth=False,
        copy_tags=False, log_exports=[], backup_retention=1,
    )  # fmt: skip
    data = {"neptune.clusters": [good, bad]}
    for check in (
        "neptune.encrypted",
        "neptune.audit_logs",
        "neptune.deletion_protection",
        "neptune.backup_retention",
        "neptune.iam_authentication",
        "neptune.copy_tags",
    ):
        assert statuses(run(check, data)) == [P, F], check  # fmt: skip
    longer = run(
        "neptune.backup_retention", data, parameters={"minimum_backup_retention_period": 21}
    )
    assert statuses(longer) == [F, F]


# --- DynamoDB ------------------------------------------------------------------------------


def _table(name: str, billing: str = "PROVISIONED", **changes: Any) -> dict[str, Any]:
    table = {
        "name": name, "arn": f"arn:aws:dynamodb:us-east-1:123456789012:table/{name}",
        "pitr": "ENABLED",
        "settings": {"deletion_protection": True, "billing_mode": billing, "indexes": []},
    }  # fmt: skip
    table.update(changes)
    return table


def _scaling(*resources: str, minimum: int = 5, target: float = 70.0) -> dict[str, Any]:
    keys = [
        f"{r}|dynamodb:{'index' if '/index/' in r else 'table'}:{unit}CapacityUnits"
        for r in resources
        for unit in ("Read", "Write")
    ]
    return {"targets": dict.fromkeys(keys, minimum), "utilization": dict.fromkeys(keys, target)}


def test_dynamodb_autoscaling():
    tables = [
        _table("ondemand", "PAY_PER_REQUEST"),
        _table("scaled"),
        _table("fixed"),
        _table("indexed", settings={"deletion_protection": True, "billing_mode": "PROVISIONED",
                                    "indexes": ["by-user"]}),
        _table("denied", settings=Unreadable("access denied to dynamodb:DescribeTable")),
    ]  # fmt: skip
    scaling = _scaling("table/scaled", "table/indexed")
    data = {"dynamodb.tables": tables, "dynamodb.scaling": scaling}
    found = run("dynamodb.autoscaling", data)
    assert statuses(found) == [P, P, F, F, ERR]
    assert "table/fixed" in found[2].detail and "index/by-user" in found[3].detail
    strict = {"min_provisioned_read_capacity": 10, "target_write_utilization": 50}
    assert statuses(run("dynamodb.autoscaling", data, parameters=strict))[:2] == [P, F]
    write_only = {"targets": {"table/scaled|dynamodb:table:WriteCapacityUnits": 5}}
    data = {"dynamodb.tables": [_table("scaled")], "dynamodb.scaling": write_only}
    assert "no read auto scaling" in _one("dynamodb.autoscaling", data).detail


def test_dynamodb_deletion_protection_and_unreadable_tables():
    off = {"deletion_protection": False, "billing_mode": "PROVISIONED", "indexes": []}
    tables = [
        _table("a"), _table("b", settings=off),
        _table("c", settings=Unreadable("gone"), pitr=Unreadable("gone")),
    ]  # fmt: skip
    data = {"dynamodb.tables": tables}
    assert statuses(run("dynamodb.deletion_protection", data)) == [P, F, ERR]
    assert statuses(run("dynamodb.point_in_time_recovery", data)) == [P, P, ERR]


def test_dax_encryption_at_rest_and_in_transit():
    clusters = [
        {"name": "a", "arn": "arn:aws:dax:us-east-1:123456789012:cache/a", "sse": "ENABLED",
         "endpoint_encryption": "TLS"},
        {"name": "b", "arn": "arn:aws:dax:us-east-1:123456789012:cache/b", "sse": "DISABLED",
         "endpoint_encryption": "NONE"},
    ]  # fmt: skip
    assert statuses(run("dynamodb.dax_encrypted", {"dax.clusters": clusters})) == [P, F]
    assert statuses(run("dynamodb.dax_tls", {"dax.clusters": clusters})) == [P, F]


# --- EFS -----------------------------------------------------------------------------------

EFS_ARN = "arn:aws:elasticfilesystem:us-east-1:123456789012:file-system"


def _fs(ident: str, **changes: Any) -> dict[str, Any]:
    fs = {"id": ident, "arn": f"{EFS_ARN}/{ident}", "name": ident, "encrypted": True,
          "kms_key": "", "tags": {}}  # fmt: skip
    fs.update(changes)
    return fs


def test_efs_encryption_under_both_controls():
    data = {"efs.file_systems": [_fs("a"), _fs("b", encrypted=False)]}
    assert statuses(run("efs.encrypted_at_rest", data)) == [P, F]
    assert statuses(run("efs.encrypted", data)) == [P, F]


def test_efs_access_points():
    points = [
        {"id": "a", "arn": "arn:ap/a", "file_system": "fs-1", "path": "/data", "posix_user": True},
        {"id": "b", "arn": "arn:ap/b", "file_system": "fs-1", "path": "/", "posix_user": False},
    ]
    data = {"efs.access_points": points}
    assert statuses(run("efs.access_point_root_directory", data)) == [P, F]
    assert statuses(run("efs.access_point_user_identity", data)) == [P, F]


def test_efs_automatic_backups_and_mount_targets():
    systems = [_fs("fs-1"), _fs("fs-2"), _fs("fs-3"), _fs("fs-4")]
    policies = {"fs-1": "ENABLED", "fs-2": "DISABLED", "fs-3": Unreadable("denied")}
    data = {"efs.file_systems": systems, "efs.backup_policies": policies}
    assert statuses(run("efs.automatic_backups", data)) == [P, F, ERR, F]
    subnets = [
        {"id": "subnet-private", "arn": "", "vpc": "vpc-1", "map_public_ip": False},
        {"id": "subnet-public", "arn": "", "vpc": "vpc-1", "map_public_ip": True},
    ]
    targets = {"fs-1": ["subnet-private"], "fs-2": ["subnet-private", "subnet-public"],
               "fs-3": Unreadable("denied"), "fs-4": []}  # fmt: skip
    data = {"efs.file_systems": systems, "efs.mount_targets": targets, "ec2.subnets": subnets}
    found = run("efs.mount_target_public_subnet", data)
    assert statuses(found) == [P, F, ERR, P]
    assert found[1].detail.endswith("subnet-public")


def _selection(plan: str = "daily", **rule: Any) -> dict[str, Any]:
    full = {"resources": [], "not_resources": [], "tags": [],
            "conditions": {"StringEquals": [], "StringNotEquals": [], "StringLike": [],
                           "StringNotLike": []}}  # fmt: skip
    full.update(rule)
    return {"plan": plan, "name": "sel", "rule": full}


def _conditions(**ops: list[list[str]]) -> dict[str, list[list[str]]]:
    base = {"StringEquals": [], "StringNotEquals": [], "StringLike": [], "StringNotLike": []}
    return {**base, **ops}


@pytest.mark.parametrize(
    ("rule", "tags", "expected"),
    [
        ({"resources": [f"{EFS_ARN}/fs-1"]}, {}, P),
        ({"resources": ["arn:aws:elasticfilesystem:*:*:file-system/*"]}, {}, P),
        ({"resources": ["*"]}, {}, P),
        ({"resources": ["arn:aws:ec2:*:*:volume/*"]}, {}, F),
        ({"tags": [["backup", "yes"]]}, {"backup": "yes"}, P),
        ({"tags": [["backup", "yes"]]}, {"backup": "no"}, F),
        ({"resources": ["*"], "not_resources": [f"{EFS_ARN}/*"]}, {}, F),
        ({"conditions": _conditions(StringEquals=[["aws:ResourceTag/tier", "prod"]])},
         {"tier": "prod"}, P),
        ({"conditions": _conditions(StringNotEquals=[["aws:ResourceTag/tier", "dev"]])},
         {"tier": "dev"}, F),
        ({"conditions": _conditions(StringLike=[["aws:ResourceTag/tier", "pro*"]])},
         {"tier": "production"}, P),
        ({"conditions": _conditions(StringNotLike=[["aws:ResourceTag/tier", "pro*"]])},
         {"tier": "production"}, F),
        ({"resources": ["arn:aws:elasticfilesystem:*:*:file-system/*"],
          "conditions": _conditions(StringEquals=[["aws:ResourceTag/backup", "yes"]])}, {}, F),
    ],
)  # fmt: skip
def test_efs_in_backup_plan_follows_the_selection_rules(rule, tags, expected):
    data = {"efs.file_systems": [_fs("fs-1", tags=tags)], "backup.selections": [_selection(**rule)]}
    finding = _one("efs.in_backup_plan", data)
    assert finding.status is expected
    if expected is P:
        assert finding.detail == "in backup plan daily"


def test_efs_in_backup_plan_without_plans_or_with_unreadable_ones():
    systems = {"efs.file_systems": [_fs("fs-1")]}
    assert _one("efs.in_backup_plan", {**systems, "backup.selections": []}).status is F
    unreadable = {"plan": "locked", "name": "", "rule": Unreadable("access denied")}
    data = {**systems, "backup.selections": [unreadable]}
    assert _one("efs.in_backup_plan", data).status is ERR
    data["backup.selections"].append(_selection(resources=["*"]))
    assert _one("efs.in_backup_plan", data).status is P


# --- Redshift ------------------------------------------------------------------------------


def _warehouse(name: str, **changes: Any) -> dict[str, Any]:
    cluster = {
        "id": name, "arn": f"arn:aws:redshift:us-east-1:123456789012:cluster:{name}",
        "public": False, "encrypted": True, "enhanced_vpc_routing": True,
        "allow_version_upgrade": True, "snapshot_retention": 7, "master_username": "dw_admin",
        "parameter_groups": ["secure"], "security_groups": ["sg-inside"], "port": 5439,
        "multi_az": "Enabled", "logging": True,
    }  # fmt: skip
    cluster.update(changes)
    return cluster


def test_redshift_cluster_settings():
    bad = _warehouse(
        "bad", public=True, encrypted=False, enhanced_vpc_routing=False,
        allow_version_upgrade=False, snapshot_retention=0, master_username="awsuser",
        multi_az="Disabled", logging=False,
    )  # fmt: skip
    denied = _warehouse("denied", logging=Unreadable("access denied"))
    data = {"redshift.clusters": [_warehouse("good"), bad]}
    for check in (
        "redshift.public_access", "redshift.encrypted", "redshift.enhanced_vpc_routing",
        "redshift.version_upgrade", "redshift.automated_snapshots", "redshift.custom_admin",
        "redshift.multi_az", "redshift.audit_logging",
    ):  # fmt: skip
        assert statuses(run(check, data)) == [P, F], check
    assert statuses(run("redshift.audit_logging", {"redshift.clusters": [denied]})) == [ERR]
    longer = run("redshift.automated_snapshots", data, parameters={"min_retention_period": 14})
    assert statuses(longer) == [F, F]


def test_redshift_tls_reads_require_ssl():
    groups = {"secure": {"require_ssl": "true"}, "default.redshift-1.0": {"require_ssl": "false"},
              "denied": Unreadable("access denied")}  # fmt: skip
    clusters = [
        _warehouse("a"), _warehouse("b", parameter_groups=["default.redshift-1.0"]),
        _warehouse("c", parameter_groups=["denied"]), _warehouse("d", parameter_groups=[]),
    ]  # fmt: skip
    found = run(
        "redshift.tls", {"redshift.clusters": clusters, "redshift.parameter_groups": groups}
    )
    assert statuses(found) == [P, F, ERR, F]


def test_redshift_cluster_port_open_to_the_internet():
    def group(ident: str, *rules: dict) -> dict:
        return {"GroupId": ident, "IpPermissions": list(rules)}

    def rule(low: int, high: int, cidr: str = "", ipv6: str = "", proto: str = "tcp") -> dict:
        return {"IpProtocol": proto, "FromPort": low, "ToPort": high,
                "IpRanges": [{"CidrIp": cidr}] if cidr else [],
                "Ipv6Ranges": [{"CidrIpv6": ipv6}] if ipv6 else []}  # fmt: skip

    groups = [
        group("sg-inside", rule(5439, 5439, "10.0.0.0/16")),
        group("sg-open", rule(5400, 5500, "0.0.0.0/0")),
        group("sg-v6", rule(5439, 5439, ipv6="::/0")),
        group("sg-all", {"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}),
        group("sg-other-port", rule(22, 22, "0.0.0.0/0")),
    ]
    clusters = [
        _warehouse("a"), _warehouse("b", security_groups=["sg-inside", "sg-open"]),
        _warehouse("c", security_groups=["sg-v6"]), _warehouse("d", security_groups=["sg-all"]),
        _warehouse("e", security_groups=["sg-other-port"]), _warehouse("f", port=0),
    ]  # fmt: skip
    found = run(
        "redshift.sg_cluster_port", {"redshift.clusters": clusters, "ec2.security_groups": groups}
    )
    assert statuses(found) == [P, F, F, F, P, NA]
    assert found[1].detail.endswith("sg-open")


def test_every_data_check_declares_what_aws_defaults_to():
    from tests.checks.engine_helpers import checks

    defaults = {
        "rds.backup_retention": {"backup_retention_minimum": 7},
        "rds.enhanced_monitoring": {"monitoring_interval": 0},
        "rds.aurora_backtracking": {"backtrack_window_in_hours": 0},
        "rds.sqlserver_logs": {"log_types": ("agent", "error")},
        "rds.mariadb_logs": {"log_types": ("audit", "error")},
        "docdb.backup_retention": {"minimum_backup_retention_period": 7},
        "neptune.backup_retention": {"minimum_backup_retention_period": 7},
        "redshift.automated_snapshots": {"min_retention_period": 7},
        "dynamodb.autoscaling": {
            "min_provisioned_read_capacity": 0, "target_read_utilization": 0,
            "min_provisioned_write_capacity": 0, "target_write_utilization": 0,
        },
    }  # fmt: skip
    for check_id, expected in defaults.items():
        assert checks()[check_id].meta.parameter_defaults() == expected, check_id


def test_every_fsbp_control_of_the_data_services_has_a_check():
    import tomllib
    from importlib import resources

    from tests.checks.engine_helpers import checks

    services = ("RDS", "DocumentDB", "Neptune", "DynamoDB", "Redshift", "EFS")
    reference = resources.files("srm_tui.catalog").joinpath("frameworks/aws-fsbp.toml")
    controls = {
        c["id"]
        for c in tomllib.loads(reference.read_text("utf-8"))["control"]
        if c["id"].split(".")[0] in services
    }
    ours = {
        cid: c.meta
        for cid, c in checks().items()
        if cid.split(".")[0] in ("rds", "docdb", "neptune", "dynamodb", "redshift", "efs")
    }
    covered = {i for meta in ours.values() for i in meta.frameworks.get("aws-fsbp", ())}
    assert controls - covered == set()
    for cid, meta in ours.items():
        assert meta.frameworks.get("aws-fsbp"), cid
        assert "https://docs.aws.amazon.com/" in meta.remediation, cid
        assert all(
            a.split(":", 1)[1].startswith(("List", "Describe", "Get")) for a in meta.api_calls
        )
