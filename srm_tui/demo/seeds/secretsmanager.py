"""Demo seed: a rotating secret and one never rotated."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

#: Fake secret values planted in the demo; the scanner never reads secret values at all.
PLANTED_VALUES = ("demo-db-password-rotating", "demo-partner-api-key-static")


def seed(session: Any, regions: Sequence[str], scale: int = 1) -> None:
    """Per region and ``scale``: ``orders-db-N`` (rotates every 30 days) and
    ``partner-api-key-N`` (no rotation)."""
    for region in regions:
        sm = session.client("secretsmanager", region_name=region)
        for n in range(scale):
            sm.create_secret(Name=f"orders-db-{n}", SecretString=PLANTED_VALUES[0])
            # No rotation function: the emulator would try to run it.
            sm.rotate_secret(
                SecretId=f"orders-db-{n}",
                RotationRules={"AutomaticallyAfterDays": 30},
                RotateImmediately=False,
            )
            sm.create_secret(Name=f"partner-api-key-{n}", SecretString=PLANTED_VALUES[1])
