"""The data-service collectors through the engine's own Api: against the emulator where
moto has the API, with botocore's Stubber and the API's real response shapes where it
does not (DocumentDB, AWS Backup selections, EFS backup policies, full parameter
listings, Redshift Multi-AZ and TLS settings) or where a refusal must stay one
resource's error."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber
from moto import mock_aws

from srm_tui.aws.session import AwsSession
from srm_tui.collected import Unreadable
from srm_tui.model import Status
from tests.checks.engine_helpers import (
    ACCOUNT,
    REGION,
    collect,
    engine_api,
    run,
    statuses,
    stubbed,
)

WHEN = datetime(2026, 11, 2, 8, 30, tzinfo=UTC)
PASSWORD = "not-a-secret-123"


# --- against the emulator ------------------------------------------------------------------


@pytest.fixture(scope="module")
def emulated():
    """A small account: what each collector must read back."""
    with mock_aws():
        session = boto3.Session(
            region_name=REGION, aws_access_key_id="testing", aws_secret_access_key="testing"
        )
        rds = session.client("rds")
        rds.create_db_parameter_group(
            DBParameterGroupName="maria-tls", DBParameterGroupFamily="mariadb10.11", Description="x"
        )
        rds.modify_db_parameter_group(
            DBParameterGroupName="maria-tls",
            Parameters=[
                {"ParameterName": name, "ParameterValue": "ON", "ApplyMethod": "immediate"}
                for name in ("require_secure_transport", "general_log")
            ],
        )
        rds.create_db_instance(
            DBInstanceIdentifier="shop", Engine="mariadb", EngineVersion="10.11.6",
            DBInstanceClass="db.t3.micro", AllocatedStorage=20, MasterUsername="shop_admin",
            MasterUserPassword=PASSWORD, DBParameterGroupName="maria-tls", Port=3307,
            EnableCloudwatchLogsExports=["audit"], CopyTagsToSnapshot=True,
        )  # fmt: skip
        rds.create_db_cluster_parameter_group(
            DBClusterParameterGroupName="audited", DBParameterGroupFamily="aurora-mysql8.0",
            Description="x",
        )  # fmt: skip
        rds.modify_db_cluster_parameter_group(
            DBClusterParameterGroupName="audited",
            Parameters=[{"ParameterName": "server_audit_logging", "ParameterValue": "1",
                         "ApplyMethod": "immediate"}],
        )  # fmt: skip
        rds.create_db_cluster(
            DBClusterIdentifier="ledger", Engine="aurora-mysql", MasterUsername="admin",
            MasterUserPassword=PASSWORD, DBClusterParameterGroupName="audited",
            BacktrackWindow=3600, EnableCloudwatchLogsExports=["audit"],
        )  # fmt: skip
        rds.create_db_cluster(DBClusterIdentifier="graph", Engine="neptune", StorageEncrypted=True)
        topic = session.client("sns").create_topic(Name="t")["TopicArn"]
        rds.create_event_subscription(
            SubscriptionName="clusters", SnsTopicArn=topic, SourceType="db-cluster",
            EventCategories=["failure"], Enabled=True,
        )  # fmt: skip
        dynamodb = session.client("dynamodb")
        dynamodb.create_table(
            TableName="orders", BillingMode="PAY_PER_REQUEST", DeletionProtectionEnabled=True,
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        )  # fmt: skip
        scaling = session.client("application-autoscaling")
        scaling.register_scalable_target(
            ServiceNamespace="dynamodb", ResourceId="table/orders", MinCapacity=2,
            ScalableDimension="dynamodb:table:ReadCapacityUnits", MaxCapacity=10,
        )  # fmt: skip
        scaling.put_scaling_policy(
            PolicyName="p", ServiceNamespace="dynamodb", ResourceId="table/orders",
            ScalableDimension="dynamodb:table:ReadCapacityUnits", PolicyType="TargetTrackingScaling",
            TargetTrackingScalingPolicyConfiguration={
                "TargetValue": 70.0,
                "PredefinedMetricSpecification": {"PredefinedMetricType": "DynamoDBReadCapacityUtilization"},
            },
        )  # fmt: skip
        efs = session.client("efs")
        fs = efs.create_file_system(CreationToken="home", Tags=[{"Key": "backup", "Value": "yes"}])
        subnet = session.client("ec2").describe_subnets()["Subnets"][0]["SubnetId"]
        efs.create_mount_target(FileSystemId=fs["FileSystemId"], SubnetId=subnet)
        efs.create_access_point(FileSystemId=fs["FileSystemId"], RootDirectory={"Path": "/app"})
        redshift = session.client("redshift")
        redshift.create_cluster(
            ClusterIdentifier="warehouse", NodeType="dc2.large", ClusterType="single-node",
            MasterUsername="awsuser", MasterUserPassword="Abcdefgh1", Encrypted=True,
        )  # fmt: skip
        yield {"subnet": subnet, "fs": fs["FileSystemId"]}


def test_rds_instances_and_their_transport_settings(emulated):
    (db,) = collect("rds.instances")
    assert (db["engine"], db["engine_version"], db["port"]) == ("mariadb", "10.11.6", 3307)
    assert db["log_exports"] == ["audit"] and db["copy_tags"]
    assert db["parameter_groups"] == [{"name": "maria-tls", "status": "in-sync"}]
    # Only the parameters the checks read are kept.
    assert collect("rds.instance_parameters") == {"maria-tls": {"require_secure_transport": "ON"}}


def test_rds_clusters_serve_each_engine(emulated):
    clusters = {c["id"]: c for c in collect("rds.clusters")}
    ledger = clusters["ledger"]
    assert (ledger["backtrack_window"], ledger["log_exports"]) == (3600, ["audit"])
    assert ledger["parameter_group"] == "audited"
    assert [c["id"] for c in collect("neptune.clusters")] == ["graph"]
    assert collect("docdb.clusters") == []
    # The Neptune cluster's group is not read: no check looks at its parameters.
    assert collect("rds.cluster_parameters") == {"audited": {"server_audit_logging": "1"}}


def test_rds_snapshots_include_automated_ones(emulated):
    snaps = collect("rds.snapshots")
    automated = [s for s in snaps if s["type"] == "automated"]
    assert {s["engine"] for s in automated} >= {"mariadb", "aurora-mysql", "neptune"}
    assert all(s["restore"] is None for s in automated)


def test_rds_event_subscriptions(emulated):
    (sub,) = collect("rds.event_subscriptions")
    assert (sub["source_type"], sub["categories"], sub["enabled"]) == (
        "db-cluster", ["failure"], True,
    )  # fmt: skip
    assert sub["arn"].endswith(":es:clusters")


def test_dynamodb_tables_and_scaling(emulated):
    (table,) = collect("dynamodb.tables")
    assert table["settings"] == {
        "deletion_protection": True, "billing_mode": "PAY_PER_REQUEST", "indexes": [],
    }  # fmt: skip
    key = "table/orders|dynamodb:table:ReadCapacityUnits"
    assert collect("dynamodb.scaling") == {"targets": {key: 2}, "utilization": {key: 70.0}}


def test_efs_details(emulated):
    fs = emulated["fs"]
    (system,) = collect("efs.file_systems")
    assert system["tags"] == {"backup": "yes"}
    assert collect("efs.mount_targets") == {fs: [emulated["subnet"]]}
    # The emulator has no backup policy: AWS's PolicyNotFound reads as disabled.
    assert collect("efs.backup_policies") == {fs: "DISABLED"}
    (point,) = collect("efs.access_points")
    assert (point["path"], point["posix_user"], point["file_system"]) == ("/app", False, fs)
    subnets = collect("ec2.subnets")
    assert any(s["id"] == emulated["subnet"] and s["map_public_ip"] for s in subnets)


def test_redshift_clusters(emulated):
    (cluster,) = collect("redshift.clusters")
    assert cluster["arn"] == f"arn:aws:redshift:{REGION}:{ACCOUNT}:cluster:warehouse"
    assert (cluster["master_username"], cluster["encrypted"], cluster["logging"]) == (
        "awsuser", True, False,
    )  # fmt: skip
    groups = collect("redshift.parameter_groups")
    assert groups == {"default.redshift-1.0": {"require_ssl": "false"}}


# --- stubbed -------------------------------------------------------------------------------


def _gather(session: AwsSession, *names: str) -> dict[str, Any]:
    """Several collectors through one Api, as a scan runs them: one that needs another's
    result reads it from the memo instead of calling AWS again."""
    api = engine_api(REGION, session)
    return {name: api.data(name, REGION) for name in names}


def _docdb_cluster(status: str = "in-sync") -> dict[str, Any]:
    return {
        "DBClusterIdentifier": "catalog",
        "DBClusterArn": f"arn:aws:rds:{REGION}:{ACCOUNT}:cluster:catalog",
        "Engine": "docdb",
        "EngineVersion": "5.0.0",
        "Status": "available",
        "MasterUsername": "catalog_admin",
        "StorageEncrypted": True,
        "DeletionProtection": True,
        "BackupRetentionPeriod": 7,
        "EnabledCloudwatchLogsExports": ["audit"],
        "DBClusterParameterGroup": "catalog-tls",
        "DBClusterMembers": [
            {
                "DBInstanceIdentifier": "catalog-1",
                "IsClusterWriter": True,
                "DBClusterParameterGroupStatus": status,
                "PromotionTier": 1,
            },
        ],
        "Port": 27017,
        "ClusterCreateTime": WHEN,
    }


def _parameter(name: str, value: str | None) -> dict[str, Any]:
    found = {"ParameterName": name, "Source": "engine-default", "ApplyType": "static",
             "DataType": "string", "IsModifiable": True, "ApplyMethod": "pending-reboot"}  # fmt: skip
    if value is not None:
        found["ParameterValue"] = value
    return found


@pytest.mark.parametrize(("tls", "status", "expected"), [
    ("tls1.2+", "in-sync", Status.PASS), ("enabled", "in-sync", Status.FAIL),
    ("tls1.3+", "pending-reboot", Status.FAIL),
])  # fmt: skip
def test_documentdb_clusters_and_their_tls_parameter_across_pages(tls, status, expected):
    session, stub = stubbed("rds")
    stub.add_response("describe_db_clusters", {"DBClusters": [_docdb_cluster(status)]}, {})
    # AWS answers every parameter of the group, page by page, with engine defaults.
    stub.add_response(
        "describe_db_cluster_parameters",
        {"Parameters": [_parameter("audit_logs", "disabled")], "Marker": "page-2"},
        {"DBClusterParameterGroupName": "catalog-tls"},
    )
    stub.add_response(
        "describe_db_cluster_parameters",
        {"Parameters": [_parameter("tls", tls), _parameter("ttl_monitor", "enabled")]},
        {"DBClusterParameterGroupName": "catalog-tls", "Marker": "page-2"},
    )
    with stub:
        data = _gather(session, "docdb.clusters", "rds.cluster_parameters")
    stub.assert_no_pending_responses()
    assert data["rds.cluster_parameters"] == {"catalog-tls": {"tls": tls}}
    clusters = data["docdb.clusters"]
    assert statuses(run("docdb.tls", data)) == [expected]
    for check in ("docdb.encrypted", "docdb.deletion_protection", "docdb.audit_logs",
                  "docdb.backup_retention"):  # fmt: skip
        assert statuses(run(check, {"docdb.clusters": clusters})) == [Status.PASS], check


def test_a_refused_parameter_group_is_that_instance_s_error_only():
    session, stub = stubbed("rds")
    db = {
        "DBInstanceIdentifier": "erp", "DBInstanceArn": f"arn:aws:rds:{REGION}:{ACCOUNT}:db:erp",
        "Engine": "sqlserver-se", "DBInstanceStatus": "available",
        "DBParameterGroups": [{"DBParameterGroupName": "erp-tls", "ParameterApplyStatus": "in-sync"}],
    }  # fmt: skip
    stub.add_response("describe_db_instances", {"DBInstances": [db]}, {})
    stub.add_client_error(
        "describe_db_parameters",
        "AccessDenied",
        "not authorized to perform: rds:DescribeDBParameters",
    )
    with stub:
        data = _gather(session, "rds.instances", "rds.instance_parameters")
    assert isinstance(data["rds.instance_parameters"]["erp-tls"], Unreadable)
    (finding,) = run("rds.sqlserver_tls", data)
    assert finding.status is Status.ERROR and "rds:DescribeDBParameters" in finding.detail


def _file_system(ident: str, tags: dict[str, str]) -> dict[str, Any]:
    return {
        "OwnerId": ACCOUNT, "CreationToken": ident, "FileSystemId": ident,
        "FileSystemArn": f"arn:aws:elasticfilesystem:{REGION}:{ACCOUNT}:file-system/{ident}",
        "CreationTime": WHEN, "LifeCycleState": "available", "NumberOfMountTargets": 0,
        "SizeInBytes": {"Value": 6144}, "PerformanceMode": "generalPurpose", "Encrypted": True,
        "Tags": [{"Key": k, "Value": v} for k, v in tags.items()],
    }  # fmt: skip


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ({"BackupPolicy": {"Status": "ENABLED"}}, Status.PASS),
        (("PolicyNotFound", 404), Status.FAIL),  # no policy at all: backups are off
        (("AccessDeniedException", 403), Status.ERROR),
    ],
)
def test_efs_backup_policies(answer, expected):
    session, stub = stubbed("efs")
    stub.add_response("describe_file_systems", {"FileSystems": [_file_system("fs-1", {})]}, {})
    if isinstance(answer, dict):
        stub.add_response("describe_backup_policy", answer, {"FileSystemId": "fs-1"})
    else:
        stub.add_client_error("describe_backup_policy", answer[0], "refused", answer[1])
    with stub:
        data = _gather(session, "efs.file_systems", "efs.backup_policies")
    stub.assert_no_pending_responses()
    assert statuses(run("efs.automatic_backups", data)) == [expected]


def _plans_stub(session: AwsSession, stub: Stubber, selection: dict[str, Any] | None) -> None:
    stub.add_response(
        "list_backup_plans",
        {"BackupPlansList": [{"BackupPlanId": "plan-1", "BackupPlanName": "daily",
                              "BackupPlanArn": f"arn:aws:backup:{REGION}:{ACCOUNT}:backup-plan:plan-1",
                              "VersionId": "v1", "CreationDate": WHEN}]},
        {},
    )  # fmt: skip
    stub.add_response(
        "list_backup_selections",
        {"BackupSelectionsList": [{"SelectionId": "sel-1", "SelectionName": "by-tag",
                                   "BackupPlanId": "plan-1", "CreationDate": WHEN,
                                   "IamRoleArn": f"arn:aws:iam::{ACCOUNT}:role/backup"}]},
        {"BackupPlanId": "plan-1"},
    )  # fmt: skip
    if selection is None:
        stub.add_client_error(
            "get_backup_selection", "AccessDeniedException", "not authorized", 403
        )
        return
    stub.add_response(
        "get_backup_selection",
        {"BackupSelection": selection, "SelectionId": "sel-1", "BackupPlanId": "plan-1",
         "CreationDate": WHEN},
        {"BackupPlanId": "plan-1", "SelectionId": "sel-1"},
    )  # fmt: skip


def test_backup_selections_decide_whether_a_file_system_is_in_a_plan():
    session, stub = stubbed("backup")
    selection = {
        "SelectionName": "by-tag",
        "IamRoleArn": f"arn:aws:iam::{ACCOUNT}:role/backup",
        "Resources": ["arn:aws:elasticfilesystem:*:*:file-system/*"],
        "NotResources": [f"arn:aws:elasticfilesystem:{REGION}:{ACCOUNT}:file-system/fs-skip"],
        "Conditions": {"StringEquals": [{"ConditionKey": "aws:ResourceTag/backup",
                                         "ConditionValue": "yes"}]},
    }  # fmt: skip
    _plans_stub(session, stub, selection)
    with stub:
        selections = collect("backup.selections", session=session)
    stub.assert_no_pending_responses()
    (found,) = selections
    assert found["plan"] == "daily" and found["rule"]["conditions"]["StringEquals"] == [
        ["aws:ResourceTag/backup", "yes"]
    ]
    systems = [
        {"id": i, "arn": f"arn:aws:elasticfilesystem:{REGION}:{ACCOUNT}:file-system/{i}",
         "name": i, "encrypted": True, "kms_key": "", "tags": tags}
        for i, tags in (("fs-in", {"backup": "yes"}), ("fs-out", {}), ("fs-skip", {"backup": "yes"}))
    ]  # fmt: skip
    data = {"efs.file_systems": systems, "backup.selections": selections}
    assert statuses(run("efs.in_backup_plan", data)) == [Status.PASS, Status.FAIL, Status.FAIL]


def test_a_refused_backup_selection_gives_errors_not_failures():
    session, stub = stubbed("backup")
    _plans_stub(session, stub, None)
    with stub:
        selections = collect("backup.selections", session=session)
    assert isinstance(selections[0]["rule"], Unreadable)
    system = {"id": "fs-1", "arn": f"arn:aws:elasticfilesystem:{REGION}:{ACCOUNT}:file-system/fs-1",
              "name": "", "encrypted": True, "kms_key": "", "tags": {}}  # fmt: skip
    data = {"efs.file_systems": [system], "backup.selections": selections}
    assert statuses(run("efs.in_backup_plan", data)) == [Status.ERROR]


def test_redshift_multi_az_and_require_ssl_as_aws_answers_them():
    session, stub = stubbed("redshift")
    cluster = {
        "ClusterIdentifier": "warehouse", "NodeType": "ra3.xlplus", "ClusterStatus": "available",
        "MasterUsername": "dw_admin", "Endpoint": {"Address": "w.example", "Port": 5439},
        "ClusterParameterGroups": [{"ParameterGroupName": "secure", "ParameterApplyStatus": "in-sync"}],
        "VpcSecurityGroups": [{"VpcSecurityGroupId": "sg-1", "Status": "active"}],
        "PubliclyAccessible": False, "Encrypted": True, "EnhancedVpcRouting": True,
        "AllowVersionUpgrade": True, "AutomatedSnapshotRetentionPeriod": 7, "MultiAZ": "Enabled",
    }  # fmt: skip
    stub.add_response("describe_clusters", {"Clusters": [cluster]}, {})
    stub.add_response(
        "describe_logging_status", {"LoggingEnabled": True, "LogDestinationType": "cloudwatch",
                                    "LogExports": ["connectionlog", "userlog", "useractivitylog"]},
        {"ClusterIdentifier": "warehouse"},
    )  # fmt: skip
    stub.add_response(
        "describe_cluster_parameters",
        {"Parameters": [{"ParameterName": "require_ssl", "ParameterValue": "true",
                         "Source": "user", "DataType": "boolean"}]},
        {"ParameterGroupName": "secure"},
    )  # fmt: skip
    with stub:
        data = _gather(session, "redshift.clusters", "redshift.parameter_groups")
    assert data["redshift.parameter_groups"] == {"secure": {"require_ssl": "true"}}
    for check in ("redshift.tls", "redshift.multi_az", "redshift.audit_logging"):
        assert statuses(run(check, data)) == [Status.PASS], check


def test_a_table_that_cannot_be_described_keeps_its_backup_finding():
    session, stub = stubbed("dynamodb")
    stub.add_response("list_tables", {"TableNames": ["orders"]}, {})
    stub.add_response(
        "describe_continuous_backups",
        {"ContinuousBackupsDescription": {
            "ContinuousBackupsStatus": "ENABLED",
            "PointInTimeRecoveryDescription": {"PointInTimeRecoveryStatus": "ENABLED"}}},
        {"TableName": "orders"},
    )  # fmt: skip
    stub.add_client_error("describe_table", "AccessDeniedException", "not authorized", 400)
    with stub:
        tables = collect("dynamodb.tables", session=session)
    data = {"dynamodb.tables": tables}
    assert statuses(run("dynamodb.point_in_time_recovery", data)) == [Status.PASS]
    assert statuses(run("dynamodb.deletion_protection", data)) == [Status.ERROR]
