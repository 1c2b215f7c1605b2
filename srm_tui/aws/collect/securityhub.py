"""Security Hub: whether the region is subscribed, and which standards run."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from srm_tui.aws.collect.pages import error_code, items
from srm_tui.aws.collectors import collector

# Security Hub answers this code when the account has not enabled it in the region.
_NOT_SUBSCRIBED = "InvalidAccessException"


@collector("securityhub.hub", service="securityhub", api_calls=("securityhub:DescribeHub",))
def hub(api: Any, region: str) -> dict[str, Any] | None:
    """The region's hub, or None when Security Hub is not enabled there."""
    try:
        found = api.client("securityhub").describe_hub()
    except ClientError as error:
        if error_code(error) == _NOT_SUBSCRIBED:
            return None
        raise
    return {"arn": found.get("HubArn", ""), "subscribed_at": str(found.get("SubscribedAt", ""))}


@collector(
    "securityhub.standards",
    service="securityhub",
    api_calls=("securityhub:GetEnabledStandards",),
)
def standards(api: Any, region: str) -> list[dict[str, str]] | None:
    """The standards subscribed in the region, or None when Security Hub is off."""
    try:
        subscriptions = items(
            api.client("securityhub"), "get_enabled_standards", "StandardsSubscriptions"
        )
    except ClientError as error:
        if error_code(error) == _NOT_SUBSCRIBED:
            return None
        raise
    return [
        {
            "arn": s.get("StandardsArn", ""),
            "subscription": s.get("StandardsSubscriptionArn", ""),
            "status": s.get("StandardsStatus", ""),
        }
        for s in subscriptions
    ]
