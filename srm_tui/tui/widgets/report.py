"""The report preview (Markdown with a table of contents) and its export formats."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import partial
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker

from srm_tui.model import Assessment, Section
from srm_tui.tui.host import HostOf
from srm_tui.tui.text import plain
from srm_tui.tui.widgets.document import Document


def formats() -> tuple[str, ...]:
    """The export formats this installation offers, Markdown first."""
    from srm_tui.report.formats import names

    return names()


def render_report(
    assessment: Assessment,
    sections: Sequence[Section],
    fmt: str,
    path: Path | None,
    redact: bool = False,
) -> str:
    """The report in ``fmt``; ``path`` (the assessment's file) adds its milestones;
    ``redact`` masks the account id."""
    from srm_tui.report.formats import report

    return report(assessment, sections, fmt, path=path, redact=redact)


HEADING = re.compile(r"^(#{1,3}) (.+)$", re.MULTILINE)
#: A chart's Mermaid source: drawn by a Markdown viewer that knows Mermaid, shown as
#: raw code ("pie showData title ...") in a terminal; each chart's table follows it.
MERMAID = re.compile(r"^```mermaid\n.*?^```[ \t]*\n?", re.MULTILINE | re.DOTALL)


def split_report(text: str) -> list[tuple[int, str, str]]:
    """(level, title, Markdown) for every heading down to level 3: the text from the
    heading to the next one. A part is small enough to draw at once; the whole report
    of a real account is too big for the Markdown widget (tens of seconds)."""
    found = list(HEADING.finditer(text))
    parts = []
    for i, match in enumerate(found):
        end = found[i + 1].start() if i + 1 < len(found) else len(text)
        parts.append((len(match.group(1)), match.group(2).strip(), text[match.start() : end]))
    return parts


def part_text(parts: Sequence[tuple[int, str, str]], index: int, limit: int = 20_000) -> str:
    """What the preview shows for a part: its own text, and when it is a heading alone
    (the Overview, whose charts are its sub-parts) its sub-parts too, as long as they
    stay small enough to draw at once; never a chart's Mermaid source (its table
    says the same)."""
    level, _, text = parts[index]
    if text.partition("\n")[2].strip():
        return MERMAID.sub("", text)
    for deeper, _, more in parts[index + 1 :]:
        if deeper <= level or len(text) + len(more) > limit:
            break
        text += more
    return MERMAID.sub("", text)


class ReportPane(Vertical):
    """The Markdown report, rendered in a worker; its parts listed on the left, the
    chosen part shown on the right."""

    HELP_TITLE = "Report tab"
    HELP = (
        "The report as it stands, one part at a time: pick a part in the list "
        "(above the report, or on its left on a wide terminal). `x` exports the whole report (Markdown, or the other formats "
        "offered) to a file you name; `t` hides or shows the list."
    )

    srm = HostOf()

    def __init__(self) -> None:
        super().__init__(id="report")
        self._version = -1
        self.parts: list[tuple[int, str, str]] = []
        self._pending: object = None

    @on(Worker.StateChanged)
    def _worker_state(self, event: Worker.StateChanged) -> None:
        self.srm.worker_state_changed(event)

    def compose(self) -> ComposeResult:
        yield Static(
            "The report as it stands now, part by part (pick one in the list). x exports "
            "the whole report (Markdown or another format); t hides or shows the list.",
            id="report-intro",
        )
        with Horizontal(id="report-body"):
            yield OptionList(id="report-toc")
            yield Document("Preparing the report…", id="report-view")

    def reload(self) -> None:
        session = self.srm.session
        if session is None or session.version == self._version:
            return
        self._version = session.version
        self._render_report(session.assessment, self.srm.sections, session.path)

    @work(thread=True, exclusive=True, exit_on_error=False, group="report")
    def _render_report(
        self, assessment: Assessment, sections: Sequence[Section], path: Path
    ) -> None:
        text = render_report(assessment, sections, "markdown", path)
        self.app.call_from_thread(self._show, split_report(text))

    async def _show(self, parts: list[tuple[int, str, str]]) -> None:
        toc = self.query_one("#report-toc", OptionList)
        keep = toc.highlighted
        self.parts = parts
        toc.clear_options()
        toc.add_options(
            # Headings hold the assessment's name and section titles: never markup.
            Option(plain(("  " * (level - 2) if level > 1 else "") + title))
            for level, title, _ in parts
        )
        first = next((i for i, (level, _, _) in enumerate(parts) if level == 2), 0)
        toc.highlighted = keep if keep is not None and keep < len(parts) else first
        await self._show_part(toc.highlighted or 0)

    @on(OptionList.OptionHighlighted, "#report-toc")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        # Wait for the cursor to rest before drawing a part.
        if self._pending is not None:
            self._pending.stop()  # type: ignore[attr-defined]
        index = event.option_index
        self._pending = self.set_timer(0.25, partial(self._show_part, index))

    async def _show_part(self, index: int) -> None:
        if not self.parts or index >= len(self.parts):
            return
        viewer = self.query_one("#report-view", Document)
        await viewer.document.update(part_text(self.parts, index))
        viewer.scroll_home(animate=False)

    def toggle_list(self) -> None:
        """Show or hide the list of parts."""
        toc = self.query_one("#report-toc", OptionList)
        toc.display = not toc.display
