"""Account checks: whom AWS can reach about the account."""

from __future__ import annotations

from collections.abc import Iterable

from srm_tui.checks._common import DOCS
from srm_tui.checks.registry import Context, check
from srm_tui.model import Finding

_CONTACTS = f"{DOCS}/accounts/latest/reference/manage-acct-update-contact-alternate.html"


@check(
    "account.security_contact",
    title="A security contact is registered",
    service="account",
    severity="medium",
    responsibility="customer",
    scope="global",
    needs=("account.alternate_contacts",),
    frameworks={"cis-aws-7.0": ["2.3"], "aws-fsbp": ["Account.1"], "nist-csf-2.0": ["RS.CO"]},
    remediation="Add a security alternate contact (a team address, not a person) under "
    f"Account > Alternate contacts. {_CONTACTS}",
)
def security_contact(ctx: Context) -> Iterable[Finding]:
    contact = ctx.data("account.alternate_contacts").get("SECURITY")
    if contact and contact.get("EmailAddress"):
        yield ctx.ok(ctx.account_arn("account"), "a security contact is registered")
    else:
        yield ctx.fail(ctx.account_arn("account"), "no security contact is registered")


@check(
    "account.contact_details",
    title="Billing and operations contacts are registered",
    service="account",
    severity="low",
    responsibility="customer",
    scope="global",
    needs=("account.alternate_contacts",),
    frameworks={"cis-aws-7.0": ["2.2"], "nist-csf-2.0": ["GV.RR"]},
    remediation="Add billing and operations alternate contacts so that AWS reaches the "
    f"right people. {_CONTACTS}",
)
def contact_details(ctx: Context) -> Iterable[Finding]:
    contacts = ctx.data("account.alternate_contacts")
    missing = [k.lower() for k in ("BILLING", "OPERATIONS") if not contacts.get(k)]
    if missing:
        yield ctx.fail(ctx.account_arn("account"), f"no {' or '.join(missing)} contact")
    else:
        yield ctx.ok(ctx.account_arn("account"), "billing and operations contacts are registered")
