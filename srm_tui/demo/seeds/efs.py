"""Demo seed: an encrypted and an unencrypted EFS file system, with access points and
mount targets."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from srm_tui.demo.seeds.data_network import data_network


def seed(session: Any, regions: Sequence[str], scale: int = 1) -> None:
    """Per region and ``scale``: ``shared-home-N`` (encrypted, mounted in a private
    subnet, an access point confined to /home with a POSIX user) and ``scratch-N`` (not
    encrypted, mounted in a subnet that gives public IPs, an access point at the root
    with no user)."""
    for region in regions:
        efs = session.client("efs", region_name=region)
        network = data_network(session, region)
        for n in range(scale):
            home = efs.create_file_system(
                CreationToken=f"shared-home-{n}",
                Encrypted=True,
                Tags=[{"Key": "Name", "Value": f"shared-home-{n}"}],
            )["FileSystemId"]
            scratch = efs.create_file_system(
                CreationToken=f"scratch-{n}",
                Encrypted=False,
                Tags=[{"Key": "Name", "Value": f"scratch-{n}"}],
            )["FileSystemId"]
            efs.create_mount_target(FileSystemId=home, SubnetId=network["private"][0])
            efs.create_mount_target(FileSystemId=scratch, SubnetId=network["public"][0])
            efs.create_access_point(
                FileSystemId=home, PosixUser={"Uid": 1000, "Gid": 1000},
                RootDirectory={"Path": "/home"},
            )  # fmt: skip
            efs.create_access_point(FileSystemId=scratch)
