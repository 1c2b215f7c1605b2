"""One seeded demo account for the fault tests, two fault proxies in front of it, and
the clean scan every faulted scan is compared with."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from srm_tui import cli, store
from srm_tui.demo import demo_account
from srm_tui.model import Assessment
from tests.faults.proxy import FaultProxy, fault_proxy


@dataclass
class Account:
    local: FaultProxy  # on 127.0.0.1: the scan treats it as an emulator (one attempt)
    remote: FaultProxy  # on 127.0.0.2: treated as a remote endpoint (retries)
    regions: tuple[str, ...]
    clean: Assessment  # the scan through the local proxy without faults


@pytest.fixture(scope="package")
def account(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Account]:
    with (
        demo_account() as demo,
        fault_proxy(demo.endpoint_url) as local,
        fault_proxy(demo.endpoint_url, host="127.0.0.2") as remote,
    ):
        path = tmp_path_factory.mktemp("clean") / "clean.toml"
        assert cli.main(scan_args(path, local.url, demo.regions)) == 0
        yield Account(local, remote, demo.regions, store.load(path))


def scan_args(path: Path, url: str, regions: tuple[str, ...]) -> list[str]:
    """``srm-tui scan`` through a proxy, the command that saves the assessment."""
    args = ["scan", str(path), "--endpoint-url", url]
    for region in regions:
        args += ["--region", region]
    return args
