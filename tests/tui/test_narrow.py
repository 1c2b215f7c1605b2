"""The wizard on an 80x24 terminal loses nothing: every key of the footer is drawn
whole, a dialog's footer says the dialog's own keys, and a dialog opens at its top."""

from __future__ import annotations

from pathlib import Path

from textual.widget import Widget

from srm_tui.tui.widgets.footer import KeyFooter
from tests.tui import apps
from tests.tui.test_organization import _org_review


async def _settle(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


def _footer_keys(app) -> list[Widget]:
    return list(app.screen.query_one(KeyFooter).query("FooterKey"))


def _keys_not_whole(app) -> list[str]:
    """The footer's keys drawn past the screen's edge or under another key."""
    width, height = app.size
    keys = _footer_keys(app)
    cut = []
    for key in keys:
        r = key.region
        outside = r.x < 0 or r.y < 0 or r.right > width or r.bottom > height
        covered = any(other is not key and r.overlaps(other.region) for other in keys)
        if outside or covered or r.width == 0:
            cut.append(key.key)
    return cut


def _shown_actions(app) -> set[str]:
    """The actions of the active screen's bindings that ask to be shown in the footer
    (the footer shows one key of an action bound to several)."""
    return {b.binding.action for b in app.screen.active_bindings.values() if b.binding.show}


async def test_every_footer_key_is_whole_at_80_columns(tmp_path: Path, own_data_dir):
    # Review, Findings and Organization have keys of their own: on one line of 80
    # columns Help, Quit or Milestones fell off the right edge, never to be learnt.
    app = apps.make_app(_org_review(tmp_path / "org.toml"), own_data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(pilot)
        for tab in ("1", "2", "5", "0", "3", "4"):
            await pilot.press(tab)
            await _settle(pilot)
            keys = _footer_keys(app)
            assert _shown_actions(app) <= {k.action for k in keys}, tab
            assert {"ctrl+q", "f1", "x", "m"} <= {k.key for k in keys}, tab
            assert _keys_not_whole(app) == [], tab


async def test_the_footer_stays_one_line_when_the_keys_fit(tmp_path: Path, own_data_dir):
    app = apps.make_app(_org_review(tmp_path / "org.toml"), own_data_dir)
    async with app.run_test(size=(160, 48)) as pilot:
        await _settle(pilot)
        for tab in ("1", "2", "5"):
            await pilot.press(tab)
            await _settle(pilot)
            assert app.screen.query_one(KeyFooter).region.height == 1, tab
            assert _keys_not_whole(app) == [], tab
        await pilot.resize_terminal(80, 24)
        await _settle(pilot)
        assert app.screen.query_one(KeyFooter).region.height == 2
        assert _keys_not_whole(app) == []
