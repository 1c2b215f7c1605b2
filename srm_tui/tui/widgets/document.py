"""A Markdown document to read in a pane: Textual's ``MarkdownViewer`` without its
table of contents (the report pane has its own list of parts)."""

from __future__ import annotations

from textual.widgets import Markdown, MarkdownViewer


class Document(MarkdownViewer):
    """A ``MarkdownViewer`` whose table of contents is never shown, nor built."""

    def __init__(self, markdown: str, *, id: str | None = None) -> None:
        super().__init__(markdown, show_table_of_contents=False, id=id)

    def _on_markdown_table_of_contents_updated(
        self, message: Markdown.TableOfContentsUpdated
    ) -> None:
        # The stock viewer rebuilds its hidden contents tree on every update, and fails
        # (NoMatches: Tree) when an update arrives before that tree is composed, as a
        # first update right after mounting can on a busy machine. Textual would call
        # the stock handler after this one unless its default is prevented.
        message.prevent_default()
        message.stop()
