"""The workspace of an open assessment: dashboard, review, findings, responsibility,
report."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Static, TabbedContent, TabPane

from srm_tui import review
from srm_tui.errors import SrmError
from srm_tui.files import write_output
from srm_tui.model import Question
from srm_tui.report import formats as report_formats
from srm_tui.tui.host import HostOf
from srm_tui.tui.messages import AssessmentChanged, JumpTo, ShowFindings
from srm_tui.tui.screens.dialogs import PathChoice, PathDialog
from srm_tui.tui.screens.override import OverrideChoice, OverrideDialog
from srm_tui.tui.text import clean, plain
from srm_tui.tui.widgets.dashboard import DashboardPane, ShowReport, ShowSection, ShowSeverity
from srm_tui.tui.widgets.findings import FindingsPane
from srm_tui.tui.widgets.footer import KeyFooter
from srm_tui.tui.widgets.matrix import MatrixPane
from srm_tui.tui.widgets.organization import OrganizationPane
from srm_tui.tui.widgets.report import ReportPane, formats, render_report
from srm_tui.tui.widgets.review import ReviewPane
from srm_tui.tui.widgets.topbar import TopBar

TABS = ("dashboard", "review", "findings", "matrix", "report", "organization")


class WorkspaceScreen(Screen[None]):
    """Four tabs over the open assessment."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # The tabs' own labels say their keys ("1 Review"): in the footer they pushed
        # Export, Milestones, Quit and Help off an 80-column terminal.
        Binding("0", "show_tab('dashboard')", "Dashboard", show=False, id="tab_dashboard"),
        Binding("1", "show_tab('review')", "Review", show=False, id="tab_review"),
        Binding("2", "show_tab('findings')", "Findings", show=False, id="tab_findings"),
        Binding("3", "show_tab('matrix')", "Responsibility", show=False, id="tab_matrix"),
        Binding("4", "show_tab('report')", "Report", show=False, id="tab_report"),
        Binding("5", "show_tab('organization')", "Organization", show=False, id="tab_organization"),
        Binding("o", "override", "Answer for an account/OU", id="override"),
        Binding("ctrl+r", "rescan", "Rescan", id="rescan"),
        Binding("x", "export", "Export", id="export"),
        Binding("m", "milestones", "Milestones", id="milestones"),
        Binding("t", "toggle_toc", "Contents", show=False, id="toc"),
    ]
    HELP_TITLE = "Assessment tabs"
    HELP = (
        "Dashboard: where the assessment stands, each line a way into the view that "
        "shows it. Review: answer the questions section by section (left: sections with how many "
        "are answered and the worst risk; right: the question). Findings: every result "
        "of the automatic checks, with filters. Responsibility: who secures which layer "
        "of each service you use, coloured by your part's state. Report: the report as "
        "it stands, ready to export."
    )

    #: The panes of the tabs, in tab order (the help describes them in this order).
    PANES = (DashboardPane, ReviewPane, FindingsPane, MatrixPane, ReportPane)

    _refocus = False

    srm = HostOf()

    def compose(self) -> ComposeResult:
        yield TopBar("Assessment")
        session = self.srm.session
        if session is not None and session.read_only:
            # Said at once and kept in view: nothing done here changes the file.
            yield Static(
                plain(f"READ-ONLY: {session.reason} Reading and exporting only."),
                id="read-only-banner",
            )
        with TabbedContent(id="tabs", initial="review"):
            with TabPane("0 Dashboard", id="dashboard"):
                yield DashboardPane()
            with TabPane("1 Review", id="review"):
                yield ReviewPane()
            with TabPane("2 Findings", id="findings"):
                yield FindingsPane()
            with TabPane("3 Responsibility", id="matrix"):
                yield MatrixPane()
            with TabPane("4 Report", id="report"):
                yield ReportPane()
            if self._organization():
                with TabPane("5 Organization", id="organization"):
                    yield OrganizationPane()
        yield KeyFooter()

    def on_screen_resume(self) -> None:
        # A scan may have rebuilt the question the keyboard was on: put it back on
        # the active tab's main widget.
        self.call_after_refresh(self._restore_focus)

    def _restore_focus(self) -> None:
        focused = self.focused
        if self._refocus or focused is None or not focused.is_attached:
            self._refocus = False
            self.show_tab(self.query_one(TabbedContent).active or "review")

    def _organization(self) -> bool:
        session = self.srm.session
        return session is not None and session.assessment.organization is not None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "toggle_toc":
            return self.query_one(TabbedContent).active == "report"
        if action == "override":
            return self._organization() and self.query_one(TabbedContent).active == "review"
        if action == "show_tab" and parameters == ("organization",):
            return self._organization()
        return True

    def action_show_tab(self, tab: str) -> None:
        self.show_tab(tab)

    def show_tab(self, tab: str) -> None:
        """Switch to a tab and put the keyboard in it."""
        self.query_one(TabbedContent).active = tab
        self._refresh_tab(tab)
        self._focus_tab(tab)

    def _focus_tab(self, tab: str) -> None:
        if tab == "dashboard":
            self.query_one(DashboardPane).focus_first()
        elif tab == "review":
            self.query_one(ReviewPane).focus_choices()
        elif tab == "findings":
            self.query_one("#findings-table").focus()
        elif tab == "matrix":
            self.query_one("#matrix-table").focus()
        elif tab == "report":
            self.query_one("#report-toc").focus()
        elif tab == "organization":
            self.query_one("#org-accounts").focus()

    @on(TabbedContent.TabActivated)
    def _tab_activated(self, event: TabbedContent.TabActivated) -> None:
        if event.pane.id:
            self._refresh_tab(event.pane.id)
            focused = self.focused
            if focused is None or event.pane not in focused.ancestors:
                self._focus_tab(event.pane.id)
        self.refresh_bindings()

    def _refresh_tab(self, tab: str) -> None:
        session = self.srm.session
        if session is None:
            return
        # Findings only change with a scan (see on_assessment_changed); the matrix
        # summary and the report also follow the answers.
        if tab == "dashboard":
            self.query_one(DashboardPane).reload()
        elif tab == "matrix":
            self.query_one(MatrixPane).reload()
        elif tab == "report":
            self.query_one(ReportPane).reload()

    async def on_assessment_changed(self, event: AssessmentChanged) -> None:
        """A scan changed findings and scope: rebuild the views that show them."""
        await self.query_one(ReviewPane).rebuild()
        self._refocus = True  # the widget that had the keyboard may be gone
        self.query_one(FindingsPane).reload()
        self.query_one(MatrixPane).reload()
        self.query_one(DashboardPane).reload()
        if self.query_one(TabbedContent).active == "report":
            self.query_one(ReportPane).reload()
        for pane in self.query(OrganizationPane):
            pane.reload()
        self.srm.refresh_bars()

    async def on_jump_to(self, event: JumpTo) -> None:
        """A finding's question was picked: open it in the review."""
        event.stop()
        await self.jump(event.section_id, event.question_id)
        self.query_one(ReviewPane).focus_choices()

    def on_show_findings(self, event: ShowFindings) -> None:
        """A matrix cell was picked: its failing findings, in Findings."""
        event.stop()
        self.query_one(TabbedContent).active = "findings"
        self.query_one(FindingsPane).show_checks(event.checks, event.title)

    @on(ShowSeverity)
    def _show_severity(self, event: ShowSeverity) -> None:
        self.show_tab("findings")
        status = "fail" if event.failing else ""
        self.query_one(FindingsPane).filter_to(status=status, severity=event.severity)

    @on(ShowSection)
    async def _show_section(self, event: ShowSection) -> None:
        await self.jump(event.section, "")

    @on(ShowReport)
    def _show_report(self) -> None:
        self.show_tab("report")

    async def jump(self, section_id: str, question_id: str) -> None:
        """Show a section or a question in the review tab."""
        self.query_one(TabbedContent).active = "review"
        await self.query_one(ReviewPane).jump(section_id, question_id)

    def action_override(self) -> None:
        """The question on screen answered differently for one account or OU."""
        session = self.srm.session
        pane = self.query_one(ReviewPane)
        if session is None or not pane.questions:
            return
        question = pane.questions[pane.current]
        self.app.push_screen(
            OverrideDialog(session.assessment, question),
            lambda choice: self._override(question, choice),
        )

    def _override(self, question: Question, choice: OverrideChoice | None) -> None:
        session = self.srm.session
        if choice is None or session is None:
            return
        try:
            session.refuse_if_read_only()
            if choice.clear:
                review.clear_override(session.assessment, question.id, choice.target)
            else:
                review.set_override(
                    session.assessment,
                    question,
                    choice.target,
                    selected=choice.selected,
                    applicable=choice.applicable,
                )
        except SrmError as exc:
            self.srm.show_error(str(exc))
            return
        if self.srm.save():
            what = "uses the organization's answer" if choice.clear else "has its own answer"
            self.notify(clean(f"{choice.target} {what} to this question."))

    def action_rescan(self) -> None:
        self.srm.ask_rescan()

    def scan_organization(self) -> None:
        """Scan the organization, on its tab (an organization review's rescan)."""
        self.show_tab("organization")
        self.query_one(OrganizationPane).action_scan_organization()

    def action_milestones(self) -> None:
        """Take, list and compare milestones."""
        from srm_tui.tui.screens.milestones import MilestonesScreen

        self.srm.flush_save()
        self.app.push_screen(MilestonesScreen())

    def action_toggle_toc(self) -> None:
        self.query_one(ReportPane).toggle_list()

    def action_export(self) -> None:
        session = self.srm.session
        if session is None:
            return
        available = formats()
        self.srm.flush_save()
        first = report_formats.get(available[0])
        default = session.path.with_name(session.path.stem + "-report" + first.suffix)
        self.app.push_screen(
            PathDialog(
                "Export the report",
                default=str(default),
                formats=tuple(available),
                hint="Where to write it; an existing file of that name is replaced.",
                action="Export",
                redact_option=True,
                suffixes=tuple(dict.fromkeys(report_formats.get(f).suffix for f in available)),
            ),
            self._export,
        )

    def _export(self, result: PathChoice | None) -> None:
        session = self.srm.session
        if result is None or session is None:
            return
        path, fmt, redact = result
        chosen = report_formats.get(fmt or formats()[0])
        if path.suffix == "":
            path = report_formats.with_suffix(path, chosen)
        try:
            text = render_report(
                session.assessment, self.srm.sections, chosen.name, session.path, redact
            )
            # The command line's writer: atomic, 0600, never over an assessment.
            write_output(path, text.encode("utf-8"), sources=(session.path,))
        except SrmError as exc:
            self.srm.show_error(str(exc))
            return
        self.app.notify(clean(f"Wrote {path}"), title="Report exported", markup=False)
        self.last_export = path
