"""AWS Security Hub CSPM: whether the region is subscribed, and which standards run."""

from __future__ import annotations

from typing import Any

from srm_tui.aws.api import Api
from srm_tui.aws.collectors import collector

# Security Hub CSPM answers this code when the account has not enabled it in the region.
_NOT_SUBSCRIBED = ("InvalidAccessException",)


@collector("securityhub.hub", service="securityhub", api_calls=("securityhub:DescribeHub",))
def hub(api: Api, region: str) -> dict[str, Any] | None:
    """The region's hub, or None when Security Hub CSPM is not enabled there."""
    found = api.call("securityhub", None, "describe_hub", missing=_NOT_SUBSCRIBED)
    if found is None:
        return None
    return {"arn": found.get("HubArn", ""), "subscribed_at": str(found.get("SubscribedAt", ""))}


@collector(
    "securityhub.standards",
    service="securityhub",
    api_calls=("securityhub:GetEnabledStandards",),
)
def standards(api: Api, region: str) -> list[dict[str, str]] | None:
    """The standards subscribed in the region, or None when Security Hub CSPM is off."""
    subscriptions = api.pages(
        "securityhub", None, "get_enabled_standards", "StandardsSubscriptions",
        missing=_NOT_SUBSCRIBED,
    )  # fmt: skip
    if subscriptions is None:
        return None
    return [
        {
            "arn": s.get("StandardsArn", ""),
            "subscription": s.get("StandardsSubscriptionArn", ""),
            "status": s.get("StandardsStatus", ""),
        }
        for s in subscriptions
    ]
