"""Files as an attacker (or an unlucky user) leaves them: pipes, devices, endless and huge
files, planted links and lock files, read-only files, a report aimed at an assessment.
Each test names what srm-tui 0.1.0 did instead."""

from __future__ import annotations

import io
import os
import resource
import select
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from srm_tui import milestones, recent, store
from srm_tui.catalog import questionnaires
from srm_tui.errors import SrmError, UsageError
from srm_tui.model import Assessment

ENV = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
QUICK = 30  # seconds: every refusal below takes well under one


def srm(
    *args: str | os.PathLike[str], limit_memory: bool = False
) -> subprocess.CompletedProcess[str]:
    """``srm-tui ARGS`` in a child process, so that a hang or a memory blow-up fails the
    test instead of the test run."""

    def cap() -> None:
        if limit_memory:
            resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))

    try:
        return subprocess.run(
            [sys.executable, "-m", "srm_tui", *map(str, args)],
            capture_output=True,
            text=True,
            timeout=QUICK,
            env=ENV,
            preexec_fn=cap,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"srm-tui {' '.join(map(str, args))} still running after {QUICK} s")


def saved(path: Path, name: str = "review") -> Path:
    store.save(Assessment(name=name), path)
    return path


class Stop:
    """A plain-mode prompter that stops at the first question (Ctrl-C)."""

    def checkbox(self, *args: object) -> list[str]:
        raise KeyboardInterrupt

    select = text = checkbox


def plain(path: Path) -> int:
    from srm_tui import plain as plain_mode

    return plain_mode.run(path, questionnaires.load().sections, Stop(), out=io.StringIO())


# --- reading: only regular files, bounded ---------------------------------------------


@pytest.mark.parametrize(
    "command",
    [
        ["report"],
        ["scan", "--endpoint-url", "http://127.0.0.1:9", "--region", "us-east-1"],
        ["milestone", "@", "q1"],
        ["diff", "@", "@"],
        ["answer"],
        [],
    ],
    ids=["report", "scan", "milestone", "diff", "answer", "wizard"],
)
def test_a_pipe_as_input_is_refused_at_once(tmp_path, command):
    # 0.1.0: 'report' on a FIFO waited forever for a writer.
    fifo = tmp_path / "review.toml"
    os.mkfifo(fifo)
    args = [fifo if a == "@" else a for a in command]
    if "@" not in command:
        args.insert(1 if command else 0, fifo)
    result = srm(*args)
    assert result.returncode == 2, result.stderr
    assert f"{fifo}: is a pipe, not a regular file" in result.stderr
    assert "Traceback" not in result.stderr
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_an_endless_device_as_input_is_refused_at_once():
    # 0.1.0: 'report /dev/zero' read until MemoryError.
    result = srm("report", "/dev/zero", limit_memory=True)
    assert result.returncode == 2
    assert "/dev/zero: is a character device, not a regular file" in result.stderr


def test_a_huge_file_is_refused_without_reading_it(tmp_path):
    big = tmp_path / "big.toml"
    with big.open("wb") as handle:
        handle.truncate(200 * 1024 * 1024)  # sparse: costs no disk
    result = srm("report", big, limit_memory=True)
    assert result.returncode == 2
    assert f"{big}: larger than 64 MB" in result.stderr


def test_a_pipe_among_the_questionnaires_is_a_problem_not_a_hang(tmp_path):
    folder = tmp_path / "q"
    folder.mkdir()
    os.mkfifo(folder / "sneaky.toml")
    result = srm("validate", folder)
    assert result.returncode == 2
    assert f"{folder / 'sneaky.toml'}:1: is a pipe, not a regular file" in result.stdout


def test_a_pipe_as_the_recent_list_does_not_hold_the_start_screen(tmp_path):
    os.mkfifo(tmp_path / recent.FILE_NAME)
    found: list[object] = []
    reader = threading.Thread(target=lambda: found.append(recent.load(tmp_path)), daemon=True)
    reader.start()
    reader.join(5)
    if reader.is_alive():  # 0.1.0: blocked; let it go before failing
        os.close(os.open(tmp_path / recent.FILE_NAME, os.O_WRONLY | os.O_NONBLOCK))
        pytest.fail("reading the recent list waited on a pipe")
    assert found == [[]]


# --- locks -----------------------------------------------------------------------------


def test_a_planted_lock_link_never_writes_its_target(tmp_path):
    # 0.1.0 followed the link and overwrote the victim with its process id.
    path = saved(tmp_path / "review.toml")
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    (tmp_path / ".review.toml.lock").symlink_to(victim)
    with pytest.raises(SrmError, match="is a symbolic link, not srm-tui's lock file"):
        plain(path)
    assert victim.read_text() == "precious\n"
    result = srm("scan", path, "--endpoint-url", "http://127.0.0.1:9", "--region", "us-east-1")
    assert result.returncode == 1 and "symbolic link" in result.stderr
    assert victim.read_text() == "precious\n"


@pytest.mark.parametrize("content", [b"my notes\n", b"12345\n" * 20])
def test_a_lock_file_that_is_not_srm_tuis_is_never_truncated(tmp_path, content):
    path = saved(tmp_path / "review.toml")
    lock = tmp_path / ".review.toml.lock"
    lock.write_bytes(content)
    with pytest.raises(SrmError, match="is not srm-tui's lock file"):
        plain(path)
    assert lock.read_bytes() == content


def test_a_lock_file_hard_linked_to_another_file_is_refused(tmp_path):
    path = saved(tmp_path / "review.toml")
    victim = tmp_path / "counter.txt"
    victim.write_text("12345")  # looks like a process id
    os.link(victim, tmp_path / ".review.toml.lock")
    with pytest.raises(SrmError, match="is not srm-tui's lock file"):
        plain(path)
    assert victim.read_text() == "12345"


def test_a_lock_that_cannot_be_taken_is_an_error_not_skipped(tmp_path):
    # 0.1.0 went on without a lock when it could not open the lock file.
    path = saved(tmp_path / "review.toml")
    before = path.read_bytes()
    (tmp_path / ".review.toml.lock").mkdir()
    with pytest.raises(SrmError, match="Cannot lock"):
        plain(path)
    assert path.read_bytes() == before


def test_scan_takes_the_lock_too(tmp_path):
    # 0.1.0: 'scan' ignored the lock and replaced the file under an open wizard.
    path = saved(tmp_path / "review.toml")
    before = path.read_bytes()
    with store.lock(path):
        result = srm("scan", path, "--endpoint-url", "http://127.0.0.1:9", "--region", "us-east-1")
    assert result.returncode == 1
    assert f"{path} is open in another srm-tui (process {os.getpid()})" in result.stderr
    assert "scanning" not in result.stderr
    assert path.read_bytes() == before


# --- writing ---------------------------------------------------------------------------


def test_an_assessment_reached_through_a_link_is_saved_to_its_target(tmp_path):
    # 0.1.0 replaced the link with a regular file.
    (tmp_path / "data").mkdir()
    real = saved(tmp_path / "data" / "real.toml")
    link = tmp_path / "review.toml"
    link.symlink_to(Path("data") / "real.toml")
    with store.open_assessment(link) as opened:
        opened.assessment.name = "changed through the link"
        opened.save()
        assert (tmp_path / "data" / ".real.toml.lock").exists()  # one lock, at the target
    assert link.is_symlink() and os.readlink(link) == str(Path("data") / "real.toml")
    assert store.load(real).name == "changed through the link"
    assert stat.S_IMODE(real.stat().st_mode) == 0o600
    # Nothing else beside it: no lock at the link's side, and none left once closed.
    assert sorted(p.name for p in (tmp_path / "data").iterdir()) == ["real.toml"]


def test_plain_mode_through_a_link_keeps_the_link(tmp_path):
    (tmp_path / "data").mkdir()
    link = tmp_path / "new.toml"
    link.symlink_to(tmp_path / "data" / "target.toml")  # dangling: created at the target
    plain(link)
    assert link.is_symlink()
    assert store.load(tmp_path / "data" / "target.toml").name == "new"


@pytest.mark.parametrize(
    "target", ["itself", "link", "other", "milestone", "new milestone", "lock"]
)
def test_a_report_never_replaces_an_assessment_a_milestone_or_a_lock(tmp_path, run_cli, target):
    # 0.1.0: 'report r.toml -o r.toml' replaced the assessment with its own report.
    path = saved(tmp_path / "r.toml")
    other = saved(tmp_path / "other.toml", "another review")
    made = milestones.create(path, "m1").path
    (tmp_path / "to-r.toml").symlink_to(path)
    lock = tmp_path / ".r.toml.lock"
    lock.write_text("")
    out = {
        "itself": path,
        "link": tmp_path / "to-r.toml",
        "other": other,
        "milestone": made,
        "new milestone": made.parent / "m2.toml",
        "lock": lock,
    }[target]
    before = {p: p.read_bytes() for p in (path, other, made, lock)}
    result = run_cli("report", path, "-o", out)
    assert result.code == 2, result.err
    assert "srm-tui never writes a report over it" in result.err
    assert {p: p.read_bytes() for p in (path, other, made, lock)} == before
    assert not (made.parent / "m2.toml").exists()
    assert (tmp_path / "to-r.toml").is_symlink()
    result = run_cli("diff", path, other, "-o", out)
    assert result.code == 2 and {p: p.read_bytes() for p in before} == before


def test_a_report_into_a_pipe_reaches_its_reader_and_the_pipe_stays(tmp_path, run_cli):
    # 0.1.0 replaced the FIFO with a regular file; its reader got nothing.
    path = saved(tmp_path / "r.toml")
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    received = bytearray()
    done = threading.Event()

    def read() -> None:
        deadline = time.monotonic() + QUICK
        while time.monotonic() < deadline and not done.is_set():
            if select.select([reader], [], [], 0.1)[0]:
                chunk = os.read(reader, 65536)
                if not chunk and received:
                    return
                received.extend(chunk)

    thread = threading.Thread(target=read)
    thread.start()
    result = run_cli("report", path, "-o", fifo)
    if result.code:
        done.set()
    thread.join()
    os.close(reader)
    assert result.code == 0, result.err
    assert received.startswith(b"# ")
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_a_report_into_a_terminal_device_is_written_into_it(tmp_path, run_cli):
    # 0.1.0 tried to rename a temporary file over the device (as root, over /dev/null).
    path = saved(tmp_path / "r.toml")
    master, slave = os.openpty()
    try:
        device = Path(os.ttyname(slave))
        result = run_cli("report", path, "--format", "json", "-o", device)
        assert result.code == 0, result.err
        assert stat.S_ISCHR(device.stat().st_mode)
        received = b""
        while select.select([master], [], [], 1)[0]:
            received += os.read(master, 65536)
            if b"}" in received.rstrip()[-3:]:
                break
        assert b'"assessment"' in received
    finally:
        os.close(master)
        os.close(slave)


def test_a_dash_means_standard_output(tmp_path, run_cli, monkeypatch):
    path = saved(tmp_path / "r.toml")
    monkeypatch.chdir(tmp_path)
    result = run_cli("report", path, "-o", "-")
    assert result.code == 0
    assert result.out.startswith("# ")
    assert not (tmp_path / "-").exists()


def test_a_file_without_its_owners_write_bit_is_never_written(tmp_path, run_cli):
    # 0.1.0 replaced a 0400 file silently and made it 0600.
    path = saved(tmp_path / "r.toml")
    report = tmp_path / "report.md"
    report.write_text("kept\n")
    for file in (path, report):
        file.chmod(0o400)
    before = path.read_bytes()
    result = run_cli("report", path, "-o", report)
    assert result.code == 1
    assert (
        result.err.count("\n") == 1
        and "is read-only (its owner has no write permission)" in result.err
    )
    assert report.read_text() == "kept\n"
    with pytest.raises(store.ReadOnlyError, match="read-only"):
        plain(path)
    result = srm("scan", path, "--endpoint-url", "http://127.0.0.1:9", "--region", "us-east-1")
    assert result.returncode == 1 and "is read-only" in result.stderr
    assert "scanning" not in result.stderr
    assert path.read_bytes() == before
    assert stat.S_IMODE(path.stat().st_mode) == 0o400


def test_a_milestone_opens_read_only_and_says_why(tmp_path):
    path = saved(tmp_path / "r.toml")
    made = milestones.create(path, "m1").path
    with pytest.raises(store.ReadOnlyError, match="milestones never change"):
        store.open_assessment(made)
    opened = store.open_assessment(made, fallback_read_only=True)
    assert opened.read_only and opened.why is store.ReadOnly.MILESTONE and opened.lock is None
    with pytest.raises(store.ReadOnlyError, match="milestones never change"):
        opened.save()


def test_a_file_open_elsewhere_can_be_opened_read_only(tmp_path):
    path = saved(tmp_path / "r.toml")
    with store.open_assessment(path) as first:
        assert first.lock is not None and first.lock.held
        with pytest.raises(store.LockedError):
            store.open_assessment(path)
        second = store.open_assessment(path, fallback_read_only=True)
        assert second.why is store.ReadOnly.LOCKED
        assert f"process {os.getpid()}" in second.reason
        looking = store.open_assessment(path, read_only=True)
        assert looking.why is store.ReadOnly.REQUESTED and looking.lock is None
    with store.open_assessment(path) as again:  # released on close
        assert again.lock is not None


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to make a link owned by another user")
def test_a_link_another_user_planted_in_a_shared_folder_is_not_followed(tmp_path, run_cli):
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)  # like /tmp
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    planted = shared / "report.md"
    planted.symlink_to(victim)
    os.lchown(planted, 4242, 4242)
    path = saved(tmp_path / "r.toml")
    result = run_cli("report", path, "-o", planted)
    assert result.code == 1
    assert "a symbolic link that another user put in the shared folder" in result.err
    assert victim.read_text() == "precious\n"


# --- names and folders -----------------------------------------------------------------


@pytest.mark.parametrize("name", ["q3\n", "q3\r", "q3 ", "q3\x00"])
def test_a_milestone_name_with_a_trailing_newline_is_refused(tmp_path, name):
    path = saved(tmp_path / "r.toml")
    with pytest.raises(UsageError, match="not valid"):
        milestones.create(path, name)
    assert not milestones.folder(path).exists()


def test_the_data_folder_is_private_whatever_the_umask(tmp_path, monkeypatch):
    import platformdirs

    monkeypatch.delenv(recent.ENV, raising=False)
    old = os.umask(0)
    try:
        fresh = tmp_path / "fresh" / "srm-tui"
        recent.remember(recent.Recent(str(tmp_path / "a.toml"), "A"), fresh)
        assert stat.S_IMODE(fresh.stat().st_mode) == 0o700
        assert stat.S_IMODE((fresh / recent.FILE_NAME).stat().st_mode) == 0o600
        # The default folder, left readable by 0.1.0 (mkdir with the umask), is tightened.
        default = tmp_path / "share" / "srm-tui"
        default.mkdir(parents=True)
        default.chmod(0o755)
        monkeypatch.setattr(platformdirs, "user_data_dir", lambda *a, **k: str(default))
        recent.remember(recent.Recent(str(tmp_path / "a.toml"), "A"))
        assert stat.S_IMODE(default.stat().st_mode) == 0o700
        # A folder the user named is theirs: created private, never changed.
        shared = tmp_path / "shared"
        shared.mkdir()
        shared.chmod(0o755)
        monkeypatch.setenv(recent.ENV, str(shared))
        recent.remember(recent.Recent(str(tmp_path / "a.toml"), "A"))
        assert stat.S_IMODE(shared.stat().st_mode) == 0o755
        assert stat.S_IMODE((shared / recent.FILE_NAME).stat().st_mode) == 0o600
    finally:
        os.umask(old)
