"""srm-tui's own data folder (the recent list, crash logs): SRM_TUI_DATA_DIR moves it,
XDG_DATA_HOME is honoured on Linux, and neither the test suite nor a benchmark or
script ever writes into the user's."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from srm_tui import recent

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = sorted([*ROOT.glob("benchmarks/*.py"), *ROOT.glob("scripts/*.py")])

# What a test module copies for its child processes when it is imported.
AT_COLLECTION = os.environ.get(recent.ENV)


def _child(code: str, env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code), *args],
        env={**env, "PYTHONPATH": os.pathsep.join(sys.path)},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout.strip()


def test_the_suite_uses_a_temporary_folder_from_collection_on(private_data_dir: Path) -> None:
    # Before: the folder was set by a session fixture, after collection, so the children
    # of modules that copied os.environ at import wrote to the user's recent list.
    assert str(private_data_dir) == AT_COLLECTION
    assert recent.data_dir() == private_data_dir
    os.environ.pop(recent.ENV)
    try:
        users = recent.data_dir()
    finally:
        os.environ[recent.ENV] = str(private_data_dir)
    assert users not in (private_data_dir, *private_data_dir.parents)


@pytest.mark.skipif(sys.platform != "linux", reason="XDG_DATA_HOME is the Linux convention")
def test_xdg_data_home_is_honoured_and_srm_tui_data_dir_wins(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != recent.ENV}
    env["XDG_DATA_HOME"] = str(tmp_path / "xdg")
    code = "from srm_tui import recent; print(recent.data_dir())"
    assert _child(code, env) == str(tmp_path / "xdg" / "srm-tui")
    assert _child(code, {**env, recent.ENV: str(tmp_path / "own")}) == str(tmp_path / "own")


def test_a_temporary_data_folder_takes_the_recent_list_and_goes_at_exit(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != recent.ENV}
    env["XDG_DATA_HOME"] = str(tmp_path / "xdg")  # stands for the user's own folder
    env["HOME"] = str(tmp_path / "home")
    entry = str(tmp_path / "a.toml")
    code = """
        import subprocess, sys
        from srm_tui import recent
        folder = recent.use_temporary_data_dir()
        # A child started afterwards (as a benchmark starts srm-tui) uses it too.
        remember = "import sys; from srm_tui import recent; "
        remember += "recent.remember(recent.Recent(sys.argv[1], 'A'))"
        subprocess.run([sys.executable, "-c", remember, sys.argv[1]], check=True)
        print(folder, [e.name for e in recent.load()] == ["A"])
        """
    folder, remembered = _child(code, env, entry).split()
    assert remembered == "True"
    assert not Path(folder).exists()  # removed when the process ended
    assert not (tmp_path / "xdg").exists() and not (tmp_path / "home").exists()


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_benchmark_and_script_runs_with_a_temporary_data_folder(script: Path) -> None:
    # They open, scan and save throwaway assessments: /tmp paths in the recent list.
    tree = ast.parse(script.read_text("utf-8"))
    main_block = next(
        node
        for node in tree.body
        if isinstance(node, ast.If) and "__main__" in ast.unparse(node.test)
    )
    first = ast.unparse(main_block.body[0])
    assert first == "recent.use_temporary_data_dir()", f"{script.name} starts with {first}"
