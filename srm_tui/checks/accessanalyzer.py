"""IAM Access Analyzer checks."""

from __future__ import annotations

from collections.abc import Iterable

import srm_tui.aws.collect.accessanalyzer  # noqa: F401  (registers the collectors used here)
from srm_tui.checks.registry import Context, check
from srm_tui.model import Finding

# Analyzers of external access; the unused- and internal-access kinds do not count.
_EXTERNAL = ("ACCOUNT", "ORGANIZATION")


@check(
    "accessanalyzer.enabled",
    title="IAM Access Analyzer watches for external access in the region",
    service="accessanalyzer",
    severity="medium",
    responsibility="customer",
    scope="regional",
    needs=("accessanalyzer.analyzers",),
    frameworks={"cis-aws-7.0": ["2.18"], "nist-csf-2.0": ["PR.AA", "DE.CM"]},
    remediation=(
        "Create an external access analyzer (zone of trust: the account or the organisation) "
        "in every region you use. "
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-getting-started.html"
    ),
)
def enabled(ctx: Context) -> Iterable[Finding]:
    analyzers = ctx.data("accessanalyzer.analyzers")
    external = [a for a in analyzers if a["type"] in _EXTERNAL]
    active = [a for a in external if a["status"] == "ACTIVE"]
    if active:
        yield ctx.ok(active[0]["arn"], f"analyzer {active[0]['name']} is active")
    elif external:
        states = ", ".join(f"{a['name']} {a['status'].lower()}" for a in external)
        yield ctx.fail(ctx.account_arn("access-analyzer"), f"no active analyzer ({states})")
    else:
        yield ctx.fail(ctx.account_arn("access-analyzer"), "no external access analyzer")
