"""The wizard's files: a read-only assessment opens read-only and says why; the export has
the command line's guarantees (never over an assessment, atomic on a full disk)."""

from __future__ import annotations

import resource
import signal
import stat
from pathlib import Path

from srm_tui.tui.screens.dialogs import MessageDialog, PathChoice
from srm_tui.tui.screens.workspace import WorkspaceScreen
from srm_tui.tui.widgets.topbar import TopBar
from tests.tui import apps


async def _open(pilot) -> None:
    def opened() -> bool:
        screen = pilot.app.screen
        return isinstance(screen, WorkspaceScreen) and bool(screen.query(TopBar))

    await apps.until(pilot, opened)


async def _dialog(pilot) -> None:
    # Pushed is not enough: the dialog must have composed its message.
    def shown() -> bool:
        screen = pilot.app.screen
        return isinstance(screen, MessageDialog) and bool(screen.query("#dialog-message"))

    await apps.until(pilot, shown)


def _dialog_text(app) -> str:
    assert isinstance(app.screen, MessageDialog), app.screen
    return str(app.screen.query_one("#dialog-message").render())


async def test_a_read_only_assessment_opens_read_only_and_is_never_written(
    tmp_path: Path, own_data_dir
):
    # 0.1.0 saved over a 0400 file at the first change and made it 0600.
    path = apps.write(tmp_path / "r.toml")
    path.chmod(0o400)
    before = path.read_bytes()
    app = apps.make_app(path, own_data_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        await _open(pilot)
        assert isinstance(app.screen, WorkspaceScreen)
        assert app.session is not None and app.session.handle.read_only
        # Said at once, and kept in view (a notification would be gone in seconds).
        banner = str(app.screen.query_one("#read-only-banner").render())
        assert "is read-only (its owner has no write permission)" in banner
        assert "READ-ONLY" in str(app.screen.query_one(TopBar).render())
        question = apps.sections()[0].questions[0]
        app.edit_answer(question, {"selected": [question.choices[0].id]})
        await _dialog(pilot)
        message = _dialog_text(app)  # refused, saying why; nothing changed
        assert "open read-only and cannot change" in message and "is read-only" in message
        assert "t_plan" not in app.session.assessment.answers
        await pilot.press("ctrl+q")
    assert path.read_bytes() == before
    assert stat.S_IMODE(path.stat().st_mode) == 0o400


async def test_the_export_never_writes_over_the_assessment(tmp_path: Path, own_data_dir):
    # 0.1.0 opened the export's path with O_TRUNC: exporting to the assessment's own name
    # replaced the assessment with its report.
    path = apps.write(tmp_path / "r.toml")
    before = path.read_bytes()
    app = apps.make_app(path, own_data_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        await _open(pilot)
        workspace = app.screen
        assert isinstance(workspace, WorkspaceScreen)
        workspace._export(PathChoice(path, "markdown", False))
        await _dialog(pilot)
        assert "srm-tui never writes a report over it" in _dialog_text(app)
        await pilot.press("enter")
        await pilot.press("ctrl+q")
    assert path.read_bytes() == before


async def test_the_export_on_a_full_disk_keeps_the_old_report(tmp_path: Path, own_data_dir):
    # 0.1.0 truncated the old report first, then ran out of space.
    path = apps.write(tmp_path / "r.toml")
    report = tmp_path / "report.md"
    report.write_text("the last report, kept\n" * 20)
    before = report.read_bytes()
    app = apps.make_app(path, own_data_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        await _open(pilot)
        workspace = app.screen
        assert isinstance(workspace, WorkspaceScreen)
        limits = resource.getrlimit(resource.RLIMIT_FSIZE)
        previous = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (200, limits[1]))  # a disk that is full
        try:
            workspace._export(PathChoice(report, "markdown", False))
        finally:
            resource.setrlimit(resource.RLIMIT_FSIZE, limits)
            signal.signal(signal.SIGXFSZ, previous)
        await _dialog(pilot)
        assert report.read_bytes() == before
        assert f"Cannot write {report}: File too large; it is unchanged." in _dialog_text(app)
        await pilot.press("enter")
        await pilot.press("ctrl+q")
    assert report.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")) == []


async def test_a_long_name_never_hides_the_save_state(tmp_path: Path, own_data_dir):
    # The name came first on the top line, and a long one pushed READ-ONLY (or NOT
    # SAVED) off the end of an 80-column line.
    review = apps.assessment()
    review.name = "Payments platform production accounts, quarterly review " * 3
    path = apps.write(tmp_path / "r.toml", review)
    path.chmod(0o400)
    app = apps.make_app(path, own_data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot)
        bar = app.screen.query_one(TopBar)
        await apps.until(pilot, lambda: bar.content_size.width > 0)  # laid out
        line = str(bar.render())
        assert line.endswith(" · READ-ONLY") and len(line) <= bar.content_size.width, line
        assert "· Payments platform production accounts, qua…" in line
