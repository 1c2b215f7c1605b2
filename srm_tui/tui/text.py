"""Text from outside (assessment files and their names, questionnaires, AWS) made safe
for the wizard's widgets.

Every such string is cleaned by the one sanitizer (``srm_tui.sanitize.clean``: no
terminal escape, no invisible or bidirectional character), then reaches a widget as
plain text: a ``Text`` object, a widget built with ``markup=False``, or, where a widget
only takes markup, escaped. A name holding ``[@click=app.quit]`` is shown as written,
never run.
"""

from __future__ import annotations

from rich.text import Text
from textual.markup import escape

from srm_tui.sanitize import clean

__all__ = ["clean", "demo_gone", "markup", "plain", "sentence"]


def plain(text: object, style: str = "") -> Text:
    """Outside text as a Text: cleaned, never read as markup."""
    return Text(clean(str(text)), style=style)


def markup(text: object) -> str:
    """Outside text to put into markup: cleaned, its tags escaped."""
    return escape(clean(str(text)))


def sentence(text: str) -> str:
    """A message from the domain ("milestone name 'x' is not valid: ...") shown on its
    own as a sentence: capital first letter, full stop at the end."""
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?" else text + "."


def demo_gone(path: object, what: str = "the demo account") -> str:
    """Why a review made on the demo cannot be scanned in a wizard that runs no demo."""
    return (
        f"This assessment was made on {what}, which only runs while 'srm-tui demo' does. "
        f"Open it with 'srm-tui demo {path}' to scan it again."
    )
