"""A path field that completes from the disk: Tab (or →) takes the completion, and a
short list below shows the folders and assessment files that match what is typed.

Only names are read (a folder listing), never a file's contents; a folder that cannot
be listed simply offers nothing.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.suggester import Suggester
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from srm_tui.tui.text import plain

#: Entries listed at most: a folder of thousands of files stays quick to type in.
MAX_LISTED = 200


def matches(value: str, suffixes: Iterable[str] = (".toml",)) -> list[str]:
    """The paths that complete ``value``: its folder's subfolders (ending in "/") and
    files with one of ``suffixes`` whose names start with what was typed after the
    last "/", folders first, hidden ones only when a "." was typed."""
    if not value:
        return []
    typed = os.path.expanduser(value)
    folder, _, start = typed.rpartition("/")
    folder = folder + "/" if folder or typed.startswith("/") else ""
    base = Path(folder or ".")
    wanted = tuple(suffixes)
    found: list[tuple[bool, str]] = []
    try:
        with os.scandir(base) as entries:
            for count, entry in enumerate(entries):
                if count >= MAX_LISTED * 10:
                    break
                name = entry.name
                if not name.startswith(start) or (name.startswith(".") and not start):
                    continue
                try:
                    is_dir = entry.is_dir()
                except OSError:
                    continue
                if is_dir or name.endswith(wanted):
                    found.append((not is_dir, name + ("/" if is_dir else "")))
    except OSError:
        return []
    found.sort()
    shown_folder = value[: len(value) - len(start)]  # keep "~/" as the user typed it
    return [shown_folder + name for _, name in found[:MAX_LISTED]]


class PathSuggester(Suggester):
    """Suggests the first completion of a path (greyed out after the cursor)."""

    def __init__(self, suffixes: tuple[str, ...] = (".toml",)) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.suffixes = suffixes

    async def get_suggestion(self, value: str) -> str | None:
        found = matches(value, self.suffixes)
        return found[0] if found else None


class PathInput(Input):
    """An Input whose Tab takes the completion shown (and moves on when there is none)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("tab", "complete", "Complete", show=False),
    ]

    def action_complete(self) -> None:
        if self._suggestion and self.cursor_at_end and self._suggestion != self.value:
            self.value = self._suggestion
            self.cursor_position = len(self.value)
        else:
            self.screen.focus_next()


class PathPicker(Vertical):
    """A path field with completion and the matching entries listed below it."""

    DEFAULT_CSS = """
    PathPicker { height: auto; }
    PathPicker #path-matches { height: auto; max-height: 6; border: none; display: none; }
    PathPicker #path-matches.-shown { display: block; }
    """

    def __init__(self, value: str = "", suffixes: tuple[str, ...] = (".toml",)) -> None:
        super().__init__(id="path-picker")
        self.start_value = value
        self.suffixes = suffixes

    def compose(self) -> ComposeResult:
        yield PathInput(
            self.start_value,
            placeholder="path/to/file (Tab completes)",
            id="path",
            suggester=PathSuggester(self.suffixes),
        )
        yield OptionList(id="path-matches")

    @property
    def value(self) -> str:
        return self.query_one("#path", Input).value

    @on(Input.Changed, "#path")
    def _typed(self, event: Input.Changed) -> None:
        # Stop here: the dialog only hears about Submitted.
        event.stop()
        self.show_matches(event.value)

    def show_matches(self, value: str) -> None:
        """List what completes ``value`` (nothing when it names one file exactly)."""
        found = [m for m in matches(value, self.suffixes) if m != value]
        listing = self.query_one("#path-matches", OptionList)
        listing.clear_options()
        # Names on disk may hold anything: shown as plain text.
        listing.add_options(Option(plain(m), id=f"m{i}") for i, m in enumerate(found))
        listing.set_class(bool(found), "-shown")
        self._found = found

    @on(OptionList.OptionSelected, "#path-matches")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        index = int((event.option.id or "m0")[1:])
        path_input = self.query_one("#path", Input)
        path_input.value = self._found[index]
        path_input.cursor_position = len(path_input.value)
        path_input.focus()
