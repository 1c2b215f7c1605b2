"""GuardDuty: the detectors of each region, with their protection plans (features)
and the agents those plans manage (additional configurations)."""

from __future__ import annotations

from typing import Any

from srm_tui.aws.api import Api
from srm_tui.aws.collectors import collector


@collector(
    "guardduty.detectors",
    service="guardduty",
    api_calls=("guardduty:ListDetectors", "guardduty:GetDetector"),
)
def detectors(api: Api, region: str) -> list[dict[str, Any]]:
    """Each detector of the region with its status (ENABLED or SUSPENDED), each feature's
    status (``features``: name -> ENABLED/DISABLED) and each additional configuration's
    status (``agents``: "FEATURE/CONFIGURATION" -> ENABLED/DISABLED)."""
    found = []
    for detector_id in api.pages("guardduty", None, "list_detectors", "DetectorIds"):
        detail = api.call("guardduty", None, "get_detector", DetectorId=detector_id)
        found.append(
            {
                "id": detector_id,
                "status": detail.get("Status", ""),
                "features": {
                    f.get("Name", ""): f.get("Status", "") for f in detail.get("Features") or []
                },
                "agents": {
                    f"{f.get('Name', '')}/{a.get('Name', '')}": a.get("Status", "")
                    for f in detail.get("Features") or []
                    for a in f.get("AdditionalConfiguration") or []
                },
            }
        )
    return found
