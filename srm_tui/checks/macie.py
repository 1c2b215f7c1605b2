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
