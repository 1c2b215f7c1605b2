"""The scan screen: failed collections shown failed with why, every finding counted
(n/a too), and Enter continuing whichever widget has the keyboard."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.widgets import DataTable

from srm_tui.model import Finding, ScanStatus, Status
from srm_tui.scan import Progress
from srm_tui.tui.screens.scan import ScanScreen
from srm_tui.tui.screens.workspace import WorkspaceScreen
from tests.tui import apps

DENIED = "access denied: ec2:DescribeSecurityGroups in us-east-1"


class DeniedScanner:
    """One service collected, one denied; one finding does not apply."""

    def __call__(self, assessment, options: Any, on_progress: Any, cancel: Any):
        on_progress(Progress("identity", message="account 123456789012"))
        on_progress(Progress("task_started", "s3", "global", 0, 2))
        on_progress(Progress("task_done", "s3", "global", 1, 2, 1, 1, 0, 3))
        on_progress(Progress("task_started", "ec2", "us-east-1", 1, 2))
        on_progress(
            Progress("task_done", "ec2", "us-east-1", 2, 2, 1, 1, 1, 5, "", 1, error=DENIED)
        )
        assessment.scope.account_id = "123456789012"
        assessment.checks.update(apps.checks())
        assessment.findings = [
            *apps.findings()[:4],
            Finding("s3.bucket_versioning", "us-east-1", "arn:aws:s3:::x", Status.NOT_APPLICABLE),
        ]
        assessment.scan.status = ScanStatus.PARTIAL
        assessment.scan.errors = (DENIED,)
        return assessment


async def scanned(pilot: Any) -> Any:
    """The scan screen once the app has started and finished a scan."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    pilot.app.start_scan()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause(0.4)
    return pilot.app.screen


def cells(table: DataTable, key: str) -> list[str]:
    return [str(c) for c in table.get_row(key)]


async def test_a_failed_collection_is_shown_failed_with_its_reason(tmp_path: Path, own_data_dir):
    path = apps.write(tmp_path / "r.toml", apps.assessment(scanned=False))
    app = apps.make_app(path, own_data_dir, scanner=DeniedScanner())
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await scanned(pilot)
        assert isinstance(screen, ScanScreen) and screen.outcome == "finished"
        table = screen.query_one("#scan-tasks", DataTable)
        ok, denied = cells(table, "s3|global"), cells(table, "ec2|us-east-1")
        assert "✓" in ok[2] and "FAILED" not in ok[2]
        # Failed in words (not only colour), and why.
        assert "FAILED" in denied[2] and "✓" not in denied[2]
        assert DENIED in denied[3]
        counts = str(screen.query_one("#scan-counts").render())
        assert "1 n/a" in counts
        message = str(screen.query_one("#scan-message").render())
        # Every finding is counted: 5 = 2 failed + 1 passed + 1 could not check + 1 n/a.
        assert "5 findings (2 failed, 1 passed, 1 could not check, 1 n/a)" in message


async def test_enter_continues_even_from_the_task_table(tmp_path: Path, own_data_dir):
    path = apps.write(tmp_path / "r.toml", apps.assessment(scanned=False))
    app = apps.make_app(path, own_data_dir, scanner=apps.FakeScanner())
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await scanned(pilot)
        assert isinstance(screen, ScanScreen) and not screen.running
        screen.query_one("#scan-tasks", DataTable).focus()
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, WorkspaceScreen)
