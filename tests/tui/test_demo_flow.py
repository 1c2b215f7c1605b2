"""The whole review on the emulated demo account, and scans that cannot start."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import Input

from srm_tui import store
from srm_tui.demo.target import DemoTarget
from srm_tui.model import ScanStatus
from srm_tui.scan import scan
from srm_tui.tui.screens.dialogs import PathDialog
from srm_tui.tui.screens.scan import ScanScreen
from srm_tui.tui.screens.scope import ScopeScreen
from srm_tui.tui.screens.workspace import WorkspaceScreen
from tests.tui import apps

pytest.importorskip("moto", reason="the demo account needs moto (pip install '.[demo]')")


@pytest.fixture(scope="module")
def demo() -> Iterator[DemoTarget]:
    from srm_tui.demo import demo_account

    with demo_account() as account:
        yield DemoTarget(account.endpoint_url, tuple(account.regions))


async def _settle(pilot, delay: float | None = None) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause(delay)


async def _wait_for(pilot, condition, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await pilot.pause(0.1)


async def test_whole_review_on_the_demo_account(tmp_path: Path, own_data_dir, demo):
    path = tmp_path / "demo.toml"
    app = apps.make_app(None, own_data_dir, demo=demo, section_list=None)
    async with app.run_test(size=(80, 24)) as pilot:
        assert "DEMO" in str(app.screen.query_one("TopBar").render())
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, PathDialog)
        app.screen.query_one("#path", Input).value = str(path)
        await pilot.press("enter")
        await _settle(pilot)
        await pilot.pause()
        assert isinstance(app.screen, ScopeScreen)
        assert "emulated" in str(app.screen.query_one("#demo-account").render())
        assert "DEMO" in str(app.screen.query_one("TopBar").render())
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ScanScreen)
        await _wait_for(pilot, lambda: app.screen.outcome != "")
        assert app.screen.outcome == "finished"
        await pilot.pause(0.3)
        assert "passed" in str(app.screen.query_one("#scan-counts").render())
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, WorkspaceScreen)
        review = app.screen.query_one("ReviewPane")
        first = review.questions[review.current]
        await pilot.pause(0.2)
        await pilot.press("space", "n", "space")
        await pilot.pause()
        second = review.questions[review.current]
        findings = len(app.session.assessment.findings)
        assert findings > 50
        await pilot.press("ctrl+q")

    saved = store.load(path)
    assert saved.scope.demo and saved.scope.account_id == "123456789012"
    assert saved.scan.status in (ScanStatus.COMPLETE, ScanStatus.PARTIAL)
    assert {first.id, second.id} <= {qid for qid, a in saved.answers.items() if a.selected}

    report = tmp_path / "demo-report.md"
    app = apps.make_app(path, own_data_dir, demo=demo, section_list=None)
    async with app.run_test(size=(160, 48)) as pilot:
        await _settle(pilot)
        await pilot.pause()
        assert isinstance(app.screen, WorkspaceScreen)
        assert len(app.session.assessment.findings) == findings
        assert app.session.assessment.answers[first.id].selected == saved.answers[first.id].selected
        await pilot.press("4")
        await _settle(pilot, 0.2)
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, PathDialog)
        app.screen.query_one("#path", Input).value = str(report)
        await pilot.press("enter")
        await pilot.pause()
    text = report.read_text("utf-8")
    assert text.startswith("# Shared Responsibility review")
    assert "123456789012" in text and "Emulated demo account" in text
    assert report.stat().st_mode & 0o077 == 0  # a report of weaknesses is private


async def test_cancel_mid_scan_on_the_demo_account(tmp_path: Path, own_data_dir, demo):
    path = apps.write(tmp_path / "c.toml", apps.assessment(scanned=False))
    first_task = threading.Event()

    def slow_scan(assessment, options, on_progress, cancel):
        def progress(event):
            on_progress(event)
            if event.kind == "task_done":
                first_task.set()
                time.sleep(0.2)  # slow enough to cancel in the middle

        return scan(assessment, options, on_progress=progress, cancel=cancel)

    app = apps.make_app(path, own_data_dir, demo=demo, scanner=slow_scan)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(pilot)
        app.start_scan()
        await pilot.pause()
        await _wait_for(pilot, first_task.is_set)
        await pilot.press("escape")
        await _wait_for(pilot, lambda: app.screen.outcome != "")
        assert app.screen.outcome == "cancelled"
        assert "kept" in str(app.screen.query_one("#scan-message").render())
    saved = store.load(path)
    assert saved.scan.status is ScanStatus.CANCELLED


@pytest.fixture
def no_aws(monkeypatch: pytest.MonkeyPatch) -> None:
    """No credentials anywhere, and no instance metadata lookups."""
    for name in (
        "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE",
        "AWS_DEFAULT_PROFILE", "AWS_ENDPOINT_URL", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_WEB_IDENTITY_TOKEN_FILE",
    ):  # fmt: skip
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", "/dev/null")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


@pytest.mark.parametrize("endpoint", ["", "http://127.0.0.1:9"])
async def test_scan_without_credentials_or_endpoint(
    tmp_path: Path, own_data_dir, no_aws, monkeypatch, endpoint
):
    if endpoint:  # credentials, but nothing answers at the endpoint
        monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test")
        monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test")
    a = apps.assessment(scanned=False)
    a.scope.endpoint_url = endpoint
    path = apps.write(tmp_path / "n.toml", a)
    app = apps.make_app(path, own_data_dir, scanner=None, profiles=[])
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(pilot)
        app.start_scan()
        await _wait_for(pilot, lambda: app.screen.outcome != "", seconds=60)
        screen = app.screen
        assert isinstance(screen, ScanScreen) and screen.outcome == "failed"
        text = str(screen.query_one("#scan-message").render())
        assert "Traceback" not in text and "What to do" in text
        assert ("credential" in text.lower()) if not endpoint else ("127.0.0.1:9" in text)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, WorkspaceScreen)
    assert store.load(path).answers == {}  # the file is still a good assessment
