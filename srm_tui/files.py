"""Every file srm-tui writes goes through this module, and every file it reads opens here.

Writing has one set of guarantees, whatever the file (assessment, milestone, report,
the recent list):

- atomic: a temporary file in the same folder as the target, fsync, rename, fsync of
  the folder; a crash or a full disk leaves the old file or the new one, never half;
- private: mode 0600 (a milestone 0400) whatever the umask: these files describe an
  account's weaknesses;
- through symbolic links: the link's target is replaced and the link kept (a link
  another user planted in a shared sticky folder such as /tmp is not followed);
- a file without its owner's write bit is never written;
- a report (``write_output``) goes straight into a pipe or a terminal device, and never
  over an srm-tui assessment, a milestone or the file it reports.

Reading (``read_bytes``, and ``digest`` for evidence files) takes regular files only, up
to a limit: a pipe or a device would hang or never end. ``Lock`` holds a file for one process.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import os
import re
import stat
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple, Self

from srm_tui.errors import InputFileError, SrmError, UsageError

#: Larger files are refused when read: an assessment with 20,000 findings is ~2.5 MB.
MAX_READ = 64 * 1024 * 1024
#: Evidence files are hashed up to this size (a report checks them all again).
MAX_EVIDENCE = 1024 * 1024 * 1024
#: The first bytes srm-tui writes in an assessment: ``schema = N`` before anything else.
_ASSESSMENT_HEAD = re.compile(
    rb"\A(?:[ \t]*(?:#[^\n]*)?\r?\n)*[ \t]*schema[ \t]*=[ \t]*\d+[ \t]*\r?\n"
)
_LOCK_CONTENT = re.compile(rb"\d{0,20}\n?")
#: Attempts at a lock whose file other holders keep removing as they let go.
_LOCK_TRIES = 20
#: A temporary file of a write: ``.NAME.srm-PID-RANDOM.tmp`` (the process id says
#: whether its writer is still alive); 0.1.0 wrote ``.NAME.RANDOM.tmp``.
_TEMPORARY = re.compile(r"\.(?P<name>.+)\.srm-(?P<pid>\d+)-[A-Za-z0-9_]+\.tmp")
_OLD_TEMPORARY = re.compile(r"\.(?P<name>.+)\.[a-z0-9_]{8}\.tmp")
_OLD_TEMPORARY_AGE = 600  # seconds: a 0.1.0 write that old is not still running
_MILESTONES = ".milestones"
_ACCOUNTS = ".accounts"


class ReadOnlyError(SrmError):
    """A file srm-tui may read but must not write (exit 1)."""


class ConflictError(SrmError):
    """The file changed on disk since this process read it (exit 1)."""


class LockedError(SrmError):
    """Another srm-tui process holds the file (exit 1)."""


class ExistsError(SrmError):
    """A file that is only ever created once already exists (exit 2)."""

    exit_code = 2


class Signature(NamedTuple):
    """What identifies one version of a file on disk: a save compares it with the
    version it read, so it never silently replaces what another program wrote."""

    device: int
    inode: int
    size: int
    mtime_ns: int

    @classmethod
    def of(cls, status: os.stat_result) -> Signature:
        return cls(status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns)


def signature(path: str | Path) -> Signature | None:
    """The signature of the file at ``path`` now (links followed), None when absent."""
    try:
        return Signature.of(os.stat(path))
    except OSError:
        return None


# --- reading -------------------------------------------------------------------------


def read_bytes(path: str | Path, limit: int = MAX_READ) -> tuple[bytes, Signature]:
    """The content of a regular file and its signature.

    A missing file, a folder, a pipe, a device or a file over ``limit`` bytes raises
    InputFileError at once: nothing here waits for a writer or reads without end.
    """
    path = Path(path)
    try:
        before = os.stat(path)
    except FileNotFoundError:
        raise InputFileError(path, "no such file") from None
    except OSError as exc:
        raise InputFileError(path, f"cannot read: {_reason(exc)}") from None
    _require_regular(path, before)
    fd, status = _open_regular(path, limit)
    try:
        chunks = []
        size = 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:  # a file that grows while read, or lies about its size
            raise _too_large(path, limit)
    except OSError as exc:
        raise InputFileError(path, f"cannot read: {_reason(exc)}") from None
    finally:
        os.close(fd)
    return b"".join(chunks), Signature.of(status)


class Digest(NamedTuple):
    """A file's size and SHA-256, as evidence records it."""

    size: int
    sha256: str


def digest(path: str | Path, limit: int = MAX_EVIDENCE) -> Digest:
    """The size and SHA-256 of a regular file, read in pieces (never held whole).

    A missing file, a folder, a pipe, a device or a file over ``limit`` bytes raises
    InputFileError at once, as ``read_bytes`` does.
    """
    path = Path(path)
    why = "srm-tui records evidence files up to that size"
    fd, _ = _open_regular(path, limit, why)
    try:
        hasher = hashlib.sha256()
        size = 0
        while chunk := os.read(fd, 1 << 20):
            size += len(chunk)
            if size > limit:  # a file that grows while read
                raise _too_large(path, limit, why)
            hasher.update(chunk)
    except OSError as exc:
        raise InputFileError(path, f"cannot read: {_reason(exc)}") from None
    finally:
        os.close(fd)
    return Digest(size, hasher.hexdigest())


def _open_regular(
    path: Path, limit: int, why: str = "not an srm-tui file"
) -> tuple[int, os.stat_result]:
    """A descriptor of the regular file at ``path`` (blocking, for reading) and its
    status; anything else, or a file over ``limit`` bytes, is an InputFileError."""
    try:
        # O_NONBLOCK: should the file be (or be swapped for) a pipe, opening it must not
        # wait for a writer; the fstat below then refuses it.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    except FileNotFoundError:
        raise InputFileError(path, "no such file") from None
    except OSError as exc:
        raise InputFileError(path, f"cannot read: {_reason(exc)}") from None
    try:
        status = os.fstat(fd)
        _require_regular(path, status)
        if status.st_size > limit:
            raise _too_large(path, limit, why)
        os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return fd, status


def _require_regular(path: Path, status: os.stat_result) -> None:
    if stat.S_ISREG(status.st_mode):
        return
    if stat.S_ISDIR(status.st_mode):
        raise InputFileError(path, "is a folder, not a file")
    raise InputFileError(
        path, f"is {_kind(status.st_mode)}, not a regular file: srm-tui reads only files"
    )


def _too_large(path: Path, limit: int, why: str = "not an srm-tui file") -> InputFileError:
    return InputFileError(path, f"larger than {limit // (1024 * 1024)} MB: {why}")


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a pipe"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def is_assessment(path: str | Path) -> bool:
    """Whether ``path`` is a regular file that starts the way srm-tui's assessments and
    milestones start (``schema = N``)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    except OSError:
        return False
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return False
        return bool(_ASSESSMENT_HEAD.match(os.pread(fd, 4096, 0)))
    except OSError:
        return False
    finally:
        os.close(fd)


# --- where a write lands -------------------------------------------------------------


def target_of(path: str | Path) -> Path:
    """The file a write to ``path`` replaces: ``path`` itself, or the end of its chain of
    symbolic links (so the links stay links).

    A loop of links, and a link that another user planted in a shared sticky folder
    (as the kernel's ``protected_symlinks`` refuses), raise SrmError.
    """
    current = Path(path)
    for _ in range(40):
        if not current.is_symlink():
            return current
        _refuse_foreign_link(Path(path), current)
        current = current.parent / os.readlink(current)
    raise SrmError(f"Cannot write {path}: its symbolic links form a loop.")


def _refuse_foreign_link(named: Path, link: Path) -> None:
    try:
        mine = os.lstat(link)
        folder = os.stat(link.parent)
    except OSError:
        return
    shared = folder.st_mode & stat.S_ISVTX and folder.st_mode & stat.S_IWOTH
    if shared and mine.st_uid not in (os.geteuid(), folder.st_uid):
        raise SrmError(
            f"Cannot write {named}: it is a symbolic link that another user put in the "
            f"shared folder {link.parent}; srm-tui does not follow it."
        )


def in_milestones(path: str | Path) -> bool:
    """Whether ``path`` (or where its links lead) lies in a milestones folder."""
    path = Path(path)
    real = Path(os.path.realpath(path))
    return path.parent.name.endswith(_MILESTONES) or real.parent.name.endswith(_MILESTONES)


def organization_of(path: str | Path) -> Path | None:
    """The organization review whose accounts folder holds ``path``: ``org.toml`` for
    ``org.toml.accounts/ID.toml`` (the folder ``organization.files.folder`` names),
    when that review is there; None for any other file."""
    folder = Path(path).parent
    if not folder.name.endswith(_ACCOUNTS):
        return None
    review = folder.with_name(folder.name[: -len(_ACCOUNTS)])
    return review if review.is_file() else None


def write_refusal(path: str | Path) -> str:
    """Why ``path`` must not be written (one sentence), or '' when it may be: a milestone,
    or a file whose owner has no write permission."""
    path = Path(path)
    if in_milestones(path):
        return f"{path} is a milestone, and milestones never change."
    try:
        status = os.stat(path)
    except OSError:
        return ""
    if stat.S_ISREG(status.st_mode) and not status.st_mode & stat.S_IWUSR:
        return _read_only(path)
    return ""


def _read_only(path: Path) -> str:
    return (
        f"{path} is read-only (its owner has no write permission), so srm-tui leaves it "
        "unchanged; make it writable (chmod u+w) or use another file."
    )


# --- writing -------------------------------------------------------------------------


def write_private(
    path: str | Path, data: bytes, *, once: bool = False, mode: int = 0o600
) -> Signature:
    """Write ``data`` to ``path`` atomically, readable by its owner only.

    With ``once`` the file is created and never replaced: it is linked into place, which
    fails if the name exists (ExistsError), even when another process wins a race.
    Returns the signature of the written file. Every failure is SrmError with one
    sentence, and leaves the file on disk as it was.
    """
    named = Path(path)
    target = target_of(named)
    folder = target.parent
    if not folder.is_dir():
        raise SrmError(f"Cannot write {named}: the folder {folder} does not exist.")
    existing = _status(target, named, follow=False)
    if existing is not None:
        if once:
            raise ExistsError(f"{named} already exists, and srm-tui never replaces it.")
        if not stat.S_ISREG(existing.st_mode):
            raise SrmError(f"Cannot write {named}: it is {_kind(existing.st_mode)}.")
        if not existing.st_mode & stat.S_IWUSR:
            raise ReadOnlyError(_read_only(named))
    try:
        fd, temporary = tempfile.mkstemp(
            prefix=f".{target.name}.srm-{os.getpid()}-", suffix=".tmp", dir=folder
        )
    except PermissionError:
        raise SrmError(f"Cannot write {named}: the folder {folder} is not writable.") from None
    except OSError as exc:
        raise SrmError(f"Cannot write {named}: {_reason(exc)}.") from None
    renamed = False
    try:
        try:
            os.fchmod(fd, mode)
            _write_all(fd, data)
            os.fsync(fd)
            written = Signature.of(os.fstat(fd))
        finally:
            os.close(fd)
        if once:
            os.link(temporary, target)  # the temporary name is removed below
        else:
            os.replace(temporary, target)
            renamed = True
    except FileExistsError:
        raise ExistsError(f"{named} already exists, and srm-tui never replaces it.") from None
    except OSError as exc:
        unchanged = "it is unchanged" if existing is not None else "nothing was written"
        raise SrmError(f"Cannot write {named}: {_reason(exc)}; {unchanged}.") from None
    finally:
        if not renamed:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
    _fsync_folder(folder)
    return written


def write_output(path: str | Path, data: bytes, *, sources: Iterable[str | Path] = ()) -> Path:
    """Write a report or an export to ``path``; returns where it went.

    A pipe or a terminal device is written into directly. Anything else goes through
    ``write_private`` (atomic, 0600, links followed), except that it never replaces a
    milestone, an srm-tui assessment, srm-tui's lock files or any of ``sources`` (the
    assessments the report is made from): UsageError, exit 2.
    """
    named = Path(path)
    status = _status(named, named, follow=True)
    if status is not None:
        kind = status.st_mode
        if stat.S_ISDIR(kind):
            raise SrmError(f"Cannot write {named}: it is a folder.")
        if stat.S_ISFIFO(kind) or stat.S_ISCHR(kind):
            _write_into(named, data)
            return named
        if not stat.S_ISREG(kind):
            raise SrmError(f"Cannot write {named}: it is {_kind(kind)}.")
    what = _protected(named, status, sources)
    if what:
        raise UsageError(f"{named} is {what}; srm-tui never writes a report over it.")
    write_private(named, data)
    return named


def _status(path: Path, named: Path, follow: bool) -> os.stat_result | None:
    try:
        return os.stat(path, follow_symlinks=follow)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise SrmError(f"Cannot write {named}: {_reason(exc)}.") from None


def _protected(path: Path, status: os.stat_result | None, sources: Iterable[str | Path]) -> str:
    if in_milestones(path):
        return "in a milestones folder"
    if status is None:
        return ""
    for source in sources:
        with contextlib.suppress(OSError):
            if os.path.samestat(status, os.stat(source)):
                return "the assessment being reported"
    if is_assessment(path):
        return "an srm-tui assessment"
    target = target_of(path)
    name = target.name
    if name.startswith(".") and name.endswith(".lock") and target.with_name(name[1:-5]).exists():
        return "srm-tui's lock file"
    return ""


def _write_into(path: Path, data: bytes) -> None:
    """Straight into a pipe or a device: no temporary file, no rename (replacing
    /dev/null with a regular file would break the system)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_NOCTTY | os.O_CLOEXEC)
    except OSError as exc:
        raise SrmError(f"Cannot write {path}: {_reason(exc)}.") from None
    try:
        _write_all(fd, data)
    except BrokenPipeError:
        pass  # the reader went away: like "| head", nothing more to say
    except OSError as exc:
        raise SrmError(f"Cannot write {path}: {_reason(exc)}.") from None
    finally:
        os.close(fd)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _fsync_folder(folder: Path) -> None:
    # The rename is only durable once the folder itself is on disk.
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def private_folder(path: str | Path, tighten: bool = True) -> Path:
    """Create ``path`` (and its parents) if needed, 0700 whatever the umask. With
    ``tighten``, an existing folder of this user's that others could read is made 0700
    too (not for a folder the user chose to share, such as one named by a setting)."""
    path = Path(path)
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        status = path.stat()
        if tighten and status.st_uid == os.geteuid() and stat.S_IMODE(status.st_mode) & 0o077:
            path.chmod(0o700)
    except OSError as exc:
        raise SrmError(f"Cannot create {path}: {_reason(exc)}.") from None
    return path


def clean_temporaries(folder: str | Path, name: str | None = None) -> list[Path]:
    """Remove the temporary files that killed writes left in ``folder`` (those of the
    file ``name`` only, when given), when their writer is no longer running; returns
    what was removed."""
    removed = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return []
    for entry in entries:
        if entry.name.startswith(".") and _stale(entry, name):
            with contextlib.suppress(OSError):
                os.unlink(entry.path)
                removed.append(Path(entry.path))
    return removed


def _stale(entry: os.DirEntry[str], name: str | None) -> bool:
    match = _TEMPORARY.fullmatch(entry.name)
    old = None if match else _OLD_TEMPORARY.fullmatch(entry.name)
    found = match or old
    if found is None or (name is not None and found["name"] != name):
        return False
    try:
        status = entry.stat(follow_symlinks=False)
    except OSError:
        return False
    if not stat.S_ISREG(status.st_mode) or status.st_uid != os.geteuid():
        return False
    if match:
        return not _alive(int(match["pid"]))
    return time.time() - status.st_mtime > _OLD_TEMPORARY_AGE


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # someone else's process: alive
    return True


# --- locking -------------------------------------------------------------------------


class Lock:
    """Holds a file for this process: a second srm-tui taking the same lock is told
    which process has it.

    The lock is an advisory ``flock`` on ``.NAME.lock`` beside the file, released by the
    system even when the process is killed. The lock file is opened without following
    links and only ever rewritten when it is srm-tui's own (empty or a process id).
    A normal release removes it, while still holding it, so that nothing stays beside
    the assessment (or beside nothing, for a new one never saved); a process that
    opened it just before takes the lock only if the name still leads to what it
    locked, else it tries again on a new file.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.lock_path = self.path.with_name(f".{self.path.name}.lock")
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        """Whether this object holds the lock now."""
        return self._fd is not None

    def acquire(self) -> Self:
        """Take the lock; LockedError when another process has it, SrmError (one
        sentence) when it cannot be taken at all."""
        if self._fd is not None:
            return self
        for _ in range(_LOCK_TRIES):
            fd = self._try_acquire()
            if fd is not None:
                self._fd = fd
                return self
        raise SrmError(f"Cannot lock {self.path}: {self.lock_path} keeps being replaced.")

    def _try_acquire(self) -> int | None:
        """The locked file's descriptor; None when the lock file was removed or
        replaced (by a holder letting go) between opening and locking it."""
        flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC
        try:
            fd = os.open(self.lock_path, flags, 0o600)
        except OSError as exc:
            raise self._cannot(exc) from None
        try:
            status = os.fstat(fd)
            content = os.pread(fd, 64, 0)
            if (
                not stat.S_ISREG(status.st_mode)
                or status.st_nlink != 1
                or status.st_uid != os.geteuid()
                or not _LOCK_CONTENT.fullmatch(content)
            ):
                raise SrmError(
                    f"Cannot lock {self.path}: {self.lock_path} is not srm-tui's lock file; "
                    "srm-tui leaves it alone. Remove it if nothing of yours needs it."
                )
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "unknown"
                raise LockedError(
                    f"{self.path} is open in another srm-tui (process {holder}); close it "
                    "there first, or work on a copy."
                ) from None
            if not _names(self.lock_path, status):
                os.close(fd)  # locked a file its holder removed on release: not the lock
                return None
            os.ftruncate(fd, 0)
            _write_all(fd, str(os.getpid()).encode())
        except OSError as exc:
            os.close(fd)
            raise self._cannot(exc) from None
        except BaseException:
            os.close(fd)
            raise
        return fd

    def _cannot(self, exc: OSError) -> SrmError:
        folder = self.lock_path.parent
        if exc.errno == errno.ELOOP:
            return SrmError(
                f"Cannot lock {self.path}: {self.lock_path} is a symbolic link, not srm-tui's "
                "lock file; srm-tui does not follow it. Remove the link and try again."
            )
        if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            return SrmError(f"Cannot lock {self.path}: the folder {folder} is not writable.")
        if exc.errno == errno.ENOENT:
            return SrmError(f"Cannot lock {self.path}: the folder {folder} does not exist.")
        return SrmError(f"Cannot lock {self.path}: {_reason(exc)}.")

    def release(self) -> None:
        """Let go of the lock: remove the lock file while still holding it (only if the
        name still leads to it), then close it, which releases the flock."""
        if self._fd is not None:
            with contextlib.suppress(OSError):  # left behind, it is harmless: reused
                if _names(self.lock_path, os.fstat(self._fd)):
                    os.unlink(self.lock_path)
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> Self:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


def _names(path: Path, status: os.stat_result) -> bool:
    """Whether ``path`` (not followed if a link) is the file of ``status`` now."""
    try:
        now = os.lstat(path)
    except OSError:
        return False
    return (now.st_dev, now.st_ino) == (status.st_dev, status.st_ino)


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)
