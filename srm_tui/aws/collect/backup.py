"""AWS Backup: the recovery points in each backup vault of the region (metadata only)."""

from __future__ import annotations

from typing import Any

from srm_tui.aws.api import Api
from srm_tui.aws.collect.paging import detail_pages
from srm_tui.aws.collectors import collector
from srm_tui.collected import Unreadable


@collector(
    "backup.recovery_points",
    service="backup",
    api_calls=("backup:ListBackupVaults", "backup:ListRecoveryPointsByBackupVault"),
    in_use=bool,
)
def recovery_points(api: Api, region: str) -> list[dict[str, Any]]:
    """Each vault of the region with its recovery points (ARN, resource type, whether
    encrypted); ``points`` is ``Unreadable`` where the vault's access policy refused."""
    vaults = api.pages("backup", None, "list_backup_vaults", "BackupVaultList")

    def one(vault: dict[str, Any]) -> dict[str, Any]:
        points = detail_pages(
            api, "backup", None, "list_recovery_points_by_backup_vault", "RecoveryPoints",
            BackupVaultName=vault.get("BackupVaultName", ""),
        )  # fmt: skip
        return {
            "name": vault.get("BackupVaultName", ""),
            "arn": vault.get("BackupVaultArn", ""),
            "points": points
            if isinstance(points, Unreadable)
            else [
                {
                    "arn": p.get("RecoveryPointArn", ""),
                    "resource_type": p.get("ResourceType", ""),
                    "encrypted": bool(p.get("IsEncrypted")),
                    "status": p.get("Status", ""),
                }
                for p in points
            ],
        }

    return api.each(one, vaults)
