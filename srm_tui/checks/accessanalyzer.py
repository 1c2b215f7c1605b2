"""IAM Access Analyzer checks."""

from __future__ import annotations

from collections.abc import Iterable

from srm_tui.checks.context import Context, check
from srm_tui.model import Finding

# Analyzers of external access; the unused- and internal-access kinds do not count.
_EXTERNAL = ("ACCOUNT", "ORGANIZATION")


@check("accessanalyzer.enabled", needs=("accessanalyzer.analyzers",))
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
