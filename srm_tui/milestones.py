"""Milestones: immutable, named snapshots of an assessment, kept beside it.

``review.toml`` keeps its milestones in ``review.toml.milestones/NAME.toml``: each an
ordinary assessment file (so every tool reads it), written once, atomically, with mode
0400, and never overwritten (``files.write_private(..., once=True)``). The snapshot
records its name and when it was taken (``Assessment.milestone``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from srm_tui import files, store
from srm_tui.errors import InputFileError, UsageError
from srm_tui.model import Assessment, MilestoneInfo, now

NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
SUFFIX = ".milestones"


@dataclass(frozen=True, slots=True)
class Milestone:
    """One snapshot: its name, when it was taken and where it lies."""

    name: str
    created: datetime | None
    path: Path


def folder(path: str | Path) -> Path:
    """Where the milestones of the assessment at ``path`` are kept."""
    path = Path(path)
    return path.with_name(path.name + SUFFIX)


def check_name(name: str) -> str:
    """``name`` if it is a valid milestone name, else UsageError."""
    if not NAME.fullmatch(name) or name.endswith(".toml"):
        raise UsageError(
            f"milestone name {name!r} is not valid: use 1-64 letters, digits, '.', '_' or '-', "
            "starting with a letter or digit"
        )
    return name


def create(path: str | Path, name: str) -> Milestone:
    """Snapshot the assessment at ``path`` as milestone ``name``.

    Refuses an existing name (milestones are immutable), a broken assessment, and a file
    that is no assessment of its own: a milestone, or one account's findings of an
    organization review (its milestone would be written inside their folder).
    """
    path = Path(path)
    check_name(name)
    assessment = store.load(path)
    if assessment.milestone is not None or files.in_milestones(path):
        raise UsageError(
            f"{path} is a milestone already: keep milestones of the assessment it was taken of."
        )
    review = files.organization_of(path)
    if review is not None:
        raise UsageError(
            f"{path} holds one account's findings of {review}: a milestone of {review} keeps "
            "every account's."
        )
    target_dir = folder(path)
    target = target_dir / f"{name}.toml"
    if target.exists():
        raise UsageError(f"milestone {name!r} of {path} already exists; choose another name")
    files.private_folder(target_dir)
    if assessment.organization is not None:
        _keep_accounts(path, assessment, target)
    taken = now()
    assessment.milestone = MilestoneInfo(name, taken)
    data = store.dumps(assessment).encode("utf-8")
    try:
        files.write_private(target, data, once=True, mode=0o400)
    except files.ExistsError:
        raise UsageError(
            f"milestone {name!r} of {path} already exists; choose another name"
        ) from None
    return Milestone(name, taken, target)


def _keep_accounts(path: Path, assessment: Assessment, target: Path) -> None:
    """An organization review's milestone keeps each account's findings as they are now,
    in ``NAME.toml.accounts/`` beside it (read-only, written once), before the milestone
    itself: a milestone that exists is whole. What an interrupted attempt left there is
    cleared first (the milestone itself was never written)."""
    from srm_tui.organization import files as account_files

    assert assessment.organization is not None
    kept = account_files.folder(target)
    if kept.is_dir():
        for leftover in kept.iterdir():
            if leftover.is_file() and leftover.suffix == ".toml":
                leftover.unlink()
        files.clean_temporaries(kept)
    files.private_folder(kept)
    for account_id in sorted(assessment.organization.accounts):
        source = account_files.account_file(path, account_id)
        if not source.is_file():
            continue
        data, _ = files.read_bytes(source)
        files.write_private(kept / source.name, data, once=True, mode=0o400)


def list_milestones(path: str | Path) -> list[Milestone]:
    """The milestones of the assessment at ``path``, oldest first (none: empty list).

    A milestone file that cannot be read is still listed, without a date.
    """
    where = folder(path)
    if not where.is_dir():
        return []
    result = []
    for file in where.glob("*.toml"):
        if not NAME.fullmatch(file.stem):
            continue
        created = None
        try:
            info = store.load(file).milestone
            created = info.created if info is not None else None
        except InputFileError:
            pass
        result.append(Milestone(file.stem, created, file))
    result.sort(key=lambda m: (m.created is None, m.created or datetime.min, m.name))
    return result


def load_milestone(path: str | Path, name: str) -> Assessment:
    """The assessment as it was at milestone ``name``; InputFileError when there is none."""
    path = Path(path)
    target = folder(path) / f"{check_name(name)}.toml"
    if not target.is_file():
        known = ", ".join(m.name for m in list_milestones(path))
        hint = f"; its milestones are: {known}" if known else "; it has no milestones yet"
        raise InputFileError(path, f"no milestone {name!r}{hint}")
    return store.load(target)


def milestone_name(assessment: Assessment) -> str:
    """The milestone name recorded in a snapshot, or '' for a live assessment."""
    return assessment.milestone.name if assessment.milestone is not None else ""
