"""Open and New: nothing is created that the user did not ask for, New never offers or
opens a file that exists, and the path field completes from the disk."""

from __future__ import annotations

from pathlib import Path

from textual import events
from textual.widgets import Input, OptionList

from srm_tui.tui.screens.dialogs import PathDialog
from srm_tui.tui.screens.scope import ScopeScreen
from srm_tui.tui.screens.start import StartScreen
from srm_tui.tui.screens.workspace import WorkspaceScreen
from srm_tui.tui.widgets.path_picker import matches
from srm_tui.tui.widgets.topbar import TopBar
from srm_tui.workbench import free_path
from tests.tui import apps


async def _submit(pilot, path: Path | str) -> PathDialog:
    dialog = pilot.app.screen
    assert isinstance(dialog, PathDialog)
    dialog.query_one("#path", Input).value = str(path)
    await pilot.press("enter")
    await apps.settle(pilot)
    return dialog


def problem(dialog: PathDialog) -> str:
    return str(dialog.query_one("#dialog-problem").render())


async def test_escape_on_the_scope_of_a_new_assessment_creates_nothing(
    tmp_path: Path, own_data_dir
):
    path = tmp_path / "fresh.toml"
    app = apps.make_app(None, own_data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        await pilot.pause()
        await _submit(pilot, path)
        assert isinstance(app.screen, ScopeScreen)
        await pilot.press("escape")
        await apps.settle(pilot)
        assert isinstance(app.screen, StartScreen) and app.session is None
        # The top bar no longer names the assessment that was cancelled.
        assert "fresh" not in str(app.screen.query_one(TopBar).render())
    assert not path.exists()
    assert list(tmp_path.glob("fresh*")) == []
    assert not (tmp_path / ".fresh.toml.lock").exists()  # nor its lock, beside nothing


async def test_new_offers_a_free_name_and_refuses_an_existing_file(
    tmp_path: Path, own_data_dir, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    existing = apps.write(tmp_path / "assessment.toml")
    before = existing.read_bytes()
    app = apps.make_app(None, own_data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, PathDialog)
        offered = Path(dialog.query_one("#path", Input).value)
        assert offered == tmp_path / "assessment-2.toml" and not offered.exists()
        await _submit(pilot, existing)
        assert app.screen is dialog and app.session is None, "the old file is not opened"
        assert "already exists" in problem(dialog)
    assert existing.read_bytes() == before


async def test_open_refuses_a_file_that_is_not_there(tmp_path: Path, own_data_dir):
    app = apps.make_app(None, own_data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("o")
        await pilot.pause()
        dialog = await _submit(pilot, tmp_path / "typo.toml")
        assert app.screen is dialog and "There is no file" in problem(dialog)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, StartScreen) and app.session is None
    assert not (tmp_path / "typo.toml").exists()


async def test_the_path_field_completes_with_tab_and_lists_matches(tmp_path: Path, own_data_dir):
    (tmp_path / "reviews").mkdir()
    target = apps.write(tmp_path / "reviews" / "prod-q3.toml")
    (tmp_path / "reviews" / "notes.txt").write_text("not an assessment")
    app = apps.make_app(None, own_data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("o")
        await pilot.pause()
        dialog = app.screen
        field = dialog.query_one("#path", Input)
        field.value = str(tmp_path / "rev")
        field.cursor_position = len(field.value)
        await pilot.pause(0.3)
        await pilot.press("tab")
        await pilot.pause(0.3)
        assert field.value == str(tmp_path / "reviews") + "/"
        listed = dialog.query_one("#path-matches", OptionList)
        assert [str(listed.get_option_at_index(i).prompt) for i in range(listed.option_count)] == [
            str(target)
        ], "only folders and .toml files are offered"
        await pilot.press("tab")
        await pilot.pause(0.3)
        assert field.value == str(target)
        await pilot.press("enter")
        await apps.settle(pilot)
        assert isinstance(app.screen, WorkspaceScreen)
        assert app.session is not None and app.session.path == target


def test_matches_and_free_path(tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_text("")
    (tmp_path / "a-2.toml").write_text("")
    (tmp_path / ".hidden.toml").write_text("")
    assert free_path(tmp_path, "a") == tmp_path / "a-3.toml"
    assert matches(f"{tmp_path}/a") == [f"{tmp_path}/a-2.toml", f"{tmp_path}/a.toml"]
    assert f"{tmp_path}/.hidden.toml" not in matches(f"{tmp_path}/")
    assert matches(f"{tmp_path}/.h") == [f"{tmp_path}/.hidden.toml"]
    assert matches(f"{tmp_path}/missing/x") == []


async def test_a_demo_assessment_opened_without_the_demo_warns_before_a_rescan(
    tmp_path: Path, own_data_dir
):
    a = apps.assessment()
    a.scope.demo = True
    app = apps.make_app(apps.write(tmp_path / "d.toml", a), own_data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await apps.settle(pilot)
        app.ask_rescan()
        await apps.settle(pilot)
        assert isinstance(app.screen, ScopeScreen)
        warning = str(app.screen.query_one("#demo-warning").render())
        assert "srm-tui demo" in warning and "No real account is scanned" in warning


def _burst(app, keys: str | list[str]) -> None:
    """Keys arriving in one burst, as from a paste or a terminal multiplexer: all are
    queued before the first has been handled."""
    for key in keys:
        character = key if len(key) == 1 else None
        app.post_message(events.Key(key, character))


async def test_keys_typed_with_the_one_that_opens_a_dialog_reach_its_field(
    tmp_path: Path, own_data_dir
) -> None:
    typed = {}
    for how in ("one by one", "in a burst"):
        app = apps.make_app(None, own_data_dir)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            if how == "one by one":
                await pilot.press("n")
                await apps.settle(pilot)
                await pilot.press(*"two.toml")
            else:
                _burst(app, "ntwo.toml")
            await apps.settle(pilot)
            assert isinstance(app.screen, PathDialog)
            typed[how] = app.screen.query_one("#path", Input).value
    assert typed["in a burst"] == typed["one by one"] == "two.toml"
    app = apps.make_app(None, own_data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        _burst(app, "n")
        await apps.settle(pilot)
        # Escape in the same kind of burst still closes the dialog.
        _burst(app, ["escape"])
        await apps.settle(pilot)
        assert isinstance(app.screen, StartScreen)
        _burst(app, ["n", "escape"])
        await apps.settle(pilot)
        assert isinstance(app.screen, StartScreen)
