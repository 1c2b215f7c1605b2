"""One emulated account full of hostile data, scanned once for every test here."""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator
from pathlib import Path

import pytest

from srm_tui.demo import demo_account
from srm_tui.demo.server import SeedSession
from tests.hostile.seed import seed


@pytest.fixture(scope="package")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str, str]]:
    """(assessment path, scan stdout, scan stderr) after ``srm-tui scan``."""
    from srm_tui import cli

    path = tmp_path_factory.mktemp("hostile") / "hostile.toml"
    with demo_account(seed=False) as demo:
        seed(SeedSession(demo.endpoint_url))
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = cli.main(
                ["scan", str(path), "--endpoint-url", demo.endpoint_url, "--region", "us-east-1"]
            )
        assert code == 0, err.getvalue()
    yield path, out.getvalue(), err.getvalue()
