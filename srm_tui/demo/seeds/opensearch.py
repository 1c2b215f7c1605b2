"""Demo seed: OpenSearch domains, one configured as FSBP asks and one left at defaults."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

#: Fake master user password; tests prove it never leaves the scanner.
PLANTED_VALUE = "Demo-Master-Pa55-not-real"


def seed(session: Any, regions: Sequence[str], scale: int = 1) -> None:
    """In the first region, per ``scale``: ``search-N`` (VPC, encryption at rest and between
    nodes, error and audit logs, three nodes across zones, fine-grained access, HTTPS
    with the latest TLS policy) and ``logs-N`` (the defaults: none of these)."""
    account = session.client("sts", region_name=regions[0]).get_caller_identity()["Account"]
    # One region shows both sides; the demo's other region stays empty, which is cheaper.
    for region in regions[:1]:
        client = session.client("opensearch", region_name=region)
        subnets = session.client("ec2", region_name=region).describe_subnets(
            Filters=[{"Name": "default-for-az", "Values": ["true"]}]
        )["Subnets"]
        log_group = f"arn:aws:logs:{region}:{account}:log-group:/demo/opensearch"
        for n in range(scale):
            client.create_domain(
                DomainName=f"search-{n}",
                EngineVersion="OpenSearch_2.19",
                ClusterConfig={"InstanceCount": 3, "ZoneAwarenessEnabled": True},
                EncryptionAtRestOptions={"Enabled": True},
                NodeToNodeEncryptionOptions={"Enabled": True},
                DomainEndpointOptions={
                    "EnforceHTTPS": True,
                    "TLSSecurityPolicy": "Policy-Min-TLS-1-2-PFS-2023-10",
                },
                AdvancedSecurityOptions={
                    "Enabled": True,
                    "InternalUserDatabaseEnabled": True,
                    "MasterUserOptions": {
                        "MasterUserName": "admin",
                        "MasterUserPassword": PLANTED_VALUE,
                    },
                },
                LogPublishingOptions={
                    kind: {"CloudWatchLogsLogGroupArn": log_group, "Enabled": True}
                    for kind in ("ES_APPLICATION_LOGS", "AUDIT_LOGS")
                },
                VPCOptions={"SubnetIds": [s["SubnetId"] for s in subnets[:3]]},
            )
            client.create_domain(DomainName=f"logs-{n}")
