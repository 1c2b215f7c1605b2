"""Demo seed: an AWS Backup vault (the emulator lists vaults but not recovery points,
so the recovery point check reports an error against it)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def seed(session: Any, regions: Sequence[str], scale: int = 1) -> None:
    """One vault in the first region."""
    session.client("backup", region_name=regions[0]).create_backup_vault(
        BackupVaultName="demo-daily"
    )
