"""Demo seed: ElastiCache caches, a well-kept replication group and a standalone cluster
and group with the usual gaps."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

NODE = "cache.t3.micro"


def seed(session: Any, regions: Sequence[str], scale: int = 1) -> None:
    """In the first region, per ``scale``: ``sessions-N`` (failover, encryption at rest
    and in transit, a week of backups), ``cache-legacy-N`` (none of that) and
    ``scratch-N``, a standalone Redis OSS cluster without backups or minor upgrades in
    the default subnet group; ``queue-N`` in its own subnet group takes upgrades."""
    cache = session.client("elasticache", region_name=regions[0])
    ec2 = session.client("ec2", region_name=regions[0])
    vpc = ec2.create_vpc(CidrBlock="10.42.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.42.1.0/24")["Subnet"]["SubnetId"]
    cache.create_cache_subnet_group(
        CacheSubnetGroupName="demo-cache-private",
        CacheSubnetGroupDescription="Private subnets of the demo application",
        SubnetIds=[subnet],
    )
    for n in range(scale):
        cache.create_replication_group(
            ReplicationGroupId=f"sessions-{n}", ReplicationGroupDescription="user sessions",
            Engine="redis", EngineVersion="7.1", CacheNodeType=NODE, NumCacheClusters=2,
            AutomaticFailoverEnabled=True, AtRestEncryptionEnabled=True,
            TransitEncryptionEnabled=True, SnapshotRetentionLimit=7,
            CacheSubnetGroupName="demo-cache-private",
        )  # fmt: skip
        cache.create_replication_group(
            ReplicationGroupId=f"cache-legacy-{n}", ReplicationGroupDescription="page cache",
            Engine="redis", EngineVersion="5.0.6", CacheNodeType=NODE, NumCacheClusters=1,
            AutomaticFailoverEnabled=False, SnapshotRetentionLimit=0,
        )  # fmt: skip
        cache.create_cache_cluster(
            CacheClusterId=f"scratch-{n}", Engine="redis", EngineVersion="6.2",
            CacheNodeType=NODE, NumCacheNodes=1, SnapshotRetentionLimit=0,
            AutoMinorVersionUpgrade=False, CacheSubnetGroupName="default",
        )  # fmt: skip
        cache.create_cache_cluster(
            CacheClusterId=f"queue-{n}", Engine="redis", EngineVersion="7.1",
            CacheNodeType=NODE, NumCacheNodes=1, SnapshotRetentionLimit=3,
            AutoMinorVersionUpgrade=True, CacheSubnetGroupName="demo-cache-private",
        )  # fmt: skip
