"""Evidence attached to answers: files recorded by path, size and SHA-256 (never copied
into the assessment), and links kept as links.

A file's path is kept relative to the assessment's folder when the file lies inside it,
so the folder can move as a whole; otherwise it is kept absolute. ``check`` tells,
whenever a report is made, whether a file still matches what was recorded.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime
from enum import StrEnum
from pathlib import Path

from srm_tui import files
from srm_tui.errors import InputFileError, UsageError
from srm_tui.model import Answer, Evidence, EvidenceKind, now
from srm_tui.secrets import redact

# A scheme and "://", or mailto:: what is attached as a link rather than a file.
_LINK = re.compile(r"^(?:[A-Za-z][A-Za-z0-9+.-]*://|mailto:)\S+$")


class State(StrEnum):
    """What a report can say about an evidence entry now."""

    UNCHANGED = "unchanged"  # the file is as it was when attached
    CHANGED = "changed"  # its size or SHA-256 differs
    VANISHED = "vanished"  # no file at its path any more
    UNREADABLE = "unreadable"  # a file is there, but this user cannot read it now
    UNCHECKED = "unchecked"  # a link, or a file whose place or record is unknown

    @property
    def label(self) -> str:
        """How reports and front ends name it."""
        return _STATE_LABEL[self]

    @property
    def changed(self) -> bool | None:
        """The JSON ``changed``: true when changed or vanished, None when unknown."""
        if self in (State.UNCHECKED, State.UNREADABLE):
            return None
        return self is not State.UNCHANGED

    @property
    def alarming(self) -> bool:
        """Whether a reader must look at the evidence again before relying on it."""
        return self in (State.CHANGED, State.VANISHED, State.UNREADABLE)


_STATE_LABEL = {
    State.UNCHANGED: "unchanged since attached",
    State.CHANGED: "changed since attached",
    State.VANISHED: "missing: the file is gone",
    State.UNREADABLE: "cannot be read now: not checked",
    State.UNCHECKED: "not checked",
}


def is_link(text: str) -> bool:
    """Whether ``text`` is an address (``https://...``, ``mailto:...``) rather than a path."""
    return bool(_LINK.match(text.strip()))


def link(address: str, *, by: str = "", note: str = "", when: datetime | None = None) -> Evidence:
    """A link entry, recorded as given; one with a user name or password in it (such as
    ``https://user:token@host/...``) or anything shaped like an AWS credential (a
    pre-signed URL's access key id and session token) is refused, and the refusal never
    repeats it."""
    address = address.strip()
    if not is_link(address):
        raise UsageError(f"{address!r} is not a link (https://... or mailto:...).")
    if problem := credential_problem(address):
        raise UsageError(problem)
    return Evidence.link(address, added=when or now(), by=by, note=note.strip())


def credential_problem(address: str) -> str:
    """Why ``address`` may not be kept (it holds credentials), or "". The sentence never
    repeats the address."""
    if "@" in _authority(address.strip()):
        return (
            "the link holds a user name or password: srm-tui never keeps credentials in "
            "the assessment; attach the address without them."
        )
    if redact(address) != address:
        return (
            "the link holds an AWS access key or session token (as a pre-signed URL does): "
            "srm-tui never keeps credentials in the assessment; attach the address without "
            "its query."
        )
    return ""


def _authority(address: str) -> str:
    """The ``user:password@host:port`` part of a ``scheme://`` address ("" for mailto:)."""
    _, slashes, rest = address.partition("://")
    return re.split(r"[/?#]", rest, maxsplit=1)[0] if slashes else ""


def attach_file(
    path: str | Path,
    *,
    base: Path | None = None,
    by: str = "",
    note: str = "",
    when: datetime | None = None,
) -> Evidence:
    """A file entry for ``path``: its size and SHA-256 now, who added it and when.

    ``base`` is the assessment's folder: a file inside it is kept by its path relative
    to it. A missing file, a folder, a pipe or a device is an InputFileError naming it.
    """
    resolved = _path(str(path)).resolve()
    found = files.digest(resolved)
    return Evidence(
        kind=EvidenceKind.FILE.value,
        ref=_ref(resolved, base),
        size=found.size,
        sha256=found.sha256,
        added=when or now(),
        by=by,
        note=note.strip(),
    )


def refs_named(target: str, base: Path | None) -> set[str]:
    """The refs ``target`` may name, as the user types it to detach evidence: itself,
    and for a path the ref ``attach_file`` records for it (so 'plan.pdf' typed in the
    file's folder finds the 'docs/plan.pdf' that attaching it there recorded)."""
    names = {target, target.strip()}
    if not is_link(target):
        # A name no file can have: only the words as typed.
        with contextlib.suppress(OSError, RuntimeError, ValueError):
            names.add(_ref(_path(target.strip()).resolve(), base))
    return names


def _ref(path: Path, base: Path | None) -> str:
    if base is not None:
        try:
            return path.relative_to(base.resolve()).as_posix()
        except ValueError:
            pass
    return str(path)


def moved(entry: Evidence, old: Path, new: Path) -> Evidence:
    """A file entry kept relative to folder ``old``, as kept from folder ``new``: the
    same file, relative to ``new`` when inside it, else by its absolute path. What an
    answer carried into a review in another folder needs to keep its evidence."""
    path = _path(entry.ref)
    if not entry.is_file or path.is_absolute():
        return entry
    # normpath, not resolve: the entry names the file, whatever a link there points to.
    return replace(entry, ref=_ref(Path(os.path.normpath(old.resolve() / path)), new))


def location(entry: Evidence, base: Path | None) -> Path | None:
    """Where a file entry's file is: its absolute path, or its path under ``base`` (the
    assessment's folder); None when relative and no folder is known."""
    path = _path(entry.ref)
    if path.is_absolute():
        return path
    return base / path if base is not None else None


def _path(ref: str) -> Path:
    try:
        return Path(ref).expanduser()
    except RuntimeError:  # ~name of no user here: a name like any other
        return Path(ref)


def check(entry: Evidence, base: Path | None) -> State:
    """Whether a file entry still matches what was recorded when it was attached."""
    if not entry.is_file or not entry.sha256:
        return State.UNCHECKED
    path = location(entry, base)
    if path is None:
        return State.UNCHECKED
    # The path comes from the file, possibly written by hand: whatever it names, a
    # report says what it found, never fails.
    try:
        if not path.exists() and not path.is_symlink():
            return State.VANISHED
        if entry.size is not None and path.stat().st_size != entry.size:
            return State.CHANGED  # no need to read it
        found = files.digest(path)
    except InputFileError as exc:
        # Gone between the two looks; unreadable (permissions: nothing says it
        # changed); or no longer a regular file at all.
        if "no such file" in exc.reason:
            return State.VANISHED
        return State.UNREADABLE if exc.reason.startswith("cannot read") else State.CHANGED
    except PermissionError:
        return State.UNREADABLE
    except (OSError, ValueError):
        return State.VANISHED  # a dangling link, or a name no file can have
    if found.sha256 != entry.sha256.lower():
        return State.CHANGED
    return State.UNCHANGED


def add(answer: Answer, entry: Evidence) -> None:
    """Add ``entry`` to the answer's evidence; an entry with the same ``ref`` is
    replaced (attaching a file again records its content now)."""
    kept = [e for e in answer.evidence if e.ref != entry.ref]
    answer.evidence = (*kept, entry)


def replace_all(answer: Answer, items: Iterable[str | Evidence], *, by: str = "") -> None:
    """Make the answer's evidence ``items``, in that order. A string names an entry: one
    already recorded under it is kept as it is (a file stays a file), any other becomes
    a link. What the wizard's evidence field edits. A new link holding credentials is
    refused (UsageError), as ``link`` refuses it, and nothing changes."""
    current = {e.ref: e for e in answer.evidence}
    entries: dict[str, Evidence] = {}
    for item in items:
        if isinstance(item, Evidence):
            entries[item.ref] = item
            continue
        ref = item.strip()
        if ref and ref not in entries:
            if ref not in current and (problem := credential_problem(ref)):
                raise UsageError(problem)
            entries[ref] = current.get(ref) or Evidence.link(ref, added=now(), by=by)
    answer.evidence = tuple(entries.values())
