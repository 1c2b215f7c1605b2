"""An emulated organization on moto's server (127.0.0.1): the management account
(no resources of its own here), three members of different postures in nested OUs,
one closed member; and helpers to scan it from the command line or the domain."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from srm_tui.demo import demo_account
from srm_tui.demo.organization import DemoOrganization, seed_organization
from srm_tui.demo.server import SeedSession

#: A few checks that see the members' postures, in one region: fast scans.
CHECKS = "ec2.sg_admin_ports_ipv4,iam.password_min_length,iam.user_direct_policies,s3.bucket_public_policy"
REGION = "us-east-1"
MANAGEMENT = "123456789012"


class Org:
    """The running emulated organization."""

    def __init__(self, endpoint_url: str, members: DemoOrganization) -> None:
        self.endpoint_url = endpoint_url
        self.members = members

    def id(self, name: str) -> str:
        return self.members.accounts[name]

    def scan_args(self, path: Path, *more: str) -> list[str]:
        return ["scan", str(path), "--organization", "--endpoint-url", self.endpoint_url,
                "--region", REGION, "--checks", CHECKS, *more]  # fmt: skip


@pytest.fixture(scope="module")
def org() -> Iterator[Org]:
    with demo_account(seed=False) as demo:
        members = seed_organization(SeedSession(demo.endpoint_url))
        yield Org(demo.endpoint_url, members)


def account_files(path: Path) -> dict[str, bytes]:
    folder = path.with_name(path.name + ".accounts")
    return {p.stem: p.read_bytes() for p in sorted(folder.glob("*.toml"))}


def resources(found: Any) -> list[str]:
    return [f.resource for f in found.findings]
