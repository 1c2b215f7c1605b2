"""CloudTrail: trails as seen from each region, with status and event selectors
read once, in each trail's home region."""

from __future__ import annotations

from typing import Any

from srm_tui.aws.api import Api
from srm_tui.aws.collectors import collector


@collector(
    "cloudtrail.trails",
    service="cloudtrail",
    api_calls=(
        "cloudtrail:DescribeTrails",
        "cloudtrail:GetTrailStatus",
        "cloudtrail:GetEventSelectors",
    ),
)
def trails(api: Api, region: str) -> list[dict[str, Any]]:
    """Trails whose home region is ``region``, each with ``status`` and ``selectors``.

    A multi-region trail appears in every region's listing; taking only the trails
    homed here reads each trail's details once per scan. One homed in a region the scan
    leaves out is taken in the scan's first region instead: it logs the scanned regions
    too. Shadow trails are listed: in a member account the organization's trail
    (another account's ARN) is one, and it is what logs that account.
    """
    result = []
    for trail in api.call("cloudtrail", region, "describe_trails", includeShadowTrails=True).get(
        "trailList", []
    ):
        home = trail.get("HomeRegion", region)
        unscanned = home not in api.regions and bool(trail.get("IsMultiRegionTrail"))
        if home != region and not (unscanned and region == api.regions[0]):
            continue
        arn = trail.get("TrailARN", trail.get("Name", ""))
        status = api.detail("cloudtrail", region, "get_trail_status", Name=arn)
        selectors = api.detail("cloudtrail", region, "get_event_selectors", TrailName=arn)
        if isinstance(status, dict):
            status = {"IsLogging": bool(status.get("IsLogging"))}
        if isinstance(selectors, dict):
            selectors = {
                "EventSelectors": selectors.get("EventSelectors", []),
                "AdvancedEventSelectors": selectors.get("AdvancedEventSelectors", []),
            }
        result.append({**trail, "status": status, "selectors": selectors})
    return result
