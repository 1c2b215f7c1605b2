"""Amazon Macie checks."""

from __future__ import annotations

from collections.abc import Iterable

from srm_tui.checks.context import Context, check
from srm_tui.model import Finding


@check("macie.enabled", needs=("macie.session",))
def enabled(ctx: Context) -> Iterable[Finding]:
    session = ctx.data("macie.session")
    resource = ctx.account_arn("macie2")
    if session is None:
        yield ctx.fail(resource, "Macie is not enabled")
    elif session["status"] != "ENABLED":
        yield ctx.fail(resource, f"Macie is {session['status'].lower()}")
    else:
        yield ctx.ok(resource, "Macie is enabled")


@check("macie.automated_discovery", needs=("macie.automated_discovery",))
def automated_discovery(ctx: Context) -> Iterable[Finding]:
    found = ctx.data("macie.automated_discovery")
    resource = ctx.account_arn("macie2")
    if found is None:
        yield ctx.na(resource, "Macie is not enabled in this region (macie.enabled fails it)")
    elif found["administrator"]:
        yield ctx.na(
            resource,
            f"member account: its Macie administrator {found['administrator']} decides "
            "automated sensitive data discovery",
        )
    elif found["status"] == "ENABLED":
        yield ctx.ok(resource, "automated sensitive data discovery is enabled")
    else:
        status = found["status"].lower() or "not enabled"
        yield ctx.fail(resource, f"automated sensitive data discovery is {status}")
