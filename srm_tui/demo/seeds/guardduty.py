"""Demo seed: GuardDuty watches the first region; the second has a suspended detector."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def seed(session: Any, regions: Sequence[str], scale: int = 1) -> None:
    """An enabled detector in the first region, a disabled one in the others."""
    for index, region in enumerate(regions):
        session.client("guardduty", region_name=region).create_detector(Enable=index == 0)
