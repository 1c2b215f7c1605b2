"""The assessment file survives kills, concurrent writers and arbitrary input."""

import os
import random
import signal
import subprocess
import sys
import textwrap
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from srm_tui import rules, store
from srm_tui.catalog import questionnaires
from srm_tui.errors import InputFileError
from srm_tui.model import Assessment

WRITER = textwrap.dedent(
    """
    import sys
    from srm_tui import store
    from srm_tui.model import Assessment, Finding, Status
    path = sys.argv[1]
    n = 0
    while True:
        n += 1
        a = Assessment(name=f"v{n}")
        a.findings = [Finding("c.x", "r", f"arn:{n}:{i}", Status.PASS, "d" * 40) for i in range(n % 7 * 500 + 500)]
        store.save(a, path)
        print(n, flush=True)
    """
)


def test_sigkill_during_saves_never_leaves_a_broken_file(tmp_path):
    path = tmp_path / "big.toml"
    store.save(Assessment(name="v0"), path)
    rng = random.Random(7)
    for _ in range(8):
        child = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
        )
        child.stdout.readline()  # at least one save has happened
        time.sleep(rng.uniform(0.0, 0.4))
        child.send_signal(signal.SIGKILL)
        child.wait()
        loaded = store.load(path)  # always loads: the old or the new content
        n = int(loaded.name[1:])
        assert len(loaded.findings) in (0, n % 7 * 500 + 500)
    leftovers = [p.name for p in tmp_path.iterdir() if p.name != "big.toml"]
    # a kill between creating and renaming the temporary file may leave one behind,
    # never in place of the assessment
    assert all(name.startswith(".big.toml.") for name in leftovers)


def test_a_file_changed_by_another_program_is_not_overwritten(tmp_path):
    path = tmp_path / "a.toml"
    store.save(Assessment(name="mine"), path)
    mine = store.open_assessment(path)
    other = store.loads(path.read_text())
    other.name = "theirs"
    text = store.dumps(other)
    time.sleep(0.01)
    path.write_text(text)  # another program, ignoring the lock, writes in between
    mine.assessment.name = "my change"
    with pytest.raises(store.ConflictError) as info:
        mine.save()
    assert "changed by another program" in str(info.value)
    assert store.load(path).name == "theirs"
    side = [p for p in tmp_path.iterdir() if ".conflict-" in p.name]
    assert len(side) == 1
    assert store.load(side[0]).name == "my change"


def hold_lock(path) -> subprocess.Popen:
    """Another process holding the lock of ``path``: it prints "locked" once it has it."""
    return subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time\nfrom srm_tui import store\n"
         "with store.lock(sys.argv[1]):\n    print('locked', flush=True)\n    time.sleep(30)\n",
         str(path)],
        stdout=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )  # fmt: skip


def test_second_process_is_told_the_file_is_open(tmp_path):
    path = tmp_path / "a.toml"
    holder = hold_lock(path)
    try:
        assert holder.stdout.readline().strip() == b"locked"
        with pytest.raises(store.LockedError) as info, store.lock(path):
            pass
        assert f"process {holder.pid}" in str(info.value)
    finally:
        holder.kill()
        holder.wait()
    with store.lock(path):  # released when the holder died
        pass


def test_a_released_lock_leaves_no_file_but_another_process_lock_stays(tmp_path):
    # Every session, even one that wrote nothing, left .a.toml.lock beside the file.
    path = tmp_path / "a.toml"
    lock_file = tmp_path / ".a.toml.lock"
    with store.lock(path):
        assert lock_file.exists()
    assert not lock_file.exists()
    holder = hold_lock(path)
    try:
        assert holder.stdout.readline().strip() == b"locked"
        refused = store.lock(path)
        with pytest.raises(store.LockedError):
            refused.acquire()
        refused.release()
        assert lock_file.read_text() == str(holder.pid)  # the live holder's, untouched
    finally:
        holder.kill()
        holder.wait()


def test_a_lock_file_removed_between_open_and_flock_is_not_taken(tmp_path, monkeypatch):
    # A holder letting go removes the lock file: one that opened it just before would
    # lock the removed file, and a third would lock a new one: two holders at once.
    import fcntl

    from srm_tui import files

    path = tmp_path / "a.toml"
    lock_file = tmp_path / ".a.toml.lock"
    real_flock = fcntl.flock
    calls = []

    def holder_lets_go_first(fd, operation):
        if not calls:  # between our open and our flock: removed, then made anew
            lock_file.unlink()
            lock_file.write_text("")
        calls.append(fd)
        real_flock(fd, operation)

    monkeypatch.setattr(files.fcntl, "flock", holder_lets_go_first)
    with store.lock(path) as held:
        assert len(calls) == 2  # tried again on the file the name leads to now
        assert os.fstat(held._fd).st_ino == os.lstat(lock_file).st_ino
    assert not lock_file.exists()


def test_answer_refuses_an_assessment_open_elsewhere(run_cli, tmp_path, monkeypatch):
    path = tmp_path / "a.toml"
    store.save(Assessment(name="x"), path)
    before = path.read_bytes()
    monkeypatch.setattr("sys.stdin.isatty", lambda: True, raising=False)
    holder = hold_lock(path)
    try:
        holder.stdout.readline()
        from srm_tui import plain

        with pytest.raises(store.LockedError):
            plain.run(path, questionnaires.load().sections, prompter=None)
    finally:
        holder.kill()
        holder.wait()
    assert path.read_bytes() == before


FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(st.text(max_size=400))
def test_loader_gives_a_result_or_a_clear_error(text):
    try:
        store.loads(text, "fuzz.toml")
    except InputFileError as exc:
        assert str(exc).startswith("fuzz.toml")


@FUZZ
@given(st.binary(max_size=300))
def test_loader_on_bytes_never_changes_the_file(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("f") / "x.toml"
    path.write_bytes(data)
    try:
        store.load(path)
    except InputFileError as exc:
        assert str(path) in str(exc)
    assert path.read_bytes() == data


VALID = store.dumps(Assessment(name="seed"))


@FUZZ
@given(st.integers(0, len(VALID) - 1), st.text(max_size=8))
def test_mutated_assessment_gives_a_result_or_a_clear_error(position, insert):
    text = VALID[:position] + insert + VALID[position + 1 :]
    try:
        store.loads(text, "m.toml")
    except InputFileError as exc:
        assert str(exc).startswith("m.toml")


SAMPLE = (questionnaires.default_dir() / "incident_response.toml").read_text()


@FUZZ
@given(
    st.integers(0, len(SAMPLE) - 1),
    st.integers(0, 20),
    st.text(st.characters(exclude_categories=["Cs"]), max_size=10),
)
def test_mutated_questionnaire_gives_problems_not_tracebacks(
    tmp_path_factory, position, cut, insert
):
    text = SAMPLE[:position] + insert + SAMPLE[position + cut :]
    path = tmp_path_factory.mktemp("q") / "x.toml"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    _section, problems = questionnaires.load_file(path)
    for problem in problems:
        assert problem.path == str(path)
        assert 1 <= problem.line <= max(1, len(text.splitlines()) + 1)
    assert path.read_bytes() == text.encode("utf-8", "surrogatepass")


@FUZZ
@given(st.text(alphabet="ab_!&|() \t", max_size=40) | st.text(max_size=40))
def test_rule_parser_gives_a_tree_or_a_rule_error(condition):
    try:
        node = rules.parse(condition)
    except rules.RuleError as exc:
        assert exc.column >= 1
    else:
        node.evaluate({"a", "b"})


PLAIN_ANSWERER = textwrap.dedent(
    """
    import io, sys
    from pathlib import Path
    from srm_tui import plain
    from srm_tui.catalog import questionnaires

    class Forever:
        # Ticks the first practice of every question, over and over (--all).
        def checkbox(self, message, options, validate):
            print("answering", flush=True)
            return [options[0].value]
        def select(self, message, options, default):
            return options[0].value
        def text(self, message, default):
            return "note " * 200

    sections = questionnaires.load().sections
    while True:
        plain.run(Path(sys.argv[1]), sections, Forever(), revisit=True, out=io.StringIO())
    """
)


def test_sigkill_in_plain_mode_keeps_every_saved_answer(tmp_path):
    path = tmp_path / "plain.toml"
    rng = random.Random(11)
    for _ in range(5):
        child = subprocess.Popen(
            [sys.executable, "-c", PLAIN_ANSWERER, str(path)],
            stdout=subprocess.PIPE,
            env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
        )
        for _ in range(3):
            child.stdout.readline()
        time.sleep(rng.uniform(0.0, 0.3))
        child.send_signal(signal.SIGKILL)
        child.wait()
        loaded = store.load(path)  # never half-written
        assert loaded.answers
        assert all(a.notes.startswith("note") for a in loaded.answers.values())
    # the lock died with the process: the next session opens the file at once
    with store.lock(path):
        pass
