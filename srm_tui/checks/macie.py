"""Amazon Macie checks."""

from __future__ import annotations

from collections.abc import Iterable

import srm_tui.aws.collect.macie  # noqa: F401  (registers the collectors used here)
from srm_tui.checks.registry import Context, check
from srm_tui.model import Finding


@check(
    "macie.enabled",
    title="Amazon Macie is enabled in the region",
    service="macie",
    severity="medium",
    responsibility="customer",
    scope="regional",
    needs=("macie.session",),
    frameworks={
        "cis-aws-7.0": ["3.1.3"],
        "aws-fsbp": ["Macie.1"],
        "nist-csf-2.0": ["ID.AM", "PR.DS"],
    },
    remediation=(
        "Enable Amazon Macie (with automated sensitive data discovery) so that data in S3 is "
        "discovered and classified; resume it if paused. "
        "https://docs.aws.amazon.com/macie/latest/user/getting-started.html"
    ),
    description="Only part of CIS 3.1.3: Macie being on shows that discovery can happen, "
    "not that all data has been classified and secured.",
)
def enabled(ctx: Context) -> Iterable[Finding]:
    session = ctx.data("macie.session")
    resource = ctx.account_arn("macie2")
    if session is None:
        yield ctx.fail(resource, "Macie is not enabled")
    elif session["status"] != "ENABLED":
        yield ctx.fail(resource, f"Macie is {session['status'].lower()}")
    else:
        yield ctx.ok(resource, "Macie is enabled")
