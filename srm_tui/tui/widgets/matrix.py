"""The responsibility matrix: who owns each layer of each service model in use, with
the state of the customer's part taken from failing checks and high-risk answers."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from srm_tui.acceptances import Index
from srm_tui.catalog import responsibility
from srm_tui.model import Assessment, Responsibility, Risk, Section, Severity, Status
from srm_tui.scoring import summarise
from srm_tui.tui.host import HostOf
from srm_tui.tui.text import plain


def layer_of(check_id: str, service: str) -> str:
    """The layer of the stack a check is about (the responsibility data decides)."""
    return responsibility.load().layer_of(check_id, service)


@dataclass(slots=True)
class CellState:
    """What the scan says about one layer of one service model."""

    owner: Responsibility
    failed: int = 0
    passed: int = 0
    worst: Severity | None = None
    checks: Counter[str] = field(default_factory=Counter)
    accepted: int = 0  # failures accepted as known risks: not counted in ``failed``

    def add(self, status: Status, severity: Severity, check: str) -> None:
        if status is Status.FAIL:
            self.failed += 1
            self.checks[check] += 1
            if self.worst is None or severity.rank > self.worst.rank:
                self.worst = severity
        elif status is Status.PASS:
            self.passed += 1


def cell_states(
    matrix: responsibility.Matrix, assessment: Assessment
) -> dict[tuple[str, str], CellState]:
    """The state of every (layer, model) cell from the assessment's findings."""
    states = {
        (layer.id, model.id): CellState(model.owner(layer.id))
        for layer in matrix.layers
        for model in matrix.models
    }
    layer_ids = {layer.id for layer in matrix.layers}
    accepted = Index.of(assessment)
    for finding in assessment.findings:
        record = assessment.checks.get(finding.check)
        if record is None or finding.status not in (Status.FAIL, Status.PASS):
            continue
        layer = matrix.layer_of(record.id, record.service)
        if layer not in layer_ids:
            continue
        known_risk = bool(accepted) and accepted.accepted(finding)
        for model in matrix.models:
            if matrix.counts_in(record.service, model):
                state = states[(layer, model.id)]
                if state.owner is Responsibility.AWS:
                    continue
                if known_risk:
                    state.accepted += 1
                else:
                    state.add(finding.status, record.severity, record.id)
    return states


def cell_text(state: CellState) -> Text:
    """The cell as shown: owner, then a mark for the customer's part."""
    if state.owner is Responsibility.AWS:
        return Text("AWS", style="dim")
    owner = "You" if state.owner is Responsibility.CUSTOMER else "Shared"
    if state.failed:
        serious = state.worst is not None and state.worst.rank >= Severity.HIGH.rank
        style = "bold white on red" if serious else "black on yellow"
        return Text(f"{owner} ✗{state.failed}", style=style)
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
        "are yours, red when a high or critical check fails there, yellow for other "
        "failures, cyan when the only failures are accepted risks, green when checks pass."
    )

    srm = HostOf()

    def __init__(self) -> None:
        super().__init__(id="matrix")
        self._version = -1

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
        states = cell_states(matrix, assessment)
        scanned = "in use in the account" if assessment.scope.services else "(no scan yet: all)"
        self.query_one("#matrix-intro", Static).update(
            Text.assemble(
                ("Who secures what", "bold"),
                f", for the service models {scanned}. AWS = AWS's part, you inherit it; "
                "You / Shared = your part. ",
                ("✗n", "bold white on red"),
                " failing checks (high or critical), ",
                ("✗n", "black on yellow"),
                " failing checks, ",
                ("~n", "cyan"),
                " failures accepted as known risks, ",
                ("✓", "green"),
                " checks pass.",
            )
        )
        table = self.query_one("#matrix-table", DataTable)
        table.clear(columns=True)
        table.add_column("Layer", key="layer")
        for model in matrix.models:
            table.add_column(plain(_short(model.title)), key=model.id)
        for layer in matrix.layers:
            table.add_row(
                plain(layer.title),
                *[cell_text(states[(layer.id, m.id)]) for m in matrix.models],
                key=layer.id,
            )
        self.query_one("#matrix-summary", Static).update(
            summary_text(assessment, self.srm.sections)
        )


def _short(title: str) -> str:
    # "Amazon EC2 (virtual machines)" -> "EC2"
    head = title.split(" (")[0]
    for prefix in ("Amazon ", "AWS "):
        head = head.removeprefix(prefix)
    return head


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
