"""What the wizard's screens and widgets may ask of the application that runs them.

Screens and widgets reach the app through ``Host``, a small interface, never through
the application class: the app imports its screens, the screens import this module,
and no import runs back up. ``SrmApp`` is the one implementation; a test app or a
later front end can be another.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, cast, runtime_checkable

from srm_tui.model import Question, Section
from srm_tui.workbench import Workbench

if TYPE_CHECKING:
    from textual.dom import DOMNode
    from textual.worker import Worker

    from srm_tui.demo.target import DemoTarget
    from srm_tui.scan import Progress


@runtime_checkable
class Host(Protocol):
    """The open assessment and the actions screens and widgets may start."""

    session: Workbench | None  # the assessment open, with its lock, edits and saves
    sections: tuple[Section, ...]
    demo: DemoTarget | None  # the emulated account, when the wizard runs on it
    data_dir: Path | None  # where the recent list lives (None: the user's default)

    def profiles(self) -> list[str]:
        """The profiles in the user's AWS config and credentials files."""
        ...

    def open_assessment(
        self, path: Path, name: str | None = None, failed: Callable[[str], None] | None = None
    ) -> None:
        """Open (or create) ``path``; the current one is saved and closed first. Why it
        could not be opened goes to ``failed`` when given, else to an error dialog."""
        ...

    def close_assessment(self) -> None:
        """Save and release the open assessment, if any, and go back to the start."""
        ...

    def edit_answer(
        self, question: Question, changes: dict[str, Any], typing: bool = False
    ) -> bool:
        """Apply a change to an answer and save it (after a pause while typing); False,
        with a message shown, when the change was refused (read-only)."""
        ...

    def save(self) -> bool:
        """Write the assessment now; False (and a message shown) when it failed."""
        ...

    def flush_save(self) -> None:
        """Save now if typed text is still waiting for its save."""
        ...

    def refresh_bars(self, pending: bool = False) -> None:
        """Redraw the status line of every screen."""
        ...

    def show_error(self, message: str, title: str = "Something went wrong") -> None:
        """An error dialog; the wizard goes on after it is closed."""
        ...

    def ask_rescan(self) -> None:
        """Open the scope screen, from where a new scan starts (an organization review:
        scan the organization)."""
        ...

    def start_scan(self) -> None:
        """Show the scan screen and start scanning the open assessment's scope."""
        ...

    def scan(self, on_progress: Callable[[Progress], None], cancel: threading.Event) -> None:
        """Scan the open assessment's scope in the calling (worker) thread."""
        ...

    def worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Hand a worker's state change over: a failed worker becomes an error dialog."""
        ...


class HostOf:
    """``srm = HostOf()`` on a screen or widget: ``self.srm`` is its app as a Host."""

    def __get__(self, node: DOMNode, owner: type | None = None) -> Host:
        return cast(Host, node.app)
