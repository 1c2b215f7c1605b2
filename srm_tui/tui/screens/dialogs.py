"""Small modal dialogs: a message, a path prompt for exports and file opening."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar, NamedTuple

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Checkbox, Input, Label, Select, Static

from srm_tui.report import formats as report_formats
from srm_tui.tui.screens.modal import Dialog
from srm_tui.tui.screens.type_ahead import TypeAhead
from srm_tui.tui.text import clean
from srm_tui.tui.widgets.marks import Tick
from srm_tui.tui.widgets.path_picker import PathPicker


class MessageDialog(Dialog[None]):
    """A message with one OK button (errors in red)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,enter", "close", "Close")]

    def __init__(self, message: str, title: str = "", error: bool = False) -> None:
        super().__init__(classes="dialog error" if error else "dialog")
        # Messages quote file names and file contents: shown cleaned, never as markup.
        self.message = clean(message)
        self.title_text = clean(title)

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog-box"):
            if self.title_text:
                yield Label(self.title_text, id="dialog-title", markup=False)
            yield Static(self.message, id="dialog-message", markup=False)
            with Horizontal(id="dialog-buttons"):
                yield Button("OK", variant="primary", id="ok")

    def on_mount(self) -> None:
        self.query_one("#ok", Button).focus()

    @on(Button.Pressed, "#ok")
    def action_close(self) -> None:
        self.dismiss(None)


class PathChoice(NamedTuple):
    """What the path dialog returns: the path, the chosen report format (empty when
    none was offered) and whether the account id is to be masked."""

    path: Path
    format: str = ""
    redact: bool = False


class PathDialog(Dialog[PathChoice | None], TypeAhead):
    """Ask for a file path (and a report format, and whether to mask the account id,
    when offered)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(
        self,
        title: str,
        default: str = "",
        formats: tuple[str, ...] = (),
        hint: str = "",
        action: str = "OK",
        redact_option: bool = False,
        must_exist: bool = False,
        must_be_new: bool = False,
        suffixes: tuple[str, ...] = (".toml",),
        problem: str = "",
    ) -> None:
        super().__init__(classes="dialog")
        # Why the path typed before would not do (shown when the dialog is asked again).
        self.problem = clean(problem)
        # Open takes an existing file only, New a name not taken: neither ever
        # creates or opens what the user did not ask for.
        self.must_exist = must_exist
        self.must_be_new = must_be_new
        self.suffixes = suffixes
        self.title_text = title
        self.default = default
        self.formats = formats
        self.hint = hint
        self.action = action
        self.redact_option = redact_option

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog-box"):
            yield Label(self.title_text, id="dialog-title", markup=False)
            if self.hint:
                yield Static(self.hint, id="dialog-hint", markup=False)
            yield PathPicker(self.default, self.suffixes)
            if self.formats:
                yield Select(
                    [(report_formats.get(f).label, f) for f in self.formats],
                    value=self.formats[0],
                    allow_blank=False,
                    id="format",
                )
            if self.redact_option:
                yield Tick("Mask the account id (also inside ARNs)", id="redact")
            yield Static(self.problem, id="dialog-problem", markup=False)
            with Horizontal(id="dialog-buttons"):
                yield Button(self.action, variant="primary", id="ok")
                yield Button("Cancel", id="cancel")

    @on(Select.Changed, "#format")
    def _format_changed(self, event: Select.Changed) -> None:
        # Keep the file's extension in step with the chosen format.
        path_input = self.query_one("#path", Input)
        if path_input.value.strip():
            chosen = report_formats.get(str(event.value))
            path_input.value = str(report_formats.with_suffix(path_input.value, chosen))

    @on(Input.Submitted, "#path")
    @on(Button.Pressed, "#ok")
    def _submit(self) -> None:
        value = self.query_one("#path", Input).value.strip()
        if not value:
            self.query_one("#dialog-problem", Static).update("Type a file path first.")
            return
        path = Path(value).expanduser()
        problem = self._problem(path)
        if problem:
            self.query_one("#dialog-problem", Static).update(clean(problem))
            return
        fmt = str(self.query_one("#format", Select).value) if self.formats else ""
        redact = self.redact_option and self.query_one("#redact", Checkbox).value
        self.dismiss(PathChoice(path, fmt, redact))

    def _problem(self, path: Path) -> str:
        """Why ``path`` will not do, in one sentence ("" when it will)."""
        if path.is_dir():
            return f"{path} is a folder: add a file name (Tab completes)."
        if not path.parent.is_dir():
            return f"The folder {path.parent} does not exist."
        if self.must_exist and not path.is_file():
            return f"There is no file {path}: check the name (Tab completes), or start a new assessment."
        if self.must_be_new and path.exists():
            return f"{path} already exists: choose another name, or open it with Open."
        return ""

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
