"""DynamoDB: tables and their point-in-time recovery."""

from __future__ import annotations

from typing import Any

from srm_tui.aws.api import Api
from srm_tui.aws.collectors import collector


@collector(
    "dynamodb.tables",
    service="dynamodb",
    api_calls=("dynamodb:ListTables", "dynamodb:DescribeContinuousBackups"),
    in_use=bool,
)
def tables(api: Api, region: str) -> list[dict[str, Any]]:
    """Each table: name, ARN and point-in-time recovery status (ENABLED or DISABLED)."""
    found = []
    for name in api.pages("dynamodb", None, "list_tables", "TableNames"):
        backups = api.call("dynamodb", None, "describe_continuous_backups", TableName=name)
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
