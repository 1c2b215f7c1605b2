"""Making untrusted text (user notes, AWS resource names) safe inside Markdown.

Nothing from outside may open a heading, a list, a table or raw HTML, split a table
cell, or become a link: a web address in such text is shown as code, which no
Markdown renderer turns into a link (GitHub links bare addresses in plain text).
Only ``linked`` makes real links, and only to AWS's documentation.
"""

from __future__ import annotations

import re

from srm_tui.sanitize import clean

__all__ = ["block", "cell", "clean", "code", "inline", "linked", "plural", "table"]

_INLINE = re.compile(r"([\\`*_\[\]<>#|~!&{}()])")
# What could open a list, a quote or a setext underline at the start of a line. An
# ordered-list marker is defused by escaping its dot ("2\\."), since a digit cannot
# be escaped in CommonMark.
_LINE_START = re.compile(r"^(\s*)(\d*)([-+=>.:)])")
# A web address as a renderer might link it by itself: any scheme followed by "://",
# "www.", or a mailto:/xmpp: address; it runs to the next space or angle bracket.
_URL = re.compile(r"(?:[a-z][a-z0-9+.-]*://|www\.|(?:mailto|xmpp):)[^\s<>]*", re.IGNORECASE)
# Punctuation that ends a sentence rather than the address (as GitHub decides).
_TRAILING = "?!.,:;*_~'\""
# The only addresses made into links: AWS's own documentation, over HTTPS, with
# nothing that could end an autolink early or split a table cell.
_LINKABLE = re.compile(
    r"https://(?:docs\.aws\.amazon\.com|aws\.amazon\.com)(?:[/?#][^\s<>`|\\\"'\[\]()]*)?"
)


def _urls(flat: str) -> list[tuple[int, int]]:
    """Where the web addresses are in one line of text."""
    spans = []
    for match in _URL.finditer(flat):
        start, end = match.span()
        while end > start and (
            flat[end - 1] in _TRAILING
            or (flat[end - 1] == ")" and flat.count("(", start, end) < flat.count(")", start, end))
        ):
            end -= 1
        if end > start:
            spans.append((start, end))
    return spans


def _literal(flat: str, links: bool = False) -> str:
    """Escaped text, its web addresses shown as code (or as links, with ``links``,
    when they lead to AWS's documentation)."""
    if "://" not in flat:  # most text holds no address: the cheapest test first
        lowered = flat.lower()
        if "www." not in lowered and "mailto:" not in lowered and "xmpp:" not in lowered:
            return _INLINE.sub(r"\\\1", flat)
    spans = _urls(flat)
    if not spans:
        return _INLINE.sub(r"\\\1", flat)
    parts = []
    done = 0
    for start, end in spans:
        parts.append(_INLINE.sub(r"\\\1", flat[done:start]))
        url = flat[start:end]
        parts.append(f"<{url}>" if links and _LINKABLE.fullmatch(url) else code(url))
        done = end
    parts.append(_INLINE.sub(r"\\\1", flat[done:]))
    return "".join(parts)


def _line(text: str) -> str:
    """``text`` with whatever would open a block at the start of a line defused."""
    # Matching first is cheaper than substituting, and almost no text needs it.
    return _LINE_START.sub(_defuse, text) if _LINE_START.match(text) else text


def inline(text: str) -> str:
    """One line of literal text, safe in a table cell, a heading or a list item."""
    return _line(_literal(" ".join(clean(text).split())))


def linked(text: str) -> str:
    """Like ``inline``, but links to AWS's documentation stay real links (the
    remediation of a check, the improvement a questionnaire suggests)."""
    return _line(_literal(" ".join(clean(text).split()), links=True))


def cell(text: str) -> str:
    """One line of literal text for a table cell, where nothing opens a block, so a
    leading "2.1" needs no escape."""
    return _literal(" ".join(clean(text).split()))


def _defuse(match: re.Match[str]) -> str:
    space, digits, mark = match.groups()
    if digits and mark not in ".)":
        return match.group(0)
    return f"{space}{digits}\\{mark}"


def block(text: str, prefix: str = "> ") -> str:
    """Several lines of literal text (e.g. notes) as a quoted block; nothing in it can
    open a heading, a table or raw HTML, and no address in it becomes a link."""
    lines = []
    for raw in clean(text).strip().splitlines():
        line = raw.strip()
        lines.append(prefix + _line(_literal(line)) if line else prefix.rstrip())
    return "\n".join(lines)


def code(text: str) -> str:
    """Literal text as inline code, whatever backticks it holds."""
    flat = " ".join(clean(text).split())
    fence = "`"
    while fence in flat:
        fence += "`"
    pad = " " if flat.startswith("`") or flat.endswith("`") else ""
    return f"{fence}{pad}{flat}{pad}{fence}" if flat else ""


# A pipe splits a table cell unless a backslash stands right before it, even inside
# code (GitHub and markdown-it agree); the backslash is then dropped from the cell.
_BARE_PIPE = re.compile(r"(?<!\\)\|")


def table(header: list[str], rows: list[list[str]]) -> str:
    """A Markdown table; cells must already be made safe with ``cell`` or ``inline``.
    A pipe left in a cell (inside code, say) is escaped, so no cell is ever split."""

    def safe(text: str) -> str:
        return _BARE_PIPE.sub(r"\\|", text) if "|" in text else text

    lines = [
        "| " + " | ".join(safe(h) for h in header) + " |",
        "|" + "|".join("---" for _ in header) + "|",
    ]
    lines += ["| " + " | ".join(safe(c) or " " for c in row) + " |" for row in rows]
    return "\n".join(lines)


def plural(count: int, word: str, many: str = "") -> str:
    """``1 check``, ``2 checks`` (or the given plural)."""
    return f"{count} {word if count == 1 else (many or word + 's')}"
