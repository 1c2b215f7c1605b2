"""Milestones in the wizard: take one, list them, and see what changed since one."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker

from srm_tui.errors import SrmError
from srm_tui.milestones import Milestone
from srm_tui.tui.host import HostOf
from srm_tui.tui.screens.modal import Dialog
from srm_tui.tui.screens.type_ahead import TypeAhead
from srm_tui.tui.text import clean, plain, sentence
from srm_tui.tui.widgets.document import Document
from srm_tui.tui.widgets.footer import KeyFooter
from srm_tui.tui.widgets.topbar import TopBar


class NameDialog(Dialog[str | None], TypeAhead):
    """Ask for a milestone's name; ``take`` takes it and returns "" or why it could not,
    which the dialog shows, staying open with the name as typed."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, default: str, take: Callable[[str], str] | None = None) -> None:
        super().__init__(classes="dialog")
        self.default = default
        self.take = take

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog-box"):
            yield Label("Take a milestone", id="dialog-title")
            yield Static(
                "A read-only snapshot of the assessment as it is now, kept beside it, to "
                "compare with later. Its name: letters, digits, '.', '_' or '-'.",
                id="dialog-hint",
            )
            yield Input(self.default, id="milestone-name")
            yield Static("", id="dialog-problem", markup=False)
            with Horizontal(id="dialog-buttons"):
                yield Button("Take it", variant="primary", id="ok")
                yield Button("Cancel", id="cancel")

    @on(Input.Submitted, "#milestone-name")
    @on(Button.Pressed, "#ok")
    def _submit(self) -> None:
        name = self.query_one("#milestone-name", Input).value.strip()
        problem = "Type a name first." if not name else self.take(name) if self.take else ""
        if problem:
            self.query_one("#dialog-problem", Static).update(problem)
            return
        self.dismiss(name)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class MilestonesScreen(Screen[None]):
    """The milestones of the open assessment; Enter compares one with now."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "create", "Take milestone", id="create"),
        Binding("escape", "close", "Back", id="back"),
    ]
    HELP_TITLE = "Milestones"
    HELP = (
        "A milestone is a read-only snapshot of the assessment, kept beside its file "
        "(for example at the end of each quarter). c takes one; Enter on one shows what "
        "changed since: answers whose risk moved, findings fixed, new and still failing."
    )

    srm = HostOf()

    def __init__(self) -> None:
        super().__init__()
        self.listed: list[Milestone] = []

    @on(Worker.StateChanged)
    def _worker_state(self, event: Worker.StateChanged) -> None:
        self.srm.worker_state_changed(event)

    def compose(self) -> ComposeResult:
        yield TopBar("Milestones")
        with Vertical(id="milestones"):
            yield Static("", id="milestones-intro")
            yield OptionList(id="milestone-list")
            yield Document("Pick a milestone to see what changed since.", id="milestone-diff")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.refresh_list()

    def refresh_list(self) -> None:
        session = self.srm.session
        if session is None:
            return
        listing = self.query_one("#milestone-list", OptionList)
        listing.clear_options()
        self.listed = session.milestones()
        for i, m in enumerate(self.listed):
            when = f"{m.created:%Y-%m-%d %H:%M}" if m.created else "date unknown"
            listing.add_option(Option(plain(f"{m.name}  (taken {when})"), id=f"m{i}"))
        if self.listed:
            listing.highlighted = len(self.listed) - 1  # the latest
        intro = self.query_one("#milestones-intro", Static)
        if session.assessment.milestone is not None:
            intro.update("This file is itself a milestone: it has none of its own.")
        elif not self.listed:
            intro.update("No milestone yet: c takes one of the assessment as it is now.")
        else:
            intro.update(
                f"{len(self.listed)} milestone{'s' if len(self.listed) > 1 else ''}, "
                "oldest first. Enter shows what changed "
                "since the one picked; c takes a new one."
            )
        listing.focus()

    def action_create(self) -> None:
        session = self.srm.session
        if session is None:
            return
        if session.read_only:
            self.srm.show_error(
                f"This assessment is open read-only: no milestone can be taken.\n\n{session.reason}",
                title="Read-only",
            )
            return
        from srm_tui.model import now

        self.app.push_screen(NameDialog(f"{now():%Y-%m-%d}", self._take))

    def _take(self, name: str) -> str:
        """Take the milestone; "" when taken, else the sentence saying why not."""
        session = self.srm.session
        if session is None:
            return "No assessment is open."
        try:
            taken = session.create_milestone(name)
        except SrmError as exc:
            return clean(sentence(str(exc)))
        self.srm.refresh_bars()
        self.app.notify(clean(f"Milestone {taken.name} taken."), title="Milestone", markup=False)
        self.refresh_list()
        return ""

    @on(OptionList.OptionSelected, "#milestone-list")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        milestone = self.listed[int((event.option.id or "m0")[1:])]
        self.query_one("#milestone-diff", Document).document.update(
            f"Comparing with {milestone.name}…"
        )
        self._compare(milestone.name)

    @work(thread=True, exclusive=True, exit_on_error=False, group="milestone")
    def _compare(self, name: str) -> None:
        session = self.srm.session
        assert session is not None
        try:
            text = session.compare_with(name)
        except SrmError as exc:
            text = f"Cannot compare with {name}: {exc}"
        # The report escapes what came from files; the viewer opens no link.
        self.app.call_from_thread(self._show, text)

    async def _show(self, text: str) -> None:
        viewer = self.query_one("#milestone-diff", Document)
        await viewer.document.update(text)
        viewer.scroll_home(animate=False)

    def action_close(self) -> None:
        self.dismiss()
