"""Demo seed: an encrypted and an unencrypted EFS file system."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def seed(session: Any, regions: Sequence[str], scale: int = 1) -> None:
    """Per region and ``scale``: ``shared-home-N`` (encrypted) and ``scratch-N`` (not)."""
    for region in regions:
        efs = session.client("efs", region_name=region)
        for n in range(scale):
            efs.create_file_system(
                CreationToken=f"shared-home-{n}",
                Encrypted=True,
                Tags=[{"Key": "Name", "Value": f"shared-home-{n}"}],
            )
            efs.create_file_system(
                CreationToken=f"scratch-{n}",
                Encrypted=False,
                Tags=[{"Key": "Name", "Value": f"scratch-{n}"}],
            )
