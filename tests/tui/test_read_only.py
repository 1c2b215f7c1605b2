"""An assessment that may not be written opens read-only in the wizard and says why at
once (a file without its owner's write bit, a milestone, a file open in another
srm-tui); every edit is refused with a message, never attempted and failed; plain mode
says why and exits 1 before asking anything."""

from __future__ import annotations

import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from textual.widgets import Checkbox, Input, TextArea

from srm_tui import milestones, store
from srm_tui.tui.screens.dialogs import MessageDialog
from srm_tui.tui.screens.workspace import WorkspaceScreen
from srm_tui.tui.widgets.choices import ChoiceList
from srm_tui.tui.widgets.topbar import TopBar
from tests.tui import apps


@contextmanager
def _protected(tmp_path: Path) -> Iterator[Path]:
    path = apps.write(tmp_path / "r.toml")
    path.chmod(0o400)
    yield path


@contextmanager
def _milestone(tmp_path: Path) -> Iterator[Path]:
    yield milestones.create(apps.write(tmp_path / "r.toml"), "q3").path


@contextmanager
def _open_elsewhere(tmp_path: Path) -> Iterator[Path]:
    path = apps.write(tmp_path / "r.toml")
    with store.lock(path):
        yield path


CASES = {
    "no write bit": (_protected, "its owner has no write permission"),
    "a milestone": (_milestone, "is a milestone, and milestones never change"),
    "open in another srm-tui": (_open_elsewhere, "is open in another srm-tui"),
}


def _dialog(app) -> str:
    assert isinstance(app.screen, MessageDialog), app.screen
    return str(app.screen.query_one("#dialog-message").render())


@pytest.mark.parametrize("case", CASES)
async def test_the_wizard_opens_it_read_only_says_why_and_refuses_edits(
    tmp_path: Path, own_data_dir: Path, case: str
):
    make, why = CASES[case]
    with make(tmp_path) as path:
        before, mode = path.read_bytes(), stat.S_IMODE(path.stat().st_mode)
        app = apps.make_app(path, own_data_dir)
        async with app.run_test(size=(100, 30)) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            # At once: the banner says why, the top line says READ-ONLY (not "Saved").
            assert isinstance(app.screen, WorkspaceScreen)
            assert why in str(app.screen.query_one("#read-only-banner").render())
            top = str(app.screen.query_one(TopBar).render())
            assert "READ-ONLY" in top and "Saved" not in top
            # Text fields are locked; the choices can be browsed, not ticked.
            assert app.screen.query_one("#q-notes", TextArea).read_only
            assert app.screen.query_one("#q-owner", Input).disabled
            assert app.screen.query_one("#q-na", Checkbox).disabled
            assert isinstance(app.focused, ChoiceList)
            await pilot.press("space")
            await pilot.pause()
            assert "open read-only and cannot change" in _dialog(app) and why in _dialog(app)
            await pilot.press("enter")
            await pilot.pause()
            assert app.screen.query_one(ChoiceList).selected == ()
            assert "t_plan" not in app.session.assessment.answers
            # A scan would change it: refused, saying why.
            await pilot.press("ctrl+r")
            await pilot.pause()
            assert "this one is open read-only" in _dialog(app)
            await pilot.press("enter")
            await pilot.pause()
            # Reading and exporting still work.
            report = tmp_path / "report.md"
            app.screen._export((report, "markdown", False))  # as the export dialog answers
            await pilot.pause()
            assert report.read_text("utf-8").startswith("#")
            await pilot.press("ctrl+q")
        assert path.read_bytes() == before
        assert stat.S_IMODE(path.stat().st_mode) == mode


@pytest.mark.parametrize("case", CASES)
def test_plain_mode_says_why_and_exits_1_before_asking(
    tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch, case: str
):
    # 'answer' asks for a terminal before it opens the file; this test has none, and
    # the prompts must not be reached anyway.
    monkeypatch.setattr("srm_tui.commands.assessment.require_terminal", lambda what: None)
    monkeypatch.setattr("srm_tui.plain.QuestionaryPrompter", _NoPrompts)
    make, why = CASES[case]
    with make(tmp_path) as path:
        before = path.read_bytes()
        result = run_cli("answer", path)
        assert result.code == 1
        assert why in result.err and result.err.startswith("srm-tui: ")
        assert len(result.err.strip().splitlines()) == 1
        assert path.read_bytes() == before


class _NoPrompts:
    def __init__(self) -> None:
        raise AssertionError("a prompt was shown for a file that may not change")
