"""One finding in full: what failed and where, why, how to fix it, the framework ids
of its check, and the questions it bears on (Enter on one opens it in the review)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Label, OptionList, Static
from textual.widgets.option_list import Option

from srm_tui.finding_filter import Row
from srm_tui.model import Question
from srm_tui.tui.screens.modal import Dialog
from srm_tui.tui.text import clean, plain


def frameworks_text(frameworks: dict[str, Sequence[str]]) -> str:
    """'cis-aws-7.0 2.3; aws-fsbp EC2.53' (empty when the check maps to none)."""
    return "; ".join(f"{key} {', '.join(ids)}" for key, ids in sorted(frameworks.items()))


class FindingScreen(Dialog[str | None]):
    """The whole finding; dismissed with the id of a question to open, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "close", "Close")]

    def __init__(
        self, row: Row, frameworks: dict[str, Sequence[str]], questions: Sequence[Question]
    ) -> None:
        super().__init__(classes="dialog")
        self.row = row
        self.frameworks = frameworks
        self.questions = list(questions)

    def compose(self) -> ComposeResult:
        r = self.row
        with Vertical(id="dialog-box"):
            yield Label(plain(f"{r.status.upper()}: {r.title}"), id="dialog-title")
            with VerticalScroll(id="finding-full"):
                yield Static(self._text(), id="finding-full-text")
            if self.questions:
                yield Label("Questions this check bears on (Enter opens one)", classes="field")
                yield OptionList(
                    *[
                        Option(plain(f"{q.id}: {q.title}"), id=f"q{i}")
                        for i, q in enumerate(self.questions)
                    ],
                    id="finding-questions",
                )
            with Horizontal(id="dialog-buttons"):
                yield Button("Close (Esc)", id="close", variant="primary")

    def on_mount(self) -> None:
        target = "#finding-questions" if self.questions else "#close"
        self.query_one(target).focus()

    def _text(self) -> Text:
        # Everything here came from AWS or a file: cleaned, never markup.
        r = self.row
        text = Text()
        for label, value in (
            ("Check", f"{r.check} ({r.severity}, owner: {r.responsibility or '?'})"),
            ("Resource", r.resource),
            ("Region", r.region),
            ("Why" if r.status == "fail" else "Detail", r.detail),
            ("Fix", r.remediation if r.status in ("fail", "error") else ""),
            ("Frameworks", frameworks_text(self.frameworks) or "none mapped"),
        ):
            if value:
                text.append(f"{label}: ", style="bold")
                text.append(clean(value) + "\n")
        text.rstrip()
        return text

    @on(OptionList.OptionSelected, "#finding-questions")
    def _open_question(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.questions[int((event.option.id or "q0")[1:])].id)

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        self.dismiss(None)
