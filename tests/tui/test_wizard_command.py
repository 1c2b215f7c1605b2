"""The wizard's command line: `srm-tui [FILE]` and `srm-tui demo [FILE]`."""

from __future__ import annotations

from pathlib import Path


def test_a_broken_file_is_named_with_its_line_before_the_ui(run_cli, tmp_path: Path):
    broken = tmp_path / "broken.toml"
    broken.write_text("schema = 1\n[assessment\n", "utf-8")
    before = broken.read_bytes()
    result = run_cli(broken)
    assert result.code == 2
    assert f"{broken}:2" in result.err and "Traceback" not in result.err
    assert broken.read_bytes() == before


def test_the_wizard_needs_a_terminal(run_cli, tmp_path: Path):
    result = run_cli("demo", tmp_path / "new.toml")
    assert result.code == 2 and "interactive terminal" in result.err
    assert not (tmp_path / "new.toml").exists()


def test_help_lists_both_wizard_commands(run_cli):
    result = run_cli("--help")
    assert "wizard" in result.out and "demo" in result.out
