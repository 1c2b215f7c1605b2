"""Demo seed: Security Hub on in the first region only."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def seed(session: Any, regions: Sequence[str], scale: int = 1) -> None:
    """Enable Security Hub in the first region; the others stay without it."""
    session.client("securityhub", region_name=regions[0]).enable_security_hub(
        EnableDefaultStandards=False
    )
