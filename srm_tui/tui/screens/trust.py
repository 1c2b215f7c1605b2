"""Dialogs for what makes a review trustworthy: accepting a failing finding as a known
risk (reason, owner, expiry), and attaching a file or a link to an answer as evidence.

Each dialog gathers what the user typed and hands it to ``apply`` (given by the caller),
which makes the change and returns "" or, when the domain refuses it, the one-sentence
reason: the dialog then stays open with the problem shown, nothing half done.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import ClassVar, NamedTuple

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Static

from srm_tui.model import DEFAULT_MAX_ACCEPTANCE_DAYS, today
from srm_tui.tui.screens.modal import Dialog
from srm_tui.tui.screens.type_ahead import TypeAhead

#: How far ahead the expiry field starts: a quarter, the usual review cycle.
DEFAULT_TERM = timedelta(days=90)


def example_date(max_days: int = DEFAULT_MAX_ACCEPTANCE_DAYS) -> date:
    """The expiry offered (and shown as the example): a quarter from today, or the
    longest the assessment allows when that is shorter. Never a fixed date, which
    would soon lie in the past."""
    return today() + min(DEFAULT_TERM, timedelta(days=max(max_days, 0)))


class AcceptChoice(NamedTuple):
    """What the accept dialog returns."""

    resource: str
    reason: str
    owner: str
    expires: date
    approved_by: str = ""


class AcceptDialog(Dialog[AcceptChoice | None], TypeAhead):
    """Accept a failing finding (or every resource of its check matching a pattern) as
    a known risk until an expiry date."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(
        self,
        check_title: str,
        resource: str,
        apply: Callable[[AcceptChoice], str] | None = None,
        owner: str = "",
        max_days: int = DEFAULT_MAX_ACCEPTANCE_DAYS,
    ) -> None:
        super().__init__(classes="dialog")
        self.check_title = check_title
        self.resource = resource
        self.apply = apply
        self.owner = owner
        self.example = example_date(max_days).isoformat()

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog-box"):
            yield Label("Accept as a known risk", id="dialog-title")
            yield Static(
                f"{self.check_title}. The finding stays failed; it counts as accepted "
                "until the expiry, and as failed again afterwards.",
                id="dialog-hint",
                markup=False,
            )
            yield Label("Resources (a pattern: * matches any text)")
            yield Input(self.resource, id="accept-resource")
            yield Label("Reason (required)")
            yield Input(placeholder="why the risk is acceptable", id="accept-reason")
            with Horizontal(classes="dialog-row"):
                with Vertical():
                    yield Label("Owner (required)")
                    yield Input(self.owner, placeholder="who owns the risk", id="accept-owner")
                with Vertical():
                    yield Label("Expires (YYYY-MM-DD)")
                    yield Input(self.example, placeholder=self.example, id="accept-expires")
            yield Label("Approved by (optional)")
            yield Input(id="accept-approved")
            yield Static("", id="dialog-problem")
            with Horizontal(id="dialog-buttons"):
                yield Button("Accept", variant="primary", id="ok")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        # A long ARN is read from its start: service, region and account come first.
        self.query_one("#accept-resource", Input).cursor_position = 0
        self.query_one("#accept-reason", Input).focus()

    def _value(self, name: str) -> str:
        return self.query_one(f"#accept-{name}", Input).value.strip()

    def _problem(self, text: str) -> None:
        self.query_one("#dialog-problem", Static).update(text)

    @on(Input.Submitted)
    @on(Button.Pressed, "#ok")
    def _submit(self) -> None:
        if not self._value("reason"):
            self._problem("Give the reason the risk is accepted.")
            return
        if not self._value("owner"):
            self._problem("Name the owner of the accepted risk.")
            return
        try:
            expires = date.fromisoformat(self._value("expires"))
        except ValueError:
            self._problem(f"The expiry looks like {self.example}.")
            return
        choice = AcceptChoice(
            self._value("resource") or "*",
            self._value("reason"),
            self._value("owner"),
            expires,
            self._value("approved"),
        )
        problem = self.apply(choice) if self.apply is not None else ""
        if problem:
            self._problem(problem)
            return
        self.dismiss(choice)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class EvidenceChoice(NamedTuple):
    """What the evidence dialog returns: a path or a link, and a note."""

    target: str
    note: str = ""


class EvidenceDialog(Dialog[EvidenceChoice | None], TypeAhead):
    """Attach a file (recorded by its hash, never copied) or a link to an answer."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(
        self, question_title: str, apply: Callable[[EvidenceChoice], str] | None = None
    ) -> None:
        super().__init__(classes="dialog")
        self.question_title = question_title
        self.apply = apply

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog-box"):
            yield Label("Attach evidence", id="dialog-title")
            yield Static(
                f"{self.question_title}\nA file is recorded by its path, size and SHA-256 "
                "(never copied), so a report shows when it changed; a link stays a link.",
                id="dialog-hint",
                markup=False,
            )
            yield Input(placeholder="path/to/file.pdf or https://...", id="evidence-target")
            yield Input(placeholder="what it shows (optional)", id="evidence-note")
            yield Static("", id="dialog-problem")
            with Horizontal(id="dialog-buttons"):
                yield Button("Attach", variant="primary", id="ok")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#evidence-target", Input).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#ok")
    def _submit(self) -> None:
        target = self.query_one("#evidence-target", Input).value.strip()
        problem = self.query_one("#dialog-problem", Static)
        if not target:
            problem.update("Type a file's path or a link first.")
            return
        choice = EvidenceChoice(target, self.query_one("#evidence-note", Input).value.strip())
        sentence = self.apply(choice) if self.apply is not None else ""
        if sentence:
            problem.update(sentence)
            return
        self.dismiss(choice)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
