"""CloudFront: distributions and their access logging (a global service)."""

from __future__ import annotations

from typing import Any

from srm_tui.aws.api import Api
from srm_tui.aws.collectors import collector

# CloudFront hands its logs to CloudWatch log delivery in this region only.
_DELIVERY_REGION = "us-east-1"


@collector(
    "cloudfront.distributions",
    service="cloudfront",
    scope="global",
    api_calls=(
        "cloudfront:ListDistributions",
        "cloudfront:GetDistributionConfig",
        "logs:DescribeDeliverySources",
    ),
    in_use=bool,
)
def distributions(api: Api, region: str) -> list[dict[str, Any]]:
    """Each distribution: id, ARN, domain name, whether legacy standard logging to S3 is
    on, and whether it is a source of CloudWatch log delivery for access logs."""
    client = api.client("cloudfront")
    delivered = {
        arn
        for source in api.pages(
            "logs", _DELIVERY_REGION, "describe_delivery_sources", "deliverySources"
        )
        if source.get("logType") == "ACCESS_LOGS"
        for arn in source.get("resourceArns") or []
    }
    found = []
    for page in client.get_paginator("list_distributions").paginate():
        for dist in (page.get("DistributionList") or {}).get("Items") or []:
            config = api.call("cloudfront", None, "get_distribution_config", Id=dist["Id"])[
                "DistributionConfig"
            ]
            found.append(
                {
                    "id": dist["Id"],
                    "arn": dist.get("ARN", ""),
                    "domain": dist.get("DomainName", ""),
                    "standard_logging": bool((config.get("Logging") or {}).get("Enabled")),
                    "log_delivery": dist.get("ARN", "") in delivered,
                }
            )
    return found
