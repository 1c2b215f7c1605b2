"""Account settings: the alternate contacts AWS uses to reach the account owner."""

from __future__ import annotations

from typing import Any

from srm_tui.aws.api import Api
from srm_tui.aws.collectors import collector

CONTACT_TYPES = ("SECURITY", "BILLING", "OPERATIONS")


@collector(
    "account.alternate_contacts",
    service="account",
    scope="global",
    api_calls=("account:GetAlternateContact",),
)
def alternate_contacts(api: Api, region: str) -> dict[str, dict[str, Any] | None]:
    """Each alternate contact type -> the contact (name, email...), or None if unset.
    Every type is read with the same action: one failure is the whole answer."""
    contacts: dict[str, dict[str, Any] | None] = {}
    for kind in CONTACT_TYPES:
        answer = api.call(
            "account", region, "get_alternate_contact",
            missing=("ResourceNotFoundException",), AlternateContactType=kind,
        )  # fmt: skip
        contacts[kind] = None if answer is None else answer.get("AlternateContact", {})
    return contacts
