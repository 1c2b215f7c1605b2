"""Shared fixtures: run the command line in-process, build assessments."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from srm_tui import cli


@pytest.fixture(scope="session", autouse=True)
def private_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """srm-tui's own files (the recent list, crash logs) go to a temporary folder in
    every test, also in child processes, never to the user's data folder."""
    from srm_tui import recent

    folder = tmp_path_factory.mktemp("srm-tui-data")
    before = os.environ.get(recent.ENV)
    os.environ[recent.ENV] = str(folder)
    yield folder
    if before is None:
        os.environ.pop(recent.ENV, None)
    else:
        os.environ[recent.ENV] = before


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., Result]:
    """Run ``srm-tui ARGS`` in-process and capture its exit code and output."""

    def run(*args: str | os.PathLike[str]) -> Result:
        capsys.readouterr()
        try:
            code = cli.main([str(a) for a in args])
        except SystemExit as exc:  # argparse: --help, --version, usage errors
            code = int(exc.code or 0)
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


@pytest.fixture
def tmp_file(tmp_path: Path) -> Callable[[str, str], Path]:
    """Write a text file under tmp_path and return its path."""

    def write(name: str, text: str) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
        return path

    return write
