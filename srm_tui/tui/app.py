"""The wizard application: screens over one open assessment at a time.

Opening, editing, saving, remembering and scanning are the workbench's
(``srm_tui/workbench.py``); this class runs them in workers and timers and shows
what happened.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import threading
import traceback
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events, on, work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from srm_tui.errors import SrmError
from srm_tui.model import Question, Section
from srm_tui.review import in_scope
from srm_tui.store import ReadOnlyError
from srm_tui.tui.text import clean, markup
from srm_tui.workbench import SAVE_DELAY, Scanner, Workbench, load_sections, write_crash_log

if TYPE_CHECKING:
    from srm_tui.demo.target import DemoTarget
    from srm_tui.scan import Progress

DEMO_NOTE = "DEMO — emulated AWS account, not a real one"
#: Closing the terminal (SIGHUP) or a plain ``kill`` (SIGTERM) would otherwise end the
#: process at once, losing the text typed in the last moments before its save.
STOP_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGHUP", "SIGTERM") if hasattr(signal, name)
)
THEMES = ("textual-dark", "textual-light")


class SrmApp(App[None]):
    """srm-tui's wizard; its screens and widgets see it as a ``Host`` (tui/host.py)."""

    CSS_PATH = "app.tcss"
    TITLE = "srm-tui"
    ENABLE_COMMAND_PALETTE = True
    # Wide terminals get a wider section list, one line of filters, more detail: every
    # screen has the class "-wide" from 120 columns, kept in step with each resize.
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-narrow"), (120, "-wide")]
    # A screen with a dialog on top has this class: its footer hides (app.tcss), as
    # its keys do not work in the dialog; the dialog shows its own (screens/modal.py).
    SUSPENDED_SCREEN_CLASS = "-suspended"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", priority=True, id="quit"),
        # F1 before anything else: a dialog (a modal screen) hears only the app's
        # priority bindings, and F1 did nothing there although the help says it works
        # everywhere. ? too: some terminals keep F1 for their own help; a text box
        # still takes "?" as a character (it handles printable keys before any binding).
        Binding("f1", "help", "Help", priority=True, id="help"),
        Binding("question_mark", "help", "Help", show=False),
        Binding("ctrl+t", "toggle_theme", "Theme", show=False, id="theme"),
    ]

    def __init__(
        self,
        path: str | Path | None = None,
        *,
        demo: DemoTarget | None = None,
        sections: Sequence[Section] | None = None,
        scanner: Scanner | None = None,
        data_dir: Path | None = None,
        profiles: Sequence[str] | None = None,
        theme: str = "textual-dark",
        catalog_problems: Sequence[str] = (),
    ) -> None:
        super().__init__()
        self.start_path = Path(path) if path else None
        self.demo = demo
        if sections is None:
            loaded, self.catalog_problems = load_sections()
            self.sections: tuple[Section, ...] = loaded
        else:
            self.sections, self.catalog_problems = tuple(sections), list(catalog_problems)
        self.scanner = scanner
        self.data_dir = data_dir
        self._profiles = list(profiles) if profiles is not None else None
        self.session: Workbench | None = None
        self._save_timer: Any = None
        self.crash_report = ""  # set when the wizard crashed: the sentence to leave with
        self._initial_theme = theme
        if demo is not None:
            self.sub_title = DEMO_NOTE

    # --- start ---------------------------------------------------------------------

    def on_mount(self) -> None:
        self.theme = self._initial_theme
        self._catch_stop_signals()
        from srm_tui.tui.screens.start import StartScreen

        self.push_screen(StartScreen())
        if self.catalog_problems:
            first = self.catalog_problems[0]
            more = len(self.catalog_problems) - 1
            self.show_error(
                "Some questionnaire files have problems; their questions may be missing.\n\n"
                + first
                + (f"\n\n(and {more} more: run 'srm-tui validate')" if more else "")
            )
        if self.start_path is not None:
            self.open_assessment(self.start_path)

    def on_key(self, event: events.Key) -> None:
        # Keys typed in the burst that opened a dialog come back here from the screen
        # beneath; the dialog's text field takes them.
        from srm_tui.tui.screens.type_ahead import TypeAhead

        if isinstance(self.screen, TypeAhead) and self.screen.keep_early_key(event):
            event.prevent_default()

    def _catch_stop_signals(self) -> None:
        loop = asyncio.get_running_loop()
        for number in STOP_SIGNALS:
            # Not on Windows, nor outside the main thread: there the default stays.
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(number, self._stopped_from_outside)

    def _stopped_from_outside(self) -> None:
        """The terminal was closed or the process told to stop: save what waits for
        its save, release the assessment, then leave."""
        if self.session is not None:
            with contextlib.suppress(Exception):  # the file on disk is intact either way
                self.flush_save()
                self.session.close()
            self.session = None
        self.exit()

    def on_unmount(self) -> None:
        loop = asyncio.get_running_loop()
        for number in STOP_SIGNALS:
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.remove_signal_handler(number)

    def profiles(self) -> list[str]:
        """The profiles in the user's AWS config and credentials files."""
        if self._profiles is None:
            try:
                import botocore.session

                self._profiles = sorted(botocore.session.Session().available_profiles)
            except Exception:  # a broken config file must not stop the wizard
                self._profiles = []
        return self._profiles

    # --- opening and closing -------------------------------------------------------

    def open_assessment(
        self, path: Path, name: str | None = None, failed: Callable[[str], None] | None = None
    ) -> None:
        """Open (or create) ``path`` in a worker; the start screen stays usable. Why it
        could not be opened goes to ``failed`` when given, else to an error dialog."""
        self.close_assessment()
        self._load(path.expanduser(), name, failed)

    @work(thread=True, exclusive=True, exit_on_error=False, group="open")
    def _load(
        self, path: Path, name: str | None, failed: Callable[[str], None] | None = None
    ) -> None:
        try:
            # A file that may not be written (no write bit, a milestone, open in another
            # srm-tui, no lock possible) opens read-only, and says why at once.
            bench = Workbench.open(
                path,
                self.sections,
                name=name,
                data_dir=self.data_dir,
                demo=self.demo,
                read_only_fallback=True,
            )
        except SrmError as exc:
            if failed is not None:
                self.call_from_thread(failed, str(exc))
            else:
                self.call_from_thread(self.show_error, f"Cannot open this assessment.\n\n{exc}")
            return
        self.call_from_thread(self._opened, bench)

    def _opened(self, bench: Workbench) -> None:
        from srm_tui.tui.screens.scope import ScopeScreen
        from srm_tui.tui.screens.workspace import WorkspaceScreen

        self.session = bench
        bench.remember()
        # Read-only, the workspace says why in a banner from its first frame.
        self.push_screen(WorkspaceScreen())
        if bench.new:
            self.push_screen(ScopeScreen(first_time=True))

    def close_assessment(self) -> None:
        """Save and release the open assessment, if any, and go back to the start."""
        bench = self.session
        if bench is None:
            return
        self.flush_save()
        bench.close()
        self.session = None
        self.refresh_bars()  # no screen left names the closed assessment
        from srm_tui.tui.screens.start import StartScreen

        while len(self.screen_stack) > 1 and not isinstance(self.screen, StartScreen):
            self.pop_screen()
        if isinstance(self.screen, StartScreen):
            self.screen.refresh_recent()

    # --- editing and saving ----------------------------------------------------------

    def edit_answer(
        self, question: Question, changes: dict[str, Any], typing: bool = False
    ) -> bool:
        """Apply a change to an answer and save it (after a short pause while typing);
        False, with a message, when the assessment is read-only."""
        bench = self.session
        if bench is None:
            return False
        try:
            bench.answer(question, **changes)
        except ReadOnlyError as exc:  # refused before anything changed
            self.show_error(str(exc), title="Read-only")
            return False
        if typing:
            if self._save_timer is not None:
                self._save_timer.stop()
            self._save_timer = self.set_timer(SAVE_DELAY, self.save)
            self.refresh_bars(pending=True)
        else:
            self.save()
        return True

    def save(self) -> bool:
        """Write the assessment now; a failure is shown, never silent."""
        if self._save_timer is not None:
            self._save_timer.stop()
            self._save_timer = None
        bench = self.session
        if bench is None:
            return True
        try:
            bench.save()
        except SrmError as exc:
            self.refresh_bars()
            self.show_error(f"Your last change is not saved.\n\n{exc}")
            return False
        self.refresh_bars()
        return True

    def flush_save(self) -> None:
        """Save now if typed text is still waiting for its save."""
        if self._save_timer is not None:
            self.save()

    def refresh_bars(self, pending: bool = False) -> None:
        """Redraw the status line of every screen."""
        from srm_tui.tui.widgets.topbar import TopBar

        for screen in self.screen_stack:
            for bar in screen.query(TopBar):
                bar.update_status(pending)

    async def action_quit(self) -> None:
        """Save what is pending, remember the file, then leave; but first say once that
        text typed in an open dialog is not kept."""
        if self._warned_of_typed_text():
            return
        if self.session is not None:
            self.flush_save()
            self.session.close()
        self.exit()

    def _warned_of_typed_text(self) -> bool:
        # A dialog keeps what was typed in it only through its own button: quitting
        # lost an evidence link or an acceptance's reason without a word.
        from srm_tui.tui.screens.modal import Dialog

        for screen in reversed(self.screen_stack):
            if isinstance(screen, Dialog) and screen.typed and not screen.warned_of_quit:
                screen.warned_of_quit = True
                self.notify(
                    "What you typed in this dialog is not saved: finish it with its "
                    "button, or press ctrl+q again to quit without it.",
                    title="Not saved yet",
                    severity="warning",
                )
                return True
        return False

    # --- scanning ------------------------------------------------------------------

    def scan(self, on_progress: Callable[[Progress], None], cancel: threading.Event) -> None:
        """Scan the open assessment's scope; runs in the scan screen's worker thread."""
        bench = self.session
        assert bench is not None
        # On the demo account this waits for the account to be up.
        bench.scan(bench.scope_options(), on_progress, cancel, scanner=self.scanner)

    def start_scan(self) -> None:
        """Show the scan screen and start scanning the open assessment's scope."""
        from srm_tui.tui.screens.scan import ScanScreen

        if self.session is None or self._refused_read_only():
            return
        self.flush_save()
        self.push_screen(ScanScreen())

    def _refused_read_only(self) -> bool:
        """True, with a message saying why, when the open assessment may not change."""
        bench = self.session
        if bench is None or not bench.read_only:
            return False
        self.show_error(
            f"A scan changes the assessment, and this one is open read-only.\n\n{bench.reason}",
            title="Read-only",
        )
        return True

    # --- dialogs, help, theme ------------------------------------------------------

    def show_error(self, message: str, title: str = "Something went wrong") -> None:
        """An error dialog; the app goes on after it is closed."""
        from srm_tui.tui.screens.dialogs import MessageDialog

        self.push_screen(MessageDialog(message, title=title, error=True))

    def action_help(self) -> None:
        from srm_tui.tui.screens.help import HelpScreen
        from srm_tui.tui.screens.scan import ScanScreen
        from srm_tui.tui.screens.scope import ScopeScreen
        from srm_tui.tui.screens.start import StartScreen
        from srm_tui.tui.screens.workspace import WorkspaceScreen

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss(None)  # F1 comes here first: it closes the help too
        else:
            # In the order a review goes: start, scope, scan, then the tabs.
            from srm_tui.tui.screens.milestones import MilestonesScreen
            from srm_tui.tui.widgets.organization import OrganizationPane

            topics = (
                StartScreen, ScopeScreen, ScanScreen, WorkspaceScreen, *WorkspaceScreen.PANES,
                OrganizationPane, MilestonesScreen,
            )  # fmt: skip
            self.push_screen(HelpScreen(topics))

    def action_toggle_theme(self) -> None:
        self.theme = THEMES[1] if self.theme == THEMES[0] else THEMES[0]

    @on(Worker.StateChanged)
    def worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The one place where a failed worker becomes an error dialog.

        Every worker runs with exit_on_error=False, so a failure never ends the app.
        Worker.StateChanged does not bubble: widgets and screens that start workers
        hand theirs to this method.
        """
        if event.state is WorkerState.ERROR:
            error = event.worker.error
            self.show_error(
                f"{type(error).__name__}: {error}\n\nYour answers are saved; "
                "you can go on working.",
                title="An operation failed",
            )

    # --- a crash ---------------------------------------------------------------------

    def _handle_exception(self, error: Exception) -> None:
        # Textual calls this for an error no handler caught, then ends the app. The
        # traceback of the first goes to a private crash log; ``crash_report`` is the
        # one sentence the command prints once the terminal is restored.
        if not self.crash_report:
            self.crash_report = self._crash_report(error)
        super()._handle_exception(error)

    def _fatal_error(self) -> None:
        # Textual's own would print the traceback with every frame's local variables,
        # which may hold an assessment's contents: that traceback is in the crash log.
        self.bell()
        self._close_messages_no_wait()

    def _crash_report(self, error: BaseException) -> str:
        """Save what waits for its save, keep the traceback in the user's private data
        folder, and return the one sentence to leave with."""
        if self.session is not None:
            # The crash may be in saving itself: the file on disk is intact either way.
            with contextlib.suppress(Exception):
                self.session.flush()
        kind = type(error).__name__
        try:
            log = write_crash_log("".join(traceback.format_exception(error)), self.data_dir)
        except SrmError as exc:
            return (
                f"srm-tui: the wizard stopped on an unexpected error ({kind}); your saved "
                f"answers are kept, but no crash log could be written ({clean(str(exc))})."
            )
        return (
            f"srm-tui: the wizard stopped on an unexpected error ({kind}); your saved "
            f"answers are kept, and the details are in {clean(str(log))}."
        )

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Help", "Every key and what each screen is for", self.action_help)
        yield SystemCommand(
            "Toggle dark/light theme", "Switch between the dark and light theme",
            self.action_toggle_theme,
        )  # fmt: skip
        if self.session is None:
            return
        from srm_tui.tui.screens.workspace import WorkspaceScreen

        workspace = next((s for s in self.screen_stack if isinstance(s, WorkspaceScreen)), None)
        yield SystemCommand("Rescan", "Run the automatic checks again", self.ask_rescan)
        yield SystemCommand(
            "Close assessment", "Save, close and go back to the start screen",
            self.close_assessment,
        )  # fmt: skip
        if workspace is None:
            return
        yield SystemCommand("Export report", "Write the report to a file", workspace.action_export)
        yield SystemCommand(
            "Milestones", "Take a milestone, list them, see what changed since one",
            workspace.action_milestones,
        )  # fmt: skip
        for tab, title in (
            ("review", "Review"),
            ("findings", "Findings"),
            ("matrix", "Responsibility"),
            ("report", "Report"),
        ):
            yield SystemCommand(
                f"Show {title}", f"Switch to the {title} tab", _bind(workspace.show_tab, tab)
            )
        for section in self.sections:
            # The palette reads names as markup; these come from questionnaire files.
            yield SystemCommand(
                f"Section: {markup(section.title)}",
                f"Jump to the first question of {markup(section.title)}",
                _bind(workspace.jump, section.id, ""),
            )
        for question in in_scope(self.session.assessment, self.sections):
            # The id is in the title, which the palette searches: "t_plan" finds it.
            yield SystemCommand(
                f"Question {markup(question.id)}: {markup(question.title)}",
                f"Jump to this question ({markup(question.id)})",
                _bind(workspace.jump, "", question.id),
            )

    def ask_rescan(self) -> None:
        """Open the scope screen, from where a new scan starts; an organization review
        is scanned from its Organization tab instead."""
        from srm_tui.tui.screens.scope import ScopeScreen
        from srm_tui.tui.screens.workspace import WorkspaceScreen

        if self.session is None or self._refused_read_only():
            return
        workspace = next((s for s in self.screen_stack if isinstance(s, WorkspaceScreen)), None)
        if self.session.assessment.organization is not None and workspace is not None:
            # The scope screen's scan is of one account: it refused the organization
            # review and told the user to use the command line.
            workspace.scan_organization()
            return
        self.push_screen(ScopeScreen())


def _bind(fn: Callable[..., Any], *args: Any) -> Callable[[], Any]:
    return lambda: fn(*args)
