"""Demo seed: CloudFront distributions, one well kept and others each with a gap (global).

``www-N`` logs, has a default root object, a web ACL, an origin group of two S3
origins, an HTTPS Lambda function URL origin and a custom certificate with a recent TLS
policy. ``assets-N`` has none of that and points at a bucket that does not exist;
``api-N`` reaches its custom origin over HTTP with SSLv3 and an old TLS policy;
``legacy-N`` serves its certificate from dedicated IP addresses.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

WEB_ACL = "arn:aws:wafv2:us-east-1:123456789012:global/webacl/demo-edge/1f2e3d4c"
CERTIFICATE = "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-demo"
#: The bucket behind ``www``'s origins; ``assets`` names one nobody created.
ORIGIN_BUCKET = "demo-cdn-origin"


def _s3(origin_id: str, bucket: str) -> dict[str, Any]:
    return {
        "Id": origin_id,
        "DomainName": f"{bucket}.s3.us-east-1.amazonaws.com",
        "S3OriginConfig": {"OriginAccessIdentity": ""},
    }


def _custom(origin_id: str, domain: str, policy: str, protocols: list[str]) -> dict[str, Any]:
    return {
        "Id": origin_id,
        "DomainName": domain,
        "CustomOriginConfig": {
            "HTTPPort": 80,
            "HTTPSPort": 443,
            "OriginProtocolPolicy": policy,
            "OriginSslProtocols": {"Quantity": len(protocols), "Items": protocols},
        },
    }


def _config(
    name: str,
    logging: bool,
    origins: list[dict[str, Any]] | None = None,
    viewer: str = "redirect-to-https",
    certificate: dict[str, Any] | None = None,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    items = origins or [_s3("site", f"{name}-origin")]
    config: dict[str, Any] = {
        "CallerReference": name,
        "Comment": name,
        "Enabled": True,
        "Origins": {"Quantity": len(items), "Items": items},
        "DefaultCacheBehavior": {
            "TargetOriginId": items[0]["Id"],
            "ViewerProtocolPolicy": viewer,
            "MinTTL": 0,
        },
        "Logging": {
            "Enabled": logging,
            "IncludeCookies": False,
            "Bucket": "demo-cdn-logs.s3.amazonaws.com" if logging else "",
            "Prefix": name if logging else "",
        },
    }
    if certificate:
        config["ViewerCertificate"] = {"CloudFrontDefaultCertificate": False, **certificate}
    config.update(extra or {})
    return config


def _www(name: str) -> dict[str, Any]:
    origins = [
        _s3("primary", ORIGIN_BUCKET),
        _s3("secondary", ORIGIN_BUCKET),
        _custom("render", "abcdefghij0123456789.lambda-url.us-east-1.on.aws", "https-only",
                ["TLSv1.2"]),
    ]  # fmt: skip
    group = {
        "Id": "site-failover",
        "FailoverCriteria": {"StatusCodes": {"Quantity": 1, "Items": [503]}},
        "Members": {"Quantity": 2, "Items": [{"OriginId": "primary"}, {"OriginId": "secondary"}]},
    }
    return _config(
        name,
        logging=True,
        origins=origins,
        certificate={
            "ACMCertificateArn": CERTIFICATE,
            "SSLSupportMethod": "sni-only",
            "MinimumProtocolVersion": "TLSv1.2_2021",
        },
        extra={
            "DefaultRootObject": "index.html",
            "WebACLId": WEB_ACL,
            "OriginGroups": {"Quantity": 1, "Items": [group]},
        },
    )


def _api(name: str) -> dict[str, Any]:
    return _config(
        name,
        logging=True,
        origins=[_custom("app", "app.internal.example.com", "http-only", ["SSLv3", "TLSv1"])],
        certificate={
            "ACMCertificateArn": CERTIFICATE,
            "SSLSupportMethod": "sni-only",
            "MinimumProtocolVersion": "TLSv1_2016",
        },
    )


def _legacy(name: str) -> dict[str, Any]:
    return _config(
        name,
        logging=True,
        origins=[_custom("app", "legacy.example.com", "https-only", ["TLSv1.2"])],
        certificate={
            "ACMCertificateArn": CERTIFICATE,
            "SSLSupportMethod": "vip",
            "MinimumProtocolVersion": "TLSv1.2_2021",
        },
    )


def seed(session: Any, regions: Sequence[str], scale: int = 1) -> None:
    """Per ``scale``: ``www-N``, ``assets-N``, ``api-N`` and ``legacy-N``."""
    session.client("s3", region_name="us-east-1").create_bucket(Bucket=ORIGIN_BUCKET)
    cloudfront = session.client("cloudfront", region_name=regions[0])
    for n in range(scale):
        cloudfront.create_distribution(DistributionConfig=_www(f"www-{n}"))
        cloudfront.create_distribution(
            DistributionConfig=_config(f"assets-{n}", logging=False, viewer="allow-all")
        )
        cloudfront.create_distribution(DistributionConfig=_api(f"api-{n}"))
        cloudfront.create_distribution(DistributionConfig=_legacy(f"legacy-{n}"))
