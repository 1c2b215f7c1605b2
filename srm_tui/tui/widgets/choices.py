"""The choices of a question as a list whose long titles wrap under their mark.

Space (or a click) ticks the highlighted choice; Enter moves on to the next question. "None of these" clears the
practices and a practice clears "None of these"; a single-choice question keeps one.
A ticked choice whose linked check fails is flagged beside it: the scan contradicts it;
so is one that a failure imported from another tool contradicts, said as imported.
"""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual import on
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from srm_tui.contradictions import ImportedFailure, imported_lead, imported_named, imported_naming
from srm_tui.model import Choice, Question
from srm_tui.tui.text import clean, plain


def toggle(question: Question, selected: tuple[str, ...], choice_id: str) -> tuple[str, ...]:
    """The selection after ticking or unticking ``choice_id``."""
    chosen = set(selected)
    choice = question.choice(choice_id)
    if choice is None:
        return selected
    if not question.multiple:
        chosen = {choice_id}
    elif choice_id in chosen:
        chosen.discard(choice_id)
    elif choice.is_none:
        chosen = {choice_id}
    else:
        none = question.none_choice
        chosen.add(choice_id)
        if none is not None:
            chosen.discard(none.id)
    return tuple(c.id for c in question.choices if c.id in chosen)


class ChoiceList(OptionList):
    """Tick boxes (several choices) or radio marks (one choice) over OptionList."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "select", "Tick", show=False),
        Binding("enter", "done", "Next question", show=False),
    ]

    class Done(Message):
        """Enter: the reviewer is done with this question."""

    class Changed(Message):
        """The selection changed (after the exclusivity rules were applied)."""

        def __init__(self, choice_list: ChoiceList, selected: tuple[str, ...]) -> None:
            super().__init__()
            self.choice_list = choice_list
            self.selected = selected

        @property
        def control(self) -> ChoiceList:
            return self.choice_list

    def __init__(
        self,
        question: Question,
        selected: tuple[str, ...],
        *,
        id: str | None = None,
        failing: frozenset[str] = frozenset(),
        imported: tuple[ImportedFailure, ...] = (),
    ) -> None:
        self.question = question
        self.selected = tuple(selected)
        self.failing = failing  # checks with a failing finding: they contradict a choice
        self.imported = imported  # imported failures that count: they do too
        self.applicable = True
        super().__init__(*[self._option(c) for c in question.choices], id=id)

    def _prompt(self, choice: Choice) -> Table:
        on = choice.id in self.selected
        if self.question.multiple:
            mark = Text("[x] " if on else "[ ] ", style="bold green" if on else "")
        else:
            mark = Text("(•) " if on else "( ) ", style="bold green" if on else "")
        title = plain(choice.title, style="italic" if choice.is_none else "")
        # An answer that does not apply claims none of its choices: its question says
        # what the scan contradicts.
        claimed = on and self.applicable
        against = [c for c in choice.checks if c in self.failing] if claimed else []
        if against:
            title.append("\n⚠ contradicted by the scan: ", style="bold red")
            title.append(
                clean(", ".join(against)) + (" fails" if len(against) == 1 else " fail"),
                style="red",
            )
        found = imported_naming(self.imported, choice.checks) if claimed else ()
        if found:
            title.append(f"\n⚠ {imported_lead(found)}: ", style="bold red")
            title.append(imported_named(found, clean), style="red")
        grid = Table.grid(expand=True)
        grid.add_column(width=4, no_wrap=True)
        grid.add_column(ratio=1)
        grid.add_row(mark, title)
        return grid

    def action_done(self) -> None:
        self.post_message(self.Done())

    def _option(self, choice: Choice) -> Option:
        return Option(self._prompt(choice), id=choice.id)

    def set_selected(self, selected: tuple[str, ...]) -> None:
        """Show ``selected`` (no message is posted)."""
        self.selected = tuple(selected)
        self._show()

    def set_applicable(self, applicable: bool) -> None:
        """Take choices (``applicable``) or none (the answer does not apply)."""
        self.applicable = applicable
        self.disabled = not applicable
        self._show()

    def _show(self) -> None:
        for index, choice in enumerate(self.question.choices):
            self.replace_option_prompt_at_index(index, self._prompt(choice))

    @on(OptionList.OptionSelected)
    def _ticked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        choice_id = event.option.id or ""
        new = toggle(self.question, self.selected, choice_id)
        if new != self.selected:
            self.set_selected(new)
            self.post_message(self.Changed(self, new))
