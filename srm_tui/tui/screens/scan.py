"""The scan screen: live progress of the automatic checks, cancellable with Escape."""

from __future__ import annotations

import threading
import time
from collections import Counter
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, DataTable, ProgressBar, Static
from textual.worker import Worker, WorkerState

from srm_tui.errors import SrmError
from srm_tui.model import Assessment, Status
from srm_tui.tui.host import HostOf
from srm_tui.tui.messages import AssessmentChanged, ScanEnded
from srm_tui.tui.text import clean, demo_gone, plain
from srm_tui.tui.tracker import ScanTracker
from srm_tui.tui.widgets.footer import KeyFooter
from srm_tui.tui.widgets.topbar import TopBar

WHAT_TO_DO = (
    "What to do: check that credentials are available, for example with "
    "'aws sts get-caller-identity' (add '--profile NAME' for a profile), run "
    "'aws sso login' if you use IAM Identity Center, or pick another profile on the "
    "scope screen. Press r to try again, or Escape to go back; your answers are safe."
)


class ScanScreen(Screen[None]):
    """Runs the scan in a thread worker and shows its progress."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel_or_close", "Cancel / back", id="cancel"),
        # Priority: the task table would take Enter for itself. While scanning the
        # binding is off (check_action) and Enter goes to the focused widget.
        Binding("enter", "close", "Continue", id="continue", priority=True),
        Binding("r", "retry", "Scan again", id="retry"),
    ]
    HELP_TITLE = "Scan"
    HELP = (
        "The automatic checks run here: read-only API calls per service and region. "
        "Escape cancels; what was found so far is kept and marked as a cancelled scan. "
        "You can rescan at any time (ctrl+r on the review)."
    )

    srm = HostOf()

    def __init__(self) -> None:
        super().__init__()
        self.tracker = ScanTracker()
        self.cancel = threading.Event()
        self.running = False
        self.outcome = ""  # "", "finished", "cancelled", "failed"
        self.found_before = 0  # findings the assessment held when this scan started
        self._rows: set[tuple[str, str]] = set()

    def compose(self) -> ComposeResult:
        yield TopBar("Scan")
        with Vertical(id="scan"):
            yield Static("", id="scan-title", classes="lead")
            yield ProgressBar(total=None, show_eta=False, id="scan-bar")
            yield Static("", id="scan-counts")
            yield Static("", id="scan-message", markup=False)
            yield DataTable(id="scan-tasks", cursor_type="none", zebra_stripes=True)
            with Horizontal(id="scan-buttons"):
                yield Button("Cancel (Esc)", id="scan-cancel", variant="error")
                yield Button(
                    "Continue to the review (Enter)", id="scan-continue", variant="primary"
                )
        yield KeyFooter()

    def on_mount(self) -> None:
        table = self.query_one("#scan-tasks", DataTable)
        table.add_column("Service", key="service", width=16)
        table.add_column("Region", key="region", width=16)
        table.add_column("Collected", key="state", width=14)
        table.add_column("Problem", key="problem")
        self.query_one("#scan-continue", Button).display = False
        self.set_interval(0.25, self._refresh)
        self.start()

    def start(self) -> None:
        session = self.srm.session
        assert session is not None
        scope = session.assessment.scope
        if scope.demo and self.srm.demo is None:
            self._failed(demo_gone(session.path))
            return
        where = "all enabled regions" if scope.all_regions else ", ".join(scope.regions)
        account = (
            "the demo account (emulated)"
            if self.srm.demo
            else (
                f"the account of profile {scope.profile}"
                if scope.profile
                else "the account of your default credentials"
            )
        )
        # The profile and the regions come from the assessment file.
        self.query_one("#scan-title", Static).update(
            plain(f"Scanning {account} in {where}. Read-only; Escape cancels.")
        )
        self.tracker = ScanTracker()
        if self.srm.demo is not None and not self.srm.demo.ready:
            self.tracker.message = "Waiting for the demo account to finish starting…"
        self.cancel = threading.Event()
        self.running = True
        self.outcome = ""
        self.found_before = len(session.assessment.findings)
        self._rows.clear()
        self.query_one("#scan-tasks", DataTable).clear()
        self.query_one("#scan-cancel", Button).display = True
        self.query_one("#scan-continue", Button).display = False
        self._set_binding_labels()
        self.run_scan()

    @work(thread=True, exclusive=True, exit_on_error=False, group="scan")
    def run_scan(self) -> None:
        session = self.srm.session
        assert session is not None
        demo = self.srm.demo
        while demo is not None and not demo.wait_a_moment():
            if self.cancel.is_set():
                self.post_message(ScanEnded("Cancelled before the demo account was ready."))
                return
        try:
            self.srm.scan(on_progress=self.tracker, cancel=self.cancel)
        except SrmError as exc:
            self.post_message(ScanEnded(str(exc)))
            return
        finally:
            self.tracker.ended = self.tracker.ended or time.monotonic()
        self.post_message(ScanEnded())

    def on_scan_ended(self, event: ScanEnded) -> None:
        self.running = False
        self._refresh()
        if event.error:
            self._failed(event.error)
            return
        session = self.srm.session
        assert session is not None
        self.srm.save()
        status = session.assessment.scan.status.value
        self.outcome = "cancelled" if status == "cancelled" else "finished"
        bar = self.query_one("#scan-bar", ProgressBar)
        if bar.total is None:
            bar.update(total=1, progress=1)
        elif self.outcome == "finished":
            bar.update(progress=bar.total)
        found = len(session.assessment.findings)
        if self.outcome == "cancelled" and self.found_before:
            # A rescan keeps the earlier scan's findings for what it did not reach: the
            # count is not what this scan gathered.
            text = (
                f"Scan cancelled: what it found is kept, with the earlier scan's findings "
                f"for what it did not reach ({found} in all); the scan is marked as "
                "cancelled. Press r to scan again, Enter to go on."
            )
        elif self.outcome == "cancelled":
            text = (
                f"Scan cancelled: the {found} findings gathered so far are kept and the "
                "scan is marked as cancelled. Press r to scan again, Enter to go on."
            )
        else:
            scan_info = session.assessment.scan
            errors = len(scan_info.errors)
            partly = (
                f" {errors} data collections could not complete (denied or not supported: "
                "marked FAILED above, with why); their checks are marked 'error' in Findings."
                if errors
                else ""
            )
            covered = f" This scan covered {scan_info.covered()}." if scan_info.subset else ""
            text = (
                f"Scan {status} for account {session.assessment.scope.account_id}: "
                f"{found} findings ({finding_counts(session.assessment)}).{partly}{covered} "
                "Press Enter to continue to the review."
            )
        self.query_one("#scan-message", Static).update(clean(text))
        # The failed collections first: on a short terminal they are the rows in view.
        self.query_one("#scan-tasks", DataTable).sort(
            "state", key=lambda state: "FAILED" not in str(state)
        )
        self.query_one("#scan-cancel", Button).display = False
        self.query_one("#scan-continue", Button).display = True
        self.query_one("#scan-continue", Button).focus()
        self._set_binding_labels()
        for screen in self.app.screen_stack:
            screen.post_message(AssessmentChanged())

    @on(Worker.StateChanged)
    def _worker_state(self, event: Worker.StateChanged) -> None:
        # An unexpected failure: the app shows the error dialog, and this screen stops
        # showing a scan that is no longer running.
        self.srm.worker_state_changed(event)
        if event.worker.group == "scan" and event.state is WorkerState.ERROR:
            self.srm.save()
            self._failed(f"The scan stopped unexpectedly: {event.worker.error}")

    def _failed(self, message: str) -> None:
        self.running = False
        self.outcome = "failed"
        self.query_one("#scan-title", Static).update("The scan could not start.")
        self.query_one("#scan-bar", ProgressBar).update(total=1, progress=0)
        # Credentials advice only makes sense for a real account.
        what = "" if self.srm.demo is not None or "srm-tui demo" in message else "\n\n" + WHAT_TO_DO
        self.query_one("#scan-message", Static).update(clean(f"{message}{what}"))
        self.query_one("#scan-message", Static).add_class("problem")
        self.query_one("#scan-cancel", Button).display = False
        self.query_one("#scan-continue", Button).label = "Back (Esc)"
        self.query_one("#scan-continue", Button).display = True
        self._set_binding_labels()

    def _set_binding_labels(self) -> None:
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # The footer shows Cancel while scanning, Continue and Scan again after.
        if action in ("close", "retry"):
            return not self.running
        return True

    def _refresh(self) -> None:
        snap = self.tracker.snapshot()
        bar = self.query_one("#scan-bar", ProgressBar)
        if snap["total"]:
            bar.update(total=snap["total"], progress=snap["done"])
        seconds = int(self.tracker.elapsed())
        self.query_one("#scan-counts", Static).update(
            f"[b]{snap['done']}[/b]/{snap['total'] or '?'} tasks · "
            f"[green]{snap['passed']} passed[/] · [red]{snap['failed']} failed[/] · "
            f"[yellow]{snap['errors']} could not check[/] · "
            f"{snap['not_applicable']} n/a · "
            f"{snap['api_calls']} API calls · {seconds // 60}:{seconds % 60:02d}"
        )
        if self.running and snap["message"]:
            self.query_one("#scan-message", Static).update(clean(snap["message"]))
        table = self.query_one("#scan-tasks", DataTable)
        failures = snap["failures"]
        for (service, region), (done, seen) in sorted(snap["tasks"].items()):
            reasons = failures.get((service, region), ())
            state, problem = task_state(done, seen, reasons)
            key = f"{service}|{region}"
            if (service, region) in self._rows:
                table.update_cell(key, "state", state)
                table.update_cell(key, "problem", problem)
            else:
                self._rows.add((service, region))
                table.add_row(plain(service), plain(region), state, problem, key=key)

    @on(Button.Pressed, "#scan-cancel")
    def action_cancel_or_close(self) -> None:
        if self.running:
            self.cancel.set()
            self.query_one("#scan-message", Static).update(
                "Cancelling: stopping the API calls; the findings so far are kept…"
            )
        else:
            self.dismiss()

    @on(Button.Pressed, "#scan-continue")
    def action_close(self) -> None:
        if not self.running:
            self.dismiss()

    def action_retry(self) -> None:
        if not self.running:
            self.query_one("#scan-message", Static).remove_class("problem")
            self.query_one("#scan-continue", Button).label = "Continue to the review (Enter)"
            self.start()


def task_state(done: int, seen: int, reasons: tuple[str, ...]) -> tuple[Text, Text]:
    """The Collected and Problem cells of one service in one region: a failed collection
    is marked failed in words, not only in colour, with why."""
    if reasons:
        failed = len(reasons)
        state = Text(f"✗ FAILED {done}/{seen}" if done < seen else f"✗ FAILED ({done})")
        state.stylize("bold red")
        # The reason quotes AWS's answer: cleaned, shown as plain text.
        return state, plain(f"{failed} failed: " + "; ".join(reasons), style="red")
    if done < seen:
        return Text(f"{done}/{seen}"), Text("")
    return Text(f"✓ done ({done})", style="green"), Text("")


def finding_counts(assessment: Assessment) -> str:
    """ "3 failed, 20 passed, 1 could not check, 2 n/a": every finding counted."""
    counts = Counter(f.status for f in assessment.findings)
    parts = [
        (Status.FAIL, "failed"),
        (Status.PASS, "passed"),
        (Status.ERROR, "could not check"),
        (Status.NOT_APPLICABLE, "n/a"),
    ]
    return ", ".join(f"{counts[status]} {word}" for status, word in parts)
