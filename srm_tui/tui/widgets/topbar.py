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

    def on_resize(self) -> None:
        self.update_status(self.pending)

    def update_status(self, pending: bool = False) -> None:
        self.pending = pending
        app = self.srm
        text = Text()
        text.append("srm-tui", style="bold")
        text.append(f" · {self.screen_title}")
        state = Text()
        session = app.session
        if session is not None:
            if session.handle.read_only:
                state.append(" · READ-ONLY", style="bold black on yellow")
            elif session.save_error:
                state.append(" · NOT SAVED", style="bold white on red")
            elif pending:
                state.append(" · saving…", style="italic")
            elif session.saved_at is not None:
                state.append(" · ✓ Saved", style="green")
            elif session.new:
                state.append(" · not saved yet", style="italic")
        if app.demo is not None:
            state.append("  ")
            state.append(" DEMO — emulated AWS account ", style="bold black on yellow")
        if session is not None:
            name = clean(session.assessment.name or session.path.name)
            # A long name is cut, never the save state after it: NOT SAVED and
            # READ-ONLY fell off the end of the line.
            width = self.content_size.width or app.size.width - 2
            room = width - len(text) - len(state) - 3
            if len(name) > room:
                name = name[: max(room - 1, 8)] + "…"
            text.append(f" · {name}", style="bold")
        text.append_text(state)
        self.update(text)
