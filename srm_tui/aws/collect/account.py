"""Account settings: the alternate contacts AWS uses to reach the account owner."""

from __future__ import annotations

from typing import Any

from srm_tui.aws.api import Api, ItemError
from srm_tui.aws.collectors import collector
from srm_tui.aws.errors import DENIED, UNSUPPORTED, CollectError

CONTACT_TYPES = ("SECURITY", "BILLING", "OPERATIONS")


@collector(
    "account.alternate_contacts",
    service="account",
    scope="global",
    api_calls=("account:GetAlternateContact",),
)
def alternate_contacts(api: Api, region: str) -> dict[str, dict[str, Any] | None]:
    """Each alternate contact type -> the contact (name, email...), or None if unset."""
    contacts: dict[str, dict[str, Any] | None] = {}
    for kind in CONTACT_TYPES:
        answer = api.optional(
            "account", region, "get_alternate_contact",
            missing=("ResourceNotFoundException",), AlternateContactType=kind,
        )  # fmt: skip
        if isinstance(answer, ItemError):
            # Every type is read with the same action: one failure is the whole answer.
            kind_of = DENIED if "denied" in answer.reason else UNSUPPORTED
            raise CollectError(kind_of, answer.reason)
        contacts[kind] = None if answer is None else answer.get("AlternateContact", {})
    return contacts
