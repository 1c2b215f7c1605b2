"""The start screen: a new assessment, a file, or one of the recent ones."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from srm_tui import recent
from srm_tui.tui.host import HostOf
from srm_tui.tui.screens.dialogs import PathChoice, PathDialog
from srm_tui.tui.text import clean
from srm_tui.tui.widgets.footer import KeyFooter
from srm_tui.tui.widgets.topbar import TopBar
from srm_tui.workbench import free_path

INTRO = (
    "Review your side of the AWS Shared Responsibility Model: automatic read-only "
    "checks of an account, and questions about what no API can show. Everything is "
    "kept in one TOML file, saved after every change: stop at any time and resume here."
)


class StartScreen(Screen[None]):
    """What to work on."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new", "New", id="new"),
        Binding("o", "open", "Open file", id="open"),
        Binding("delete,x", "forget", "Forget recent", id="forget"),
    ]
    HELP_TITLE = "Start"
    HELP = (
        "Start a new assessment, open an assessment file, or pick up a recent one "
        "where you left it. The list shows each one's account, last change and how "
        "much of the questionnaire is answered."
    )

    srm = HostOf()

    def compose(self) -> ComposeResult:
        yield TopBar("Start")
        with Vertical(id="start"):
            yield Static(INTRO, id="intro")
            yield OptionList(id="start-options")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.refresh_recent()

    def on_screen_resume(self) -> None:
        self.refresh_recent()

    def refresh_recent(self) -> None:
        options = self.query_one("#start-options", OptionList)
        highlighted = options.highlighted
        options.clear_options()
        options.add_option(Option(Text("+ New assessment…", style="bold"), id="new"))
        options.add_option(Option(Text("> Open an assessment file…", style="bold"), id="open"))
        entries = recent.shown(self.srm.data_dir)
        options.add_option(None)
        if not entries:
            options.add_option(
                Option(Text("No recent assessments yet.", style="dim"), id="none", disabled=True)
            )
        if entries:
            for index, entry in enumerate(entries):
                options.add_option(Option(_recent_label(entry), id=f"recent-{index}"))
        self._entries = entries
        if highlighted is None:
            # Coming back to go on: Enter resumes the assessment worked on last.
            highlighted = options.get_option_index("recent-0") if entries else 0
        options.highlighted = highlighted
        options.focus()

    @on(OptionList.OptionSelected, "#start-options")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        option_id = event.option.id or ""
        if option_id == "new":
            self.action_new()
        elif option_id == "open":
            self.action_open()
        elif option_id.startswith("recent-"):
            entry = self._entries[int(option_id.split("-")[1])]
            if not entry.exists:
                self.srm.show_error(
                    f"{entry.path} is no longer there (moved or deleted). Press x on it "
                    "to take it off the list.",
                    title="File not found",
                )
                return
            self.srm.open_assessment(Path(entry.path))

    def action_new(self) -> None:
        stem = "demo-review" if self.srm.demo else "assessment"
        self.app.push_screen(
            PathDialog(
                "New assessment: where should it be saved?",
                default=str(free_path(Path.cwd(), stem)),
                hint="A new TOML file (Tab completes folder names). Nothing is written "
                "until you leave the next screen with Scan or Skip; Escape there cancels.",
                action="Create",
                must_be_new=True,
            ),
            self._open_result,
        )

    def action_open(self, typed: str = "", problem: str = "") -> None:
        self.app.push_screen(
            PathDialog(
                "Open an assessment file",
                default=typed or str(Path.cwd()) + "/",
                hint="Type a path; Tab completes it, and the folders and .toml files that "
                "match are listed below.",
                action="Open",
                must_exist=True,
                problem=problem,
            ),
            self._open_result,
        )

    def _open_result(self, result: PathChoice | None) -> None:
        if result is not None:
            path = result[0]
            # A file that cannot be opened is said in the dialog, asked again with the
            # path as typed, so that a slip is mended rather than typed afresh.
            self.srm.open_assessment(
                path, failed=lambda why: self.action_open(str(path), f"Cannot open it: {why}")
            )

    def action_forget(self) -> None:
        options = self.query_one("#start-options", OptionList)
        if options.highlighted is None:
            return
        option_id = options.get_option_at_index(options.highlighted).id or ""
        if option_id.startswith("recent-"):
            entry = self._entries[int(option_id.split("-")[1])]
            recent.forget(entry.path, self.srm.data_dir)
            self.refresh_recent()


def _recent_label(entry: recent.Recent) -> Text:
    # Names, accounts and paths came from assessment files and their names.
    text = Text()
    text.append(clean(entry.name or Path(entry.path).stem), style="bold")
    text.append(f"  {entry.answered}/{entry.total} answered ({entry.percent}%)")
    text.append(clean(f"  account {entry.account or 'not scanned yet'}"))
    second = f"\n  {entry.path}"
    if entry.updated is not None:
        second = f"\n  changed {entry.updated.astimezone():%Y-%m-%d %H:%M} · {entry.path}"
    text.append(clean(second), style="dim")
    if not entry.exists:
        text.append("  (missing)", style="red")
    return text
