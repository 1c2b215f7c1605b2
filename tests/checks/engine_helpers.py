"""Running one check over hand-made collected data, without AWS."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from srm_tui.checks.registry import Context, evaluate, load_all
from srm_tui.model import Finding, Status

ACCOUNT = "123456789012"


def run(
    check_id: str,
    data: Mapping[Any, Any],
    region: str = "global",
    regions: Iterable[str] = ("us-east-1",),
) -> list[Finding]:
    """Evaluate one check; ``data`` maps collector names (or (name, region)) to results."""
    found = load_all()[check_id]
    ctx = Context(check_id, region, ACCOUNT, data, regions=tuple(regions))
    return evaluate(found, ctx)


def by_resource(findings: Iterable[Finding]) -> dict[str, Status]:
    """Resource -> status (resources are unique within one check run)."""
    return {f.resource: f.status for f in findings}


def statuses(findings: Iterable[Finding]) -> list[Status]:
    """The statuses in order."""
    return [f.status for f in findings]
