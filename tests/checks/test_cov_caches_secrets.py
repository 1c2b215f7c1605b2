"""Data-store controls: Secrets Manager rotation and use, ElastiCache caches (collected
from the emulator) and AWS Backup recovery points (stubbed: the emulator lacks them)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import boto3
import pytest
from moto import mock_aws

from srm_tui.model import Status
from tests.checks.engine_helpers import ACCOUNT, REGION, collect, run, stubbed

P, F, E, NA = Status.PASS, Status.FAIL, Status.ERROR, Status.NOT_APPLICABLE
NOW = datetime.now(UTC)


def ago(days: int) -> str:
    return str(NOW - timedelta(days=days))


def secret(name: str, **values) -> dict:
    base = {
        "name": name,
        "arn": f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:{name}-AbCdEf",
        "rotation": False, "rotation_days": None, "last_rotated": "", "next_rotation": "",
        "last_accessed": "", "created": ago(1), "owning_service": "",
    }  # fmt: skip
    base.update(values)
    return base


def outcome(check_id: str, *secrets: dict, **parameters) -> dict[str, Status]:
    found = run(check_id, {"secretsmanager.secrets": list(secrets)}, parameters=parameters)
    return {f.resource.split(":secret:")[1].rsplit("-", 1)[0]: f.status for f in found}


def test_rotation_may_be_held_to_a_maximum_interval():
    secrets = [secret("monthly", rotation=True, rotation_days=30),
               secret("yearly", rotation=True, rotation_days=365), secret("never")]  # fmt: skip
    assert outcome("secretsmanager.rotation", *secrets) == {"monthly": P, "yearly": P, "never": F}
    capped = outcome("secretsmanager.rotation", *secrets, maximum_allowed_rotation_frequency=90)
    assert capped == {"monthly": P, "yearly": F, "never": F}


def test_rotation_succeeds_until_a_scheduled_date_passes():
    assert outcome(
        "secretsmanager.rotation_succeeds",
        secret("due-soon", rotation=True, next_rotation=str(NOW + timedelta(days=3))),
        secret("overdue", rotation=True, next_rotation=ago(2)),
        secret("manual"),
    ) == {"due-soon": P, "overdue": F, "manual": NA}


def test_unused_and_stale_secrets_count_from_creation_when_never_used_or_rotated():
    secrets = [
        secret("read-today", last_accessed=ago(0), created=ago(400)),
        secret("read-long-ago", last_accessed=ago(120), created=ago(400)),
        secret("never-read-new", created=ago(10)),
        secret("never-read-old", created=ago(200)),
    ]
    assert outcome("secretsmanager.unused", *secrets) == {
        "read-today": P, "read-long-ago": F, "never-read-new": P, "never-read-old": F,
    }  # fmt: skip
    assert outcome("secretsmanager.unused", *secrets, unused_for_days=180)["read-long-ago"] is P
    rotated = [
        secret("fresh", last_rotated=ago(30), created=ago(400)),
        secret("stale", last_rotated=ago(120), created=ago(400)),
        secret("new", created=ago(5)),
    ]
    assert outcome("secretsmanager.rotated_recently", *rotated) == {
        "fresh": P, "stale": F, "new": P,
    }  # fmt: skip
    assert outcome("secretsmanager.rotated_recently", *rotated,
                   max_days_since_rotation=20)["fresh"] is F  # fmt: skip


# --- ElastiCache ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def caches() -> dict:
    """Clusters and replication groups made in the emulator, collected as the scan does
    (the demo seeds the same kinds with a subnet group of its own VPC)."""
    node = "cache.t3.micro"
    with mock_aws():
        cache = boto3.Session(
            region_name=REGION, aws_access_key_id="testing", aws_secret_access_key="testing"
        ).client("elasticache")
        cache.create_replication_group(
            ReplicationGroupId="sessions", ReplicationGroupDescription="user sessions",
            Engine="redis", EngineVersion="7.1", CacheNodeType=node, NumCacheClusters=2,
            AutomaticFailoverEnabled=True, AtRestEncryptionEnabled=True,
            TransitEncryptionEnabled=True, SnapshotRetentionLimit=7,
        )  # fmt: skip
        cache.create_replication_group(
            ReplicationGroupId="legacy", ReplicationGroupDescription="page cache",
            Engine="redis", EngineVersion="5.0.6", CacheNodeType=node, NumCacheClusters=1,
            AutomaticFailoverEnabled=False, SnapshotRetentionLimit=0,
        )  # fmt: skip
        for name, engine, days, upgrades, group in (
            ("scratch", "redis", 0, False, "default"),
            ("queue", "redis", 3, True, "app-private"),
            ("memo", "memcached", 0, False, "default"),
        ):
            cache.create_cache_cluster(
                CacheClusterId=name, Engine=engine, CacheNodeType=node, NumCacheNodes=1,
                SnapshotRetentionLimit=days, AutoMinorVersionUpgrade=upgrades,
                CacheSubnetGroupName=group,
            )  # fmt: skip
        return {"elasticache.caches": collect("elasticache.caches")}


def by_name(findings) -> dict[str, Status]:
    return {f.resource.rsplit(":", 1)[-1]: f.status for f in findings}


def test_elasticache_controls_over_emulated_caches(caches):
    assert by_name(run("elasticache.automatic_backups", caches)) == {
        "sessions": P, "legacy": F, "scratch": F, "queue": P,
    }  # fmt: skip
    assert by_name(run("elasticache.auto_minor_upgrade", caches)) == {
        "scratch": F, "queue": P, "memo": NA,
    }  # fmt: skip
    for check_id in ("elasticache.automatic_failover", "elasticache.encrypted_at_rest",
                     "elasticache.encrypted_in_transit"):  # fmt: skip
        assert by_name(run(check_id, caches)) == {"sessions": P, "legacy": F}, check_id
    assert by_name(run("elasticache.custom_subnet_group", caches)) == {
        "scratch": F, "queue": P, "memo": F,
    }  # fmt: skip
    assert by_name(run("elasticache.automatic_backups", caches,
                       parameters={"snapshot_retention_period": 5})) == {
        "sessions": P, "legacy": F, "scratch": F, "queue": F,
    }  # fmt: skip


def test_redis_auth_applies_before_engine_six():
    def group(name: str, members: list[str], auth: bool) -> dict:
        return {"id": name, "arn": f"arn:aws:elasticache:{REGION}:{ACCOUNT}:replicationgroup:{name}",
                "engine": "redis", "automatic_failover": "enabled", "at_rest_encryption": True,
                "transit_encryption": True, "auth_token": auth, "snapshot_retention": 1,
                "members": members}  # fmt: skip

    def cluster(name: str, version: str, group_id: str) -> dict:
        return {"id": name, "arn": f"arn:aws:elasticache:{REGION}:{ACCOUNT}:cluster:{name}",
                "engine": "redis", "version": version, "group": group_id, "snapshot_retention": 0,
                "auto_minor_upgrade": True, "subnet_group": "private"}  # fmt: skip

    data = {"elasticache.caches": {
        "clusters": [cluster("old-001", "5.0.6", "old"), cluster("tok-001", "4.0.10", "tok"),
                     cluster("new-001", "7.1", "new")],
        "replication_groups": [group("old", ["old-001"], False), group("tok", ["tok-001"], True),
                               group("new", ["new-001"], False), group("lost", ["x-001"], False)],
    }}  # fmt: skip
    assert by_name(run("elasticache.redis_auth", data)) == {
        "old": F, "tok": P, "new": NA, "lost": NA,
    }  # fmt: skip


# --- AWS Backup ------------------------------------------------------------------------------


def _point(arn: str, encrypted: bool) -> dict:
    return {
        "RecoveryPointArn": arn,
        "BackupVaultName": "daily",
        "ResourceArn": f"arn:aws:ec2:{REGION}:{ACCOUNT}:volume/vol-0a1b",
        "ResourceType": "EBS",
        "Status": "COMPLETED",
        "IsEncrypted": encrypted,
        "CreationDate": NOW,
    }


def test_recovery_points_across_pages_and_a_vault_that_refuses():
    session, stub = stubbed("backup")
    vault = f"arn:aws:backup:{REGION}:{ACCOUNT}:backup-vault:daily"
    stub.add_response(
        "list_backup_vaults",
        {"BackupVaultList": [{"BackupVaultName": "daily", "BackupVaultArn": vault}]},
        {},
    )
    first = f"arn:aws:ec2:{REGION}::snapshot/snap-0a"
    second = f"arn:aws:ec2:{REGION}::snapshot/snap-0b"
    stub.add_response(
        "list_recovery_points_by_backup_vault",
        {"RecoveryPoints": [_point(first, True)], "NextToken": "page-2"},
        {"BackupVaultName": "daily"},
    )
    stub.add_response(
        "list_recovery_points_by_backup_vault",
        {"RecoveryPoints": [_point(second, False)]},
        {"BackupVaultName": "daily", "NextToken": "page-2"},
    )
    with stub:
        found = collect("backup.recovery_points", session=session)
    stub.assert_no_pending_responses()
    findings = run("backup.recovery_points_encrypted", {"backup.recovery_points": found})
    assert {f.resource: f.status for f in findings} == {first: P, second: F}

    session, stub = stubbed("backup")
    stub.add_response(
        "list_backup_vaults",
        {"BackupVaultList": [{"BackupVaultName": "locked", "BackupVaultArn": vault}]},
        {},
    )
    stub.add_client_error(
        "list_recovery_points_by_backup_vault", "AccessDeniedException",
        "User is not authorized to perform: backup:ListRecoveryPointsByBackupVault",
    )  # fmt: skip
    with stub:
        refused = collect("backup.recovery_points", session=session)
    (finding,) = run("backup.recovery_points_encrypted", {"backup.recovery_points": refused})
    assert finding.status is E and finding.resource == vault
    assert "backup:ListRecoveryPointsByBackupVault" in finding.detail
    none = run("backup.recovery_points_encrypted", {"backup.recovery_points": []})
    assert [f.status for f in none] == [NA]
