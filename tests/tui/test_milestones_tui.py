"""Milestones in the wizard: take one, see it listed, compare it with now; a milestone
opened in the wizard says at once that it is read-only."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, MarkdownViewer, OptionList

from srm_tui import milestones
from srm_tui.tui.screens.milestones import MilestonesScreen, NameDialog
from srm_tui.tui.screens.workspace import WorkspaceScreen
from tests.tui import apps


async def test_take_list_and_compare_a_milestone(tmp_path: Path, own_data_dir):
    path = apps.write(tmp_path / "r.toml")
    app = apps.make_app(path, own_data_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        await apps.settle(pilot)
        await pilot.press("m")
        await apps.settle(pilot)
        assert isinstance(app.screen, MilestonesScreen)
        assert "No milestone yet" in str(app.screen.query_one("#milestones-intro").render())
        await pilot.press("c")
        await apps.settle(pilot)
        assert isinstance(app.screen, NameDialog)
        app.screen.query_one("#milestone-name", Input).value = "2026-q1"
        await pilot.press("enter")
        await apps.settle(pilot)
        assert [m.name for m in milestones.list_milestones(path)] == ["2026-q1"]
        screen = app.screen
        assert isinstance(screen, MilestonesScreen)
        listing = screen.query_one("#milestone-list", OptionList)
        assert "2026-q1" in str(listing.get_option_at_index(0).prompt)
        await pilot.press("escape")  # back to the review, answer, and compare
        await apps.settle(pilot)
        assert isinstance(app.screen, WorkspaceScreen)
        await pilot.press("space")
        await apps.settle(pilot)
        await pilot.press("m")
        await apps.settle(pilot)
        await pilot.press("enter")
        await apps.settle(pilot)
        viewer = app.screen.query_one("#milestone-diff", MarkdownViewer)
        source = viewer.document.source
        assert "2026-q1" in source
        assert "How is your response to a security incident in AWS planned?" in source


async def test_a_taken_name_is_refused_and_nothing_is_overwritten(tmp_path: Path, own_data_dir):
    path = apps.write(tmp_path / "r.toml")
    first = milestones.create(path, "q1")
    before = first.path.read_bytes()
    app = apps.make_app(path, own_data_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        await apps.settle(pilot)
        await app.push_screen(MilestonesScreen())
        await apps.settle(pilot)
        await pilot.press("c")
        await apps.settle(pilot)
        app.screen.query_one("#milestone-name", Input).value = "q1"
        await pilot.press("enter")
        await apps.settle(pilot)
        assert isinstance(app.screen, NameDialog)
        assert "already exists" in str(app.screen.query_one("#dialog-problem").render())
    assert first.path.read_bytes() == before


async def test_a_bad_name_keeps_the_dialog_open_with_what_was_typed(tmp_path: Path, own_data_dir):
    # The refusal came in a separate error box, and the name dialog was gone: the
    # name had to be typed again from the start.
    path = apps.write(tmp_path / "r.toml")
    app = apps.make_app(path, own_data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await apps.settle(pilot)
        await pilot.press("m")
        await apps.settle(pilot)
        await pilot.press("c")
        await apps.settle(pilot)
        app.screen.query_one("#milestone-name", Input).value = "q3 2026"
        await pilot.press("enter")
        await apps.settle(pilot)
        assert isinstance(app.screen, NameDialog)
        assert app.screen.query_one("#milestone-name", Input).value == "q3 2026"
        problem = str(app.screen.query_one("#dialog-problem").render())
        assert problem.startswith("Milestone name 'q3 2026' is not valid") and problem.endswith(".")
        app.screen.query_one("#milestone-name", Input).value = "q3-2026"
        await pilot.press("enter")
        await apps.settle(pilot)
        assert isinstance(app.screen, MilestonesScreen)
    assert [m.name for m in milestones.list_milestones(path)] == ["q3-2026"]


async def test_a_milestone_opens_read_only_saying_so_at_once(tmp_path: Path, own_data_dir):
    path = apps.write(tmp_path / "r.toml")
    taken = milestones.create(path, "q1")
    app = apps.make_app(taken.path, own_data_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        await apps.settle(pilot)
        assert isinstance(app.screen, WorkspaceScreen)
        assert app.session is not None and app.session.read_only
        assert "READ-ONLY" in str(app.screen.query_one("#read-only-banner").render())
        assert "Saved" not in str(app.screen.query_one("TopBar").render())
