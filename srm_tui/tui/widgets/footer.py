"""The footer of every screen: its keys on as many lines as they need.

Textual's footer is one line; on 80 columns the keys past its right edge were
simply not drawn, and a user never learnt them. This one starts a new line where
the next key would not fit whole.
"""

from __future__ import annotations

from textual.geometry import NULL_OFFSET, Region, Size
from textual.layout import ArrangeResult, Layout, WidgetPlacement
from textual.widget import Widget
from textual.widgets import Footer


class WrapLayout(Layout):
    """Left to right like ``horizontal``, on a new line where the next child would
    pass the right edge. Children are sized by their content (the footer's keys
    are all ``width: auto``)."""

    name = "wrap"

    def arrange(
        self, parent: Widget, children: list[Widget], size: Size, greedy: bool = True
    ) -> ArrangeResult:
        parent.pre_layout(self)
        viewport = parent.app.viewport_size
        placements: list[WidgetPlacement] = []
        x = y = line_height = 0
        for child in children:
            styles = child.styles
            margin = styles.margin
            width = child.get_content_width(size, viewport) + styles.gutter.width
            height = child.get_content_height(size, viewport, width) + styles.gutter.height
            if x and x + margin.left + width > size.width:
                x, y, line_height = 0, y + line_height, 0
            region = Region(x + margin.left, y + margin.top, width, height)
            placements.append(WidgetPlacement(region, NULL_OFFSET, margin, child))
            x = region.right + margin.right
            line_height = max(line_height, height + margin.height)
        return placements


class KeyFooter(Footer):
    """Textual's footer (the same keys, looks and clicks), wrapped onto more lines
    when one line cannot hold every key."""

    DEFAULT_CSS = """
    KeyFooter { height: auto; max-height: 4; }
    """

    def __init__(self) -> None:
        super().__init__()
        self._wrap = WrapLayout()

    @property
    def layout(self) -> Layout:
        # The stylesheet only knows Textual's own layouts by name: this one is set here.
        return self._wrap
