"""Demo seed: CloudFront distributions with and without access logs (global)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def _config(name: str, logging: bool) -> dict[str, Any]:
    return {
        "CallerReference": name,
        "Comment": name,
        "Enabled": True,
        "Origins": {
            "Quantity": 1,
            "Items": [
                {
                    "Id": "site",
                    "DomainName": f"{name}.s3.amazonaws.com",
                    "S3OriginConfig": {"OriginAccessIdentity": ""},
                }
            ],
        },
        "DefaultCacheBehavior": {
            "TargetOriginId": "site",
            "ViewerProtocolPolicy": "redirect-to-https",
            "MinTTL": 0,
        },
        "Logging": {
            "Enabled": logging,
            "IncludeCookies": False,
            "Bucket": "demo-cdn-logs.s3.amazonaws.com" if logging else "",
            "Prefix": name if logging else "",
        },
    }


def seed(session: Any, regions: Sequence[str], scale: int = 1) -> None:
    """Per ``scale``: ``www-N`` (standard logging on) and ``assets-N`` (off)."""
    cloudfront = session.client("cloudfront", region_name=regions[0])
    for n in range(scale):
        cloudfront.create_distribution(DistributionConfig=_config(f"www-{n}", logging=True))
        cloudfront.create_distribution(DistributionConfig=_config(f"assets-{n}", logging=False))
