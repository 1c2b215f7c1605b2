"""GuardDuty checks."""

from __future__ import annotations

from collections.abc import Iterable

from srm_tui.checks.context import Context, check
from srm_tui.model import Finding


@check("guardduty.enabled", needs=("guardduty.detectors",))
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
