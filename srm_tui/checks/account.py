"""Account checks: whom AWS can reach about the account."""

from __future__ import annotations

from collections.abc import Iterable

from srm_tui.checks.context import Context, check
from srm_tui.model import Finding


@check("account.security_contact", needs=("account.alternate_contacts",))
def security_contact(ctx: Context) -> Iterable[Finding]:
    contact = ctx.data("account.alternate_contacts").get("SECURITY")
    if contact and contact.get("EmailAddress"):
        yield ctx.ok(ctx.account_arn("account"), "a security contact is registered")
    else:
        yield ctx.fail(ctx.account_arn("account"), "no security contact is registered")


@check("account.contact_details", needs=("account.alternate_contacts",))
def contact_details(ctx: Context) -> Iterable[Finding]:
    contacts = ctx.data("account.alternate_contacts")
    missing = [k.lower() for k in ("BILLING", "OPERATIONS") if not contacts.get(k)]
    if missing:
        yield ctx.fail(ctx.account_arn("account"), f"no {' or '.join(missing)} contact")
    else:
        yield ctx.ok(ctx.account_arn("account"), "billing and operations contacts are registered")
