"""Demo seed: DynamoDB tables with and without point-in-time recovery."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def seed(session: Any, regions: Sequence[str], scale: int = 1) -> None:
    """Per region and ``scale``: ``orders-N`` (point-in-time recovery) and
    ``sessions-N`` (none)."""
    for region in regions:
        ddb = session.client("dynamodb", region_name=region)
        for n in range(scale):
            for name in (f"orders-{n}", f"sessions-{n}"):
                ddb.create_table(
                    TableName=name,
                    AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                    KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                    BillingMode="PAY_PER_REQUEST",
                )
            ddb.update_continuous_backups(
                TableName=f"orders-{n}",
                PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True},
            )
