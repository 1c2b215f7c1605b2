"""Demo seed: a security contact and a billing contact, but no operations contact."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

ORDER = 10


def seed(session: Any, regions: Sequence[str], scale: int = 1) -> None:
    """Register two of the three alternate contacts."""
    account = session.client("account")
    for kind, name in (("SECURITY", "Security team"), ("BILLING", "Finance")):
        account.put_alternate_contact(
            AlternateContactType=kind, Name=name, Title=name,
            EmailAddress=f"{kind.lower()}@example.com", PhoneNumber="+1-555-0100",
        )  # fmt: skip
