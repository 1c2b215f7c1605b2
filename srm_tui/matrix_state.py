"""The state of each cell of the responsibility matrix, from the findings: how many
checks fail, pass or are accepted as known risks in each layer of each service model
where the customer has a part (the responsibility data says which layer a check is
about). The wizard's matrix and the reports' both read it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from srm_tui.acceptances import Index
from srm_tui.catalog import responsibility
from srm_tui.model import Assessment, Responsibility, Severity, Status


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
    matrix: responsibility.Matrix, assessment: Assessment, index: Index | None = None
) -> dict[tuple[str, str], CellState]:
    """The state of every (layer, model) cell from the assessment's findings
    (``index``: its acceptances as already read, else as of today)."""
    states = {
        (layer.id, model.id): CellState(model.owner(layer.id))
        for layer in matrix.layers
        for model in matrix.models
    }
    layer_ids = {layer.id for layer in matrix.layers}
    accepted = index if index is not None else Index.of(assessment)
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


def short_title(title: str) -> str:
    """A service model's name in a matrix column: "Amazon EC2 (virtual machines)" is
    "EC2"."""
    head = title.split(" (")[0]
    for prefix in ("Amazon ", "AWS "):
        head = head.removeprefix(prefix)
    return head
