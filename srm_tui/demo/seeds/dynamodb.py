"""Demo seed: DynamoDB tables and DynamoDB Accelerator clusters, well kept and not."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

_KEY = {
    "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
    "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
}


def seed(session: Any, regions: Sequence[str], scale: int = 1) -> None:
    """Per region and ``scale``: ``orders-N`` (on-demand, point-in-time recovery,
    deletion protection) and ``sessions-N`` (provisioned capacity without auto scaling,
    neither protection); DAX clusters ``cache-secure-N`` (encrypted at rest and in
    transit) and ``cache-plain-N`` (neither)."""
    for region in regions:
        ddb = session.client("dynamodb", region_name=region)
        dax = session.client("dax", region_name=region)
        for n in range(scale):
            ddb.create_table(
                TableName=f"orders-{n}", BillingMode="PAY_PER_REQUEST",
                DeletionProtectionEnabled=True, **_KEY,
            )  # fmt: skip
            ddb.create_table(
                TableName=f"sessions-{n}",
                ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 5},
                **_KEY,
            )
            ddb.update_continuous_backups(
                TableName=f"orders-{n}",
                PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True},
            )
            role = "arn:aws:iam::123456789012:role/dax-service"
            dax.create_cluster(
                ClusterName=f"cache-secure-{n}", NodeType="dax.t3.small", ReplicationFactor=1,
                IamRoleArn=role, SSESpecification={"Enabled": True},
                ClusterEndpointEncryptionType="TLS",
            )  # fmt: skip
            dax.create_cluster(
                ClusterName=f"cache-plain-{n}", NodeType="dax.t3.small", ReplicationFactor=1,
                IamRoleArn=role,
            )  # fmt: skip
