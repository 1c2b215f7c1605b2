"""The Organization tab of an organization review: every account with its state and
counts, filtered by text (id or name) and OU; the highlighted account's findings below
it (read from that account's own file, one account at a time); and the organization
scan run from here, each account's row updated live as it starts and finishes."""

from __future__ import annotations

import threading
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Input, Select, Static
from textual.worker import Worker, WorkerState, get_current_worker

from srm_tui.errors import SrmError
from srm_tui.model import Assessment, Finding, OrgAccount, Severity, Status
from srm_tui.organization import files
from srm_tui.tui.host import HostOf
from srm_tui.tui.messages import AssessmentChanged
from srm_tui.tui.text import clean, demo_gone, plain

SEVERITIES = tuple(s for s in Severity if s is not Severity.INFO)
STATE_STYLE = {"done": "green", "failed": "bold red", "pending": "yellow", "skipped": "dim"}
STATUS_ORDER = {Status.FAIL: 0, Status.ERROR: 1, Status.PASS: 2, Status.NOT_APPLICABLE: 3}
#: Findings of one account listed at most (failures and errors come first).
MAX_SHOWN = 500


def account_matches(account: OrgAccount, text: str, ou: str) -> bool:
    """Whether ``account`` passes the filters: ``text`` in its id, name or OU path
    (any case), and ``ou`` (an OU id) anywhere above it."""
    if ou and ou not in account.ou_path and ou != account.ou_id:
        return False
    needle = text.strip().lower()
    haystack = f"{account.account_id} {account.name} {account.ou_label}".lower()
    return not needle or needle in haystack


def ou_choices(assessment: Assessment) -> list[tuple[str, str]]:
    """Every OU the accounts sit in (and those above), labelled by path."""
    org = assessment.organization
    found: dict[str, str] = {}
    for account in org.accounts.values() if org is not None else ():
        for depth, ou in enumerate(account.ou_path, 1):
            found.setdefault(ou, "/".join(account.ou_names[:depth]) or ou)
    return sorted(((clean(label), ou) for ou, label in found.items()), key=lambda c: c[0])


class OrganizationPane(Vertical):
    """The accounts of the organization review, one account's findings, and its scan."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "scan_organization", "Scan organization", id="org_scan"),
        Binding("escape", "cancel_scan", "Cancel scan", show=False, id="org_cancel"),
    ]
    HELP_TITLE = "Organization tab (organization reviews)"
    HELP = (
        "Every account of the organization: its state, when it was last scanned and "
        "its failures by severity. Filter by text (id, name, OU) or by OU; the findings "
        "of the highlighted account are listed below. 's' scans the organization (an "
        "interrupted round continues; member roles that need an external id ask for it, "
        "and it is never kept); Escape stops it, keeping every finished account."
    )

    DEFAULT_CSS = """
    OrganizationPane #org-filters { height: 1; }
    OrganizationPane #org-text { width: 1fr; }
    OrganizationPane #org-ou { width: 40; }
    OrganizationPane #org-accounts { height: 1fr; }
    OrganizationPane #org-findings { height: 1fr; }
    OrganizationPane #org-account-title { margin-top: 1; }
    """

    srm = HostOf()

    def __init__(self) -> None:
        super().__init__(id="org-pane")
        self.shown: list[str] = []  # account ids in table order
        self.running: set[str] = set()
        self._cancel: threading.Event | None = None
        self._loaded = ""

    def compose(self) -> ComposeResult:
        with Horizontal(id="org-filters"):
            yield Input(placeholder="account id, name or OU", id="org-text", compact=True)
            yield Select[str]([], prompt="OU: any", id="org-ou", compact=True)
        yield Static("", id="org-status")
        accounts: DataTable[str | Text] = DataTable(
            id="org-accounts", cursor_type="row", zebra_stripes=True
        )
        # The counts come before the OU path and the date, so that they stay in view on
        # an 80-column terminal.
        accounts.add_columns("Account", "Name", "State")
        accounts.add_columns(*(s.label for s in SEVERITIES), "Error", "OU", "Last scan")
        yield accounts
        yield Static("", id="org-account-title")
        found: DataTable[str | Text] = DataTable(id="org-findings", cursor_type="row")
        found.add_columns("Status", "Severity", "Check", "Region", "Resource")
        yield found

    def on_mount(self) -> None:
        self.reload()

    @on(Worker.StateChanged)
    def _worker_state(self, event: Worker.StateChanged) -> None:
        self.srm.worker_state_changed(event)
        if event.worker.group == "org-scan" and event.state is WorkerState.ERROR:
            # Shown as an error by the app; the tab is ready for another scan.
            self._scan_ended("")

    # --- the accounts --------------------------------------------------------------------

    def reload(self) -> None:
        """Refill the OU filter and the accounts table from the open assessment."""
        session = self.srm.session
        if session is None or session.assessment.organization is None:
            return
        select = self.query_one("#org-ou", Select)
        choices = ou_choices(session.assessment)
        if [value for _, value in choices] != [v for _, v in getattr(self, "_ous", [])]:
            self._ous = choices
            keep = select.value
            select.set_options(choices)
            if keep in {v for _, v in choices}:
                select.value = keep
        self._fill()

    def _fill(self) -> None:
        session = self.srm.session
        if session is None or session.assessment.organization is None:
            return
        org = session.assessment.organization
        text = self.query_one("#org-text", Input).value
        ou_value = self.query_one("#org-ou", Select).value
        ou = ou_value if isinstance(ou_value, str) else ""
        table = self.query_one("#org-accounts", DataTable)
        cursor = self.shown[table.cursor_row] if 0 <= table.cursor_row < len(self.shown) else ""
        table.clear()
        self.shown = []
        for account_id in sorted(org.accounts):
            account = org.accounts[account_id]
            if not account_matches(account, text, ou):
                continue
            self.shown.append(account_id)
            table.add_row(*self._cells(account), key=account_id)
        if cursor in self.shown:
            table.move_cursor(row=self.shown.index(cursor))
        done = sum(1 for a in org.accounts.values() if a.state.value == "done")
        self.query_one("#org-status", Static).update(
            plain(
                f"Organization {org.id}: {len(self.shown)} of {len(org.accounts)} accounts "
                f"shown, {done} scanned; round {org.round} "
                f"{'complete' if org.round_finished else 'under way'}."
            )
        )
        if self.shown and not self._loaded:
            self._show_account(self.shown[min(max(table.cursor_row, 0), len(self.shown) - 1)])

    def _cells(self, account: OrgAccount) -> list[str | Text]:
        state = "scanning" if account.account_id in self.running else account.state.value
        when = account.scanned.strftime("%Y-%m-%d %H:%M") if account.scanned else "never"
        return [
            account.account_id,
            plain(account.name),
            Text(state, style=STATE_STYLE.get(state, "bold yellow")),
            *(str(account.failures.get(s.value, 0)) for s in SEVERITIES),
            str(account.findings.get(Status.ERROR.value, 0)),
            plain(account.ou_label),
            when,
        ]

    @on(Input.Changed, "#org-text")
    @on(Select.Changed, "#org-ou")
    def _filters_changed(self) -> None:
        self._fill()

    @on(DataTable.RowHighlighted, "#org-accounts")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key.value and event.row_key.value != self._loaded:
            self._show_account(event.row_key.value)

    # --- one account's findings ------------------------------------------------------------

    def _show_account(self, account_id: str) -> None:
        self._loaded = account_id
        self._load_findings(account_id)

    # exit_on_error=False: an unexpected failure is an error dialog (_worker_state),
    # never the end of the wizard.
    @work(thread=True, exclusive=True, exit_on_error=False, group="org-findings")
    def _load_findings(self, account_id: str) -> None:
        session = self.srm.session
        if session is None or session.assessment.organization is None:
            return
        account = session.assessment.organization.accounts.get(account_id)
        try:
            found = files.load_account(session.path, account_id)
        except SrmError as exc:
            self.app.call_from_thread(self._findings_shown, account_id, None, "", str(exc))
            return
        if not get_current_worker().is_cancelled:
            name = account.name if account is not None else ""
            self.app.call_from_thread(self._findings_shown, account_id, found, name)

    def _findings_shown(
        self, account_id: str, found: Assessment | None, note: str, error: str = ""
    ) -> None:
        table = self.query_one("#org-findings", DataTable)
        table.clear()
        title = self.query_one("#org-account-title", Static)
        if found is None:
            title.update(plain(f"{account_id}: {error or 'not scanned yet'}"))
            return

        def worst_first(f: Finding) -> tuple[int, int, str, str, str]:
            # As on the Findings tab: failures first, the most severe of them on top.
            record = found.checks.get(f.check)
            rank = record.severity.rank if record is not None else 0
            return (STATUS_ORDER[f.status], -rank, f.check, f.region, f.resource)

        ordered = sorted(found.findings, key=worst_first)
        for finding in ordered[:MAX_SHOWN]:
            record = found.checks.get(finding.check)
            severity = record.severity.label if record is not None else ""
            table.add_row(
                finding.status.label,
                severity,
                plain(record.title if record is not None else finding.check),
                plain(finding.region),
                plain(finding.resource),
            )
        failing = sum(1 for f in found.findings if f.status is Status.FAIL)
        more = f", the first {MAX_SHOWN} listed" if len(ordered) > MAX_SHOWN else ""
        title.update(
            plain(
                f"Findings of {account_id} {note}: {len(found.findings)} findings, "
                f"{failing} failing{more}."
            )
        )

    # --- the organization scan ---------------------------------------------------------------

    def action_scan_organization(self) -> None:
        session = self.srm.session
        if session is None or session.assessment.organization is None:
            return
        if self._cancel is not None:
            self.app.notify("The organization is being scanned already.")
            return
        if session.read_only:
            self.srm.show_error(session.reason, title="Read-only")
            return
        if session.assessment.scope.demo and self.srm.demo is None:
            self.srm.show_error(
                demo_gone(session.path, "the demo organization"), title="Not scanned"
            )
            return
        org = session.assessment.organization
        if org.external_id:
            # The id is never kept: it is asked for each scan. A scan without it would
            # fail every member and forget that one is needed.
            from srm_tui.tui.screens.external_id import ExternalIdDialog

            def chosen(external_id: str | None) -> None:
                if external_id and self._cancel is None:
                    self._cancel = threading.Event()
                    self._scan(self._cancel, external_id)

            self.app.push_screen(ExternalIdDialog(org.role_name or "the member role"), chosen)
            return
        self._cancel = threading.Event()
        self._scan(self._cancel)

    def action_cancel_scan(self) -> None:
        if self._cancel is not None:
            self._cancel.set()
            self.query_one("#org-status", Static).update("Stopping after the running calls…")

    @work(thread=True, exclusive=True, exit_on_error=False, group="org-scan")
    def _scan(self, cancel: threading.Event, external_id: str = "") -> None:
        from srm_tui.aws.session import Cancelled
        from srm_tui.organization.runner import OrgScanOptions, scan_organization

        session = self.srm.session
        assert session is not None and session.assessment.organization is not None
        org = session.assessment.organization
        try:
            options = OrgScanOptions(
                scan=session.scope_options(),
                role_name=org.role_name or OrgScanOptions.role_name,
                external_id=external_id,
            )
            outcome = scan_organization(
                session.handle,
                options,
                lambda event: self.app.call_from_thread(self._progress, event),
                cancel,
            )
            summary = (
                f"{len(outcome.scanned)} accounts scanned, {len(outcome.failed)} could not "
                f"be scanned{', cancelled' if outcome.cancelled else ''}."
            )
            self.app.call_from_thread(self._scan_ended, summary)
        except Cancelled:
            # Stopped while the organization was still being listed: no account was
            # touched, and that is no failure to report.
            self.app.call_from_thread(
                self._scan_ended, "Scan cancelled before any account was scanned."
            )
        except SrmError as exc:
            self.app.call_from_thread(self._scan_ended, "")
            self.app.call_from_thread(self.srm.show_error, str(exc))

    def _progress(self, event) -> None:  # an OrgProgress
        if event.kind == "account_started":
            self.running.add(event.account_id)
        elif event.kind == "account_done":
            self.running.discard(event.account_id)
        if event.kind in ("account_started", "account_done", "listed", "round"):
            self.reload()
        if event.total:
            running = ", ".join(sorted(self.running)[:4])
            self.query_one("#org-status", Static).update(
                plain(
                    f"Scanning: {event.done} of {event.total} accounts done, {event.failed} "
                    f"could not be scanned" + (f"; now {running}" if running else "")
                )
            )

    def _scan_ended(self, summary: str) -> None:
        self._cancel = None
        self.running.clear()
        self._loaded = ""
        self.reload()
        if summary:
            # A toast reads a string (as markup unless told not to), never a Text.
            self.app.notify(summary, markup=False)
        self.screen.post_message(AssessmentChanged())
