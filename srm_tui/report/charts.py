"""Charts drawn from plain numbers and words: inline SVG for the HTML report, Mermaid for
the Markdown report. Nothing here knows about assessments or findings.

The SVG is static (no script, no link, nothing fetched) and prints in black and white:
every series has a fill pattern besides its colour, every value that fits is written
on the chart, and every chart carries its own title and description for screen readers.
All text is escaped here, so labels may come from anywhere.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass

from srm_tui.sanitize import clean

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"
#: Width of one character of the 12px labels, roughly, for laying text out.
CHAR = 6.6
INK = "#1b1f24"


@dataclass(frozen=True, slots=True)
class Series:
    """One kind of value in a chart: its name in the legend, its colour, and the
    pattern that tells it apart on paper (``solid``, ``blank``, ``cross``,
    ``diagonal``, ``dots``, ``horizontal``, ``vertical``)."""

    label: str
    colour: str
    pattern: str = "solid"
    #: The colour of text written on it.
    text: str = INK


@dataclass(frozen=True, slots=True)
class Cell:
    """One cell of a grid chart: its text and the series it is drawn as."""

    text: str
    series: Series
    hint: str = ""  # a longer text shown on hover


# --- SVG building blocks -------------------------------------------------------------


def _esc(text: object) -> str:
    # Control characters are not even allowed in XML: they go with the rest of clean's.
    return html.escape(" ".join(clean(str(text)).split()), quote=True)


def _id(chart: str) -> str:
    # Ids are shared by every chart of a page: keep them to safe characters.
    return re.sub(r"[^A-Za-z0-9_-]", "-", chart)


def _short(text: str, width: float) -> str:
    """``text`` cut to fit ``width`` pixels, with an ellipsis when cut."""
    most = max(1, int(width / CHAR))
    return text if len(text) <= most else text[: max(1, most - 1)].rstrip() + "…"


def _pattern_defs(chart: str, series: Sequence[Series]) -> str:
    marks = {
        "cross": "M0 0L6 6M6 0L0 6",
        "diagonal": "M-1 7L7 -1M-1 1L1 -1M5 7L7 5",
        "horizontal": "M0 3H6",
        "vertical": "M3 0V6",
    }
    parts = []
    for number, item in enumerate(series):
        pid = f"{_id(chart)}-p{number}"
        body = f'<rect width="6" height="6" fill="{_esc(item.colour)}"/>'
        if item.pattern in marks:
            body += f'<path d="{marks[item.pattern]}" stroke="#000" stroke-width="1.1"/>'
        elif item.pattern == "dots":
            body += '<circle cx="3" cy="3" r="1.2" fill="#000"/>'
        parts.append(
            f'<pattern id="{pid}" width="6" height="6" patternUnits="userSpaceOnUse">'
            f"{body}</pattern>"
        )
    return "<defs>" + "".join(parts) + "</defs>"


def _fill(chart: str, series: Sequence[Series], item: Series) -> str:
    if item.pattern == "solid":
        return _esc(item.colour)
    if item.pattern == "blank":
        return "#ffffff"
    return f"url(#{_id(chart)}-p{list(series).index(item)})"


def _open(chart: str, width: float, height: float, title: str, description: str) -> str:
    cid = _id(chart)
    return (
        f'<svg class="chart" id="{cid}" role="img" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" width="{width:.0f}" height="{height:.0f}" '
        f'aria-labelledby="{cid}-title {cid}-desc" font-family="{_esc(FONT)}" font-size="12">'
        f'<title id="{cid}-title">{_esc(title)}</title>'
        f'<desc id="{cid}-desc">{_esc(description)}</desc>'
    )


def _text(x: float, y: float, text: str, *, anchor: str = "start", **attrs: str) -> str:
    attrs.setdefault("fill", INK)
    extra = "".join(f' {k.replace("_", "-")}="{_esc(v)}"' for k, v in attrs.items())
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}"{extra}>{_esc(text)}</text>'


def _badge(x: float, y: float, text: str) -> str:
    """A number on a patterned fill: on a white plate so it reads on paper too."""
    width = len(text) * CHAR + 6
    return (
        f'<rect x="{x - width / 2:.1f}" y="{y - 10:.1f}" width="{width:.1f}" height="14" '
        f'rx="3" fill="#ffffff" fill-opacity="0.9"/>' + _text(x, y, text, anchor="middle")
    )


def _legend(chart: str, series: Sequence[Series], x: float, y: float, width: float) -> str:
    """Swatches with their labels, wrapped to ``width``; returns the SVG."""
    parts = []
    cx, cy = x, y
    for item in series:
        span = 18 + len(item.label) * CHAR + 14
        if cx + span > x + width and cx > x:
            cx, cy = x, cy + 18
        parts.append(
            f'<rect x="{cx:.1f}" y="{cy:.1f}" width="13" height="13" '
            f'fill="{_fill(chart, series, item)}" stroke="{INK}" stroke-width=".6"/>'
        )
        parts.append(_text(cx + 18, cy + 11, item.label))
        cx += span
    return "".join(parts)


def _legend_height(series: Sequence[Series], width: float) -> float:
    lines, cx = 1, 0.0
    for item in series:
        span = 18 + len(item.label) * CHAR + 14
        if cx + span > width and cx > 0:
            lines, cx = lines + 1, 0.0
        cx += span
    return lines * 18


# --- charts --------------------------------------------------------------------------


def stacked_bars(
    chart: str,
    title: str,
    description: str,
    categories: Sequence[str],
    series: Sequence[Series],
    values: Sequence[Sequence[int]],
    *,
    width: float = 520,
) -> str:
    """Horizontal bars, one per category, each split into ``series`` (``values[i][j]``
    is category ``i``'s value of series ``j``); the total is written after each bar."""
    label_width = min(190.0, max([len(c) for c in categories] + [4]) * CHAR + 8)
    left, right, bar, gap = label_width + 8, 44.0, 20.0, 8.0
    legend = _legend_height(series, width - 16)
    top = 8 + legend + 8
    height = top + len(categories) * (bar + gap) + 6
    most = max([sum(row) for row in values] + [1])
    scale = (width - left - right) / most
    parts = [_open(chart, width, height, title, description), _pattern_defs(chart, series)]
    parts.append(_legend(chart, series, 8, 8, width - 16))
    for row, (category, numbers) in enumerate(zip(categories, values, strict=True)):
        y = top + row * (bar + gap)
        parts.append(_text(left - 8, y + bar / 2 + 4, _short(category, label_width), anchor="end"))
        x = left
        for item, value in zip(series, numbers, strict=True):
            if value <= 0:
                continue
            span = value * scale
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{span:.1f}" height="{bar:.0f}" '
                f'fill="{_fill(chart, series, item)}" stroke="{INK}" stroke-width=".6">'
                f"<title>{_esc(f'{category}: {value} {item.label.lower()}')}</title></rect>"
            )
            if span >= len(str(value)) * CHAR + 8:
                parts.append(_badge(x + span / 2, y + bar / 2 + 4, str(value)))
            x += span
        parts.append(_text(x + 5, y + bar / 2 + 4, str(sum(numbers)), font_weight="bold"))
    parts.append(
        f'<line x1="{left:.1f}" y1="{top - 3:.1f}" x2="{left:.1f}" y2="{height - 4:.1f}" '
        f'stroke="{INK}" stroke-width="1"/>'
    )
    parts.append("</svg>")
    return "".join(parts)


def grid(
    chart: str,
    title: str,
    description: str,
    rows: Sequence[str],
    columns: Sequence[str],
    cells: Sequence[Sequence[Cell]],
    legend: Sequence[Series],
    *,
    cell_width: float = 0,
) -> str:
    """A table of coloured cells (rows down, columns across), each with its text:
    the responsibility matrix, a heat map. Cells are as wide as the longest word of
    a column heading needs (``cell_width`` fixes it)."""
    if not cell_width:
        # Room for the longest heading word, and for the longest text on its plate.
        words = [len(w) * CHAR + 10 for c in columns for w in c.split()]
        words += [len(c.text) * CHAR + 20 for r in cells for c in r]
        cell_width = min(130.0, max([*words, 64.0]))
    label_width = min(260.0, max([len(r) for r in rows] + [4]) * CHAR + 8)
    headings = [_wrapped(c, cell_width - 14, 3) for c in columns]  # bold runs wider
    head = 8 + 13 * max([len(h) for h in headings] + [1])
    cell_height = 22.0
    width = label_width + 8 + len(columns) * cell_width + 8
    width = max(width, 320.0)
    legend_height = _legend_height(legend, width - 16)
    top = 8 + legend_height + 6 + head
    height = top + len(rows) * cell_height + 8
    parts = [_open(chart, width, height, title, description), _pattern_defs(chart, legend)]
    parts.append(_legend(chart, legend, 8, 8, width - 16))
    left = label_width + 8
    for number, words in enumerate(headings):
        x = left + number * cell_width + cell_width / 2
        for line, word in enumerate(words):
            y = top - 6 - (len(words) - 1 - line) * 13
            parts.append(_text(x, y, word, anchor="middle", font_weight="bold"))
    for number, (row, line) in enumerate(zip(rows, cells, strict=True)):
        y = top + number * cell_height
        parts.append(_text(left - 8, y + 15, _short(row, label_width), anchor="end"))
        for col, cell in enumerate(line):
            x = left + col * cell_width
            hint = f"<title>{_esc(cell.hint)}</title>" if cell.hint else ""
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{cell_width:.1f}" '
                f'height="{cell_height:.0f}" fill="{_fill(chart, legend, cell.series)}" '
                f'stroke="#ffffff" stroke-width="2">{hint}</rect>'
            )
            if cell.text:
                if cell.series.pattern in ("solid", "blank"):
                    parts.append(
                        _text(
                            x + cell_width / 2,
                            y + 15,
                            _short(cell.text, cell_width - 6),
                            anchor="middle",
                            fill=cell.series.text,
                        )
                    )
                else:
                    parts.append(
                        _badge(x + cell_width / 2, y + 15, _short(cell.text, cell_width - 14))
                    )
    parts.append("</svg>")
    return "".join(parts)


def _wrapped(text: str, width: float, most: int) -> list[str]:
    """``text`` on at most ``most`` lines of ``width`` pixels, the last cut to fit. A
    long identifier breaks after its dots and underscores (``ec2.`` ``sg_admin``)."""
    result: list[str] = []
    for word in text.split():
        for number, piece in enumerate(re.findall(r"[^._]*[._]|[^._]+$", word) or [word]):
            joined = result[-1] + ("" if number else " ") + piece if result else piece
            if result and len(joined) * CHAR <= width:
                result[-1] = joined
            else:
                result.append(piece)
    if len(result) > most:
        result = [*result[: most - 1], "".join(result[most - 1 :])]
    return [_short(line, width) for line in result] or [""]


#: One panel of a line chart: its title, its series and their values at each point.
Panel = tuple[str, Sequence[Series], Sequence[Sequence[int]]]


def lines(
    chart: str,
    title: str,
    description: str,
    points: Sequence[str],
    panels: Sequence[Panel],
    *,
    width: float = 520,
) -> str:
    """Lines across ``points``, in panels stacked one above the other, each with its own
    scale (counts of very different sizes stay readable). In a panel, ``values[j][i]``
    is series ``j`` at point ``i``; every point is marked and labelled with its value,
    and lines differ by dash and marker as well as colour."""
    every = [item for _, series, _ in panels for item in series]
    legend = _legend_height(every, width - 16)
    left, right, plot_height, gap = 40.0, 28.0, 110.0, 24.0
    top = 8 + legend + 8
    height = top + len(panels) * (plot_height + gap) + 18
    step = (width - left - right) / max(1, len(points) - 1)
    parts = [_open(chart, width, height, title, description), _pattern_defs(chart, every)]
    parts.append(_legend(chart, every, 8, 8, width - 16))

    def x_of(number: int) -> float:
        return left + number * step if len(points) > 1 else (left + width - right) / 2

    index = 0
    for number, (name, series, values) in enumerate(panels):
        start = top + number * (plot_height + gap)
        upper, bottom = start + 36, start + plot_height
        most = max([v for row in values for v in row] + [1])
        parts.append(_text(8, start + 12, name, font_weight="bold"))
        for tick in (0, most):
            y = bottom - tick / most * (bottom - upper)
            parts.append(
                f'<line x1="{left:.1f}" y1="{y:.1f}" x2="{width - right:.1f}" y2="{y:.1f}" '
                f'stroke="#8c959f" stroke-width=".6" stroke-dasharray="2 2"/>'
            )
            parts.append(_text(left - 6, y + 4, str(tick), anchor="end"))
        for place, (item, row) in enumerate(zip(series, values, strict=True)):
            coords = [(x_of(n), bottom - v / most * (bottom - upper)) for n, v in enumerate(row)]
            dash = _DASHES[index % len(_DASHES)]
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
            parts.append(
                f'<polyline points="{path}" fill="none" stroke="{_esc(item.colour)}" '
                f'stroke-width="2.2"' + (f' stroke-dasharray="{dash}"' if dash else "") + "/>"
            )
            for (x, y), value in zip(coords, row, strict=True):
                parts.append(_marker(_MARKERS[index % len(_MARKERS)], x, y, item.colour))
                offset = -8 if place % 2 == 0 else 16
                parts.append(_text(x, y + offset, str(value), anchor="middle", font_weight="bold"))
            index += 1
        parts.append(
            f'<line x1="{left:.1f}" y1="{bottom:.1f}" x2="{width - right:.1f}" '
            f'y2="{bottom:.1f}" stroke="{INK}" stroke-width="1"/>'
        )
    for number, name in enumerate(points):
        parts.append(
            _text(x_of(number), height - 8, _short(name, max(step - 4, 60)), anchor="middle")
        )
    parts.append("</svg>")
    return "".join(parts)


_DASHES = ("", "6 4", "2 3", "10 3 2 3")
_MARKERS = ("circle", "square", "diamond", "triangle")


def _marker(kind: str, x: float, y: float, colour: str) -> str:
    style = f'fill="{_esc(colour)}" stroke="{INK}" stroke-width=".8"'
    if kind == "square":
        return f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" {style}/>'
    if kind == "diamond":
        return f'<path d="M{x:.1f} {y - 5:.1f}l5 5l-5 5l-5 -5z" {style}/>'
    if kind == "triangle":
        return f'<path d="M{x:.1f} {y - 5:.1f}l5 9h-10z" {style}/>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" {style}/>'


# --- the text alternative ------------------------------------------------------------


def html_table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A plain HTML table of the numbers a chart shows."""
    head = "".join(f'<th scope="col">{_esc(h)}</th>' for h in header)
    body = "".join(
        "<tr>"
        + "".join(
            f'<th scope="row">{_esc(v)}</th>' if i == 0 else f"<td>{_esc(v)}</td>"
            for i, v in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def figure(chart: str, title: str, svg: str, caption: str, table: str) -> str:
    """A chart under its title and caption, followed by the table it summarises: the
    text alternative."""
    return (
        f'<figure class="chart-figure" id="{_id(chart)}-figure">'
        f"<figcaption><strong>{_esc(title)}</strong> {_esc(caption)}</figcaption>"
        f"{svg}{table}</figure>"
    )


# --- Mermaid -------------------------------------------------------------------------

# What may stand in a Mermaid label: quotes, brackets, semicolons, hashes and the like
# would end it or start another statement.
_MERMAID_UNSAFE = re.compile(r"[^\w .,:/()&+'-]", re.UNICODE)


def mermaid_label(text: str) -> str:
    """``text`` reduced to what a quoted Mermaid label can hold, on one line."""
    flat = _MERMAID_UNSAFE.sub(" ", " ".join(clean(str(text)).split()))
    return " ".join(flat.split())[:60] or "-"


def mermaid_pie(title: str, slices: Sequence[tuple[str, int]]) -> str:
    """A Mermaid pie chart (slices of zero are left out: Mermaid draws no empty slice)."""
    lines_ = ["```mermaid", f"pie showData title {mermaid_label(title)}"]
    lines_ += [
        f'    "{mermaid_label(label)}" : {int(value)}' for label, value in slices if value > 0
    ]
    lines_.append("```")
    return "\n".join(lines_)


def mermaid_xychart(
    title: str,
    x_labels: Sequence[str],
    y_title: str,
    bars: Sequence[int] = (),
    line_series: Sequence[Sequence[int]] = (),
    *,
    horizontal: bool = False,
) -> str:
    """A Mermaid ``xychart-beta``: one bar series and any number of lines over
    ``x_labels``."""
    top = max([*bars, *(v for s in line_series for v in s), 1])
    head = "xychart-beta horizontal" if horizontal else "xychart-beta"
    labels = ", ".join(f'"{mermaid_label(x)}"' for x in x_labels)
    lines_ = [
        "```mermaid",
        head,
        f'    title "{mermaid_label(title)}"',
        f"    x-axis [{labels}]",
        f'    y-axis "{mermaid_label(y_title)}" 0 --> {int(top)}',
    ]
    if bars:
        lines_.append(f"    bar [{', '.join(str(int(v)) for v in bars)}]")
    for series in line_series:
        lines_.append(f"    line [{', '.join(str(int(v)) for v in series)}]")
    lines_.append("```")
    return "\n".join(lines_)
