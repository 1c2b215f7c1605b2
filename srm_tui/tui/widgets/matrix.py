"""The responsibility matrix: who owns each layer of each service model in use, with
the state of the customer's part taken from failing checks and high-risk answers."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from srm_tui.catalog import responsibility
from srm_tui.model import Assessment, Responsibility, Risk, Section, Severity, Status
from srm_tui.scoring import summarise
from srm_tui.tui.host import HostOf
from srm_tui.tui.messages import ShowFindings
from srm_tui.tui.text import plain

#: Services whose checks concern every service model (identity, keys, logging...).
CROSS_CUTTING = {
    "iam", "account", "accessanalyzer", "kms", "cloudtrail", "config", "cloudwatch",
    "guardduty", "securityhub", "macie", "organizations", "backup",
}  # fmt: skip
SERVICE_LAYER = {
    "iam": "identity", "account": "identity", "accessanalyzer": "identity",
    "organizations": "identity", "kms": "encryption", "cloudtrail": "logging",
    "config": "logging", "cloudwatch": "logging", "guardduty": "logging",
    "securityhub": "logging", "macie": "data", "s3": "data", "rds": "data",
    "efs": "data", "dynamodb": "data", "backup": "backups", "ecr": "application",
    "lambda": "application", "ecs": "runtime", "eks": "runtime", "ssm": "guest_os",
    "ec2": "network_config",
}  # fmt: skip
#: Words in a check id that say which layer it is about, before its service's default.
KEYWORD_LAYER = (
    ("encrypt", "encryption"), ("kms", "encryption"), ("tls", "encryption"),
    ("backup", "backups"), ("snapshot", "backups"), ("versioning", "backups"),
    ("logging", "logging"), ("flow_logs", "logging"), ("log_", "logging"),
    ("patch", "guest_os"), ("imds", "guest_os"), ("runtime", "runtime"),
    ("privileged", "runtime"), ("sg_", "network_config"), ("nacl", "network_config"),
    ("vpc", "network_config"), ("public_ip", "network_config"), ("endpoint", "network_config"),
    ("role", "identity"), ("mfa", "identity"), ("secret", "application"),
    ("public", "data"),
)  # fmt: skip


def layer_of(check_id: str, service: str) -> str:
    """The layer of the stack a check is about."""
    name = check_id.split(".", 1)[-1]
    for word, layer in KEYWORD_LAYER:
        if word in name:
            return layer
    return SERVICE_LAYER.get(service, "application")


@dataclass(slots=True)
class CellState:
    """What the scan says about one layer of one service model."""

    owner: Responsibility
    failed: int = 0
    passed: int = 0
    worst: Severity | None = None
    checks: Counter[str] = field(default_factory=Counter)

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
    for finding in assessment.findings:
        record = assessment.checks.get(finding.check)
        if record is None or finding.status not in (Status.FAIL, Status.PASS):
            continue
        layer = layer_of(record.id, record.service)
        if layer not in layer_ids:
            continue
        for model in matrix.models:
            if record.service in model.services or record.service in CROSS_CUTTING:
                state = states[(layer, model.id)]
                if state.owner is not Responsibility.AWS:
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
        # "!" marks a high or critical failure without colour.
        return Text(f"{owner} ✗{state.failed}{'!' if serious else ''}", style=style)
    if state.passed:
        return Text(f"{owner} ✓", style="green")
    return Text(owner, style="bold")


class MatrixPane(Vertical):
    """Layers down, service models across; coloured by the customer's part."""

    HELP_TITLE = "Responsibility tab"
    HELP = (
        "Layers of the stack down, service models in use across. *AWS* cells are "
        "AWS's part (you inherit it, see its attestations); *You* and *Shared* cells "
        "are yours: ✗n! (red) when n checks fail there and one is high or critical, "
        "✗n (yellow) for other failures, ✓ (green) when checks pass. Enter on a cell "
        "shows its failing findings."
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
            **{m.id: _short(m.title) for m in matrix.models},
        }
        scanned = "in use in the account" if assessment.scope.services else "(no scan yet: all)"
        self.query_one("#matrix-intro", Static).update(
            Text.assemble(
                ("Who secures what", "bold"),
                f", for the service models {scanned}. AWS = AWS's part, you inherit it; "
                "You / Shared = your part. ",
                ("✗3!", "bold white on red"),
                " = 3 failing checks, one high or critical; ",
                ("✗3", "black on yellow"),
                " = 3 failing checks; ",
                ("✓", "green"),
                " = checks pass. Enter on a cell lists its findings.",
            )
        )
        table = self.query_one("#matrix-table", DataTable)
        table.clear(columns=True)
        table.fixed_columns = 1  # the layer stays in view when scrolled sideways
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
