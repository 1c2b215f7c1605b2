"""Dialogs keep what is typed in the same burst as the key that opened them.

Keys pressed in one burst (a paste, a fast typist, a slow machine) all set off before
the first has opened the dialog: the rest reach the screen beneath, or the dialog
before its text field has focus, and were dropped, so typing ``n`` and a file name lost
the name's first letters. Until the dialog has been drawn once, such keys are handed to
its focused text field, in the order typed.
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.screen import Screen
from textual.widgets import Input


class TypeAhead(Screen):
    """A screen whose first focused widget is a text field that takes early keys."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        #: Until drawn once, the screen takes keys typed for it.
        self._early = True
        self._pending: list[events.Key] = []
        #: The keys handed on: one that comes back unhandled is not kept again.
        self._handed: list[events.Key] = []

    def on_mount(self) -> None:
        # Keys already on their way arrive before this callback runs.
        self.call_after_refresh(self._ready)

    def _ready(self) -> None:
        self._early = False
        self._hand_pending()

    def keep_early_key(self, event: events.Key) -> bool:
        """Keep ``event`` for the text field when it came too early; False otherwise."""
        if not self._early or any(event is handed for handed in self._handed):
            return False  # typed once the field had focus, or handed to it already
        if not event.is_printable and event.key in self.active_bindings:
            return False  # escape and the like keep their meaning
        self._pending.append(event)
        if self.is_mounted:
            self._hand_pending()
        return True

    def _hand_pending(self) -> None:
        field = self.focused
        if not isinstance(field, Input):
            return  # not focused yet: kept until the dialog is ready
        for event in self._pending:
            again = events.Key(event.key, event.character)
            self._handed.append(again)
            field.post_message(again)
        self._pending.clear()

    def on_key(self, event: events.Key) -> None:
        if self.keep_early_key(event):
            event.stop()
            event.prevent_default()
