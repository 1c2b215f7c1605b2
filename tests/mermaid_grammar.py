"""A strict reading of the two Mermaid diagrams the reports write, after Mermaid's own
grammar (pie: packages/parser's pie.langium; xychart-beta: the xychart jison grammar):
a block that passes here is one Mermaid 11 parses. Stricter than Mermaid where that is
cheap (labels always quoted, series as long as the axis)."""

from __future__ import annotations

import re

_STRING = r'"[^"\n]*"'
_NUMBER = r"-?\d+(?:\.\d+)?"
_PIE_HEAD = re.compile(r"pie(?: showData)?(?: title [^\n]+)?")
_PIE_SLICE = re.compile(rf"\s*{_STRING}\s*:\s*{_NUMBER}\s*")
_XY_HEAD = re.compile(r"xychart-beta(?: horizontal)?")
_XY_TITLE = re.compile(rf"\s*title {_STRING}\s*")
_XY_X = re.compile(rf"\s*x-axis \[({_STRING}(?:, {_STRING})*)\]\s*")
_XY_Y = re.compile(rf"\s*y-axis {_STRING} ({_NUMBER}) --> ({_NUMBER})\s*")
_XY_SERIES = re.compile(rf"\s*(bar|line) \[({_NUMBER}(?:, {_NUMBER})*)\]\s*")


class MermaidError(ValueError):
    """A block Mermaid would refuse, and the line why."""


def check(block: str) -> str:
    """The diagram type of ``block`` (``pie`` or ``xychart``); MermaidError if it is not
    a valid diagram of one of them."""
    lines = [line for line in block.strip("\n").split("\n") if line.strip()]
    if not lines:
        raise MermaidError("empty block")
    if _PIE_HEAD.fullmatch(lines[0]):
        if len(lines) < 2:
            raise MermaidError("a pie without slices")
        for line in lines[1:]:
            if not _PIE_SLICE.fullmatch(line):
                raise MermaidError(f"not a pie slice: {line!r}")
        return "pie"
    if _XY_HEAD.fullmatch(lines[0]):
        labels = 0
        series = 0
        for line in lines[1:]:
            if _XY_TITLE.fullmatch(line):
                continue
            if match := _XY_X.fullmatch(line):
                labels = len(re.findall(_STRING, match.group(1)))
            elif match := _XY_Y.fullmatch(line):
                if float(match.group(1)) >= float(match.group(2)):
                    raise MermaidError(f"an empty y range: {line!r}")
            elif match := _XY_SERIES.fullmatch(line):
                count = len(match.group(2).split(","))
                if count != labels:
                    raise MermaidError(f"{count} values for {labels} labels: {line!r}")
                series += 1
            else:
                raise MermaidError(f"not an xychart statement: {line!r}")
        if not series:
            raise MermaidError("an xychart without data")
        return "xychart"
    raise MermaidError(f"not a diagram the reports write: {lines[0]!r}")
