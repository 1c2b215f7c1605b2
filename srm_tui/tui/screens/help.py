"""Help: what each screen is for and every key binding."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

GENERAL = """\
# srm-tui help

srm-tui reviews **your side** of the AWS Shared Responsibility Model for one account:
automatic read-only checks, plus questions about what no API can show. Everything is
kept in one TOML file and **saved after every change** (the top line says *Saved*).
Stop at any time with **ctrl+q** and open the file again later to go on.

The mouse works too: click tabs, buttons, choices and table rows.
"""

KEYS_EVERYWHERE = [
    ("ctrl+q", "save and quit"),
    ("F1", "this help"),
    ("ctrl+p", "command palette: jump to a section or question, export, rescan, theme"),
    ("ctrl+t", "switch between the dark and light theme"),
    ("Tab / shift+Tab", "move between fields"),
    ("Escape", "close a dialog, go back, or cancel a running scan"),
]


def _key_name(key: str) -> str:
    names = {"slash": "/", "delete": "Delete", "escape": "Escape", "enter": "Enter"}
    return ", ".join(names.get(k, k) for k in key.split(","))


def _section(title: str, purpose: str, bindings: list[Binding]) -> str:
    lines = [f"## {title}", "", purpose, ""]
    rows = [(b.key, b.description) for b in bindings if b.description]
    if rows:
        lines += ["| key | what it does |", "|---|---|"]
        lines += [f"| `{_key_name(k)}` | {d} |" for k, d in rows]
    return "\n".join(lines)


def help_text() -> str:
    """The help page as Markdown, built from the screens' own bindings."""
    from srm_tui.tui.screens.scan import ScanScreen
    from srm_tui.tui.screens.scope import ScopeScreen
    from srm_tui.tui.screens.start import StartScreen
    from srm_tui.tui.screens.workspace import WorkspaceScreen
    from srm_tui.tui.widgets.findings import FindingsPane
    from srm_tui.tui.widgets.review import ReviewPane

    everywhere = ["## Everywhere", "", "| key | what it does |", "|---|---|"]
    everywhere += [f"| `{k}` | {d} |" for k, d in KEYS_EVERYWHERE]
    parts = [GENERAL, "\n".join(everywhere)]
    parts.append(_section("Start", StartScreen.HELP, list(StartScreen.BINDINGS)))
    parts.append(_section("Scope", ScopeScreen.HELP, list(ScopeScreen.BINDINGS)))
    parts.append(_section("Scan", ScanScreen.HELP, list(ScanScreen.BINDINGS)))
    parts.append(_section("Assessment tabs", WorkspaceScreen.HELP, list(WorkspaceScreen.BINDINGS)))
    parts.append(
        _section(
            "Review tab",
            "Choices: space ticks a practice (several may be true), enter goes on to "
            "the next question; *None of these* clears the others. *Does not apply* takes a reason. Notes, evidence links, "
            "owner and due date are saved as you type. Enter on a section or question "
            "in the left list opens it. Marks in that list: red ▲ high risk, yellow ▲ "
            "medium risk, ✓ no risk, · unanswered, – does not apply; a section shows "
            "its worst risk and how many of its questions are answered.",
            list(ReviewPane.BINDINGS),
        )
    )
    parts.append(
        _section(
            "Findings tab",
            "Every result of the last scan, failures first. Filter by status, "
            "severity, service, region, owner and framework, or search text; the "
            "pane below explains the highlighted finding and how to fix it.",
            list(FindingsPane.BINDINGS),
        )
    )
    parts.append(
        "## Responsibility tab\n\nLayers of the stack down, service models in use "
        "across. *AWS* cells are AWS's part (you inherit it, see its attestations); "
        "*You* and *Shared* cells are yours, red when a high or critical check fails "
        "there, yellow for other failures, green when checks pass.\n\n"
        "## Report tab\n\nThe report as it stands, one part at a time: pick a part "
        "in the list on the left. `x` exports the whole report (Markdown, or the "
        "other formats offered) to a file you name; `t` hides or shows the list."
    )
    return "\n\n".join(parts)


class HelpScreen(ModalScreen[None]):
    """Every key and what each screen is for."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,f1,q", "close", "Close help")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Markdown(help_text(), id="help-text")

    def on_mount(self) -> None:
        self.query_one("#help-box").focus()

    def action_close(self) -> None:
        self.dismiss(None)
