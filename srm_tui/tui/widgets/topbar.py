"""The one-line status bar at the top of every screen: file, save state, demo note."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from srm_tui.tui.host import HostOf
from srm_tui.tui.text import clean


class TopBar(Static):
    """Shows what is open, whether it is saved, and whether the account is emulated."""

    DEFAULT_CSS = """
    TopBar { height: 1; background: $panel; color: $foreground; padding: 0 1; }
    """

    srm = HostOf()

    def __init__(self, screen_title: str) -> None:
        super().__init__()
        self.screen_title = screen_title
        self.pending = False

    def on_mount(self) -> None:
        self.update_status()

    def update_status(self, pending: bool = False) -> None:
        app = self.srm
        text = Text()
        text.append("srm-tui", style="bold")
        text.append(f" · {self.screen_title}")
        session = app.session
        if session is not None:
            name = session.assessment.name or session.path.name
            text.append(clean(f" · {name}"), style="bold")
            if session.handle.read_only:
                text.append(" · READ-ONLY", style="bold black on yellow")
            elif session.save_error:
                text.append(" · NOT SAVED", style="bold white on red")
            elif pending:
                text.append(" · saving…", style="italic")
            elif session.saved_at is not None:
                text.append(" · ✓ Saved", style="green")
            elif session.new:
                text.append(" · not saved yet", style="italic")
        if app.demo is not None:
            text.append("  ")
            text.append(" DEMO — emulated AWS account ", style="bold black on yellow")
        self.update(text)
