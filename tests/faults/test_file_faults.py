"""File faults: a disk that fills up (the kernel refuses to write, through RLIMIT_FSIZE)
and runs killed in the middle of a save. Every failure is one sentence, the old file is
intact, and what a killed run left behind is cleaned up when the file is next opened."""

from __future__ import annotations

import errno
import os
import resource
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from srm_tui import store
from srm_tui.errors import SrmError
from srm_tui.model import Assessment

ENV = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
DEMO = Path(__file__).parent.parent / "fixtures" / "schema1" / "demo-review.toml"

# srm-tui's command line in a child whose files may not grow past argv[1] bytes: the
# kernel then fails the write (EFBIG) as a full disk fails it (ENOSPC).
SMALL_DISK = textwrap.dedent(
    """
    import io, os, resource, signal, sys
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (int(sys.argv[1]), resource.RLIM_INFINITY))
    from srm_tui import cli, plain
    from srm_tui.commands import base

    class Canned:
        # Ticks the first practice of the first question asked, then Ctrl-C.
        asked = 0
        def checkbox(self, message, options, validate):
            self.asked += 1
            if self.asked > 1 or not os.environ.get("ANSWER_ONE"):
                raise KeyboardInterrupt
            return [options[0].value]
        def select(self, message, options, default):
            return self.checkbox(message, options, None)[0]
        def text(self, message, default):
            return ""

    base.require_terminal = lambda what: None  # the prompts are canned
    plain.QuestionaryPrompter = Canned
    sys.exit(cli.main(sys.argv[2:]))
    """
)


def on_a_small_disk(
    limit: int, *args: str | os.PathLike[str], answer: bool = False
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", SMALL_DISK, str(limit), *map(str, args)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**ENV, "ANSWER_ONE": "1" if answer else ""},
    )


def one_sentence(stderr: str) -> str:
    assert "Traceback" not in stderr, stderr
    lines = [line for line in stderr.splitlines() if line.startswith("srm-tui: ")]
    assert len(lines) == 1, stderr
    return lines[0]


def test_a_full_disk_while_taking_the_lock_is_one_sentence(tmp_path):
    # 0.1.0: a traceback (the process id could not be written into the lock file).
    path = tmp_path / "review.toml"
    store.save(Assessment(name="review"), path)
    before = path.read_bytes()
    result = on_a_small_disk(0, "answer", path)
    assert result.returncode == 1
    assert f"Cannot lock {path}: File too large." in one_sentence(result.stderr)
    assert path.read_bytes() == before


def test_no_space_while_taking_the_lock_is_one_sentence(tmp_path, monkeypatch):
    path = tmp_path / "review.toml"

    def full(*args: object) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "write", full)
    monkeypatch.setattr(os, "pwrite", full)
    with pytest.raises(SrmError) as info, store.lock(path):
        pass
    assert str(info.value) == f"Cannot lock {path}: No space left on device."


@pytest.mark.parametrize(
    "command",
    [
        ["answer", "@"],
        ["milestone", "@", "q3"],
        ["report", "@", "--format", "json", "-o", "report.json"],
    ],
    ids=["answer", "milestone", "report"],
)
def test_a_full_disk_leaves_every_file_as_it_was(tmp_path, command):
    path = tmp_path / "review.toml"
    shutil.copy(DEMO, path)
    (tmp_path / "report.json").write_text("the last report\n")
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    args = [path if a == "@" else tmp_path / a if a == "report.json" else a for a in command]
    result = on_a_small_disk(50_000, *args, answer=True)  # the demo review is 109 KB
    assert result.returncode == 1, result.stderr
    assert "File too large" in one_sentence(result.stderr)
    after = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()}
    after.pop(".review.toml.lock", None)
    assert after == before
    milestones_dir = tmp_path / "review.toml.milestones"
    assert not milestones_dir.exists() or list(milestones_dir.iterdir()) == []


# A save stuck in its fsync, then killed: the temporary file stays behind.
STUCK_WRITER = textwrap.dedent(
    """
    import os, sys, time
    from srm_tui import store
    from srm_tui.model import Assessment

    def stuck(fd):
        print("writing", flush=True)
        time.sleep(60)

    os.fsync = stuck
    store.save(Assessment(name="never finished"), sys.argv[1])
    """
)


def _stuck_writer(path: Path) -> subprocess.Popen[bytes]:
    child = subprocess.Popen(
        [sys.executable, "-c", STUCK_WRITER, str(path)], stdout=subprocess.PIPE, env=ENV
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == b"writing"
    return child


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_temporary_files_of_a_killed_run_are_cleaned_up_at_the_next_open(tmp_path):
    path = tmp_path / "review.toml"
    store.save(Assessment(name="review"), path)
    before = path.read_bytes()
    child = _stuck_writer(path)
    try:
        assert len(_leftovers(tmp_path)) == 1
        with store.open_assessment(path):  # its writer still runs: left alone
            assert len(_leftovers(tmp_path)) == 1
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    assert len(_leftovers(tmp_path)) == 1  # the kill left it
    from srm_tui import plain

    class Stop:
        def checkbox(self, *args: object) -> list[str]:
            raise KeyboardInterrupt

        select = text = checkbox

    from srm_tui.catalog import questionnaires

    plain.run(path, questionnaires.load().sections, Stop(), out=open(os.devnull, "w"))  # noqa: SIM115
    assert _leftovers(tmp_path) == []
    assert path.read_bytes() == before


def test_old_temporary_files_of_0_1_0_are_cleaned_up_too(tmp_path):
    path = tmp_path / "review.toml"
    store.save(Assessment(name="review"), path)
    old = tmp_path / ".review.toml.k2j3h4l5.tmp"  # how 0.1.0 named them
    recent = tmp_path / ".review.toml.a1b2c3d4.tmp"
    mine = tmp_path / ".review.toml.notes.tmp"  # not one of srm-tui's
    for file in (old, recent, mine):
        file.write_text("half")
    long_ago = time.time() - 3600
    os.utime(old, (long_ago, long_ago))
    os.utime(mine, (long_ago, long_ago))
    with store.open_assessment(path):
        pass
    assert _leftovers(tmp_path) == sorted([recent.name, mine.name])


def test_a_milestone_write_killed_midway_leaves_no_milestone(tmp_path):
    # Written once by link: a killed write never leaves a half milestone under its name.
    from srm_tui import milestones

    path = tmp_path / "review.toml"
    store.save(Assessment(name="review"), path)
    script = STUCK_WRITER.replace(
        'store.save(Assessment(name="never finished"), sys.argv[1])',
        "from srm_tui import milestones\nmilestones.create(sys.argv[1], 'q3')",
    )
    child = subprocess.Popen(
        [sys.executable, "-c", script, str(path)], stdout=subprocess.PIPE, env=ENV
    )
    assert child.stdout is not None and child.stdout.readline().strip() == b"writing"
    child.send_signal(signal.SIGKILL)
    child.wait()
    folder = milestones.folder(path)
    assert [p.name for p in folder.iterdir() if not p.name.endswith(".tmp")] == []
    milestones.create(path, "q3")  # the name is still free
    with store.open_assessment(path):
        pass
    assert sorted(p.name for p in folder.iterdir()) == ["q3.toml"]


def test_the_small_disk_child_really_fails_writes(tmp_path):
    # The fault is real: without srm-tui, a plain write past the limit fails.
    target = tmp_path / "x"
    code = (
        "import resource, signal\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (10, resource.RLIM_INFINITY))\n"
        f"file = open({str(target)!r}, 'wb', buffering=0)\n"
        "file.write(b'x' * 10)\n"
        "file.write(b'x')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode != 0 and "File too large" in result.stderr
    assert resource.getrlimit(resource.RLIMIT_FSIZE)[0] == resource.RLIM_INFINITY
