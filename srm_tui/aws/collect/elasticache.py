"""ElastiCache: the node-based clusters and replication groups of each region (two
listings; serverless caches are outside the FSBP controls)."""

from __future__ import annotations

from typing import Any

from srm_tui.aws.api import Api
from srm_tui.aws.collectors import collector


@collector(
    "elasticache.caches",
    service="elasticache",
    api_calls=("elasticache:DescribeCacheClusters", "elasticache:DescribeReplicationGroups"),
    in_use=lambda found: bool(found["clusters"] or found["replication_groups"]),
)
def caches(api: Api, region: str) -> dict[str, list[dict[str, Any]]]:
    """``clusters``: each cache cluster (node group member or standalone) with its
    engine and version, replication group, snapshot retention, automatic minor
    upgrades and subnet group; ``replication_groups``: each group with its automatic
    failover, encryption at rest and in transit, AUTH token, snapshot retention and
    member clusters."""
    clusters = [
        {
            "id": c.get("CacheClusterId", ""),
            "arn": c.get("ARN", ""),
            "engine": c.get("Engine", ""),
            "version": c.get("EngineVersion", ""),
            "group": c.get("ReplicationGroupId", ""),
            "snapshot_retention": int(c.get("SnapshotRetentionLimit") or 0),
            "auto_minor_upgrade": bool(c.get("AutoMinorVersionUpgrade")),
            "subnet_group": c.get("CacheSubnetGroupName", ""),
        }
        for c in api.pages("elasticache", None, "describe_cache_clusters", "CacheClusters")
    ]
    groups = [
        {
            "id": g.get("ReplicationGroupId", ""),
            "arn": g.get("ARN", ""),
            "engine": g.get("Engine", ""),
            "automatic_failover": g.get("AutomaticFailover", ""),
            "at_rest_encryption": bool(g.get("AtRestEncryptionEnabled")),
            "transit_encryption": bool(g.get("TransitEncryptionEnabled")),
            "auth_token": bool(g.get("AuthTokenEnabled")),
            "snapshot_retention": int(g.get("SnapshotRetentionLimit") or 0),
            "members": list(g.get("MemberClusters") or []),
        }
        for g in api.pages("elasticache", None, "describe_replication_groups", "ReplicationGroups")
    ]
    return {"clusters": clusters, "replication_groups": groups}
