"""The answer to one question for one account or one OU of an organization review:
a dialog opened from the question screen. It returns what to change; the caller
applies it through ``review.set_override`` / ``review.clear_override`` and saves."""

from __future__ import annotations

from typing import ClassVar, NamedTuple

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Checkbox, Label, Select, SelectionList, Static

from srm_tui.model import Assessment, Question
from srm_tui.review import override_targets
from srm_tui.tui.screens.modal import Dialog
from srm_tui.tui.text import clean, plain
from srm_tui.tui.widgets.marks import Tick, TickList


class OverrideChoice(NamedTuple):
    """What the dialog returns: the account or OU, and its answer (``clear``: go back
    to the organization's answer)."""

    target: str
    selected: tuple[str, ...] = ()
    applicable: bool = True
    clear: bool = False


class OverrideDialog(Dialog[OverrideChoice | None]):
    """Pick an account or OU, then its own answer to the question."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, assessment: Assessment, question: Question) -> None:
        super().__init__(classes="dialog")
        self.assessment = assessment
        self.question = question
        self.targets = override_targets(assessment)

    def compose(self) -> ComposeResult:
        accounts = sorted((t, label) for t, label in self.targets.items() if t.isdigit())
        ous = sorted((label, t) for t, label in self.targets.items() if not t.isdigit())
        options = [(clean(f"OU {label} ({t})"), t) for label, t in ous]
        options += [(clean(f"account {t} {label}"), t) for t, label in accounts]
        with Vertical(id="dialog-box"):
            yield Label(plain(f"Answer for one account or OU: {self.question.title}"),
                        id="dialog-title")  # fmt: skip
            yield Static(
                "The organization's answer holds everywhere else; an OU's answer holds "
                "for the OUs and accounts below it.",
                id="dialog-message",
            )
            yield Select[str](options, prompt="Account or OU", id="override-target")
            # X only beside what is ticked: Textual's own boxes show X on every line,
            # told apart by colour alone.
            yield TickList(
                *((plain(c.title), c.id) for c in self.question.choices), id="override-choices"
            )
            yield Tick("Does not apply there", id="override-na")
            with Horizontal(id="dialog-buttons"):
                yield Button("Save", variant="primary", id="save")
                yield Button("Use the organization's answer", id="clear")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#override-target", Select).focus()

    @on(Select.Changed, "#override-target")
    def _target_chosen(self, event: Select.Changed) -> None:
        # Show what that account or OU answers now, if it has its own answer.
        own = self.assessment.overrides.get(self.question.id, {}).get(str(event.value))
        choices = self.query_one("#override-choices", SelectionList)
        choices.deselect_all()
        if own is not None:
            for choice in own.selected:
                choices.select(choice)
        self.query_one("#override-na", Checkbox).value = own is not None and not own.applicable

    def _target(self) -> str:
        value = self.query_one("#override-target", Select).value
        return value if isinstance(value, str) else ""

    @on(Button.Pressed, "#save")
    def _save(self) -> None:
        target = self._target()
        if not target:
            self.notify("Choose an account or OU first.", severity="warning")
            return
        selected = tuple(self.query_one("#override-choices", SelectionList).selected)
        applicable = not self.query_one("#override-na", Checkbox).value
        self.dismiss(OverrideChoice(target, selected, applicable))

    @on(Button.Pressed, "#clear")
    def _clear(self) -> None:
        if target := self._target():
            self.dismiss(OverrideChoice(target, clear=True))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
