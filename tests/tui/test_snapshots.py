"""SVG snapshots of the main screens (pytest-textual-snapshot).

Update after an intended change of the look: pytest tests/tui/test_snapshots.py
--snapshot-update, then review the SVGs in tests/tui/__snapshots__/.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.tui import apps


@pytest.fixture
def review_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)  # paths on screen are shown relative to here
    return apps.write(tmp_path / "review.toml")


async def _settled(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


def test_start_screen(snap_compare, own_data_dir):
    assert snap_compare(apps.make_app(None, own_data_dir), terminal_size=(80, 24))


def test_scope_screen_of_a_new_assessment(snap_compare, tmp_path, monkeypatch, own_data_dir):
    monkeypatch.chdir(tmp_path)
    app = apps.make_app(tmp_path / "new.toml", own_data_dir)
    assert snap_compare(app, terminal_size=(80, 30), run_before=_settled)


def test_review_80x24(snap_compare, review_file, own_data_dir):
    app = apps.make_app(review_file, own_data_dir)
    assert snap_compare(app, terminal_size=(80, 24), run_before=_settled)


def test_review_160x48_with_an_answer(snap_compare, review_file, own_data_dir):
    async def answer(pilot) -> None:
        await _settled(pilot)
        await pilot.press("space")
        await pilot.pause()

    app = apps.make_app(review_file, own_data_dir)
    assert snap_compare(app, terminal_size=(160, 48), run_before=answer)


def test_findings(snap_compare, review_file, own_data_dir):
    app = apps.make_app(review_file, own_data_dir)
    assert snap_compare(app, press=["2"], terminal_size=(100, 30), run_before=_settled)


def test_responsibility(snap_compare, review_file, own_data_dir):
    app = apps.make_app(review_file, own_data_dir)
    assert snap_compare(app, press=["3"], terminal_size=(100, 30), run_before=_settled)


def test_scan_finished(snap_compare, review_file, own_data_dir, monkeypatch):
    # The clock on screen would differ from run to run.
    from srm_tui.tui.tracker import ScanTracker

    monkeypatch.setattr(ScanTracker, "elapsed", lambda self: 0.0)

    async def scan(pilot) -> None:
        await _settled(pilot)
        pilot.app.start_scan()
        await _settled(pilot)
        # On a busy machine the end of the scan takes a moment to reach the screen.
        for _ in range(100):
            if getattr(pilot.app.screen, "outcome", "") != "":
                break
            await pilot.pause(0.1)
        await pilot.pause(0.3)

    app = apps.make_app(review_file, own_data_dir, scanner=apps.FakeScanner())
    assert snap_compare(app, terminal_size=(80, 24), run_before=scan)


def test_help(snap_compare, review_file, own_data_dir):
    app = apps.make_app(review_file, own_data_dir)
    assert snap_compare(app, press=["f1"], terminal_size=(80, 24), run_before=_settled)


def test_dashboard(snap_compare, review_file, own_data_dir):
    app = apps.make_app(review_file, own_data_dir)
    assert snap_compare(app, press=["0"], terminal_size=(100, 30), run_before=_settled)
