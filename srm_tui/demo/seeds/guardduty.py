"""Demo seed: GuardDuty watches the first region with every protection plan; the second
has a suspended detector."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

_PLANS = (
    "S3_DATA_EVENTS", "EKS_AUDIT_LOGS", "EBS_MALWARE_PROTECTION", "RDS_LOGIN_EVENTS",
    "LAMBDA_NETWORK_LOGS",
)  # fmt: skip
_AGENTS = ("EKS_ADDON_MANAGEMENT", "ECS_FARGATE_AGENT_MANAGEMENT", "EC2_AGENT_MANAGEMENT")


def features(status: str) -> list[dict[str, Any]]:
    """Every protection plan, and Runtime Monitoring with each agent managed, at ``status``."""
    found: list[dict[str, Any]] = [{"Name": name, "Status": status} for name in _PLANS]
    found.append(
        {
            "Name": "RUNTIME_MONITORING",
            "Status": status,
            "AdditionalConfiguration": [{"Name": a, "Status": status} for a in _AGENTS],
        }
    )
    return found


def seed(session: Any, regions: Sequence[str], scale: int = 1) -> None:
    """An enabled detector with every plan in the first region; in the others a disabled
    detector whose plans are off."""
    for index, region in enumerate(regions):
        session.client("guardduty", region_name=region).create_detector(
            Enable=index == 0, Features=features("ENABLED" if index == 0 else "DISABLED")
        )
