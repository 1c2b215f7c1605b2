"""CloudFront: distributions with what the checks read of their configuration (logging,
viewer and origin protocols, certificates, origins and their access control, web ACL),
and whether the buckets of their S3 origins exist (a global service)."""

from __future__ import annotations

import re
from typing import Any

from botocore.exceptions import ClientError

from srm_tui.aws.api import Api
from srm_tui.aws.collectors import collector

# CloudFront hands its logs to CloudWatch log delivery in this region only.
_DELIVERY_REGION = "us-east-1"

# Bucket endpoints an S3 origin may name: bucket.s3.amazonaws.com,
# bucket.s3.<region>.amazonaws.com, bucket.s3-<region>.amazonaws.com (dualstack too).
_S3_DOMAIN = re.compile(
    r"^(?P<bucket>.+?)\.s3(?:[.-](?:dualstack\.)?[a-z0-9-]+)?\.amazonaws\.com(?:\.cn)?$"
)
_WEBSITE = re.compile(r"\.s3-website[.-]")
_LAMBDA_URL = re.compile(r"\.lambda-url\.[a-z0-9-]+\.on\.aws$")
# HeadBucket on a bucket that does not exist answers 404; one that exists in an
# account the scanner may not read answers 403.
_NO_BUCKET = ("404", "NoSuchBucket", "NotFound")
_OTHER_OWNER = ("403", "AccessDenied", "Forbidden")


def _origin(item: dict[str, Any]) -> dict[str, Any]:
    domain = str(item.get("DomainName", "")).lower()
    custom = item.get("CustomOriginConfig") or {}
    s3 = _S3_DOMAIN.match(domain)
    if _WEBSITE.search(domain):
        kind = "s3_website"
    elif "S3OriginConfig" in item or (s3 and not custom):
        # The S3 origin type; a bucket's REST endpoint set up as a custom origin is a
        # custom origin to CloudFront.1, .12 and .13 alike.
        kind = "s3"
    elif _LAMBDA_URL.search(domain):
        kind = "lambda_url"
    elif custom:
        kind = "custom"
    else:
        kind = "other"
    return {
        "id": item.get("Id", ""),
        "domain": domain,
        "kind": kind,
        "bucket": s3.group("bucket") if s3 and kind == "s3" else "",
        # A bucket's REST endpoint can be set up as a custom origin too: what makes an
        # origin custom (CloudFront.9 and .10) is its CustomOriginConfig, not its domain.
        "custom": bool(custom),
        "oac": bool(item.get("OriginAccessControlId")),
        "protocol_policy": custom.get("OriginProtocolPolicy", ""),
        "ssl_protocols": list((custom.get("OriginSslProtocols") or {}).get("Items") or []),
    }


def _behaviors(config: dict[str, Any]) -> list[str]:
    """The viewer protocol policy of the default and every other cache behavior."""
    default = (config.get("DefaultCacheBehavior") or {}).get("ViewerProtocolPolicy", "")
    others = (config.get("CacheBehaviors") or {}).get("Items") or []
    return [default, *(b.get("ViewerProtocolPolicy", "") for b in others)]


def _certificate(config: dict[str, Any]) -> dict[str, Any]:
    cert = config.get("ViewerCertificate") or {}
    return {
        "default": bool(cert.get("CloudFrontDefaultCertificate"))
        or not (cert.get("ACMCertificateArn") or cert.get("IAMCertificateId")),
        "ssl_support_method": cert.get("SSLSupportMethod", ""),
        "minimum_protocol_version": cert.get("MinimumProtocolVersion", ""),
    }


def _bucket_exists(api: Api, name: str, owned: set[str]) -> bool:
    if name in owned:
        return True
    try:
        api.call("s3", None, "head_bucket", Bucket=name)
    except ClientError as exc:
        code = str(exc.response.get("Error", {}).get("Code", ""))
        if code in _NO_BUCKET:
            return False
        if code in _OTHER_OWNER:
            return True  # it exists, in an account this one cannot read
        raise
    return True


def _delivered(api: Api) -> set[str]:
    """The distributions whose access logs CloudWatch log delivery sends somewhere: a
    delivery source alone sends nothing until a delivery links it to a destination."""
    sources = [
        source
        for source in api.pages(
            "logs", _DELIVERY_REGION, "describe_delivery_sources", "deliverySources"
        )
        if source.get("logType") == "ACCESS_LOGS"
    ]
    if not sources:
        return set()
    linked = {
        delivery.get("deliverySourceName")
        for delivery in api.pages("logs", _DELIVERY_REGION, "describe_deliveries", "deliveries")
    }
    return {
        arn
        for source in sources
        if source.get("name") in linked
        for arn in source.get("resourceArns") or []
    }


@collector(
    "cloudfront.distributions",
    service="cloudfront",
    scope="global",
    api_calls=(
        "cloudfront:ListDistributions",
        "cloudfront:GetDistributionConfig",
        "logs:DescribeDeliverySources",
        "logs:DescribeDeliveries",
        "s3:ListAllMyBuckets",
        "s3:ListBucket",
    ),
    in_use=bool,
)
def distributions(api: Api, region: str) -> list[dict[str, Any]]:
    """Each distribution: id, ARN, domain name, whether legacy standard logging to S3 is
    on or CloudWatch log delivery sends its access logs to a destination, its default root
    object, viewer protocol policies, certificate, whether it is multi-tenant
    (tenant-only), web ACL, origins (kind, bucket, origin access control, protocols) and
    origin groups, and which origin buckets exist."""
    client = api.client("cloudfront")
    delivered = _delivered(api)
    found = []
    for page in client.get_paginator("list_distributions").paginate():
        for dist in (page.get("DistributionList") or {}).get("Items") or []:
            config = api.call("cloudfront", None, "get_distribution_config", Id=dist["Id"])[
                "DistributionConfig"
            ]
            groups = (config.get("OriginGroups") or {}).get("Items") or []
            found.append(
                {
                    "id": dist["Id"],
                    "arn": dist.get("ARN", ""),
                    "domain": dist.get("DomainName", ""),
                    "standard_logging": bool((config.get("Logging") or {}).get("Enabled")),
                    "log_delivery": dist.get("ARN", "") in delivered,
                    "default_root_object": config.get("DefaultRootObject", ""),
                    "viewer_protocols": _behaviors(config),
                    "certificate": _certificate(config),
                    # A multi-tenant distribution's tenants bring their own certificates.
                    "tenant_only": (config.get("ConnectionMode") or dist.get("ConnectionMode"))
                    == "tenant-only",
                    "web_acl": config.get("WebACLId", ""),
                    "origins": [
                        _origin(o) for o in (config.get("Origins") or {}).get("Items") or []
                    ],
                    "origin_groups": [
                        len((g.get("Members") or {}).get("Items") or []) for g in groups
                    ],
                }
            )
    names = {o["bucket"] for d in found for o in d["origins"] if o["bucket"]}
    if names:
        owned = {b["Name"] for b in api.pages("s3", None, "list_buckets", "Buckets")}
        exists = {name: _bucket_exists(api, name, owned) for name in sorted(names)}
        for dist in found:
            for origin in dist["origins"]:
                if origin["bucket"]:
                    origin["bucket_exists"] = exists[origin["bucket"]]
    return found
