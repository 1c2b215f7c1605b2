"""Resuming: the wizard reopens at the question the user was at, the recent list shows
the progress as it is now, and plain mode numbers questions as the wizard does."""

from __future__ import annotations

import os
import signal
from pathlib import Path

from textual.widgets import OptionList, TextArea

from srm_tui import recent, store
from srm_tui.tui.screens.start import StartScreen
from srm_tui.tui.widgets.review import ReviewPane
from tests.tui import apps


def current(app) -> str:
    review = app.screen.query_one(ReviewPane)
    return review.questions[review.current].id


async def test_reopening_goes_back_to_where_the_user_was(tmp_path: Path, own_data_dir):
    path = apps.write(tmp_path / "r.toml", apps.assessment(scanned=False))
    app = apps.make_app(path, own_data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await apps.settle(pilot)
        assert current(app) == "t_plan"  # nothing answered: the first question
        await pilot.press("n", "n")  # to the third, answering nothing
        await apps.settle(pilot)
        assert current(app) == "t_training"
        await pilot.press("ctrl+q")
    app = apps.make_app(path, own_data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await apps.settle(pilot)
        # Not the first unanswered question (t_plan): where the user left.
        assert current(app) == "t_training"


async def test_the_recent_list_follows_progress_at_once(tmp_path: Path, own_data_dir):
    path = apps.write(tmp_path / "r.toml", apps.assessment(scanned=False))
    app = apps.make_app(path, own_data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await apps.settle(pilot)
        await pilot.press("space")  # answer the first question
        await apps.settle(pilot)
        app.close_assessment()
        await apps.settle(pilot)
        assert isinstance(app.screen, StartScreen)
        options = app.screen.query_one("#start-options", OptionList)
        label = str(options.get_option("recent-0").prompt)
        assert "1/4 answered (25%)" in label
    entry = recent.load(own_data_dir)[0]
    assert (entry.answered, entry.total) == (1, 4)


async def test_closing_the_terminal_keeps_the_text_typed_just_before(
    tmp_path: Path, own_data_dir, monkeypatch
):
    # A closed terminal sends SIGHUP, which by default ends the process at once: notes
    # typed in the last moments, still waiting for their save, would be lost.
    monkeypatch.setattr("srm_tui.tui.app.SAVE_DELAY", 60.0)  # still waiting, however slow
    heard: list[int] = []
    before = signal.signal(signal.SIGHUP, lambda number, frame: heard.append(number))
    try:
        path = apps.write(tmp_path / "r.toml", apps.assessment(scanned=False))
        app = apps.make_app(path, own_data_dir)
        async with app.run_test(size=(80, 24)) as pilot:
            await apps.settle(pilot)
            app.screen.query_one("#q-notes", TextArea).focus()
            await pilot.press(*"Plan on the wiki")
            assert app.session is not None and app._save_timer is not None  # not saved yet
            os.kill(os.getpid(), signal.SIGHUP)
            await pilot.pause(0.2)
            assert heard == []  # the wizard took the signal, not the default action
        assert store.load(path).answers["t_plan"].notes == "Plan on the wiki"
        # Released: the next srm-tui opens it for writing, not read-only.
        with store.lock(path):  # LockedError while still held
            pass
    finally:
        signal.signal(signal.SIGHUP, before)


async def test_enter_on_the_start_screen_resumes_the_last_assessment(tmp_path: Path, own_data_dir):
    # The start screen says "resume here", but Enter started a new assessment: the
    # keyboard was on "New assessment…", above the recent ones.
    older = apps.write(tmp_path / "older.toml")
    last = apps.write(tmp_path / "last.toml")
    for path in (older, last):
        recent.remember(recent.Recent(str(path), path.stem), own_data_dir)
    app = apps.make_app(None, own_data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await apps.settle(pilot)
        assert isinstance(app.screen, StartScreen)
        await pilot.press("enter")
        await apps.settle(pilot)
        assert app.session is not None and app.session.path == last.resolve()


async def test_a_normal_quit_leaves_nothing_beside_the_assessment(tmp_path: Path, own_data_dir):
    # A session that wrote nothing left .r.toml.lock behind at every quit.
    path = apps.write(tmp_path / "r.toml")
    app = apps.make_app(path, own_data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await apps.settle(pilot)
        assert (tmp_path / ".r.toml.lock").exists()  # held while open
        await pilot.press("ctrl+q")
        await apps.until(pilot, lambda: app.return_code is not None)
    assert sorted(p.name for p in tmp_path.iterdir() if p != own_data_dir) == ["r.toml"]
