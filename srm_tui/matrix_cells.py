"""The state of each cell of the responsibility matrix (a layer of a service model):
how many of the customer's checks fail or pass there, and the worst failure. Shared by
the wizard's Responsibility tab and the reports."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from srm_tui.catalog import responsibility
from srm_tui.model import Assessment, Responsibility, Severity, Status

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
