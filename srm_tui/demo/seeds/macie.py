"""Demo seed: Macie off in the first region, on in the others."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def seed(session: Any, regions: Sequence[str], scale: int = 1) -> None:
    """Disable Macie in the first region and enable it in the others (the emulator
    starts every region with Macie enabled, so both calls are needed)."""
    session.client("macie2", region_name=regions[0]).disable_macie()
    for region in regions[1:]:
        session.client("macie2", region_name=region).enable_macie(status="ENABLED")
