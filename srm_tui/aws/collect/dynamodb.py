"""DynamoDB: tables and their point-in-time recovery."""

from __future__ import annotations

from typing import Any

from srm_tui.aws.collect.pages import items
from srm_tui.aws.collectors import collector


@collector(
    "dynamodb.tables",
    service="dynamodb",
    api_calls=("dynamodb:ListTables", "dynamodb:DescribeContinuousBackups"),
    in_use=bool,
)
def tables(api: Any, region: str) -> list[dict[str, Any]]:
    """Each table: name, ARN and point-in-time recovery status (ENABLED or DISABLED)."""
    client = api.client("dynamodb")
    found = []
    for name in items(client, "list_tables", "TableNames"):
        backups = client.describe_continuous_backups(TableName=name)
        pitr = (backups.get("ContinuousBackupsDescription") or {}).get(
            "PointInTimeRecoveryDescription"
        ) or {}
        found.append(
            {
                "name": name,
                "arn": f"arn:{api.partition}:dynamodb:{region}:{api.account_id}:table/{name}",
                "pitr": pitr.get("PointInTimeRecoveryStatus", "DISABLED"),
            }
        )
    return found
