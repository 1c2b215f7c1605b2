"""The base of every dialog of the wizard: a modal screen with a footer of its own,
that opens at its top, and draws its fields and buttons without borders on a short
terminal.

The screen underneath hides its footer while a dialog covers it (the app's
``SUSPENDED_SCREEN_CLASS``, app.tcss): its keys do not work in the dialog, yet it
advertised them. The dialog's footer shows the dialog's own keys instead.
"""

from __future__ import annotations

from typing import TypeVar

from textual import events
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Input, Select

from srm_tui.tui.widgets.footer import KeyFooter

ResultT = TypeVar("ResultT")

#: Below this many lines a dialog's fields and buttons lose their borders (two lines
#: each): the accept-risk dialog, the tallest, then fits whole in 24 lines.
SHORT = 34


class Dialog(ModalScreen[ResultT]):
    """A modal screen whose footer lists its own keys (Escape to cancel or close)."""

    #: What each text field held once the dialog was set up (None until then).
    _first_values: dict[Input, str] | None = None
    #: The user was told that quitting loses what they typed here.
    warned_of_quit = False

    async def _on_mount(self) -> None:
        # Mounted here rather than yielded by compose, which every dialog writes for
        # itself: Textual runs this as well as a dialog's own on_mount.
        await self.mount(KeyFooter())
        # The footer draws no key before it hears of the bindings, and the dialog
        # announced them on its first focus, before this footer was there to listen.
        self.refresh_bindings()
        # After every mount handler, a dialog's own included, has filled its fields.
        self.call_after_refresh(self._note_first_values)

    def _note_first_values(self) -> None:
        self._first_values = {field: field.value for field in self.query(Input)}

    @property
    def typed(self) -> bool:
        """Whether a field holds text typed since the dialog opened: only the dialog's
        own button (or Enter) keeps it."""
        first = self._first_values
        if first is None:
            return False
        return any(
            field.value.strip() and field.value != first.get(field, "")
            for field in self.query(Input)
        )

    def on_resize(self, event: events.Resize) -> None:
        short = event.size.height < SHORT
        self.set_class(short, "-short")
        for kind in (Input, Button, Select):
            for widget in self.query(kind).results():
                widget.compact = short

    def set_focus(
        self, widget: Widget | None, scroll_visible: bool = True, from_app_focus: bool = False
    ) -> None:
        # Textual centres a newly focused field it cannot show whole, and checks that
        # before a new dialog is laid out: the dialog opened scrolled down, its title
        # and first fields out of view. Scroll only as far as needed, once laid out.
        super().set_focus(widget, scroll_visible=False, from_app_focus=from_app_focus)
        if scroll_visible and widget is not None:
            self.call_after_refresh(self._show_focused, widget)

    def _show_focused(self, widget: Widget) -> None:
        if self.focused is widget and not self.can_view_entire(widget):
            widget.scroll_visible(animate=False)
