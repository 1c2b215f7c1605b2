"""The wizard application: opens, saves and scans one assessment at a time."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from srm_tui import recent, store
from srm_tui.catalog import questionnaires
from srm_tui.errors import SrmError
from srm_tui.model import Assessment, Section
from srm_tui.review import in_scope, set_answer, unanswered
from srm_tui.tui.host import Session

if TYPE_CHECKING:
    from srm_tui.demo.target import DemoTarget
    from srm_tui.scan import Progress, ScanOptions

#: scan(assessment, options, on_progress=..., cancel=...) as srm_tui.scan defines it.
Scanner = Callable[..., Assessment]

DEMO_NOTE = "DEMO — emulated AWS account, not a real one"
THEMES = ("textual-dark", "textual-light")
TYPING_SAVE_DELAY = 0.6  # seconds of quiet before typed text is saved


def default_scanner(*args: Any, **kwargs: Any) -> Assessment:
    """The real scan engine, imported when first needed."""
    try:
        from srm_tui.scan import scan
    except ImportError as exc:  # pragma: no cover - only without the engine
        raise SrmError(f"The scan engine is not available in this installation ({exc}).") from None
    return scan(*args, **kwargs)


def load_sections(extra_dirs: Sequence[Path] = ()) -> tuple[tuple[Section, ...], list[str]]:
    """The catalogue's sections and its problems as sentences (shown, not fatal)."""
    # Check ids are not validated here: a question naming a check this installation
    # lacks still works (its evidence just stays empty).
    catalog = questionnaires.load([questionnaires.default_dir(), *extra_dirs])
    return catalog.sections, [str(p) for p in catalog.problems]


class SrmApp(App[None]):
    """srm-tui's wizard; its screens and widgets see it as a ``Host`` (tui/host.py)."""

    CSS_PATH = "app.tcss"
    TITLE = "srm-tui"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", priority=True, id="quit"),
        Binding("f1", "help", "Help", id="help"),
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
        self.scanner: Scanner = scanner or default_scanner
        self.data_dir = data_dir
        self._profiles = list(profiles) if profiles is not None else None
        self.session: Session | None = None
        self._save_timer: Any = None
        self._initial_theme = theme
        if demo is not None:
            self.sub_title = DEMO_NOTE

    # --- start ---------------------------------------------------------------------

    def on_mount(self) -> None:
        self.theme = self._initial_theme
        self.on_resize()
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

    def on_resize(self) -> None:
        # Wide terminals get a wider section list, one line of filters, more detail.
        self.set_class(self.size.width >= 120, "-wide")

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

    def open_assessment(self, path: Path, name: str | None = None) -> None:
        """Open (or create) ``path`` in a worker; the start screen stays usable."""
        self.close_assessment()
        self._load(path.expanduser(), name)

    @work(thread=True, exclusive=True, exit_on_error=False, group="open")
    def _load(self, path: Path, name: str | None) -> None:
        try:
            # A file open in another srm-tui is refused; one that may not be written
            # (read-only, a milestone, no lock possible) opens read-only, and says why.
            handle = store.open_assessment(path, name=name, fallback_read_only=True)
            if handle.why is store.ReadOnly.LOCKED:
                raise store.LockedError(handle.reason)
        except SrmError as exc:
            self.call_from_thread(self.show_error, f"Cannot open this assessment.\n\n{exc}")
            return
        self.call_from_thread(self._opened, Session(handle))

    def _opened(self, session: Session) -> None:
        from srm_tui.tui.screens.scope import ScopeScreen
        from srm_tui.tui.screens.workspace import WorkspaceScreen

        self.session = session
        if not session.new:
            session.saved_at = session.assessment.updated
        if self.demo is not None:
            session.assessment.scope.demo = True
            if not session.assessment.scope.regions:
                session.assessment.scope.regions = self.demo.regions
        self.remember()
        self.push_screen(WorkspaceScreen())
        if session.handle.read_only:
            self.notify(session.handle.reason, title="Opened read-only", severity="warning")
        if session.new:
            self.push_screen(ScopeScreen(first_time=True))

    def close_assessment(self) -> None:
        """Save and release the open assessment, if any, and go back to the start."""
        session = self.session
        if session is None:
            return
        self.flush_save()
        self.remember()
        session.handle.close()
        self.session = None
        from srm_tui.tui.screens.start import StartScreen

        while len(self.screen_stack) > 1 and not isinstance(self.screen, StartScreen):
            self.pop_screen()
        if isinstance(self.screen, StartScreen):
            self.screen.refresh_recent()

    def remember(self) -> None:
        """Put the open assessment at the top of the recent list."""
        session = self.session
        if session is None or (session.new and session.saved_at is None):
            return
        answered, total = self.progress()
        a = session.assessment
        recent.remember(
            recent.Recent(
                str(session.path), a.name, a.scope.account_id, a.updated, answered, total
            ),
            self.data_dir,
        )

    def progress(self) -> tuple[int, int]:
        """(answered, in scope) for the open assessment."""
        if self.session is None:
            return 0, 0
        questions = in_scope(self.session.assessment, self.sections)
        return len(questions) - len(unanswered(self.session.assessment, questions)), len(questions)

    # --- saving --------------------------------------------------------------------

    def edit_answer(self, question: Any, changes: dict[str, Any], typing: bool = False) -> None:
        """Apply a change to an answer and save it (after a short pause while typing)."""
        if self.session is None:
            return
        set_answer(self.session.assessment, question, **changes)
        self.session.version += 1
        if typing:
            if self._save_timer is not None:
                self._save_timer.stop()
            self._save_timer = self.set_timer(TYPING_SAVE_DELAY, self.save)
            self.refresh_bars(pending=True)
        else:
            self.save()

    def save(self) -> bool:
        """Write the assessment now; a failure is shown, never silent."""
        if self._save_timer is not None:
            self._save_timer.stop()
            self._save_timer = None
        session = self.session
        if session is None:
            return True
        try:
            session.handle.save()
        except SrmError as exc:
            session.save_error = str(exc)
            self.refresh_bars()
            self.show_error(f"Your last change is not saved.\n\n{exc}")
            return False
        session.saved_at = session.assessment.updated
        session.save_error = ""
        # The recent list follows every save, so it is right even after a kill.
        self.remember()
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
        """Save what is pending, remember the file, then leave."""
        if self.session is not None:
            self.flush_save()
            self.remember()
            self.session.handle.close()
        self.exit()

    # --- scanning ------------------------------------------------------------------

    def scan_options(self) -> ScanOptions:
        """ScanOptions for the open assessment's scope."""
        from srm_tui.scan import ScanOptions

        assert self.session is not None
        scope = self.session.assessment.scope
        # In demo mode this runs in the scan worker: it waits for the account to be up.
        endpoint = self.demo.wait() if self.demo else (scope.endpoint_url or None)
        if self.demo is not None:
            scope.endpoint_url = endpoint
        return ScanOptions(
            profile=scope.profile or None,
            regions=tuple(scope.regions),
            all_regions=scope.all_regions,
            endpoint_url=endpoint,
        )

    def scan(self, on_progress: Callable[[Progress], None], cancel: threading.Event) -> None:
        """Scan the open assessment's scope; runs in the scan screen's worker thread."""
        assert self.session is not None
        self.scanner(
            self.session.assessment, self.scan_options(), on_progress=on_progress, cancel=cancel
        )

    def start_scan(self) -> None:
        """Show the scan screen and start scanning the open assessment's scope."""
        from srm_tui.tui.screens.scan import ScanScreen

        if self.session is None:
            return
        self.flush_save()
        self.push_screen(ScanScreen())

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

        if not isinstance(self.screen, HelpScreen):
            # In the order a review goes: start, scope, scan, then the tabs.
            topics = (StartScreen, ScopeScreen, ScanScreen, WorkspaceScreen, *WorkspaceScreen.PANES)
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
            yield SystemCommand(
                f"Section: {section.title}",
                f"Jump to the first question of {section.title}",
                _bind(workspace.jump, section.id, ""),
            )
        for question in in_scope(self.session.assessment, self.sections):
            yield SystemCommand(
                f"Question: {question.title}",
                f"Jump to this question ({question.id})",
                _bind(workspace.jump, "", question.id),
            )

    def ask_rescan(self) -> None:
        """Open the scope screen, from where a new scan starts."""
        from srm_tui.tui.screens.scope import ScopeScreen

        if self.session is not None:
            self.push_screen(ScopeScreen())


def _bind(fn: Callable[..., Any], *args: Any) -> Callable[[], Any]:
    return lambda: fn(*args)
