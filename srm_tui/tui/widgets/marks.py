"""Tick boxes whose state shows without colour.

Textual draws a checkbox as ``▐X▌`` whether it is ticked or not and tells the two
apart by colour only; in a monochrome terminal, with ``NO_COLOR`` set, or for a
reader who does not see the colours, they look the same. These draw ``X`` when ticked
and a blank when not.
"""

from __future__ import annotations

from rich.segment import Segment
from textual.content import Content
from textual.strip import Strip
from textual.widgets import Checkbox, SelectionList
from textual.widgets._toggle_button import ToggleButton

TICKED = "X"
UNTICKED = " "


class Tick(Checkbox):
    """A Checkbox showing X when ticked and a blank when not."""

    @property
    def _button(self) -> Content:
        # ToggleButton draws BUTTON_INNER; this instance's follows its value.
        self.BUTTON_INNER = TICKED if self.value else UNTICKED
        return super()._button


class TickList(SelectionList[str]):
    """A SelectionList showing X beside the selected entries and a blank beside the
    others."""

    def render_line(self, y: int) -> Strip:
        line = super().render_line(y)
        segments = list(line)
        if len(segments) < 2 or segments[1].text != ToggleButton.BUTTON_INNER:
            return line
        index = self.scroll_offset.y + y
        if index >= self.option_count:
            return line
        value = self.get_option_at_index(index).value
        mark = TICKED if value in self.selected else UNTICKED
        segments[1] = Segment(mark, segments[1].style, segments[1].control)
        return Strip(segments, line.cell_length)
