"""GuardDuty checks."""

from __future__ import annotations

from collections.abc import Iterable

import srm_tui.aws.collect.guardduty  # noqa: F401  (registers the collectors used here)
from srm_tui.checks.registry import Context, check
from srm_tui.model import Finding


@check(
    "guardduty.enabled",
    title="GuardDuty is enabled in the region",
    service="guardduty",
    severity="high",
    responsibility="customer",
    scope="regional",
    needs=("guardduty.detectors",),
    frameworks={"aws-fsbp": ["GuardDuty.1"], "nist-csf-2.0": ["DE.CM", "DE.AE"]},
    remediation=(
        "Enable GuardDuty in every region you use (ideally for the whole organisation from a "
        "delegated administrator account), and resume suspended detectors. "
        "https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_settingup.html"
    ),
    description="Threat detection is the customer's to switch on: AWS runs GuardDuty, "
    "but only for accounts and regions that enable it.",
)
def enabled(ctx: Context) -> Iterable[Finding]:
    detectors = ctx.data("guardduty.detectors")
    if not detectors:
        yield ctx.fail(ctx.account_arn("guardduty"), "no GuardDuty detector in this region")
        return
    for detector in detectors:
        arn = (
            f"arn:{ctx.partition}:guardduty:{ctx.region}:{ctx.account_id}:detector/{detector['id']}"
        )
        if detector["status"] == "ENABLED":
            yield ctx.ok(arn, "detector enabled")
        else:
            yield ctx.fail(arn, f"detector is {detector['status'].lower() or 'not enabled'}")
