"""Ask for the external id that an organization's member roles require: typed for one
scan, hidden as it is typed, and never kept."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Static

from srm_tui.tui.screens.modal import Dialog
from srm_tui.tui.screens.type_ahead import TypeAhead

# AWS accepts an sts:ExternalId of 2 to 1,224 characters.
SHORTEST, LONGEST = 2, 1224


class ExternalIdDialog(Dialog[str | None], TypeAhead):
    """The external id for this scan, or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, role_name: str) -> None:
        super().__init__(classes="dialog")
        self.role_name = role_name

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog-box"):
            yield Label("External id needed", id="dialog-title")
            yield Static(
                f"The member roles ({self.role_name}) of this organization require an "
                "external id. Type it to scan: it is used for this scan only, and neither "
                "saved nor shown.",
                id="dialog-hint",
                markup=False,
            )
            yield Input(password=True, placeholder="external id", id="external-id")
            yield Static("", id="dialog-problem", markup=False)
            with Horizontal(id="dialog-buttons"):
                yield Button("Scan", variant="primary", id="ok")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#external-id", Input).focus()

    @on(Input.Submitted, "#external-id")
    @on(Button.Pressed, "#ok")
    def _submit(self) -> None:
        value = self.query_one("#external-id", Input).value
        if not SHORTEST <= len(value) <= LONGEST:
            self.query_one("#dialog-problem", Static).update(
                f"An external id has {SHORTEST} to {LONGEST:,} characters."
            )
            return
        self.dismiss(value)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
