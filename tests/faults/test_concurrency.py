"""Two programs on one assessment: the wizard, ``answer`` and ``scan`` take the same
lock, the second one is told which process holds the file (exit 1) before it does
anything, and nothing the first one does is lost."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from srm_tui import plain, store
from srm_tui.model import Assessment, Finding, ScanStatus, Status
from srm_tui.tui.screens.dialogs import MessageDialog
from srm_tui.tui.screens.workspace import WorkspaceScreen
from tests.tui import apps

DEAD = ["--endpoint-url", "http://127.0.0.1:9", "--region", "us-east-1"]


def _scan_elsewhere(path: Path) -> subprocess.CompletedProcess[str]:
    """``srm-tui scan`` in a process of its own (a second program)."""
    # Credentials of a kind: a program that ignored the lock would go on to scan.
    env = {**os.environ, "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}
    return subprocess.run(
        [sys.executable, "-m", "srm_tui", "scan", str(path), *DEAD],
        capture_output=True, text=True, timeout=120, env=env,
    )  # fmt: skip


def _told_it_is_open(stderr: str, path: Path) -> None:
    assert f"{path} is open in another srm-tui (process {os.getpid()})" in stderr, stderr
    assert "scanning" not in stderr and "Scan " not in stderr  # no call to AWS made


async def test_a_scan_of_a_file_open_in_the_wizard_is_refused_and_the_wizard_saves_on(
    tmp_path: Path,
):
    # 0.1.0: the scan replaced the file under the wizard, whose every later save failed.
    path = apps.write(tmp_path / "r.toml")
    app = apps.make_app(path, tmp_path / "data")
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, WorkspaceScreen)
        before = path.read_bytes()
        result = _scan_elsewhere(path)
        assert result.returncode == 1
        _told_it_is_open(result.stderr, path)
        assert path.read_bytes() == before
        await pilot.press("space")  # answering goes on, and is saved
        await pilot.pause()
        assert not isinstance(app.screen, MessageDialog)
        assert store.load(path).answers["t_plan"].selected == ("t_plan_written",)
        await pilot.press("ctrl+q")
    assert not list(tmp_path.glob("*conflict*"))


class Paused:
    """Answers the plain prompts from a script; at ``PAUSE`` it waits until let go."""

    PAUSE = object()

    def __init__(self, *answers: object) -> None:
        self.answers = list(answers)
        self.waiting = threading.Event()
        self.go_on = threading.Event()

    def _next(self) -> object:
        answer = self.answers.pop(0)
        if answer is self.PAUSE:
            self.waiting.set()
            assert self.go_on.wait(60)
            answer = self.answers.pop(0)
        if answer is KeyboardInterrupt:
            raise KeyboardInterrupt
        return answer

    def checkbox(self, message, options, validate):
        return self._next()

    def select(self, message, options, default):
        return self._next()

    def text(self, message, default):
        return self._next()


def test_a_scan_racing_answer_on_a_new_file_drops_no_answer(tmp_path: Path) -> None:
    # 0.1.0: the scan read the new file, then saved over the answers given meanwhile.
    path = tmp_path / "new.toml"
    sections = apps.sections()
    prompter = Paused(
        ["t_plan_written"], "first",  # question 1, saved
        Paused.PAUSE, "t_tested_yearly", "second",  # question 2, while the scan tries
        KeyboardInterrupt,
    )  # fmt: skip
    codes: list[int] = []
    answering = threading.Thread(
        target=lambda: codes.append(plain.run(path, sections, prompter, out=_Quiet())),
        daemon=True,
    )
    answering.start()
    assert prompter.waiting.wait(30)
    result = _scan_elsewhere(path)
    prompter.go_on.set()
    answering.join(30)
    assert result.returncode == 1
    _told_it_is_open(result.stderr, path)
    assert codes == [130]
    saved = store.load(path)
    assert {q: a.notes for q, a in saved.answers.items()} == {
        "t_plan": "first",
        "t_tested": "second",
    }
    assert not saved.findings


def test_answer_while_a_scan_holds_a_new_file_is_refused_and_the_scan_is_kept(
    tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "new.toml"
    scanning, finish = threading.Event(), threading.Event()

    def slow_scan(assessment: Assessment, options, on_progress=None, cancel=None):
        scanning.set()
        assert finish.wait(60)
        assessment.scope.account_id = "123456789012"
        assessment.findings.append(
            Finding("s3.bucket_versioning", "us-east-1", "arn:aws:s3:::b", Status.FAIL)
        )
        assessment.scan.status = ScanStatus.COMPLETE
        return assessment

    monkeypatch.setattr("srm_tui.scan.scan", slow_scan)
    # 'answer' asks for a terminal before it opens the file; this test has none.
    monkeypatch.setattr("srm_tui.commands.assessment.require_terminal", lambda what: None)
    from srm_tui import cli

    codes: list[int] = []
    scan = threading.Thread(target=lambda: codes.append(cli.main(["scan", str(path), *DEAD])))
    scan.start()
    assert scanning.wait(60)
    refused = run_cli("answer", path)
    finish.set()
    scan.join(60)
    assert refused.code == 1
    assert f"{path} is open in another srm-tui (process {os.getpid()})" in refused.err
    assert codes == [0]
    saved = store.load(path)
    assert saved.scope.account_id == "123456789012" and len(saved.findings) == 1
    # Once the scan is done, answering works and keeps the scan's findings.
    plain.run(path, apps.sections(), Paused(["t_plan_written"], "", KeyboardInterrupt))
    saved = store.load(path)
    assert set(saved.answers) == {"t_plan"} and len(saved.findings) == 1


class _Quiet:
    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        pass
