"""CloudFront checks."""

from __future__ import annotations

from collections.abc import Iterable

from srm_tui.aws.collect import cloudfront as cloudfront_collectors  # noqa: F401  (registers the collectors used here)
from srm_tui.checks.registry import Context, check
from srm_tui.model import Finding


@check(
    "cloudfront.access_logging",
    title="CloudFront distributions write access logs",
    service="cloudfront",
    severity="medium",
    responsibility="customer",
    scope="global",
    needs=("cloudfront.distributions",),
    frameworks={
        "cis-aws-7.0": ["4.10"],
        "aws-fsbp": ["CloudFront.5"],
        "nist-csf-2.0": ["DE.CM", "PR.PS"],
        "iso-27017": ["12.4.1"],
    },
    remediation=(
        "Enable standard logging for the distribution (to S3, or to CloudWatch Logs or "
        "Firehose with the newer log delivery). "
        "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/AccessLogs.html"
    ),
    description="Counts legacy standard logging to S3 and CloudWatch log delivery of "
    "access logs (a delivery source in us-east-1).",
)
def access_logging(ctx: Context) -> Iterable[Finding]:
    for dist in ctx.data("cloudfront.distributions"):
        if dist["standard_logging"]:
            yield ctx.ok(dist["arn"], "standard logging to S3 on")
        elif dist["log_delivery"]:
            yield ctx.ok(dist["arn"], "access logs sent through CloudWatch log delivery")
        else:
            yield ctx.fail(dist["arn"], "no access logging")
