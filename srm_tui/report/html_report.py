"""The HTML report: the Markdown report rendered into one self-contained, printable page.

No script, no external stylesheet, font or image: the page opens the same offline, in
a mail attachment or on paper. Raw HTML is disabled in the renderer, so nothing in
user or AWS text can become markup.
"""

from __future__ import annotations

import html

from markdown_it import MarkdownIt

from srm_tui.report import markdown, overview
from srm_tui.report.inputs import ReportInput
from srm_tui.report.text import clean

STYLE = """
:root { color-scheme: light; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: #1b1f24; max-width: 78rem; margin: 2rem auto; padding: 0 1.5rem; }
h1 { font-size: 1.9rem; border-bottom: 3px solid #232f3e; padding-bottom: .3rem; }
h2 { font-size: 1.45rem; border-bottom: 1px solid #d0d7de; padding-bottom: .2rem;
  margin-top: 2.2rem; }
h3 { font-size: 1.2rem; margin-top: 1.6rem; }
h4 { font-size: 1.02rem; margin-bottom: .3rem; }
table { border-collapse: collapse; margin: .8rem 0; font-size: .9rem; }
th, td { border: 1px solid #d0d7de; padding: .25rem .55rem; text-align: left;
  vertical-align: top; overflow-wrap: anywhere; }
li { overflow-wrap: anywhere; }
th { background: #f3f5f7; }
tbody tr:nth-child(even) { background: #fafbfc; }
code { font: .88em ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
  background: #f3f5f7; padding: 0 .25em; border-radius: 3px; }
blockquote { margin: .5rem 0; padding: .2rem .9rem; border-left: 4px solid #d0d7de;
  color: #424a53; }
strong { color: #8a1c1c; }
a { color: #0b5cad; }
header.cover { margin-bottom: 1.5rem; }
dl.facts { display: flex; flex-wrap: wrap; gap: .3rem 1.6rem; margin: .6rem 0; }
dl.facts div { display: flex; gap: .4rem; }
dl.facts dt { color: #57606a; }
dl.facts dd { margin: 0; font-weight: 600; overflow-wrap: anywhere; }
ul.tiles { display: flex; flex-wrap: wrap; gap: .8rem; list-style: none; padding: 0;
  margin: 1rem 0 0; }
ul.tiles li { border: 1px solid #d0d7de; border-radius: 6px; padding: .5rem .9rem;
  min-width: 9rem; }
ul.tiles .number { display: block; font-size: 1.7rem; font-weight: 700; }
ul.tiles .more { display: block; color: #57606a; font-size: .85rem; }
p.note { font-weight: 600; }
section.overview { display: grid; gap: 1rem 1.6rem;
  grid-template-columns: repeat(auto-fit, minmax(min(100%, 33rem), 1fr)); }
section.overview > h2 { grid-column: 1 / -1; margin-bottom: 0; }
figure.chart-figure { margin: 0; border: 1px solid #d0d7de; border-radius: 6px;
  padding: .8rem; }
figure.chart-figure.wide { grid-column: 1 / -1; }
figure.chart-figure svg { display: block; max-width: 100%; height: auto; }
figure.chart-figure figcaption { font-size: .88rem; color: #424a53; margin: 0 0 .5rem; }
figure.chart-figure figcaption strong { color: #1b1f24; font-size: 1rem; }
figure.chart-figure table { font-size: .8rem; margin: .3rem 0 0; }
figure.chart-figure th, figure.chart-figure td { padding: .1rem .4rem; }
@media print {
  /* The browser's own paper size (A4 or Letter): the content fits the narrower. */
  @page { size: auto; margin: 1.5cm; }
  * { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
  header.cover { break-after: page; padding-top: 5cm; }
  ul.tiles li { break-inside: avoid; }
  section.overview { display: block; }
  figure.chart-figure { break-inside: avoid; margin-bottom: .8rem; }
  tr, img, svg { break-inside: avoid; }
  body { font-size: 10.5pt; max-width: none; margin: 0; padding: 0; color: #000; }
  table { font-size: 8.5pt; }
  h2 { break-before: page; }
  h1 + h2 { break-before: avoid; }
  h2, h3, h4 { break-after: avoid; }
  table, blockquote, li { break-inside: avoid; }
  thead { display: table-header-group; }
  a { color: #000; }
  tbody tr:nth-child(even) { background: none; }
}
"""


def renderer() -> MarkdownIt:
    """CommonMark with tables and raw HTML disabled."""
    return MarkdownIt("commonmark", {"html": False}).enable("table")


def from_markdown(text: str, title: str, *, cover: str = "", first: str = "") -> str:
    """Any of srm-tui's Markdown as one self-contained page. ``cover`` goes after the
    first heading, on the cover, and ``first`` after the cover (both HTML made safe by
    their makers)."""
    body = renderer().render(text)
    if (cover or first) and "</h1>\n" in body:
        # The first heading is the title: with what follows it, it is the cover, on a
        # page of its own in print.
        head, rest = body.split("</h1>\n", 1)
        body = f'<header class="cover">\n{head}</h1>\n{cover}</header>\n{first}{rest}'
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(' '.join(clean(title).split()))}</title>\n"
        f"<style>{STYLE}</style>\n</head>\n<body>\n{body}</body>\n</html>\n"
    )


def render(report: ReportInput) -> str:
    """The report as one HTML page: a cover with the review's facts, the overview in
    charts, then the Markdown report's sections. Every link in it is an anchor whose
    text is its address, so a printed copy shows where it leads."""
    text = markdown.render(report, pictures=False)
    title = f"Shared Responsibility review: {report.assessment.name or 'unnamed'}"
    return from_markdown(text, title, cover=overview.cover(report), first=overview.html(report))
