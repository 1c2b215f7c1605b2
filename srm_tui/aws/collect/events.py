"""EventBridge: event buses and whether a resource-based policy is attached."""

from __future__ import annotations

from typing import Any

from srm_tui.aws.api import Api
from srm_tui.aws.collect.paging import token_pages
from srm_tui.aws.collectors import collector


@collector("events.buses", service="events", api_calls=("events:ListEventBuses",))
def buses(api: Api, region: str) -> list[dict[str, Any]]:
    """Each event bus: name, ARN and whether it has a resource-based policy."""
    return [
        {
            "name": bus.get("Name", ""),
            "arn": bus.get("Arn", ""),
            "has_policy": bool(str(bus.get("Policy") or "").strip()),
        }
        for bus in token_pages(api, "events", None, "list_event_buses", "EventBuses")
    ]
