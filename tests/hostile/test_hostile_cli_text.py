"""The command line over hostile questionnaires and file names: ``questions`` (table and
JSON), ``validate`` and every error message show outside text cleaned, never as
terminal escapes, invisible or bidirectional characters."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.hostile.test_hostile_data import assert_terminal_safe
from tests.tui import apps

# As TOML escapes: OSC 52 (sets the clipboard), OSC 0 (the window title), a C1 CSI, a
# right-to-left override, a word joiner and a line separator.
TOML_HOSTILE = r"\u001b]52;c;cHduZWQ=\u0007\u001b]0;pwned\u0007\u009b31m\u202e\u2060\u2028"
FILE_NAME = "sec\x1b]0;pwned\x07\u202e.toml"


def _hostile_section(folder: Path, broken: bool = False) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    text = (apps.HERE / "questionnaires" / "response.toml").read_text("utf-8")
    text = text.replace('id = "response"', 'id = "hostile"')
    text = text.replace('id = "t_', 'id = "h_').replace('"t_', '"h_').replace(" t_", " h_")
    text = text.replace('title = "', f'title = "{TOML_HOSTILE} ')
    if broken:  # a framework id no reference knows: a problem quoting the file
        text = text.replace('"RS.MA"', f'"RS.MA{TOML_HOSTILE}"')
    path = folder / FILE_NAME
    path.write_text(text, "utf-8")
    return path


def test_questions_shows_hostile_titles_cleaned(run_cli, tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    _hostile_section(folder)
    table = run_cli("questions", "--questionnaires", folder)
    assert table.code == 0, table.err
    assert "cHduZWQ=" in table.out  # the hostile titles were listed
    assert_terminal_safe(table.out + table.err, "questions")
    listed = run_cli("questions", "--format", "json", "--questionnaires", folder)
    assert listed.code == 0
    assert_terminal_safe(listed.out, "questions --format json")
    titles = [q["title"] for q in json.loads(listed.out) if q["section"] == "hostile"]
    assert titles and all("cHduZWQ=" in t and "\x1b" not in t for t in titles)


def test_validate_names_a_hostile_file_cleaned(run_cli, tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    _hostile_section(folder, broken=True)
    result = run_cli("validate", folder)
    assert result.code == 2
    assert "sec]0;pwned.toml" in result.out  # the file is named, cleaned
    assert_terminal_safe(result.out + result.err, "validate")


@pytest.mark.parametrize("command", ["report", "scan", "answer"])
def test_an_error_naming_a_hostile_file_is_cleaned(run_cli, tmp_path: Path, command) -> None:
    path = tmp_path / FILE_NAME
    path.write_text("schema = 2\n[assessment\n\x1b]0;pwned\x07\n", "utf-8")
    result = run_cli(command, path)
    assert result.code == 2
    assert "sec]0;pwned.toml" in result.err
    assert_terminal_safe(result.out + result.err, command)


def test_what_an_edit_says_quotes_the_file_cleaned(run_cli, tmp_path: Path) -> None:
    # 'accepted --revoke' said "Revoked A1: CHECK on RESOURCE" with the resource as a
    # hand-edited file held it: its escapes reached the terminal.
    from srm_tui import store
    from srm_tui.model import Acceptance, Assessment, today

    path = tmp_path / "review.toml"
    hostile = "*\x1b]0;pwned\x07\u202e"
    store.save(Assessment("r", acceptances=[Acceptance(
        id="A1", check="iam.root_mfa", reason="r", owner="o", expires=today(), resource=hostile,
    )]), path)  # fmt: skip
    result = run_cli("accepted", path, "--revoke", "A1")
    assert result.code == 0 and "Revoked A1: iam.root_mfa on *" in result.out
    assert_terminal_safe(result.out + result.err, "accepted --revoke")
