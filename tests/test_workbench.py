"""The workbench: the one place where the front ends open, edit, save, remember and
scan an assessment."""

from __future__ import annotations

import ast
import stat
import threading
from pathlib import Path

import pytest

from srm_tui import plain, recent, store, workbench
from srm_tui.demo.target import DemoTarget
from srm_tui.errors import SrmError
from srm_tui.model import Assessment
from srm_tui.tui.screens.workspace import WorkspaceScreen
from srm_tui.tui.widgets.review import ReviewPane
from srm_tui.workbench import Workbench
from tests.tui import apps

PACKAGE = Path(workbench.__file__).parent


def _question(qid: str):
    return next(q for s in apps.sections() for q in s.questions if q.id == qid)


def test_open_answer_save_and_remember_where_the_user_was(tmp_path: Path) -> None:
    data = tmp_path / "data"
    path = tmp_path / "r.toml"
    with Workbench.open(path, apps.sections(), name="Review", data_dir=data) as bench:
        assert bench.new and not bench.read_only and bench.handle.lock.held
        bench.answer(_question("t_plan"), selected=["t_plan_written"], notes="n")
        assert bench.pending and bench.version == 1
        assert not path.exists()  # nothing is written before a save
        bench.visit("t_tested")
        bench.save()
        assert not bench.pending and bench.saved_at == bench.assessment.updated
        with pytest.raises(store.LockedError):
            Workbench.open(path, apps.sections(), data_dir=data)
    saved = store.load(path)
    assert saved.name == "Review" and saved.answers["t_plan"].notes == "n"
    (entry,) = recent.load(data)
    assert (entry.name, entry.answered, entry.total, entry.question) == ("Review", 1, 4, "t_tested")
    # Opened again, it knows where the user was.
    with Workbench.open(path, apps.sections(), data_dir=data) as again:
        assert again.question == "t_tested" and again.saved_at == saved.updated


def test_a_read_only_assessment_refuses_every_change_and_changes_nothing(tmp_path: Path) -> None:
    path = apps.write(tmp_path / "r.toml")
    path.chmod(0o400)
    with pytest.raises(store.ReadOnlyError, match="no write permission"):
        Workbench.open(path, apps.sections())
    bench = Workbench.open(path, apps.sections(), read_only_fallback=True)
    assert bench.read_only and "no write permission" in bench.reason
    before = store.dumps(bench.assessment)
    with pytest.raises(store.ReadOnlyError, match="open read-only and cannot change"):
        bench.answer(_question("t_plan"), selected=["t_plan_written"])
    with pytest.raises(store.ReadOnlyError):
        bench.set_scope(name="other")
    with pytest.raises(store.ReadOnlyError):
        bench.scan(bench.scan_options(), lambda p: None, threading.Event(), scanner=_never)
    assert store.dumps(bench.assessment) == before and bench.version == 0


def _never(*args: object, **kwargs: object) -> Assessment:
    raise AssertionError("a read-only assessment was scanned")


def test_a_new_file_that_cannot_be_written_is_refused_even_read_only(tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    (folder / ".r.toml.lock").mkdir()  # the lock cannot be taken
    with pytest.raises(SrmError, match="Cannot create"):
        Workbench.open(folder / "r.toml", read_only_fallback=True)


def test_the_demo_target_sets_endpoint_regions_and_marks_the_assessment(tmp_path: Path) -> None:
    demo = DemoTarget("", ("us-east-1", "eu-west-1"))
    bench = Workbench.open(tmp_path / "d.toml", demo=demo)
    assert bench.assessment.scope.demo and bench.assessment.scope.regions == demo.regions
    threading.Timer(0.2, demo.set_ready, ["http://127.0.0.1:5999"]).start()
    options = bench.scan_options(profile="prod", endpoint_url="http://elsewhere", checks=["s3"])
    assert options.endpoint_url == "http://127.0.0.1:5999"  # waited for the account
    assert (options.profile, options.regions, options.checks) == (None, demo.regions, ("s3",))

    def scanner(assessment, options, on_progress, cancel):
        assessment.scope.endpoint_url = options.endpoint_url
        return assessment

    bench.scan(options, lambda p: None, threading.Event(), scanner=scanner)
    # The emulator's address lives as long as the run: never kept in the file.
    assert bench.assessment.scope.endpoint_url == "" and bench.pending
    bench.close()


def test_scope_options_follow_the_assessment(tmp_path: Path) -> None:
    bench = Workbench.open(tmp_path / "r.toml")
    bench.set_scope(name=" ", regions=["eu-west-1"], profile="audit", frameworks=["aws-fsbp"])
    assert bench.assessment.name == "r"  # a blank name falls back to the file's
    options = bench.scope_options()
    assert (options.profile, options.regions, options.endpoint_url) == (
        "audit", ("eu-west-1",), None,
    )  # fmt: skip
    bench.close()


def test_a_crash_log_is_private(tmp_path: Path) -> None:
    log = workbench.write_crash_log("Traceback ...\x1b]0;t\x07", tmp_path / "data")
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
    assert stat.S_IMODE(log.parent.stat().st_mode) == 0o700
    assert log.read_text("utf-8") == "Traceback ...]0;t"


def test_plain_mode_updates_the_recent_list(tmp_path: Path) -> None:
    # 0.1.0: only the wizard kept the recent list; 'answer' never did.
    data = tmp_path / "data"
    path = tmp_path / "r.toml"
    prompter = _Script(["t_plan_written"], "", KeyboardInterrupt)
    plain.run(path, apps.sections(), prompter, out=_Null(), data_dir=data)
    (entry,) = recent.load(data)
    assert entry.path == str(path.resolve())
    assert (entry.answered, entry.total, entry.question) == (1, 4, "t_tested")


async def test_the_wizard_resumes_where_plain_mode_stopped(tmp_path: Path, monkeypatch) -> None:
    data = tmp_path / "data"
    monkeypatch.setenv(recent.ENV, str(data))
    path = tmp_path / "r.toml"
    # The second question skipped, Ctrl-C at the third: the user was at the third, the
    # first unanswered is the second.
    prompter = _Script(["t_plan_written"], "", plain.SKIP, plain.SKIP, KeyboardInterrupt)
    plain.run(path, apps.sections(), prompter, out=_Null(), data_dir=data)
    app = apps.make_app(path, data)
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, WorkspaceScreen)
        review = app.screen.query_one(ReviewPane)
        assert review.questions[review.current].id == "t_training"  # the third question
        await pilot.press("ctrl+q")


class _Script:
    def __init__(self, *answers: object) -> None:
        self.answers = list(answers)

    def _next(self, *args: object) -> object:
        answer = self.answers.pop(0)
        if answer is KeyboardInterrupt:
            raise KeyboardInterrupt
        return answer

    checkbox = select = text = _next


class _Null:
    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        pass


# --- one way in ----------------------------------------------------------------------

#: What only the workbench may call: opening an assessment to work on it, and the list
#: of recent assessments.
WORKBENCH_ONLY = {("store", "open_assessment"), ("recent", "remember")}
FRONT_ENDS = ("tui", "commands", "plain.py", "cli.py")


def test_the_front_ends_open_save_and_remember_only_through_the_workbench() -> None:
    for path in PACKAGE.rglob("*.py"):
        relative = path.relative_to(PACKAGE)
        if relative.parts[0] not in FRONT_ENDS:
            continue
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and (node.value.id, node.attr) in WORKBENCH_ONLY
            ):
                raise AssertionError(f"{relative}:{node.lineno} calls {node.value.id}.{node.attr}")
            if isinstance(node, ast.ImportFrom) and node.module in (
                "srm_tui.store",
                "srm_tui.recent",
            ):
                names = {(node.module.rsplit(".", 1)[1], a.name) for a in node.names}
                assert not names & WORKBENCH_ONLY, f"{relative}:{node.lineno}"
