"""Making untrusted text (user notes, AWS resource names) safe inside Markdown."""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_INLINE = re.compile(r"([\\`*_\[\]<>#|~!&{}()])")
_LINE_START = re.compile(r"^(\s*)([-+=>.:]|\d+[.)])")


def clean(text: str) -> str:
    """Drop control characters (terminal escapes among them); keep newlines and tabs."""
    return _CONTROL.sub("", text)


def inline(text: str) -> str:
    """One line of literal text, safe in a table cell, a heading or a list item."""
    flat = " ".join(clean(text).split())
    escaped = _INLINE.sub(r"\\\1", flat)
    return _LINE_START.sub(r"\1\\\2", escaped)


def block(text: str, prefix: str = "> ") -> str:
    """Several lines of literal text (e.g. notes) as a quoted block; nothing in it can
    open a heading, a table or raw HTML."""
    lines = []
    for raw in clean(text).strip().splitlines():
        line = raw.strip()
        lines.append(
            prefix + _LINE_START.sub(r"\1\\\2", _INLINE.sub(r"\\\1", line))
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
