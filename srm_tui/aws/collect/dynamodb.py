"""DynamoDB: tables (point-in-time recovery, deletion protection, capacity mode), the
auto scaling registered for their capacity, and DynamoDB Accelerator (DAX) clusters."""

from __future__ import annotations

from typing import Any

from srm_tui.aws.api import Api
from srm_tui.aws.collectors import collector
from srm_tui.collected import Unreadable


def _pitr(answer: Any) -> Any:
    if isinstance(answer, Unreadable):
        return answer
    pitr = ((answer or {}).get("ContinuousBackupsDescription") or {}).get(
        "PointInTimeRecoveryDescription"
    ) or {}
    return pitr.get("PointInTimeRecoveryStatus", "DISABLED")


def _settings(answer: Any) -> Any:
    if isinstance(answer, Unreadable):
        return answer
    table = (answer or {}).get("Table") or {}
    return {
        "deletion_protection": bool(table.get("DeletionProtectionEnabled")),
        # A table never switched to on-demand has no summary: it is provisioned.
        "billing_mode": (table.get("BillingModeSummary") or {}).get("BillingMode", "PROVISIONED"),
        "indexes": [i.get("IndexName", "") for i in table.get("GlobalSecondaryIndexes") or []],
    }


@collector(
    "dynamodb.tables",
    service="dynamodb",
    api_calls=(
        "dynamodb:ListTables",
        "dynamodb:DescribeContinuousBackups",
        "dynamodb:DescribeTable",
    ),
    in_use=bool,
)
def tables(api: Api, region: str) -> list[dict[str, Any]]:
    """Each table: name, ARN, point-in-time recovery status (ENABLED or DISABLED) and
    ``settings`` (deletion protection, billing mode, global secondary index names).
    A table AWS refused to describe (or that vanished since it was listed) has
    ``Unreadable`` in place of the value."""

    def one(name: str) -> dict[str, Any]:
        backups = api.detail("dynamodb", None, "describe_continuous_backups", TableName=name)
        described = api.detail("dynamodb", None, "describe_table", TableName=name)
        return {
            "name": name,
            "arn": f"arn:{api.partition}:dynamodb:{region}:{api.account_id}:table/{name}",
            "pitr": _pitr(backups),
            "settings": _settings(described),
        }

    return api.each(one, api.pages("dynamodb", None, "list_tables", "TableNames"))


@collector(
    "dynamodb.scaling",
    service="application-autoscaling",
    api_calls=(
        "application-autoscaling:DescribeScalableTargets",
        "application-autoscaling:DescribeScalingPolicies",
    ),
)
def autoscaling(api: Api, region: str) -> dict[str, Any]:
    """The DynamoDB capacity registered with Application Auto Scaling: ``targets``
    maps "resource id|dimension" (e.g. "table/orders|dynamodb:table:ReadCapacityUnits")
    to its minimum capacity, ``utilization`` the same keys to the target value of
    their target-tracking policy, where they have one."""
    targets = api.pages(
        "application-autoscaling", None, "describe_scalable_targets", "ScalableTargets",
        ServiceNamespace="dynamodb",
    )  # fmt: skip
    policies = api.pages(
        "application-autoscaling", None, "describe_scaling_policies", "ScalingPolicies",
        ServiceNamespace="dynamodb",
    )  # fmt: skip
    utilization: dict[str, float] = {}
    for policy in policies:
        config = policy.get("TargetTrackingScalingPolicyConfiguration") or {}
        if "TargetValue" in config:
            key = f"{policy.get('ResourceId', '')}|{policy.get('ScalableDimension', '')}"
            utilization[key] = float(config["TargetValue"])
    return {
        "targets": {
            f"{t.get('ResourceId', '')}|{t.get('ScalableDimension', '')}": int(
                t.get("MinCapacity") or 0
            )
            for t in targets
        },
        "utilization": utilization,
    }


@collector("dax.clusters", service="dax", api_calls=("dax:DescribeClusters",), in_use=bool)
def dax_clusters(api: Api, region: str) -> list[dict[str, Any]]:
    """Each DynamoDB Accelerator cluster: encryption at rest (SSE status) and the
    endpoint encryption type (TLS or NONE)."""
    return [
        {
            "name": cluster.get("ClusterName", ""),
            "arn": cluster.get("ClusterArn", ""),
            "sse": (cluster.get("SSEDescription") or {}).get("Status", "DISABLED"),
            "endpoint_encryption": cluster.get("ClusterEndpointEncryptionType", "NONE"),
        }
        for cluster in api.pages("dax", None, "describe_clusters", "Clusters")
    ]
