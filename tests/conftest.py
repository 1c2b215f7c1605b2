"""Shared fixtures: run the command line in-process, build assessments."""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from srm_tui import cli, recent

# Set when this file is imported, before any test module is collected: a module that
# copies os.environ at import time for its child processes copies this folder too.
DATA_DIR = recent.use_temporary_data_dir()
# The wizard's tests assert what it shows and does, not how it moves: without Textual's
# animations (read when Textual is first imported, after this) they draw fewer frames,
# about a tenth less time. A run may still ask for them (TEXTUAL_ANIMATIONS=full).
os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")


@pytest.fixture(scope="session", autouse=True)
def private_data_dir() -> Path:
    """srm-tui's own files (the recent list, crash logs) go to a temporary folder in
    every test, also in child processes, never to the user's data folder."""
    os.environ[recent.ENV] = str(DATA_DIR)
    return DATA_DIR


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


@pytest.fixture
def ctrl_c_delivered() -> Iterator[Callable[[], None]]:
    """Ctrl-C reaches this process and its children as it does from a terminal, even when
    the test run was started in the background (a shell then ignores SIGINT, and child
    processes inherit that). Yields the ``preexec_fn`` that gives a child the default."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield lambda: signal.signal(signal.SIGINT, signal.SIG_DFL)
    finally:
        signal.signal(signal.SIGINT, previous)


_SHARED_SCOPES = {"module", "package", "class"}


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Keep the tests that share a module- or package-wide fixture (a seeded demo
    account, a scanned assessment) on one xdist worker: with tests spread one by one,
    both workers built the same fixture, and those cost the most time in the suite.
    Tests without such a fixture are still spread one by one. (First, so that xdist's
    own hook sees the marks.)"""
    for item in items:
        info = getattr(item, "_fixtureinfo", None)
        if info is None:
            continue
        scopes = {
            defs[-1].scope: defs[-1].baseid
            for name in item.fixturenames
            if (defs := info.name2fixturedefs.get(name)) and defs[-1].scope in _SHARED_SCOPES
        }
        if scopes:
            # A package's fixture keeps its whole package together.
            group = scopes.get("package") or item.nodeid.split("::", 1)[0]
            item.add_marker(pytest.mark.xdist_group(group))
