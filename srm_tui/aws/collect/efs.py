"""EFS: file systems (encryption, tags), their access points, the subnets of their
mount targets and their automatic backup policy."""

from __future__ import annotations

from typing import Any

from srm_tui.aws.api import Api
from srm_tui.aws.collect.paged_detail import paged_detail
from srm_tui.aws.collectors import collector
from srm_tui.collected import Unreadable


@collector(
    "efs.file_systems",
    service="efs",
    api_calls=("elasticfilesystem:DescribeFileSystems",),
    in_use=bool,
)
def file_systems(api: Api, region: str) -> list[dict[str, Any]]:
    """Each file system: id, ARN, name, encrypted, its KMS key and its tags (backup
    plans may select file systems by tag)."""
    return [
        {
            "id": fs.get("FileSystemId", ""),
            "arn": fs.get("FileSystemArn", ""),
            "name": fs.get("Name", ""),
            "encrypted": bool(fs.get("Encrypted")),
            "kms_key": fs.get("KmsKeyId", ""),
            "tags": {t.get("Key", ""): t.get("Value", "") for t in fs.get("Tags") or []},
        }
        for fs in api.pages("efs", None, "describe_file_systems", "FileSystems")
    ]


@collector(
    "efs.access_points",
    service="efs",
    api_calls=("elasticfilesystem:DescribeAccessPoints",),
)
def access_points(api: Api, region: str) -> list[dict[str, Any]]:
    """Each access point of every file system: its root directory path and whether it
    enforces a POSIX user identity."""
    return [
        {
            "id": point.get("AccessPointId", ""),
            "arn": point.get("AccessPointArn", ""),
            "file_system": point.get("FileSystemId", ""),
            "path": (point.get("RootDirectory") or {}).get("Path", "/"),
            "posix_user": bool(point.get("PosixUser")),
        }
        for point in api.pages("efs", None, "describe_access_points", "AccessPoints")
    ]


@collector(
    "efs.mount_targets",
    service="efs",
    api_calls=(
        "elasticfilesystem:DescribeFileSystems",
        "elasticfilesystem:DescribeMountTargets",
    ),
    reads=("efs.file_systems",),
)
def mount_targets(api: Api, region: str) -> dict[str, Any]:
    """File system id -> the subnet ids of its mount targets (``Unreadable`` when AWS
    refused that file system's)."""

    def one(fs: dict[str, Any]) -> tuple[str, Any]:
        found = paged_detail(
            api, "efs", "describe_mount_targets", "MountTargets",
            token_out="NextMarker", FileSystemId=fs["id"],
        )  # fmt: skip
        if isinstance(found, Unreadable):
            return fs["id"], found
        return fs["id"], [target.get("SubnetId", "") for target in found or []]

    return dict(api.each(one, api.data("efs.file_systems")))


@collector(
    "efs.backup_policies",
    service="efs",
    api_calls=(
        "elasticfilesystem:DescribeFileSystems",
        "elasticfilesystem:DescribeBackupPolicy",
    ),
    reads=("efs.file_systems",),
)
def backup_policies(api: Api, region: str) -> dict[str, Any]:
    """File system id -> the status of its automatic backup policy (ENABLED,
    ENABLING, DISABLED, DISABLING; DISABLED when it has none), or ``Unreadable``."""

    def one(fs: dict[str, Any]) -> tuple[str, Any]:
        answer = api.detail(
            "efs", None, "describe_backup_policy",
            missing=("PolicyNotFound",), FileSystemId=fs["id"],
        )  # fmt: skip
        if isinstance(answer, Unreadable):
            return fs["id"], answer
        return fs["id"], ((answer or {}).get("BackupPolicy") or {}).get("Status", "DISABLED")

    return dict(api.each(one, api.data("efs.file_systems")))
