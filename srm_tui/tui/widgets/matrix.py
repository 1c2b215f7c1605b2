"""The responsibility matrix: who owns each layer of each service model in use, with
the state of the customer's part taken from its failing findings."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from srm_tui.catalog import responsibility
from srm_tui.matrix_state import CellState, cell_states, layer_of, short_title
from srm_tui.model import Assessment, Responsibility, Risk, Section, Severity
from srm_tui.scoring import summarise
from srm_tui.tui.host import HostOf
from srm_tui.tui.messages import ShowFindings
from srm_tui.tui.text import plain


def cell_text(state: CellState) -> Text:
    """The cell as shown: owner, then a mark for the customer's part."""
    if state.owner is Responsibility.AWS:
        return Text("AWS", style="dim")
    owner = "You" if state.owner is Responsibility.CUSTOMER else "Shared"
    if state.failed:
        serious = state.worst is not None and state.worst.rank >= Severity.HIGH.rank
        style = "bold white on red" if serious else "black on yellow"
        # "!" marks a high or critical failure without colour.
        return Text(f"{owner} ✗{state.failed}{'!' if serious else ''}", style=style)
    if state.accepted:
        return Text(f"{owner} ~{state.accepted}", style="cyan")
    if state.passed:
        return Text(f"{owner} ✓", style="green")
    return Text(owner, style="bold")


class MatrixPane(Vertical):
    """Layers down, service models across; coloured by the customer's part."""

    HELP_TITLE = "Responsibility tab"
    HELP = (
        "Layers of the stack down, service models in use across. *AWS* cells are "
        "AWS's part (you inherit it, see its attestations); *You* and *Shared* cells "
        "are yours: ✗n! (red) when n findings fail there and a high or critical check "
        "is among them, ✗n (yellow) for other failures, ~n (cyan) when the only failures are accepted "
        "risks, ✓ (green) when checks pass. Enter on a cell shows its failing findings."
    )

    srm = HostOf()

    def __init__(self) -> None:
        super().__init__(id="matrix")
        self._version = -1
        self._states: dict[tuple[str, str], CellState] = {}
        self._titles: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        yield Static("", id="matrix-intro")
        yield DataTable(id="matrix-table", cursor_type="cell", zebra_stripes=False)
        yield Static("", id="matrix-summary")

    def on_mount(self) -> None:
        self.reload()

    def reload(self) -> None:
        session = self.srm.session
        if session is None:
            return
        self._version = session.version
        assessment = session.assessment
        matrix = responsibility.load().in_use(assessment.scope.services)
        states = self._states = cell_states(matrix, assessment)
        self._titles = {
            **{layer.id: layer.title for layer in matrix.layers},
            **{m.id: short_title(m.title) for m in matrix.models},
        }
        scanned = "in use in the account" if assessment.scope.services else "(no scan yet: all)"
        self.query_one("#matrix-intro", Static).update(
            Text.assemble(
                ("Who secures what", "bold"),
                f", for the service models {scanned}. AWS = AWS's part, you inherit it; "
                "You / Shared = your part. ",
                ("✗3!", "bold white on red"),
                " = 3 failing findings, a high or critical check among them; ",
                ("✗3", "black on yellow"),
                " = 3 failing findings; ",
                ("~3", "cyan"),
                " = 3 failures accepted as known risks; ",
                ("✓", "green"),
                " = checks pass. Enter on a cell lists its findings.",
            )
        )
        table = self.query_one("#matrix-table", DataTable)
        table.clear(columns=True)
        table.fixed_columns = 1  # the layer stays in view when scrolled sideways
        table.add_column("Layer", key="layer")
        for model in matrix.models:
            table.add_column(plain(short_title(model.title)), key=model.id)
        for layer in matrix.layers:
            table.add_row(
                plain(layer.title),
                *[cell_text(states[(layer.id, m.id)]) for m in matrix.models],
                key=layer.id,
            )
        self.query_one("#matrix-summary", Static).update(
            summary_text(assessment, self.srm.sections)
        )

    @on(DataTable.CellSelected, "#matrix-table")
    def _cell_selected(self, event: DataTable.CellSelected) -> None:
        """Enter on a cell of yours that fails: its failing findings, in Findings."""
        event.stop()
        layer, model = event.cell_key.row_key.value, event.cell_key.column_key.value
        state = self._states.get((str(layer), str(model)))
        if state is None or not state.checks:
            self.app.notify("No failing check in this cell.", title="Nothing to show")
            return
        title = f"{self._titles.get(str(layer), layer)} / {self._titles.get(str(model), model)}"
        self.post_message(ShowFindings(frozenset(state.checks), title))


def summary_text(assessment: Assessment, sections: Sequence[Section]) -> Text:
    """Risks left by the answers, by who owns the control."""
    summary = summarise(assessment, sections)
    text = Text("Questionnaire, by owner of the control: ", style="bold")
    for owner in (Responsibility.CUSTOMER, Responsibility.SHARED, Responsibility.AWS):
        counts = summary.by_responsibility[owner]
        if not counts.total:
            continue
        text.append(f"\n  {owner.label}: {counts.answered}/{counts.total} answered, ")
        text.append(f"{counts[Risk.HIGH]} high", style="bold red" if counts[Risk.HIGH] else "")
        text.append(f", {counts[Risk.MEDIUM]} medium risks")
    return text


__all__ = ["CellState", "MatrixPane", "cell_states", "cell_text", "layer_of", "summary_text"]
