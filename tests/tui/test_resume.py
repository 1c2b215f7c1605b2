"""Resuming: the wizard reopens at the question the user was at, the recent list shows
the progress as it is now, and plain mode numbers questions as the wizard does."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import OptionList

from srm_tui import recent
from srm_tui.tui.screens.start import StartScreen
from srm_tui.tui.widgets.review import ReviewPane
from tests.tui import apps


async def _settle(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


def current(app) -> str:
    review = app.screen.query_one(ReviewPane)
    return review.questions[review.current].id


async def test_reopening_goes_back_to_where_the_user_was(tmp_path: Path, own_data_dir):
    path = apps.write(tmp_path / "r.toml", apps.assessment(scanned=False))
    app = apps.make_app(path, own_data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(pilot)
        assert current(app) == "t_plan"  # nothing answered: the first question
        await pilot.press("n", "n")  # to the third, answering nothing
        await _settle(pilot)
        assert current(app) == "t_training"
        await pilot.press("ctrl+q")
    app = apps.make_app(path, own_data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(pilot)
        # Not the first unanswered question (t_plan): where the user left.
        assert current(app) == "t_training"


async def test_the_recent_list_follows_progress_at_once(tmp_path: Path, own_data_dir):
    path = apps.write(tmp_path / "r.toml", apps.assessment(scanned=False))
    app = apps.make_app(path, own_data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(pilot)
        await pilot.press("space")  # answer the first question
        await _settle(pilot)
        app.close_assessment()
        await _settle(pilot)
        assert isinstance(app.screen, StartScreen)
        options = app.screen.query_one("#start-options", OptionList)
        label = str(options.get_option("recent-0").prompt)
        assert "1/4 answered (25%)" in label
    entry = recent.load(own_data_dir)[0]
    assert (entry.answered, entry.total) == (1, 4)
