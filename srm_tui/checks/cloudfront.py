"""CloudFront checks."""

from __future__ import annotations

from collections.abc import Iterable

from srm_tui.checks.context import Context, check
from srm_tui.model import Finding


@check("cloudfront.access_logging", needs=("cloudfront.distributions",))
def access_logging(ctx: Context) -> Iterable[Finding]:
    for dist in ctx.data("cloudfront.distributions"):
        if dist["standard_logging"]:
            yield ctx.ok(dist["arn"], "standard logging to S3 on")
        elif dist["log_delivery"]:
            yield ctx.ok(dist["arn"], "access logs sent through CloudWatch log delivery")
        else:
            yield ctx.fail(dist["arn"], "no access logging")
