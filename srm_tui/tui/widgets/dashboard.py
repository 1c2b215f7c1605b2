"""The dashboard: where the assessment stands at a glance. Findings by severity, the
progress of each section, the trend across milestones; each line leads to the view
that shows it in full (the findings of that severity, the section's questions, the
report)."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from srm_tui import posture
from srm_tui.model import Risk
from srm_tui.posture import SectionRow, SeverityRow, TrendPoint
from srm_tui.tui.host import HostOf
from srm_tui.tui.text import clean

#: Width of the bars, in cells.
BAR = 24
#: The most a section's title takes on a line, however wide the terminal.
TITLE_MAX = 64
SEVERITY_STYLE = {
    "critical": "bold magenta",
    "high": "bold red",
    "medium": "yellow",
    "low": "cyan",
    "info": "dim",
}


class ShowSeverity(Message):
    """Show the findings of one severity: only the failing ones when some fail."""

    def __init__(self, severity: str, failing: bool) -> None:
        super().__init__()
        self.severity = severity
        self.failing = failing


class ShowSection(Message):
    """Show the first question of a section."""

    def __init__(self, section: str) -> None:
        super().__init__()
        self.section = section


class ShowReport(Message):
    """Show the report (its milestones are listed there)."""


def bar(parts: Sequence[tuple[int, str, str]], total: int, width: int = BAR) -> Text:
    """A bar of ``width`` cells split in proportion to ``parts`` (count, character,
    style); each non-zero part gets at least one cell, so a single failure shows."""
    text = Text()
    if total <= 0:
        return text.append("·" * width, style="dim")
    cells = [max(1, round(count / total * width)) if count else 0 for count, _, _ in parts]
    while sum(cells) > width:
        cells[cells.index(max(cells))] -= 1
    for (_, char, style), count in zip(parts, cells, strict=True):
        text.append(char * count, style=style)
    return text.append("·" * (width - sum(cells)), style="dim")


def severity_line(row: SeverityRow, most: int) -> Text:
    """``Critical  ██░░░░  3 failing, 10 pass``: failures solid, passes light."""
    text = Text(f"{row.severity.label:<9}", style=SEVERITY_STYLE[row.severity.value])
    text.append_text(
        bar(
            [
                (row.failed, "█", "red"),
                (row.accepted, "▓", "cyan"),
                (row.errors, "▒", "yellow"),
                (row.passed, "░", "green"),
            ],
            most,
        )
    )
    text.append(f" {row.failed} failing", style="bold" if row.failed else "")
    if row.accepted:
        text.append(f", {row.accepted} accepted", style="cyan")
    text.append(f", {row.passed} pass")
    if row.errors:
        text.append(f", {row.errors} could not check", style="yellow")
    return text


def section_line(row: SectionRow, width: int) -> Text:
    """``Incident response  ███▓▓░░··  70%  1 high, 2 medium``."""
    counts = row.counts
    text = Text(" ".join(clean(row.title).split())[:width].ljust(width) + " ")
    text.append_text(
        bar(
            [
                (counts[Risk.HIGH], "█", "red"),
                (counts[Risk.MEDIUM], "▓", "yellow"),
                (counts[Risk.NONE], "▒", "green"),
                (counts[Risk.NOT_APPLICABLE], "░", "dim"),
            ],
            counts.total,
        )
    )
    text.append(f" {counts.percent_answered:>3}% answered")
    if counts[Risk.HIGH]:
        text.append(f", {counts[Risk.HIGH]} high", style="bold red")
    if counts[Risk.MEDIUM]:
        text.append(f", {counts[Risk.MEDIUM]} medium", style="yellow")
    return text


def trend_line(point: TrendPoint, most_failed: int, most_risks: int) -> Text:
    """``q1   ████████····   56 failing  ██··  1 high  1 medium  33% answered``: one
    line per milestone, the bars on the same scale from line to line."""
    text = Text(f"{clean(point.name)[:16]:<16} ", style="bold")
    text.append_text(bar([(point.failed, "█", "red")], most_failed, width=16))
    text.append(f" {point.failed:>5} failing  ", style="red" if point.failed else "")
    text.append_text(
        bar([(point.high, "█", "red"), (point.medium, "▓", "yellow")], most_risks, width=10)
    )
    text.append(f" {point.high:>3} high", style="bold red" if point.high else "")
    text.append(f", {point.medium} medium, {point.answered_percent}% answered")
    return text


class DashboardPane(VerticalScroll):
    """Posture by severity, progress by section, trend across milestones."""

    DEFAULT_CSS = """
    DashboardPane { padding: 0 1; }
    DashboardPane #dash-numbers { height: auto; margin-bottom: 1; }
    DashboardPane .dash-title { text-style: bold; margin-top: 1; }
    DashboardPane OptionList { height: auto; max-height: 14; border: none; padding: 0; }
    DashboardPane OptionList:focus { border: none; background-tint: $foreground 4%; }
    """
    HELP_TITLE = "Dashboard tab"
    HELP = (
        "Where the assessment stands: failing findings by severity, each section's "
        "progress and risks, and the trend across milestones. Enter on a severity shows "
        "its failing findings; on a section, its questions; on a milestone, the report."
    )

    srm = HostOf()

    def __init__(self) -> None:
        super().__init__(id="dashboard")
        self.sections: list[SectionRow] = []
        self.severities: list[SeverityRow] = []
        self.points: list[TrendPoint] = []

    def compose(self) -> ComposeResult:
        yield Static("", id="dash-numbers")
        yield Static("Failing findings by severity", classes="dash-title")
        yield OptionList(id="dash-severity")
        yield Static("Progress by section", classes="dash-title")
        yield OptionList(id="dash-sections")
        yield Static("Across milestones", classes="dash-title")
        yield OptionList(id="dash-trend")

    def on_mount(self) -> None:
        self.reload()

    def reload(self) -> None:
        """Read the numbers again from the open assessment."""
        session = self.srm.session
        if session is None:
            return
        assessment = session.assessment
        sections = self.srm.sections
        self.severities = posture.by_severity(assessment)
        self.sections = posture.by_section(assessment, sections)
        self.points = posture.trend(session.path, assessment, sections)
        self._numbers()
        self._fill_sections()
        most = max([r.total for r in self.severities] + [1])
        self._fill(
            "#dash-severity",
            [
                # A severity without findings leads nowhere.
                Option(severity_line(r, most), id=r.severity.value, disabled=not r.total)
                for r in self.severities
            ]
            if assessment.findings
            else [Option("No findings yet: run a scan (ctrl+r).", id="none", disabled=True)],
        )
        most_failed = max([p.failed for p in self.points] + [1])
        most_risks = max([p.high + p.medium for p in self.points] + [1])
        trend = [
            Option(trend_line(p, most_failed, most_risks), id=f"point-{n}")
            for n, p in enumerate(self.points)
        ]
        if len(self.points) < 2:
            trend.append(
                Option(
                    Text("No milestone yet: m takes one (the Milestones dialog).", style="dim"),
                    id="no-milestone",
                    disabled=True,
                )
            )
        self._fill("#dash-trend", trend)

    def on_resize(self) -> None:
        # The lines are cut to the width: a narrower or wider terminal recuts them.
        if self.srm.session is not None:
            self._numbers()
            self._fill_sections()

    def _room(self, selector: str = "") -> int:
        """The columns a line has in the pane or one of its lists (100 before the
        first layout)."""
        widget = self.query_one(selector) if selector else self
        return widget.scrollable_content_region.width or 100

    def _fill_sections(self) -> None:
        # Titles are shortened before a line would wrap: on 80 columns the risk
        # counts went to a line of their own under the next section's title. A wide
        # terminal shows them whole (they were cut at 32 however wide it was).
        tail = max([len(section_line(r, 0)) for r in self.sections] + [0])
        longest = max([len(r.title) for r in self.sections] + [8])
        width = max(10, min(TITLE_MAX, longest, self._room("#dash-sections") - 1 - tail))
        self._fill(
            "#dash-sections",
            [Option(section_line(r, width), id=r.id) for r in self.sections],
        )

    def _fill(self, selector: str, options: list[Option]) -> None:
        listing = self.query_one(selector, OptionList)
        highlighted = listing.highlighted
        listing.clear_options()
        listing.add_options(options)
        if highlighted is None or highlighted >= len(options) or options[highlighted].disabled:
            # The keyboard starts on the first line that leads somewhere.
            highlighted = next((n for n, o in enumerate(options) if not o.disabled), None)
        listing.highlighted = highlighted

    def _numbers(self) -> None:
        failed = sum(r.failed for r in self.severities)
        serious = sum(r.failed for r in self.severities[:2])
        now = self.points[-1] if self.points else None
        text = Text()
        text.append(f" {failed} ", style="bold white on red" if failed else "bold")
        text.append(f" failing findings ({serious} critical or high)  ")
        if now is not None:
            risks = Text()
            risks.append(f" {now.high} ", style="bold white on red" if now.high else "bold")
            risks.append(f" high, {now.medium} medium risks  ")
            risks.append(f" {now.answered_percent}% ", style="bold reverse")
            risks.append(" answered")
            # Too long for one line: the answers' numbers go whole to the next one,
            # instead of "answered" alone under its percentage.
            if len(text) + len(risks) > self._room():
                text.rstrip()
                text.append("\n")
            text.append_text(risks)
        self.query_one("#dash-numbers", Static).update(text)

    def focus_first(self) -> None:
        """Put the keyboard on the first list."""
        self.query_one("#dash-severity", OptionList).focus()

    @on(OptionList.OptionSelected, "#dash-severity")
    def _severity(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        row = next((r for r in self.severities if r.severity.value == event.option.id), None)
        if row is not None:
            self.post_message(ShowSeverity(row.severity.value, row.failed > 0))

    @on(OptionList.OptionSelected, "#dash-sections")
    def _section(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(ShowSection(event.option.id))

    @on(OptionList.OptionSelected, "#dash-trend")
    def _trend(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(ShowReport())
