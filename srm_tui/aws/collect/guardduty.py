"""GuardDuty: the detectors of each region."""

from __future__ import annotations

from typing import Any

from srm_tui.aws.collect.pages import items
from srm_tui.aws.collectors import collector


@collector(
    "guardduty.detectors",
    service="guardduty",
    api_calls=("guardduty:ListDetectors", "guardduty:GetDetector"),
)
def detectors(api: Any, region: str) -> list[dict[str, Any]]:
    """Each detector of the region with its status (ENABLED or SUSPENDED)."""
    client = api.client("guardduty")
    found = []
    for detector_id in items(client, "list_detectors", "DetectorIds"):
        detail = client.get_detector(DetectorId=detector_id)
        found.append(
            {
                "id": detector_id,
                "status": detail.get("Status", ""),
                "features": {
                    f.get("Name", ""): f.get("Status", "") for f in detail.get("Features") or []
                },
            }
        )
    return found
