"""Typed reading of TOML text, where every wrong value is one problem naming file and line.

The assessment codec and the questionnaire loader both read through ``TomlReader``:
strict (the first problem raises InputFileError: an assessment is all or nothing) or
collecting (problems gathered and the getter's default returned, so that a
questionnaire file reports all its problems at once).

A place in the document is a path of keys and array indices, e.g.
``("answers", "ir_plan", "due")`` or ``("questions", 3, "choices", 1)``; its line is
found from the table headers only when a problem is reported, so reading a large
valid file costs nothing extra.
"""

from __future__ import annotations

import re
import reprlib
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import Enum
from pathlib import Path
from typing import Any, TypeVar

from srm_tui.errors import InputFileError, toml_problem

#: Deeper tables and arrays are refused when read: srm-tui's own files nest five
#: levels, and writing back a thousand-level value would exhaust the stack.
MAX_DEPTH = 24

Where = tuple[str | int, ...]
E = TypeVar("E", bound=Enum)
T = TypeVar("T")

_KINDS: dict[type, str] = {
    str: "a string",
    bool: "true or false",
    int: "an integer",
    float: "a number",
    dict: "a table",
    list: "a list",
    datetime: "a date and time such as 2026-12-31T09:00:00Z",
    date: "a date such as 2026-12-31",
}


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong in a file, at a line (1-based)."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class TomlReader:
    """Parses one file's TOML text and reads typed values from it."""

    def __init__(self, text: str, path: str | Path, *, collect: bool = False) -> None:
        self.text = text
        self.path = str(path)
        self.collect = collect
        self.problems: list[Problem] = []
        self._lines: list[str] | None = None
        self._headers: list[tuple[int, Where]] | None = None

    # --- problems and lines ---------------------------------------------------------

    def fail(self, line: int | None, message: str) -> None:
        """Report a problem: raise it (strict) or record it (collecting)."""
        if not self.collect:
            raise InputFileError(self.path, message, line)
        self.problems.append(Problem(self.path, line or 1, message))

    def problem(self, where: Where, message: str, needle: str | None = None) -> None:
        """Report a problem at the line of ``where`` (or of ``needle`` within it)."""
        self.fail(self.line(where, needle), message)

    @property
    def lines(self) -> list[str]:
        if self._lines is None:
            self._lines = self.text.splitlines()
        return self._lines

    def span(self, where: Where) -> tuple[int, int]:
        """The lines (0-based, end excluded) of the table that holds ``where``: from the
        nearest header above it to the next header outside it (the whole file for
        ``()``)."""
        return self._place(where)[:2]

    def _place(self, where: Where) -> tuple[int, int, Where, int]:
        # (start, end, the rest of ``where`` below the header, the header's line or 0)
        headers = self.headers()
        if not where:
            return 0, len(self.lines), (), 0
        best = -1
        for i, (_, path) in enumerate(headers):
            if where[: len(path)] == path and (best < 0 or len(path) > len(headers[best][1])):
                best = i
        if best < 0:
            # A header below ``where`` (a table nested too deep) names it too.
            below = next((n for n, p in headers if p[: len(where)] == where), 0)
            if below:
                return below - 1, below, (), below
            return 0, headers[0][0] - 1 if headers else len(self.lines), where, 0
        number, path = headers[best]
        end = next(
            (n - 1 for n, p in headers[best + 1 :] if p[: len(path)] != path), len(self.lines)
        )
        return number - 1, end, where[len(path) :], number

    def line(self, where: Where, needle: str | None = None) -> int:
        """The line of ``where``: the first line of its table containing ``needle``, else
        the line setting its first key below the nearest table header, else that
        header's line (1 when nothing matches)."""
        lines = self.lines
        start, end, rest, found = self._place(where)
        if needle is not None:
            for index in range(start, end):
                if needle in lines[index]:
                    return index + 1
        if rest and isinstance(rest[0], str):
            key = rest[0]
            pattern = re.compile(
                rf"\s*(?:{re.escape(key)}|\"{re.escape(key)}\"|'{re.escape(key)}')\s*[=.]"
            )
            for index in range(start, end):
                if pattern.match(lines[index]):
                    return _element_line(lines, index, end, rest[1:]) or index + 1
        return found or 1

    def headers(self) -> list[tuple[int, Where]]:
        """(line, path) of every table header, array-of-tables headers with the index of
        their element."""
        if self._headers is not None:
            return self._headers
        result: list[tuple[int, Where]] = []
        arrays: dict[tuple[str, ...], int] = {}
        for number, raw in enumerate(self.lines, 1):
            stripped = raw.strip()
            if not stripped.startswith("[") or stripped.endswith(","):
                continue  # not a header (an element of a multi-line array ends in ',')
            names = _header_names(stripped)
            if not names:
                continue
            path: list[str | int] = []
            for i, name in enumerate(names):
                path.append(name)
                if i < len(names) - 1 and names[: i + 1] in arrays:
                    path.append(arrays[names[: i + 1]])
            if stripped.startswith("[["):
                arrays[names] = arrays.get(names, -1) + 1
                path.append(arrays[names])
                for inner in [
                    k for k in arrays if len(k) > len(names) and k[: len(names)] == names
                ]:
                    del arrays[inner]
            result.append((number, tuple(path)))
        self._headers = result
        return result

    # --- parsing --------------------------------------------------------------------

    def parse(self, check_depth: bool = True) -> dict[str, Any] | None:
        """The document, or None (collecting) when it is not valid TOML or nests deeper
        than MAX_DEPTH. A caller that checks the type of every value it models may pass
        ``check_depth=False`` and call ``check_depth`` on the values it keeps unread."""
        try:
            data = tomllib.loads(self.text)
        except tomllib.TOMLDecodeError as exc:
            line, message = toml_problem(exc)
            self.fail(line, message)
            return None
        except RecursionError:
            self.fail(_deep_line(self.text), f"nested more than {MAX_DEPTH} levels deep")
            return None
        if check_depth and not self.check_depth(data, ()):
            return None
        if _may_hold_cr(self.text):
            data = _line_feeds(data)
        return data

    def check_depth(self, value: Any, where: Where) -> bool:
        """Whether ``value`` (found at ``where``) nests at most MAX_DEPTH levels from the
        top of the document; a deeper one is a problem."""
        deep = _too_deep(value, len(where))
        if deep is None:
            return True
        self.problem((*where, *deep), f"nested more than {MAX_DEPTH} levels deep")
        return False

    # --- typed values ---------------------------------------------------------------

    def value(
        self,
        table: dict[str, Any],
        key: str,
        kind: type[T] | tuple[type, ...],
        default: Any,
        where: Where,
        needle: str | None = None,
    ) -> Any:
        """``table[key]`` if it has type ``kind``; ``default`` when absent or wrong (a
        wrong one is a problem)."""
        if key not in table:
            return default
        value = table[key]
        if _is(value, kind):
            return value
        self.problem((*where, key), f"'{key}' must be {_kind_name(kind)}", needle)
        return default

    def table(self, table: dict[str, Any], key: str, where: Where) -> dict[str, Any]:
        """A sub-table (empty when absent)."""
        result: dict[str, Any] = self.value(table, key, dict, {}, where)
        return result

    def strings(
        self, table: dict[str, Any], key: str, where: Where, needle: str | None = None
    ) -> tuple[str, ...]:
        """A list of strings (empty when absent)."""
        value = table.get(key, [])
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return tuple(value)
        self.problem((*where, key), f"'{key}' must be a list of strings", needle)
        return ()

    def enum(
        self, kind: type[E], table: dict[str, Any], key: str, default: E, where: Where, what: str
    ) -> E:
        """A string naming one member of ``kind``."""
        if key not in table:
            return default
        value = table[key]
        try:
            return kind(value)
        except (ValueError, TypeError):
            self.problem((*where, key), f"unknown {what} {reprlib.repr(value)}")
            return default

    def moment(self, table: dict[str, Any], key: str, where: Where) -> datetime | None:
        """A date and time; one without an offset is taken as UTC."""
        value = self.value(table, key, datetime, None, where)
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value  # type: ignore[no-any-return]

    def day(self, table: dict[str, Any], key: str, where: Where) -> date | None:
        """A date (a date and time gives its date; one with an offset, its date in UTC,
        the calendar expiries and due dates are read in: the same moment written with
        two offsets is the same day)."""
        value = self.value(table, key, date, None, where)
        if isinstance(value, datetime):
            return (value.astimezone(UTC) if value.tzinfo is not None else value).date()
        return value  # type: ignore[no-any-return]

    def each(
        self, table: dict[str, Any], where: Where, read: Callable[[str, Any, Where], T]
    ) -> dict[str, T]:
        """``read(key, value, where)`` for every entry of a table."""
        return {key: read(key, value, (*where, key)) for key, value in table.items()}


def _element_line(lines: list[str], index: int, end: int, rest: Where) -> int:
    """The line of element ``rest[0]`` of an array that opens at the end of line
    ``index`` with one element per line (as srm-tui writes its results), else 0."""
    if not rest or not isinstance(rest[0], int) or not lines[index].rstrip().endswith("["):
        return 0
    candidate = index + 1 + rest[0]
    if candidate < end and lines[candidate].lstrip().startswith(("[", "{", '"')):
        return candidate + 1
    return 0


def _is(value: Any, kind: type | tuple[type, ...]) -> bool:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if isinstance(value, bool) and bool not in kinds:
        return False  # True is an int to Python, not to a reader of the file
    if isinstance(value, datetime) and datetime not in kinds and date in kinds:
        return True
    return isinstance(value, kinds)


def _kind_name(kind: type | tuple[type, ...]) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return " or ".join(_KINDS.get(k, k.__name__) for k in kinds)


def _header_names(line: str) -> tuple[str, ...]:
    """The key names of a table header line (``[a."b.c"]`` gives ``("a", "b.c")``)."""
    try:
        node: Any = tomllib.loads(line)
    except tomllib.TOMLDecodeError:
        return ()
    names = []
    while isinstance(node, dict) and len(node) == 1:
        name, node = next(iter(node.items()))
        names.append(name)
        if isinstance(node, list):
            node = node[-1] if node else None
    return tuple(names)


def _too_deep(data: Any, start: int = 0) -> Where | None:
    """The path (below ``data``, itself ``start`` levels deep) of the first value nested
    deeper than MAX_DEPTH, found without recursion."""
    stack: list[tuple[Any, Where]] = [(data, ())]
    while stack:
        value, where = stack.pop()
        if start + len(where) > MAX_DEPTH:
            return where
        if isinstance(value, dict):
            stack.extend((v, (*where, k)) for k, v in value.items() if isinstance(v, dict | list))
        elif isinstance(value, list):
            stack.extend(
                (v, (*where, i)) for i, v in enumerate(value) if isinstance(v, dict | list)
            )
    return None


def _deep_line(text: str) -> int:
    """The line where brackets outside strings first nest deeper than MAX_DEPTH (for a
    document too deep for the parser itself)."""
    depth = 0
    quote = ""
    line = 1
    index = 0
    while index < len(text):
        char = text[index]
        if char == "\n":
            line += 1
        if quote:
            if char == "\\" and quote == '"':
                index += 1
            elif text.startswith(quote, index):
                index += len(quote) - 1
                quote = ""
        elif char in "\"'":
            triple = text[index : index + 3]
            quote = triple if triple in ('"""', "'''") else char
            index += len(quote) - 1
        elif char == "#":
            end = text.find("\n", index)
            index = (end if end >= 0 else len(text)) - 1
        elif char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return line
        elif char in "]}":
            depth = max(0, depth - 1)
        index += 1
    return 1


def _may_hold_cr(text: str) -> bool:
    """Whether a value of ``text`` may hold a carriage return (raw or escaped)."""
    lowered = text.lower()
    return "\r" in text or "\\r" in text or "\\u000d" in lowered or "\\u0000000d" in lowered


def _line_feeds(value: Any) -> Any:
    """``value`` with every CRLF in its strings read as LF. Saving writes a string with a
    line break as a multi-line string, where TOML reads CRLF as LF: read otherwise, a
    pasted Windows note would not read back the same once saved."""
    if isinstance(value, str):
        return value.replace("\r\n", "\n")
    if isinstance(value, dict):
        return {k: _line_feeds(v) for k, v in value.items()}  # keys are written escaped
    if isinstance(value, list):
        return [_line_feeds(v) for v in value]
    return value
