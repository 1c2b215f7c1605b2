"""AWS Backup: the recovery points in each backup vault of the region (metadata only)."""

from __future__ import annotations

from typing import Any

from srm_tui.aws.api import Api
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
        name = vault.get("BackupVaultName", "")
        entry: dict[str, Any] = {"name": name, "arn": vault.get("BackupVaultArn", "")}
        points: list[dict[str, Any]] = []
        token = None
        while True:  # one vault's pages, each an answer about this vault alone
            answer = api.detail(
                "backup", None, "list_recovery_points_by_backup_vault", BackupVaultName=name,
                **({"NextToken": token} if token else {}),
            )  # fmt: skip
            if isinstance(answer, Unreadable):
                return {**entry, "points": answer}
            points.extend(
                {
                    "arn": p.get("RecoveryPointArn", ""),
                    "resource_type": p.get("ResourceType", ""),
                    "encrypted": bool(p.get("IsEncrypted")),
                    "status": p.get("Status", ""),
                }
                for p in answer.get("RecoveryPoints") or []
            )
            token = answer.get("NextToken")
            if not token:
                return {**entry, "points": points}

    return api.each(one, vaults)
