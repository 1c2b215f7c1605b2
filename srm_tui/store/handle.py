"""An assessment file held open: its lock, the version read, whether it may be written.

``open_assessment`` is how every front end opens an assessment to work on it; the
``OpenAssessment`` it returns carries everything a later save needs, so two windows,
two processes or a file changed behind srm-tui's back are told apart without any
state kept in this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from types import TracebackType
from typing import Self

from srm_tui import files
from srm_tui.errors import InputFileError, SrmError
from srm_tui.files import ConflictError, Lock, LockedError, ReadOnlyError, Signature
from srm_tui.model import Assessment, now
from srm_tui.store import codec


def load(path: str | Path) -> Assessment:
    """Read an assessment without holding it (reports, diffs, milestones).

    A missing, broken, foreign or newer file, a pipe, a device or a file too large
    raise InputFileError naming the file (and the line).
    """
    return _read(Path(path))[0]


def _read(path: Path) -> tuple[Assessment, Signature]:
    raw, version = files.read_bytes(path)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputFileError(path, "not UTF-8 text: not an srm-tui assessment", line) from None
    return codec.loads(text, path), version


def save(assessment: Assessment, path: str | Path) -> Signature:
    """Write ``assessment`` to ``path`` now (atomic, 0600), without a lock and without
    looking at what the file held: for a new file, or a copy. Work on an opened
    assessment is saved with ``OpenAssessment.save``, which also detects conflicts."""
    path = Path(path)
    refusal = files.write_refusal(path)
    if refusal:
        raise ReadOnlyError(f"Cannot save {path}: {refusal}")
    codec.stamp(assessment)
    return files.write_private(path, codec.dumps(assessment).encode("utf-8"))


def lock(path: str | Path) -> Lock:
    """The lock of the assessment at ``path`` (beside the file its links lead to), not
    yet taken: ``with store.lock(path):`` holds it."""
    return Lock(files.target_of(path))


class ReadOnly(StrEnum):
    """Why an assessment was opened read-only."""

    REQUESTED = "requested"  # open_assessment(read_only=True)
    MILESTONE = "milestone"  # milestones never change
    ACCOUNT = "account"  # one account's findings file of an organization review
    PROTECTED = "protected"  # its owner has no write permission
    LOCKED = "locked"  # another srm-tui holds it
    UNLOCKABLE = "unlockable"  # the lock cannot be taken (folder not writable, ...)


@dataclass(eq=False)
class OpenAssessment:
    """One assessment being worked on, and the file it lives in.

    ``assessment`` is edited in place; ``save()`` writes it back. ``read_only`` is true
    when the file may be read but not written; ``why`` says which case and ``reason``
    says it in one sentence (for a banner). ``lock`` is held while the handle is open
    for writing. ``signature`` is the file's version as last read or written: a save
    refuses to replace a file someone else changed since.
    """

    path: Path
    assessment: Assessment
    new: bool = False
    why: ReadOnly | None = None
    reason: str = ""
    lock: Lock | None = None
    signature: Signature | None = None

    @property
    def read_only(self) -> bool:
        """Whether ``save()`` is refused."""
        return self.why is not None

    def save(self) -> None:
        """Write the assessment (atomic, 0600, through links to their target).

        ReadOnlyError when opened read-only; ConflictError, with the new content kept in
        a side file, when the file changed on disk since it was read or last saved.
        """
        if self.read_only:
            raise ReadOnlyError(f"Cannot save {self.path}: {self.reason}")
        codec.stamp(self.assessment)
        data = codec.dumps(self.assessment).encode("utf-8")
        self._refuse_if_changed(data)
        self.signature = files.write_private(self.path, data)
        self.new = False

    def _refuse_if_changed(self, data: bytes) -> None:
        current = files.signature(self.path)
        if current == self.signature or (current is None and self.new):
            return
        if current is None:
            return  # deleted meanwhile: saving puts it back
        target = files.target_of(self.path)
        side = target.with_name(f"{target.stem}.conflict-{now():%Y%m%dT%H%M%S}{target.suffix}")
        try:
            files.write_private(side, data, once=True)
            kept = f"your version was saved to {side} instead"
        except SrmError:
            kept = "your version is still open here"
        raise ConflictError(
            f"{self.path} was changed by another program since srm-tui opened it; "
            f"it was left as it is and {kept}."
        )

    def close(self) -> None:
        """Release the lock (the assessment stays usable in memory)."""
        if self.lock is not None:
            self.lock.release()
            self.lock = None

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def open_assessment(
    path: str | Path,
    *,
    name: str | None = None,
    create: bool = True,
    read_only: bool = False,
    fallback_read_only: bool = False,
) -> OpenAssessment:
    """Open the assessment at ``path`` to work on it: lock it, clean up what a killed
    run left, read it. A missing file is a new assessment (named ``name`` or after the
    file, not saved yet) when ``create``, else InputFileError.

    ``read_only`` opens without a lock and refuses every save. Otherwise a file that
    cannot be written (owner without write permission, a milestone, held by another
    srm-tui, a lock that cannot be taken) raises that reason as SrmError (exit 1), or,
    with ``fallback_read_only``, opens read-only with ``why`` and ``reason`` set.
    A broken file raises InputFileError (exit 2) in every case.
    """
    path = Path(path).expanduser()
    target = files.target_of(path)
    exists = target.exists()
    if not exists:
        if not create:
            raise InputFileError(path, "no such file")
        if not target.parent.is_dir():
            raise SrmError(f"Cannot create {path}: the folder {target.parent} does not exist.")
    why, reason = _refusal(path, read_only)
    if why is not None and not read_only and not fallback_read_only:
        raise ReadOnlyError(reason)
    held: Lock | None = None
    if why is None:
        try:
            held = Lock(target).acquire()
        except SrmError as exc:
            if not fallback_read_only:
                raise
            why = ReadOnly.LOCKED if isinstance(exc, LockedError) else ReadOnly.UNLOCKABLE
            reason = str(exc)
    try:
        if held is not None:
            files.clean_temporaries(target.parent, target.name)
            files.clean_temporaries(path.with_name(path.name + ".milestones"))
        if exists or target.exists():
            assessment, version = _read(path)
            new = False
        else:
            assessment, version, new = Assessment(name=name or path.stem), None, True
    except BaseException:
        if held is not None:
            held.release()
        raise
    return OpenAssessment(
        path, assessment, new=new, why=why, reason=reason, lock=held, signature=version
    )


def _refusal(path: Path, requested: bool) -> tuple[ReadOnly | None, str]:
    if files.in_milestones(path):
        return ReadOnly.MILESTONE, f"{path} is a milestone, and milestones never change."
    review = files.organization_of(path)
    if review is not None:
        # Its review reads only its findings: an answer or acceptance kept here would
        # count nowhere, and a scan here would stand in for the organization's.
        return ReadOnly.ACCOUNT, (
            f"{path} holds one account's findings of {review}, which only its scan "
            f"writes; work on {review} instead (--account ID for that account)."
        )
    sentence = files.write_refusal(path)
    if sentence:
        return ReadOnly.PROTECTED, sentence
    if requested:
        return ReadOnly.REQUESTED, f"{path} was opened read-only."
    return None, ""
