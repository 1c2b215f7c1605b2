"""Reading another tool's file safely: bounded in size and count, every value checked
for its type before it is used, and any problem one sentence naming the file and,
where it helps, the line or the element (an InputFileError, exit 2).

Imported text is kept as read; every report cleans what it writes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from srm_tui import files
from srm_tui.errors import InputFileError
from srm_tui.model import Severity

#: The largest file an import reads: a full Prowler run of a large account stays under.
MAX_IMPORT_BYTES = 256 * 1024 * 1024
#: The most findings one import keeps.
MAX_FINDINGS = 200_000
#: Longest text kept from one field (titles, details): the rest is cut.
MAX_TEXT = 2_000

_SEVERITIES = {
    "critical": Severity.CRITICAL,
    "high": Severity.HIGH,
    "medium": Severity.MEDIUM,
    "low": Severity.LOW,
    "informational": Severity.INFO,
    "info": Severity.INFO,
}


# A "\\uD800"-"\\uDFFF" escape on its own is valid JSON but no Unicode character: no
# UTF-8 file (the assessment, a report) can hold it, so it becomes U+FFFD.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def scalar(text: str) -> str:
    """``text`` with every lone surrogate (from a JSON escape) replaced by U+FFFD."""
    return text if text.isascii() else _LONE_SURROGATE.sub("\ufffd", text)


def load_json(path: str | Path, what: str) -> Any:
    """The JSON document in ``path``; a missing, huge, undecodable or malformed file
    is an InputFileError saying so (``what`` names the format expected)."""
    try:
        data, _ = files.read_bytes(path, MAX_IMPORT_BYTES)
    except InputFileError as exc:
        if "larger than" in exc.reason:
            raise InputFileError(
                path, f"larger than {MAX_IMPORT_BYTES // (1024 * 1024)} MB: too large to import"
            ) from None
        raise
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputFileError(path, f"not UTF-8 text, so not {what}") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputFileError(
            path, f"not valid JSON ({exc.msg}), so not {what}", exc.lineno
        ) from None
    except RecursionError:
        raise InputFileError(path, f"nested too deeply to be {what}") from None


class Shape:
    """Typed access to one element of a foreign document; a wrong type is an
    InputFileError naming the file, the element and the key."""

    def __init__(self, path: str | Path, where: str) -> None:
        self.path = path
        self.where = where

    def fail(self, message: str) -> InputFileError:
        return InputFileError(self.path, scalar(f"{self.where}: {message}"))

    def table(self, value: Any, key: str, *, required: bool = True) -> Mapping[str, Any]:
        found = value.get(key) if isinstance(value, Mapping) else None
        if found is None and not required:
            return {}
        if not isinstance(found, Mapping):
            raise self.fail(f"'{key}' must be an object")
        return found

    def text(self, value: Mapping[str, Any], key: str, *, required: bool = True) -> str:
        found = value.get(key)
        if found is None and not required:
            return ""
        if not isinstance(found, str):
            raise self.fail(f"'{key}' must be a string")
        return scalar(found[:MAX_TEXT])

    def items(self, value: Mapping[str, Any], key: str, *, required: bool = True) -> list[Any]:
        found = value.get(key)
        if found is None and not required:
            return []
        if not isinstance(found, list):
            raise self.fail(f"'{key}' must be a list")
        return found

    def strings(self, values: Any, key: str) -> tuple[str, ...]:
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise self.fail(f"'{key}' must be a list of strings")
        return tuple(scalar(v[:MAX_TEXT]) for v in values)


def severity(label: str) -> Severity:
    """A producer's severity label as srm-tui's (unknown labels count as medium)."""
    return _SEVERITIES.get(label.strip().lower(), Severity.MEDIUM)


def frameworks_of(
    mapping: Mapping[str, tuple[str, ...]], known: Mapping[str, str]
) -> dict[str, tuple[str, ...]]:
    """The framework ids of the keys srm-tui knows, under srm-tui's keys."""
    result: dict[str, tuple[str, ...]] = {}
    for key, ids in mapping.items():
        ours = known.get(key)
        if ours and ids:
            result[ours] = tuple(dict.fromkeys(result.get(ours, ()) + ids))
    return result


def too_many(path: str | Path) -> InputFileError:
    return InputFileError(path, f"more than {MAX_FINDINGS:,} findings: too many to import at once")
