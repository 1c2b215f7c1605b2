"""Demo seed: custom EventBridge buses, one with a resource-based policy."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def seed(session: Any, regions: Sequence[str], scale: int = 1) -> None:
    """In the first region, per ``scale``: ``orders-events-N`` lets one partner account put events
    (a policy), ``audit-events-N`` has no policy."""
    # One region shows both sides; the demo's other region stays empty, which is cheaper.
    for region in regions[:1]:
        client = session.client("events", region_name=region)
        for n in range(scale):
            client.create_event_bus(Name=f"orders-events-{n}")
            client.put_permission(
                EventBusName=f"orders-events-{n}",
                Action="events:PutEvents",
                Principal="111122223333",
                StatementId="partner-account",
            )
            client.create_event_bus(Name=f"audit-events-{n}")
