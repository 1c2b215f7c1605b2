"""The report preview (Markdown with a table of contents) and its export formats."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import MarkdownViewer, Static
from textual.worker import Worker

from srm_tui.model import Assessment, Section

if TYPE_CHECKING:
    from srm_tui.tui.app import SrmApp

SUFFIX = {"markdown": ".md", "html": ".html", "json": ".json", "csv": ".csv"}


def formats() -> tuple[str, ...]:
    """The export formats this installation offers, Markdown first."""
    from srm_tui.report.render import FORMATS

    return FORMATS


def render_report(
    assessment: Assessment, sections: Sequence[Section], fmt: str, path: Path | None
) -> str:
    """The report in ``fmt``; ``path`` (the assessment's file) adds its milestones."""
    from srm_tui.report.render import report

    return report(assessment, sections, fmt, path=path)


class ReportPane(Vertical):
    """The Markdown report, rendered in a worker and shown with its contents."""

    def __init__(self) -> None:
        super().__init__(id="report")
        self._version = -1

    @property
    def srm(self) -> SrmApp:
        return self.app  # type: ignore[return-value]

    @on(Worker.StateChanged)
    def _worker_state(self, event: Worker.StateChanged) -> None:
        self.srm.worker_state_changed(event)

    def compose(self) -> ComposeResult:
        yield Static(
            "The report as it stands now. x exports it (Markdown or another format) to "
            "a file; t shows or hides the contents.",
            id="report-intro",
        )
        yield MarkdownViewer("", show_table_of_contents=True, id="report-view")

    def on_mount(self) -> None:
        # On a narrow terminal the contents would squeeze the report: start hidden.
        self.query_one("#report-view", MarkdownViewer).show_table_of_contents = (
            self.app.size.width >= 120
        )

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
        self.app.call_from_thread(self._show, text)

    async def _show(self, text: str) -> None:
        viewer = self.query_one("#report-view", MarkdownViewer)
        await viewer.document.update(text)
