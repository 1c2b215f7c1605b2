"""The base of every dialog of the wizard: a modal screen with a footer of its own.

The screen underneath hides its footer while a dialog covers it (the app's
``SUSPENDED_SCREEN_CLASS``, app.tcss): its keys do not work in the dialog, yet it
advertised them. The dialog's footer shows the dialog's own keys instead.
"""

from __future__ import annotations

from typing import TypeVar

from textual.screen import ModalScreen

from srm_tui.tui.widgets.footer import KeyFooter

ResultT = TypeVar("ResultT")


class Dialog(ModalScreen[ResultT]):
    """A modal screen whose footer lists its own keys (Escape to cancel or close)."""

    async def _on_mount(self) -> None:
        # Mounted here rather than yielded by compose, which every dialog writes for
        # itself: Textual runs this as well as a dialog's own on_mount.
        await self.mount(KeyFooter())
        # The footer draws no key before it hears of the bindings, and the dialog
        # announced them on its first focus, before this footer was there to listen.
        self.refresh_bindings()
