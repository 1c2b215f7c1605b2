"""EFS: file systems and whether they are encrypted at rest."""

from __future__ import annotations

from typing import Any

from srm_tui.aws.api import Api
from srm_tui.aws.collectors import collector


@collector(
    "efs.file_systems",
    service="efs",
    api_calls=("elasticfilesystem:DescribeFileSystems",),
    in_use=bool,
)
def file_systems(api: Api, region: str) -> list[dict[str, Any]]:
    """Each file system: id, ARN, name, encrypted and its KMS key."""
    return [
        {
            "id": fs.get("FileSystemId", ""),
            "arn": fs.get("FileSystemArn", ""),
            "name": fs.get("Name", ""),
            "encrypted": bool(fs.get("Encrypted")),
            "kms_key": fs.get("KmsKeyId", ""),
        }
        for fs in api.pages("efs", None, "describe_file_systems", "FileSystems")
    ]
