"""Data-store checks held to their controls' published definitions on edges the other
tests do not build: ElastiCache's Valkey engine, read through the collector from
DescribeCacheClusters and DescribeReplicationGroups answers as AWS shapes them (the
emulator does not create Valkey caches)."""

from __future__ import annotations

import pytest

from srm_tui.model import Status
from tests.checks.engine_helpers import ACCOUNT, REGION, collect, run, stubbed

P, F, NA = Status.PASS, Status.FAIL, Status.NOT_APPLICABLE
ARN = f"arn:aws:elasticache:{REGION}:{ACCOUNT}"


@pytest.fixture
def valkey():
    """The collected caches of a region holding one Valkey 7.2 replication group with
    backups and automatic minor upgrades off, and one Redis OSS 5.0.6 group with both
    on."""
    session, stub = stubbed("elasticache")
    members = (("orders-001", "valkey", "7.2", "orders", False),
               ("legacy-001", "redis", "5.0.6", "legacy", True))  # fmt: skip
    stub.add_response(
        "describe_cache_clusters",
        {"CacheClusters": [
            {"CacheClusterId": name, "ARN": f"{ARN}:cluster:{name}", "Engine": engine,
             "EngineVersion": version, "ReplicationGroupId": group,
             "SnapshotRetentionLimit": 0, "AutoMinorVersionUpgrade": upgrades,
             "CacheSubnetGroupName": "app-private"}
            for name, engine, version, group, upgrades in members
        ]},
        {},
    )  # fmt: skip
    groups = (("orders", "valkey", 0, "orders-001"), ("legacy", "redis", 1, "legacy-001"))
    stub.add_response(
        "describe_replication_groups",
        {"ReplicationGroups": [
            {"ReplicationGroupId": name, "ARN": f"{ARN}:replicationgroup:{name}",
             "Engine": engine, "AutomaticFailover": "disabled", "AuthTokenEnabled": False,
             "AtRestEncryptionEnabled": True, "TransitEncryptionEnabled": True,
             "SnapshotRetentionLimit": days, "MemberClusters": [member]}
            for name, engine, days, member in groups
        ]},
        {},
    )  # fmt: skip
    with stub:
        found = collect("elasticache.caches", session=session)
    stub.assert_no_pending_responses()
    return {"elasticache.caches": found}


def _by_name(findings) -> dict[str, Status]:
    return {f.resource.rsplit(":", 1)[-1]: f.status for f in findings}


def test_valkey_caches_are_judged_as_redis_oss_ones(valkey):
    # ElastiCache.1's rules (elasticache-redis-cluster-automatic-backup-check and its
    # successor elasticache-automatic-backup-check-enabled) read Valkey or Redis OSS caches.
    assert _by_name(run("elasticache.automatic_backups", valkey)) == {"orders": F, "legacy": P}
    # ElastiCache.2 (elasticache-auto-minor-version-upgrade-check): NON_COMPLIANT for a
    # cluster "using the Redis or Valkey engine" without AutoMinorVersionUpgrade.
    assert _by_name(run("elasticache.auto_minor_upgrade", valkey)) == {
        "orders-001": F, "legacy-001": P,
    }  # fmt: skip


def test_redis_auth_judges_only_nodes_before_six(valkey):
    # ElastiCache.6 (elasticache-repl-grp-redis-auth-enabled): NON_COMPLIANT when the
    # group's nodes run a version below 6 without an AUTH token; Valkey starts at 7.2.
    assert _by_name(run("elasticache.redis_auth", valkey)) == {"orders": NA, "legacy": F}
