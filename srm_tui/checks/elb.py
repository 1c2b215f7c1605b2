"""Load balancer checks."""

from __future__ import annotations

from collections.abc import Iterable

from srm_tui.aws.collect import elb as elb_collectors  # noqa: F401  (registers the collectors used here)
from srm_tui.checks.registry import Context, check
from srm_tui.model import Finding


@check(
    "elb.access_logging",
    title="Application and Classic Load Balancers write access logs",
    service="elb",
    severity="medium",
    responsibility="customer",
    scope="regional",
    needs=("elbv2.load_balancers", "elb.classic_load_balancers"),
    frameworks={
        "cis-aws-7.0": ["4.10"],
        "aws-fsbp": ["ELB.5"],
        "nist-csf-2.0": ["DE.CM", "PR.PS"],
        "iso-27017": ["12.4.1"],
    },
    remediation=(
        "Turn on access logs to an S3 bucket in the load balancer's attributes. "
        "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html"
    ),
    description="Part of CIS 4.10 (web front ends log their access); CloudFront is "
    "checked by cloudfront.access_logging.",
)
def access_logging(ctx: Context) -> Iterable[Finding]:
    for lb in ctx.data("elbv2.load_balancers"):
        if lb["access_logs"] is None:
            continue  # network and gateway load balancers: not web front ends
        if lb["access_logs"]:
            yield ctx.ok(lb["arn"], "access logs on")
        else:
            yield ctx.fail(lb["arn"], "access logs off")
    for lb in ctx.data("elb.classic_load_balancers"):
        if lb["access_logs"]:
            yield ctx.ok(lb["arn"], "access logs on (classic)")
        else:
            yield ctx.fail(lb["arn"], "access logs off (classic)")
