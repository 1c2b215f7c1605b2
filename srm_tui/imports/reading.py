"""Reading another tool's file safely: bounded in size and count, every value checked
for its type before it is used, and any problem one sentence naming the file and,
where it helps, the line or the element (an InputFileError, exit 2).

Imported text is kept as read; every report cleans what it writes.
"""

from __future__ import annotations

import json
import re
import zlib
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
#: The first bytes of a gzip file.
GZIP_MAGIC = b"\x1f\x8b"
#: The first bytes of a zip archive.
ZIP_MAGIC = b"PK\x03\x04"
#: How Prowler's CSV files begin (';'-separated): its findings, its compliance reports.
PROWLER_CSV = ("AUTH_METHOD;", "PROVIDER;DESCRIPTION;")
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
    """The JSON document in ``path``, gzip-compressed or not; a missing, huge,
    undecodable or malformed file is an InputFileError saying so (``what`` names the
    format expected)."""
    try:
        data, _ = files.read_bytes(path, MAX_IMPORT_BYTES)
    except InputFileError as exc:
        if "larger than" in exc.reason:
            raise _too_large(path) from None
        raise
    if data.startswith(GZIP_MAGIC):
        data = _gunzip(path, data)
    elif data.startswith(ZIP_MAGIC):
        # Prowler App hands a scan's outputs over as one zip archive.
        raise InputFileError(path, f"a zip archive: unpack it and import the {what} in it")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputFileError(path, f"not UTF-8 text, so not {what}") from None
    try:
        return json.loads(text, object_pairs_hook=_unique)
    except _DuplicateKey as exc:
        raise InputFileError(
            path, f"an object holds the key {exc.key[:40]!r} twice, so which value holds is unclear"
        ) from None
    except json.JSONDecodeError as exc:
        if text.lstrip().upper().startswith(PROWLER_CSV):
            raise InputFileError(
                path,
                "Prowler's CSV output, which srm-tui does not read: run Prowler with "
                "--output-formats json-ocsf (or json-asff) and import that",
            ) from None
        raise InputFileError(
            path, f"not valid JSON ({exc.msg}), so not {what}", exc.lineno
        ) from None
    except RecursionError:
        raise InputFileError(path, f"nested too deeply to be {what}") from None
    except ValueError:
        # An integer of more digits than Python converts (4,300): no producer writes one.
        raise InputFileError(path, f"holds a number too long to read, so not {what}") from None


class _DuplicateKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """An object whose keys are all different: JSON leaves a repeated key's meaning to
    each reader (Python keeps the last, others the first), so a file could show one
    verdict to another tool and a different one here."""
    found = dict(pairs)
    if len(found) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKey(key)
            seen.add(key)
    return found


def _too_large(path: str | Path) -> InputFileError:
    return InputFileError(
        path, f"larger than {MAX_IMPORT_BYTES // (1024 * 1024)} MB: too large to import"
    )


def _gunzip(path: str | Path, data: bytes) -> bytes:
    """A gzip file's content (every member), never more than MAX_IMPORT_BYTES of it:
    a small file that would unpack without end is refused as too large."""
    out: list[bytes] = []
    size = 0
    while data:
        unpack = zlib.decompressobj(wbits=31)
        try:
            chunk = unpack.decompress(data, MAX_IMPORT_BYTES + 1 - size)
        except zlib.error:
            raise InputFileError(path, "not a valid gzip file (damaged or cut short)") from None
        size += len(chunk)
        out.append(chunk)
        if size > MAX_IMPORT_BYTES or unpack.unconsumed_tail:
            raise _too_large(path)
        if not unpack.eof:
            raise InputFileError(path, "a gzip file cut short")
        data = unpack.unused_data  # a further member (files joined with cat)
    return b"".join(out)


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
