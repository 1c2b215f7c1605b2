"""Security Hub checks."""

from __future__ import annotations

from collections.abc import Iterable

import srm_tui.aws.collect.securityhub  # noqa: F401  (registers the collectors used here)
from srm_tui.checks.registry import Context, check
from srm_tui.model import Finding


@check(
    "securityhub.enabled",
    title="Security Hub is enabled in the region",
    service="securityhub",
    severity="medium",
    responsibility="customer",
    scope="regional",
    needs=("securityhub.hub",),
    frameworks={"cis-aws-7.0": ["5.16"], "nist-csf-2.0": ["DE.CM", "ID.RA"]},
    remediation=(
        "Enable AWS Security Hub in every region you use, preferably through a delegated "
        "administrator for the organisation. "
        "https://docs.aws.amazon.com/securityhub/latest/userguide/securityhub-settingup.html"
    ),
)
def enabled(ctx: Context) -> Iterable[Finding]:
    hub = ctx.data("securityhub.hub")
    if hub is None:
        yield ctx.fail(ctx.account_arn("securityhub"), "Security Hub is not enabled")
    else:
        yield ctx.ok(hub["arn"] or ctx.account_arn("securityhub"), "Security Hub is enabled")


@check(
    "securityhub.standards_enabled",
    title="Security Hub runs at least one security standard",
    service="securityhub",
    severity="low",
    responsibility="customer",
    scope="regional",
    needs=("securityhub.standards",),
    frameworks={"cis-aws-7.0": ["5.16"], "nist-csf-2.0": ["ID.RA"]},
    remediation=(
        "In Security Hub, enable a standard such as AWS Foundational Security Best Practices "
        "or the CIS AWS Foundations Benchmark so that its controls are evaluated. "
        "https://docs.aws.amazon.com/securityhub/latest/userguide/enable-standards.html"
    ),
)
def standards_enabled(ctx: Context) -> Iterable[Finding]:
    standards = ctx.data("securityhub.standards")
    resource = ctx.account_arn("securityhub")
    if standards is None:
        yield ctx.na(resource, "Security Hub is not enabled in this region")
        return
    ready = sorted(
        s["arn"].split("/", 1)[-1] for s in standards if s["status"] in ("READY", "PENDING")
    )
    if ready:
        yield ctx.ok(resource, "standards enabled: " + ", ".join(ready))
    else:
        yield ctx.fail(resource, "Security Hub is enabled but runs no standard")
