"""Start screen, opening files, and the scan screen with a stand-in scanner."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from textual.widgets import DataTable, Input, OptionList

from srm_tui import recent, store
from srm_tui.model import ScanStatus
from srm_tui.tui.host import Host
from srm_tui.tui.screens.dialogs import MessageDialog, PathDialog
from srm_tui.tui.screens.scan import ScanScreen
from srm_tui.tui.screens.scope import ScopeScreen, parse_regions
from srm_tui.tui.screens.start import StartScreen
from srm_tui.tui.screens.workspace import WorkspaceScreen
from srm_tui.tui.widgets.topbar import TopBar
from tests.tui import apps


async def _settle(pilot, delay: float | None = None) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause(delay)


async def _type_path(pilot, path: Path) -> None:
    dialog = pilot.app.screen
    assert isinstance(dialog, PathDialog)
    dialog.query_one("#path", Input).value = str(path)
    await pilot.press("enter")
    await _settle(pilot)
    await pilot.pause()


async def test_screens_and_widgets_reach_the_wizard_through_its_host(tmp_path: Path, own_data_dir):
    app = apps.make_app(apps.write(tmp_path / "a.toml"), own_data_dir)
    assert isinstance(app, Host)  # every member the screens may use is there
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(pilot)
        assert isinstance(app.screen, WorkspaceScreen)
        assert app.screen.srm is app
        assert app.screen.query_one(TopBar).srm is app


async def test_broken_file_from_start_screen_shows_file_and_line_and_is_kept(
    tmp_path: Path, own_data_dir
):
    broken = tmp_path / "broken.toml"
    broken.write_text('schema = 1\n[assessment]\nname = "x"\n[scope\n', "utf-8")
    before = broken.read_bytes()
    app = apps.make_app(None, own_data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)
        await pilot.press("o")
        await pilot.pause()
        await _type_path(pilot, broken)
        # Said in the dialog, asked again with the path as typed.
        assert isinstance(app.screen, PathDialog)
        message = str(app.screen.query_one("#dialog-problem").render())
        assert f"{broken}:4" in message and "not valid TOML" in message
        assert app.screen.query_one("#path", Input).value == str(broken)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)  # the app goes on
        assert app.session is None
        await pilot.press("ctrl+q")
    assert broken.read_bytes() == before  # never overwritten


async def test_new_assessment_then_recent_list_and_reopen(tmp_path: Path, own_data_dir):
    path = tmp_path / "new.toml"
    app = apps.make_app(None, own_data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        await pilot.pause()
        await _type_path(pilot, path)
        assert isinstance(app.screen, ScopeScreen)
        assert not path.exists()  # nothing written before the scope is set
        app.screen.query_one("#name", Input).value = "Quarterly review"
        app.screen.query_one("#regions", Input).value = "eu-west-1, nowhere"
        await pilot.click("#skip")
        await pilot.pause(0.3)
        assert isinstance(app.screen, ScopeScreen)  # a bad region is refused
        assert "nowhere" in str(app.screen.query_one("#scope-problem").render())
        app.screen.query_one("#regions", Input).value = "eu-west-1"
        await pilot.click("#skip")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, WorkspaceScreen)
        await pilot.press("space")  # answer the first question
        await pilot.pause()
        await pilot.press("ctrl+q")
    saved = store.load(path)
    assert saved.name == "Quarterly review" and saved.scope.regions == ("eu-west-1",)
    entries = recent.load(own_data_dir)
    assert [e.name for e in entries] == ["Quarterly review"]
    assert (entries[0].answered, entries[0].total) == (1, 4)

    app = apps.make_app(None, own_data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        options = app.screen.query_one("#start-options", OptionList)
        label = str(options.get_option("recent-0").prompt)
        assert "Quarterly review" in label and "1/4 answered" in label
        options.highlighted = options.get_option_index("recent-0")
        await pilot.press("enter")
        await _settle(pilot)
        await pilot.pause()
        assert isinstance(app.screen, WorkspaceScreen)
        assert app.session is not None
        assert app.session.assessment.answers["t_plan"].selected == ("t_plan_written",)


async def test_an_open_assessment_is_locked_for_a_second_window(tmp_path: Path, own_data_dir):
    # A second window may read the assessment, never write it: it opens read-only and
    # says at once that the file is open in another srm-tui.
    path = apps.write(tmp_path / "r.toml")
    before = path.read_bytes()
    with store.lock(path):
        app = apps.make_app(path, own_data_dir)
        async with app.run_test(size=(80, 24)) as pilot:
            await _settle(pilot)
            await pilot.pause()
            assert isinstance(app.screen, WorkspaceScreen)
            assert app.session is not None and app.session.read_only
            assert "open in another srm-tui" in str(
                app.screen.query_one("#read-only-banner").render()
            )
            await pilot.press("ctrl+q")
    assert path.read_bytes() == before


async def test_scan_shows_progress_and_updates_every_view(tmp_path: Path, own_data_dir):
    path = apps.write(tmp_path / "r.toml", apps.assessment(scanned=False))
    scanner = apps.FakeScanner()
    app = apps.make_app(path, own_data_dir, scanner=scanner)
    async with app.run_test(size=(100, 30)) as pilot:
        await _settle(pilot)
        await pilot.press("2")
        await pilot.pause()
        assert "No findings yet" in str(app.screen.query_one("#findings-count").render())
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert isinstance(app.screen, ScopeScreen)
        await pilot.press("ctrl+s")
        await _settle(pilot, 0.4)
        assert isinstance(app.screen, ScanScreen)
        counts = str(app.screen.query_one("#scan-counts").render())
        assert "2/2 tasks" in counts and "3 failed" in counts and "5 API calls" in counts
        tasks = app.screen.query_one("#scan-tasks", DataTable)
        assert tasks.row_count == 2
        options = scanner.calls[0]
        assert options.regions == ("us-east-1", "eu-west-1") and options.profile is None
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, WorkspaceScreen)
        assert "6 of 6 findings" in str(app.screen.query_one("#findings-count").render())
    saved = store.load(path)
    assert saved.scan.status is ScanStatus.COMPLETE and len(saved.findings) == 6


@contextlib.asynccontextmanager
async def _cancelled_scan(path: Path, own_data_dir: Path) -> AsyncIterator[tuple[Any, Any]]:
    """The wizard on ``path`` with a scan started and cancelled: (app, pilot)."""
    scanner = apps.FakeScanner(block=True)
    app = apps.make_app(path, own_data_dir, scanner=scanner)
    async with app.run_test(size=(100, 30)) as pilot:
        await _settle(pilot)
        app.start_scan()
        await pilot.pause()
        assert scanner.started.wait(5)
        await pilot.press("escape")
        await _settle(pilot, 0.3)
        yield app, pilot


async def test_cancel_keeps_partial_results_marked(tmp_path: Path, own_data_dir):
    path = apps.write(tmp_path / "r.toml", apps.assessment(scanned=False))
    async with _cancelled_scan(path, own_data_dir) as (app, _pilot):
        screen = app.screen
        assert isinstance(screen, ScanScreen) and screen.outcome == "cancelled"
        assert "cancelled" in str(screen.query_one("#scan-message").render())
    saved = store.load(path)
    assert saved.scan.status is ScanStatus.CANCELLED and len(saved.findings) == 2


async def test_a_cancelled_rescan_does_not_call_the_earlier_findings_its_own(
    tmp_path: Path, own_data_dir
):
    # A rescan cancelled early said "the 1633 findings gathered so far": most of them
    # were the earlier scan's, kept for what the rescan did not reach.
    path = apps.write(tmp_path / "r.toml")
    async with _cancelled_scan(path, own_data_dir) as (app, pilot):
        await apps.until(pilot, lambda: getattr(app.screen, "outcome", "") == "cancelled")
        message = str(app.screen.query_one("#scan-message").render())
        assert "gathered so far" not in message
        assert "with the earlier scan's findings" in message and "(2 in all)" in message


async def test_scan_error_is_a_clear_message_and_the_app_goes_on(tmp_path: Path, own_data_dir):
    path = apps.write(tmp_path / "r.toml")
    scanner = apps.FakeScanner(error="No AWS credentials were found.")
    app = apps.make_app(path, own_data_dir, scanner=scanner)
    async with app.run_test(size=(100, 30)) as pilot:
        await _settle(pilot)
        app.start_scan()
        await _settle(pilot, 0.3)
        screen = app.screen
        assert isinstance(screen, ScanScreen) and screen.outcome == "failed"
        text = str(screen.query_one("#scan-message").render())
        assert "No AWS credentials were found." in text and "aws sts get-caller-identity" in text
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, WorkspaceScreen)
    assert len(store.load(path).findings) == 6  # the earlier findings are untouched


def test_parse_regions():
    assert parse_regions("eu-west-1, us-east-1 eu-west-1") == (("eu-west-1", "us-east-1"), [])
    assert parse_regions("mars-1") == ((), ["mars-1"])


async def test_a_failing_worker_shows_an_error_dialog_and_the_app_goes_on(
    tmp_path: Path, own_data_dir
):
    def broken_scanner(*args, **kwargs):
        raise RuntimeError("collector exploded")

    path = apps.write(tmp_path / "r.toml")
    app = apps.make_app(path, own_data_dir, scanner=broken_scanner)
    async with app.run_test(size=(100, 30)) as pilot:
        await _settle(pilot)
        app.start_scan()
        await _settle(pilot, 0.3)
        assert isinstance(app.screen, MessageDialog)
        assert "collector exploded" in str(app.screen.query_one("#dialog-message").render())
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ScanScreen) and app.screen.outcome == "failed"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("space")  # still answering questions
        await pilot.pause()
    assert store.load(path).answers["t_plan"].selected == ("t_plan_written",)


async def test_a_scan_waits_for_the_demo_account_and_can_be_cancelled_meanwhile(
    tmp_path: Path, own_data_dir
):
    from srm_tui.demo.target import DemoTarget

    path = apps.write(tmp_path / "r.toml", apps.assessment(scanned=False))
    demo = DemoTarget("", ("us-east-1",))  # still starting
    scanner = apps.FakeScanner()
    app = apps.make_app(path, own_data_dir, scanner=scanner, demo=demo)
    async with app.run_test(size=(100, 30)) as pilot:
        await _settle(pilot)
        app.start_scan()
        await pilot.pause(0.5)
        assert "Waiting for the demo account" in str(app.screen.query_one("#scan-message").render())
        await pilot.press("escape")
        await _settle(pilot, 0.3)
        assert app.screen.outcome == "failed" and not scanner.calls
        demo.set_ready("http://127.0.0.1:5999")
        await pilot.press("r")  # scan again, now that the account is up
        await _settle(pilot, 0.3)
        assert app.screen.outcome == "finished"
        assert scanner.calls[0].endpoint_url == "http://127.0.0.1:5999"


def test_a_region_that_does_not_exist_is_refused():
    # Shaped like a region, but AWS has none of that name.
    assert parse_regions("us-east-1, us-east-9") == (("us-east-1",), ["us-east-9"])


def test_scan_refuses_a_region_that_does_not_exist(run_cli, tmp_path):
    result = run_cli("scan", tmp_path / "a.toml", "--region", "us-east-9")
    assert result.code == 2 and "'us-east-9' is not an AWS region" in result.err
    assert not (tmp_path / "a.toml").exists()


async def test_the_start_screen_drops_recent_files_that_are_gone(tmp_path: Path, own_data_dir):
    # A test run or a benchmark leaves files in folders it cleans up afterwards.
    kept = apps.write(tmp_path / "kept.toml")
    gone = apps.write(tmp_path / "gone.toml")
    for path in (kept, gone):
        recent.remember(recent.Recent(str(path), path.stem), own_data_dir)
    gone.unlink()
    app = apps.make_app(None, own_data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        options = app.screen.query_one("#start-options", OptionList)
        labels = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert any("kept" in label for label in labels)
        assert not any("gone" in label for label in labels)
    assert [e.path for e in recent.load(own_data_dir)] == [str(kept.resolve())]
