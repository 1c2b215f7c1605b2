"""The RDS-family checks (RDS, Aurora, DocumentDB, Neptune) against the published
definitions of their controls: the edge cases where an account nobody here built
could get a verdict other than AWS's own."""

from __future__ import annotations

from datetime import UTC, datetime

from srm_tui.model import Status
from tests.checks.engine_helpers import (
    ACCOUNT,
    REGION,
    checks,
    engine_api,
    run,
    statuses,
    stubbed,
)
from tests.checks.test_cov_data import _cluster, _db

P, F, NA, ERR = Status.PASS, Status.FAIL, Status.NOT_APPLICABLE, Status.ERROR


def test_cloudwatch_logs_skips_instances_that_are_not_running():
    # rds-logging-enabled (RDS.9): instances not available, backing-up,
    # storage-optimization or storage-full are NOT_APPLICABLE.
    dbs = [
        _db("stopped", status="stopped", log_exports=[]),
        _db("creating", status="creating", log_exports=[]),
        _db("full", status="storage-full", log_exports=[]),
        _db("backing", status="backing-up"),
    ]
    found = run("rds.cloudwatch_logs", {"rds.instances": dbs, "rds.clusters": [_cluster()]})
    assert statuses(found) == [NA, NA, F, P]
    assert "stopped" in found[0].detail


def test_cluster_deletion_protection_has_the_controls_severity():
    # Security Hub's control reference gives RDS.7 the severity Medium (it was Low).
    assert checks()["rds.cluster_deletion_protection"].meta.severity == "medium"


def test_aurora_mysql_1_cluster_parameters_are_read_for_audit_logging():
    # RDS.45 judges Aurora MySQL clusters, engine "aurora" (MySQL 5.6-compatible) among
    # them; its cluster parameter group must be read, not reported as not collected.
    cluster = {
        "DBClusterIdentifier": "legacy",
        "DBClusterArn": f"arn:aws:rds:{REGION}:{ACCOUNT}:cluster:legacy",
        "Engine": "aurora",
        "EngineMode": "provisioned",
        "EngineVersion": "5.6.mysql_aurora.1.23.4",
        "Status": "available",
        "MasterUsername": "legacy_admin",
        "DBClusterParameterGroup": "legacy-audit",
        "DBClusterMembers": [
            {
                "DBInstanceIdentifier": "legacy-1",
                "IsClusterWriter": True,
                "DBClusterParameterGroupStatus": "in-sync",
                "PromotionTier": 1,
            },
        ],
        "Port": 3306,
        "ClusterCreateTime": datetime(2026, 11, 2, 8, 30, tzinfo=UTC),
    }
    session, stub = stubbed("rds")
    stub.add_response("describe_db_clusters", {"DBClusters": [cluster]}, {})
    stub.add_response(
        "describe_db_cluster_parameters",
        {
            "Parameters": [
                {"ParameterName": "server_audit_logging", "ParameterValue": "1"},
                {"ParameterName": "server_audit_events", "ParameterValue": "CONNECT,QUERY"},
            ]
        },
        {"DBClusterParameterGroupName": "legacy-audit"},
    )
    api = engine_api(REGION, session)
    with stub:
        data = {name: api.data(name, REGION) for name in ("rds.clusters", "rds.cluster_parameters")}
    stub.assert_no_pending_responses()
    assert statuses(run("rds.aurora_mysql_audit_logging", data)) == [P]


def test_a_read_replica_of_a_multi_az_db_cluster_is_not_judged_for_backups():
    # RDS.11 excludes read replicas (checkReadReplicas false). A replica of a Multi-AZ DB
    # cluster names its source in ReadReplicaSourceDBClusterIdentifier, and keeps no
    # automated backups of its own.
    replica = {
        "DBInstanceIdentifier": "reports",
        "DBInstanceArn": f"arn:aws:rds:{REGION}:{ACCOUNT}:db:reports",
        "Engine": "postgres",
        "DBInstanceStatus": "available",
        "BackupRetentionPeriod": 0,
        "ReadReplicaSourceDBClusterIdentifier": "orders",
    }
    session, stub = stubbed("rds")
    stub.add_response("describe_db_instances", {"DBInstances": [replica]}, {})
    api = engine_api(REGION, session)
    with stub:
        data = {"rds.instances": api.data("rds.instances", REGION)}
    (finding,) = run("rds.backup_retention", data)
    assert finding.status == NA and "orders" in finding.detail
