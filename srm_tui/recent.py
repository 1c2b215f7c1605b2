"""Recently opened assessments, remembered in the user's data folder.

The list is a convenience: a missing or broken list is treated as empty and a failure
to write it is ignored, so it can never stop anyone from opening an assessment.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import tempfile
import tomllib
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

import tomli_w

from srm_tui import files
from srm_tui.errors import SrmError

#: Overrides the data folder (tests, benchmarks, or a user who keeps everything in one
#: place); without it the folder follows the platform (XDG_DATA_HOME on Linux).
ENV = "SRM_TUI_DATA_DIR"
MAX_ENTRIES = 12
FILE_NAME = "recent.toml"
MAX_SIZE = 1024 * 1024  # a list of twelve entries is a few kilobytes
#: A name (or account, or question id) is kept to this many characters: a file may
#: name itself with megabytes, and a list past MAX_SIZE is read as empty.
MAX_TEXT = 200


@dataclass(frozen=True, slots=True)
class Recent:
    """One recently opened assessment, as it was when last closed or saved."""

    path: str
    name: str
    account: str = ""
    updated: datetime | None = None
    answered: int = 0
    total: int = 0
    question: str = ""  # the id of the question the user was last at

    @property
    def percent(self) -> int:
        """Share of in-scope questions answered, 0-100."""
        return round(100 * self.answered / self.total) if self.total else 0

    @property
    def exists(self) -> bool:
        """Whether the file is still there."""
        return Path(self.path).is_file()


def data_dir() -> Path:
    """The folder where srm-tui keeps its own files (not assessments)."""
    override = os.environ.get(ENV)
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_data_dir("srm-tui", appauthor=False))


def use_temporary_data_dir() -> Path:
    """Point this process, and every process it starts afterwards, at a new empty data
    folder, removed when this process ends: for test runs, benchmarks and scripts, whose
    throwaway assessments must not fill the user's recent list."""
    folder = Path(tempfile.mkdtemp(prefix="srm-tui-data-"))  # 0700
    os.environ[ENV] = str(folder)
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


def load(folder: Path | None = None) -> list[Recent]:
    """The recent assessments, most recent first; empty when there is no list."""
    path = (folder or data_dir()) / FILE_NAME
    try:
        data = tomllib.loads(files.read_bytes(path, MAX_SIZE)[0].decode("utf-8"))
    except (SrmError, UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError):
        return []
    if not isinstance(data.get("recent"), list):
        return []
    result = []
    for item in data.get("recent", []):
        if not isinstance(item, dict) or not isinstance(item.get("path"), str):
            continue
        updated = item.get("updated")
        result.append(
            Recent(
                path=item["path"],
                name=str(item.get("name", "")),
                account=str(item.get("account", "")),
                updated=updated if isinstance(updated, datetime) else None,
                answered=_int(item.get("answered")),
                total=_int(item.get("total")),
                question=_text(item.get("question")),
            )
        )
    return result


def shown(folder: Path | None = None) -> list[Recent]:
    """The entries to offer, most recent first. Those whose file is gone (deleted,
    moved, a temporary folder cleaned up) are dropped from the list for good; a file
    that cannot be looked at just now (no permission) stays."""
    entries = load(folder)
    kept = [e for e in entries if not _gone(e.path)]
    if len(kept) < len(entries):
        _write(kept, folder)
    return kept


def _gone(path: str) -> bool:
    try:
        os.stat(path)
    except (FileNotFoundError, NotADirectoryError, ValueError):  # ValueError: a NUL byte
        return True
    except OSError:
        return False
    return False


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _int(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _short(text: str) -> str:
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"


def remember(entry: Recent, folder: Path | None = None) -> None:
    """Put ``entry`` at the top of the list (replacing an older entry for its file)."""
    entry = replace(entry, path=str(Path(entry.path).resolve()))
    entries = [entry] + [e for e in load(folder) if e.path != entry.path]
    _write(entries[:MAX_ENTRIES], folder)


def forget(path: str | Path, folder: Path | None = None) -> None:
    """Drop the entry for ``path`` from the list."""
    target = str(Path(path).resolve())
    _write([e for e in load(folder) if e.path != target], folder)


def own_folder(folder: Path | None = None) -> Path:
    """The data folder (``folder``, else the user's), created 0700 if missing; SrmError
    if it cannot be."""
    # srm-tui's own folder is made private even if an older version left it readable;
    # a folder named in SRM_TUI_DATA_DIR or by the caller is the user's to set.
    own = folder is None and not os.environ.get(ENV)
    return files.private_folder(folder or data_dir(), tighten=own)


def _write(entries: list[Recent], folder: Path | None) -> None:
    items = []
    for e in entries:
        item: dict[str, object] = {
            "path": e.path,
            "name": _short(e.name),
            "account": _short(e.account),
        }
        if e.updated is not None:
            item["updated"] = e.updated
        item["answered"] = e.answered
        item["total"] = e.total
        if e.question:
            item["question"] = _short(e.question)
        items.append(item)
    text = tomli_w.dumps({"recent": items})
    with contextlib.suppress(SrmError):
        files.write_private(own_folder(folder) / FILE_NAME, text.encode("utf-8"))
