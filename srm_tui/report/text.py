"""Making untrusted text (user notes, AWS resource names) safe inside Markdown."""

from __future__ import annotations

import re

from srm_tui.sanitize import clean

__all__ = ["block", "cell", "clean", "code", "inline", "plural", "table"]

_INLINE = re.compile(r"([\\`*_\[\]<>#|~!&{}()])")
# What could open a list, a quote or a setext underline at the start of a line. An
# ordered-list marker is defused by escaping its dot ("2\\."), since a digit cannot
# be escaped in CommonMark.
_LINE_START = re.compile(r"^(\s*)(\d*)([-+=>.:)])")


def inline(text: str) -> str:
    """One line of literal text, safe in a table cell, a heading or a list item."""
    flat = " ".join(clean(text).split())
    escaped = _INLINE.sub(r"\\\1", flat)
    return _LINE_START.sub(_defuse, escaped)


def cell(text: str) -> str:
    """One line of literal text for a table cell, where nothing opens a block, so a
    leading "2.1" needs no escape."""
    return _INLINE.sub(r"\\\1", " ".join(clean(text).split()))


def _defuse(match: re.Match[str]) -> str:
    space, digits, mark = match.groups()
    if digits and mark not in ".)":
        return match.group(0)
    return f"{space}{digits}\\{mark}"


def block(text: str, prefix: str = "> ") -> str:
    """Several lines of literal text (e.g. notes) as a quoted block; nothing in it can
    open a heading, a table or raw HTML."""
    lines = []
    for raw in clean(text).strip().splitlines():
        line = raw.strip()
        lines.append(
            prefix + _LINE_START.sub(_defuse, _INLINE.sub(r"\\\1", line))
            if line
            else prefix.rstrip()
        )
    return "\n".join(lines)


def code(text: str) -> str:
    """Literal text as inline code, whatever backticks it holds."""
    flat = " ".join(clean(text).split())
    fence = "`"
    while fence in flat:
        fence += "`"
    pad = " " if flat.startswith("`") or flat.endswith("`") else ""
    return f"{fence}{pad}{flat}{pad}{fence}" if flat else ""


def table(header: list[str], rows: list[list[str]]) -> str:
    """A Markdown table; cells must already be made safe with ``inline``."""
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(cell or " " for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def plural(count: int, word: str, many: str = "") -> str:
    """``1 check``, ``2 checks`` (or the given plural)."""
    return f"{count} {word if count == 1 else (many or word + 's')}"
