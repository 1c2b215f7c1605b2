"""Help: what each screen is for and every key binding.

The screens and panes describe themselves (``HELP_TITLE``, ``HELP``, ``BINDINGS``);
the app hands them over in the order a review goes, so this module imports none.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar, Protocol

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Markdown

from srm_tui.tui.screens.modal import Dialog

GENERAL = """\
# srm-tui help

srm-tui reviews **your side** of the AWS Shared Responsibility Model for one account or
every account of an AWS Organization: automatic read-only checks, plus questions about
what no API can show. Everything is
kept in one TOML file and **saved after every change** (the top line says *Saved*).
Stop at any time with **ctrl+q** and open the file again later to go on.

The mouse works too: click tabs, buttons, choices and table rows.
"""

KEYS_EVERYWHERE = [
    ("ctrl+q", "save and quit"),
    ("F1 or ?", "this help (? is typed as text in a text box)"),
    ("ctrl+p", "command palette: jump to a section or question, export, rescan, theme"),
    ("ctrl+t", "switch between the dark and light theme"),
    ("Tab / shift+Tab", "move between fields"),
    ("Escape", "close a dialog, go back, or cancel a running scan"),
]


def _key_name(key: str) -> str:
    names = {"slash": "/", "delete": "Delete", "escape": "Escape", "enter": "Enter"}
    return ", ".join(names.get(k, k) for k in key.split(","))


class Topic(Protocol):
    """A screen or pane class that explains itself: a title, what it is for, its keys."""

    @property
    def HELP_TITLE(self) -> str: ...

    @property
    def HELP(self) -> str: ...

    @property
    def BINDINGS(self) -> list[BindingType]: ...


def _section(topic: Topic) -> str:
    lines = [f"## {topic.HELP_TITLE}", "", topic.HELP]
    # Only the keys the topic itself binds: a pane that is a scrolling container
    # would otherwise list Textual's ten scrolling keys as its own.
    own = vars(topic).get("BINDINGS", ()) if isinstance(topic, type) else topic.BINDINGS
    rows = [(b.key, b.description) for b in own if isinstance(b, Binding) and b.description]
    if rows:
        lines += ["", "| key | what it does |", "|---|---|"]
        lines += [f"| `{_key_name(k)}` | {d} |" for k, d in rows]
    return "\n".join(lines)


def help_text(topics: Sequence[Topic]) -> str:
    """The help page as Markdown: the keys that work everywhere, then each topic in
    turn with its own bindings."""
    everywhere = ["## Everywhere", "", "| key | what it does |", "|---|---|"]
    everywhere += [f"| `{k}` | {d} |" for k, d in KEYS_EVERYWHERE]
    return "\n\n".join([GENERAL, "\n".join(everywhere), *(_section(t) for t in topics)])


class HelpScreen(Dialog[None]):
    """Every key and what each screen is for."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f1,question_mark,q", "close", "Close help")
    ]

    def __init__(self, topics: Sequence[Topic]) -> None:
        super().__init__()
        self.topics = tuple(topics)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Markdown(help_text(self.topics), id="help-text")

    def on_mount(self) -> None:
        box = self.query_one("#help-box")
        # Scrolling is no binding of the help's own, so its footer cannot say it: said
        # here, with the way out.
        box.border_subtitle = "Escape closes · ↑ ↓ PgUp PgDn scroll"
        box.focus()

    def action_close(self) -> None:
        self.dismiss(None)
