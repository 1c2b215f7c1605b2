"""All findings in a table with filters, and the selected one in detail; a failing
finding can be accepted as a known risk from here (``a``)."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Vertical, VerticalScroll
from textual.widgets import DataTable, Input, Select, Static
from textual.worker import Worker, WorkerState

from srm_tui import acceptances, finding_filter
from srm_tui.acceptances import EXPIRED, OUT_OF_POLICY
from srm_tui.errors import SrmError
from srm_tui.finding_filter import Filter, Row
from srm_tui.model import Assessment
from srm_tui.tui.host import HostOf
from srm_tui.tui.screens.trust import AcceptChoice, AcceptDialog
from srm_tui.tui.text import clean, plain

#: Rows put in the table at most; a narrower filter shows the rest. Keeps the table
#: quick to fill even for 20,000 findings.
MAX_SHOWN = 1000
STATUS_STYLE = {
    "fail": ("FAIL", "bold red"),
    "error": ("ERROR", "yellow"),
    "pass": ("pass", "green"),
    "not_applicable": ("n/a", "dim"),
}
#: A failure accepted as a known risk (in force) in the status column.
ACCEPTED_STYLE = ("ACC", "cyan")
SEVERITY_STYLE = {
    "critical": "bold magenta",
    "high": "bold red",
    "medium": "yellow",
    "low": "cyan",
    "info": "dim",
}
FILTERS = (
    ("status", "Status"),
    ("severity", "Severity"),
    ("service", "Service"),
    ("region", "Region"),
    ("responsibility", "Owner"),
    ("framework", "Framework"),
)


class FindingsPane(Vertical):
    """Findings of the last scan: filter, browse, read why and how to fix."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "search", "Search", id="search"),
        Binding("c", "clear_filters", "Clear filters", id="clear_filters"),
        Binding("a", "accept_risk", "Accept risk", id="accept_risk"),
    ]
    HELP_TITLE = "Findings tab"
    HELP = (
        "Every result of the last scan, failures first. Filter by status, "
        "severity, service, region, owner and framework, or search text; the "
        "pane below explains the highlighted finding and how to fix it. *a* accepts a "
        "failing finding as a known risk (reason, owner, expiry): it stays failed, shown "
        "as ACC, and counts as accepted until the acceptance expires."
    )

    srm = HostOf()

    def __init__(self) -> None:
        super().__init__(id="findings")
        self.all_rows: list[Row] = []
        self.shown: list[Row] = []
        self._version = -1
        # Set from a matrix cell: only its checks' failures, until filters are cleared.
        self.only_checks: frozenset[str] = frozenset()
        self.only_title = ""
        self._wide = False  # the columns' widths were set for 120 columns or more
        # The finding highlighted when the rows were built again (after an acceptance,
        # a scan): the cursor goes back to it rather than to the top of the list.
        self._keep: tuple[str, str, str] | None = None
        # While the rows are built again, the table still shows the old ones (or none).
        self._reading = False

    @on(Worker.StateChanged)
    def _worker_state(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR:
            self._reading = False  # said in the error dialog; no notice waits for it
        self.srm.worker_state_changed(event)

    def compose(self) -> ComposeResult:
        with Grid(id="finding-filters"):
            yield Input(placeholder="/ search text", id="f-text", compact=True)
            for field, label in FILTERS:
                yield Select[str]([], prompt=f"{label}: any", id=f"f-{field}", compact=True)
        yield Static("", id="findings-count")
        table: DataTable[str | Text] = DataTable(
            id="findings-table", cursor_type="row", zebra_stripes=True
        )
        yield table
        with VerticalScroll(id="finding-detail-scroll"):
            yield Static("", id="finding-detail")

    def on_mount(self) -> None:
        self._add_columns()
        self.reload()

    def _add_columns(self) -> None:
        table = self.query_one("#findings-table", DataTable)
        self._wide = wide = self.app.size.width >= 120
        table.add_column("Status", key="status", width=6)
        table.add_column("Severity", key="severity", width=8)
        table.add_column("Check", key="check", width=44 if wide else 24)
        table.add_column("Region", key="region", width=14 if wide else 10)
        table.add_column("Resource", key="resource")

    def on_resize(self) -> None:
        # The widths were fixed when the tab was first drawn: a terminal widened
        # afterwards kept the check titles cut at 24 characters.
        if (self.app.size.width >= 120) == self._wide:
            return
        table = self.query_one("#findings-table", DataTable)
        row = table.cursor_row
        table.clear(columns=True)
        self._add_columns()
        self.apply()
        if 0 < row < table.row_count:
            table.move_cursor(row=row)

    def reload(self) -> None:
        """Build the rows again from the assessment (after opening or a scan)."""
        session = self.srm.session
        if session is None:
            return
        self._version = session.version
        row = self.query_one("#findings-table", DataTable).cursor_row
        if 0 <= row < min(len(self.shown), MAX_SHOWN):
            kept = self.shown[row]
            self._keep = (kept.check, kept.region, kept.resource)
        self._reading = True
        self.query_one("#findings-count", Static).update("Reading the findings…")
        self._build_rows(session.assessment)

    @work(thread=True, exclusive=True, exit_on_error=False, group="findings")
    def _build_rows(self, assessment: Assessment) -> None:
        # Sorting 20,000 findings takes a fifth of a second: not on the UI thread.
        rows = finding_filter.rows(assessment)
        self.app.call_from_thread(self._rows_ready, rows)

    def _rows_ready(self, rows: list[Row]) -> None:
        self._reading = False
        self.all_rows = rows
        for field, label in FILTERS:
            select = self.query_one(f"#f-{field}", Select)
            values = finding_filter.values(self.all_rows, field)
            current = select.value
            with select.prevent(Select.Changed):
                # A Select reads a plain string as markup; regions and names are AWS's.
                select.set_options([(plain(f"{label}: {v}"), v) for v in values])
                if current in values:
                    select.value = current
        self.apply()
        keep, self._keep = self._keep, None
        where = [(r.check, r.region, r.resource) for r in self.shown[:MAX_SHOWN]]
        if keep in where:
            self.query_one("#findings-table", DataTable).move_cursor(row=where.index(keep))

    def current_filter(self) -> Filter:
        values = {}
        for field, _ in FILTERS:
            value = self.query_one(f"#f-{field}", Select).value
            values[field] = "" if value is Select.NULL else str(value)
        return Filter(
            text=self.query_one("#f-text", Input).value, checks=self.only_checks, **values
        )

    def apply(self) -> None:
        """Show the rows that pass the filters (at most MAX_SHOWN)."""
        self.shown = finding_filter.apply(self.all_rows, self.current_filter())
        table = self.query_one("#findings-table", DataTable)
        table.clear()
        table.add_rows(
            (
                plain(
                    *(ACCEPTED_STYLE if r.accepted else STATUS_STYLE.get(r.status, (r.status, "")))
                ),
                plain(r.severity, style=SEVERITY_STYLE.get(r.severity, "")),
                # Text, not str: a DataTable parses str cells as markup, and names
                # come from AWS.
                plain(r.title),
                plain(r.region),
                plain(r.resource),
            )
            for r in self.shown[:MAX_SHOWN]
        )
        total = len(self.all_rows)
        count = self.query_one("#findings-count", Static)
        if not total:
            count.update("No findings yet: run a scan (ctrl+r) to check the account.")
        elif len(self.shown) > MAX_SHOWN:
            count.update(
                f"{len(self.shown):,} of {total:,} match; first {MAX_SHOWN:,} listed: "
                "narrow the filters for the rest."
            )
        else:
            count.update(f"{len(self.shown):,} of {total:,} findings match.")
        if self.only_checks:
            count.update(
                plain(f"{len(self.shown):,} findings of the cell {self.only_title} (c clears).")
            )
        self._show_detail(0)

    def show_checks(self, checks: frozenset[str], title: str) -> None:
        """Show only the failures of ``checks`` (a matrix cell's), until c clears it."""
        self.only_checks, self.only_title = checks, title
        status = self.query_one("#f-status", Select)
        with status.prevent(Select.Changed):
            if "fail" in finding_filter.values(self.all_rows, "status"):
                status.value = "fail"
        self.apply()
        self.query_one("#findings-table", DataTable).focus()

    @on(DataTable.RowSelected, "#findings-table")
    def _selected(self, event: DataTable.RowSelected) -> None:
        """Enter on a finding: all of it, and the questions it bears on."""
        event.stop()
        if event.cursor_row >= len(self.shown):
            return
        from srm_tui.tui.messages import JumpTo
        from srm_tui.tui.screens.finding import FindingScreen

        row = self.shown[event.cursor_row]
        session = self.srm.session
        record = session.assessment.checks.get(row.check) if session else None
        questions = finding_filter.citing(self.srm.sections, row.check)

        def opened(question_id: str | None) -> None:
            if question_id:
                self.post_message(JumpTo(question_id=question_id))

        self.app.push_screen(
            FindingScreen(row, dict(record.frameworks) if record else {}, questions), opened
        )

    @on(Input.Changed, "#f-text")
    @on(Select.Changed)
    def _filter_changed(self, event: Input.Changed | Select.Changed) -> None:
        event.stop()
        self.apply()

    @on(Input.Submitted, "#f-text")
    def _search_done(self) -> None:
        self.query_one("#findings-table", DataTable).focus()

    @on(DataTable.RowHighlighted, "#findings-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self._show_detail(event.cursor_row)

    def _show_detail(self, index: int) -> None:
        detail = self.query_one("#finding-detail", Static)
        if not self.shown or index >= len(self.shown):
            detail.update("")
            return
        r = self.shown[index]
        label, style = STATUS_STYLE.get(r.status, (r.status, ""))
        text = Text()
        text.append(clean(f" {label} "), style=f"{style} reverse")
        if r.exception is not None:
            badge = {EXPIRED: " ACCEPTANCE EXPIRED ", OUT_OF_POLICY: " ACCEPTANCE OUT OF POLICY "}
            text.append(badge.get(r.exception.state, " ACCEPTED "), style="cyan reverse")
        text.append(clean(f" {r.title}"), style="bold")
        text.append(
            clean(f"  ({r.check}, {r.severity}, owner: {r.responsibility or '?'})\n"), style="dim"
        )
        text.append("Resource: ", style="bold")
        text.append(clean(f"{r.resource}  ({r.region})\n"))
        if r.detail:
            text.append("Why: " if r.status == "fail" else "Detail: ", style="bold")
            text.append(clean(f"{r.detail}\n"))
        if r.exception is not None:
            a = r.exception.acceptance
            state = "expired on" if r.exception.expired else "until"
            text.append("Accepted risk: ", style="bold")
            if r.exception.flaw is not None:  # it covers nothing: say why first
                text.append(clean(f"out of policy ({r.exception.flaw}), "))
            text.append(clean(f"{a.id} {state} {a.expires.isoformat()}, owner {a.owner or '?'}"))
            if a.approved_by:
                text.append(clean(f", approved by {a.approved_by}"))
            text.append(clean(f": {a.reason}") + "\n")
        if r.remediation and r.status in ("fail", "error"):
            text.append("Fix: ", style="bold")
            text.append(clean(r.remediation) + "\n")
        text.append("Enter: the whole finding, its framework ids and questions.", style="dim")
        detail.update(text)

    def filter_to(self, **values: str) -> None:
        """Show only the findings with these values (``status="fail"``, ...); the other
        filters are cleared. A value no finding has leaves that filter at "any"."""
        for field, _ in FILTERS:
            select = self.query_one(f"#f-{field}", Select)
            with select.prevent(Select.Changed):
                wanted = values.get(field, "")
                if wanted and wanted in finding_filter.values(self.all_rows, field):
                    select.value = wanted
                else:
                    select.clear()
        with self.query_one("#f-text", Input).prevent(Input.Changed):
            self.query_one("#f-text", Input).value = ""
        self.apply()

    def action_accept_risk(self) -> None:
        """Accept the highlighted failing finding as a known risk (a dialog asks for
        the resource pattern, reason, owner and expiry)."""
        session = self.srm.session
        if session is not None and self._reading:
            # Said, not ignored: a silent key looks broken.
            self.app.notify(
                "The findings are still being read; press a again in a moment.",
                title="Not ready",
            )
            return
        table = self.query_one("#findings-table", DataTable)
        if session is None or not self.shown or table.cursor_row >= len(self.shown):
            return
        row = self.shown[table.cursor_row]
        if row.status != "fail":
            self.app.notify("Only a failing finding can be accepted.", title="Not failing")
            return
        if session.handle.read_only:
            self.srm.show_error(session.handle.reason, title="Read-only")
            return
        self.app.push_screen(
            AcceptDialog(
                row.title,
                row.resource,
                apply=lambda choice: self._accept(row, choice),
                max_days=session.assessment.max_acceptance_days,
            ),
            lambda made: self.reload() if made is not None else None,
        )

    def _accept(self, row: Row, choice: AcceptChoice) -> str:
        """Record the acceptance and save; the sentence of a refusal otherwise."""
        session = self.srm.session
        if session is None:
            return "No assessment is open."
        try:
            acceptances.accept(
                session.assessment,
                row.check,
                reason=choice.reason,
                owner=choice.owner,
                expires=choice.expires,
                resource=choice.resource,
                approved_by=choice.approved_by,
            )
        except SrmError as exc:
            return str(exc)
        session.version += 1
        self.srm.save()
        return ""

    def action_search(self) -> None:
        self.query_one("#f-text", Input).focus()

    def action_clear_filters(self) -> None:
        self.only_checks, self.only_title = frozenset(), ""
        for field, _ in FILTERS:
            select = self.query_one(f"#f-{field}", Select)
            with select.prevent(Select.Changed):
                select.clear()
        with self.query_one("#f-text", Input).prevent(Input.Changed):
            self.query_one("#f-text", Input).value = ""
        self.apply()
