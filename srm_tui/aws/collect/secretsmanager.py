"""Secrets Manager: secrets and their rotation (metadata only, never a value)."""

from __future__ import annotations

from typing import Any

from srm_tui.aws.api import Api
from srm_tui.aws.collectors import collector


@collector(
    "secretsmanager.secrets",
    service="secretsmanager",
    api_calls=("secretsmanager:ListSecrets",),
    in_use=bool,
)
def secrets(api: Api, region: str) -> list[dict[str, Any]]:
    """Each secret's name, ARN, rotation setting, when it was created, last rotated,
    last accessed and is next due to rotate; ListSecrets never returns secret values."""
    return [
        {
            "name": s.get("Name", ""),
            "arn": s.get("ARN", ""),
            "rotation": bool(s.get("RotationEnabled")),
            "rotation_days": (s.get("RotationRules") or {}).get("AutomaticallyAfterDays"),
            "last_rotated": str(s.get("LastRotatedDate") or ""),
            "next_rotation": str(s.get("NextRotationDate") or ""),
            "last_accessed": str(s.get("LastAccessedDate") or ""),
            "created": str(s.get("CreatedDate") or ""),
            "owning_service": s.get("OwningService", ""),
        }
        for s in api.pages("secretsmanager", None, "list_secrets", "SecretList")
    ]
