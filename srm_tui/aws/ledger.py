"""The ledger: every API call of a scan, counted by service, operation and region."""

from __future__ import annotations

import json
import threading
from collections import Counter
from dataclasses import dataclass

from srm_tui.aws.actions import iam_action


@dataclass(frozen=True, slots=True)
class Call:
    """One API call as the ledger keeps it (parameters as canonical JSON)."""

    service: str
    operation: str
    region: str
    params: str

    @property
    def action(self) -> str:
        """The IAM action this call needs."""
        return iam_action(self.service, self.operation, self.params)


class Ledger:
    """A thread-safe record of API calls; each botocore call is recorded once
    (retries are not calls of their own)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._calls: Counter[Call] = Counter()
        self._total = 0

    def record(self, service: str, operation: str, region: str, params: object) -> None:
        """Count one call."""
        try:
            key = json.dumps(params, sort_keys=True, default=str)
        except (TypeError, ValueError):
            key = repr(params)
        call = Call(service, operation, region, key)
        with self._lock:
            self._calls[call] += 1
            self._total += 1

    @property
    def total(self) -> int:
        """Calls made so far."""
        return self._total

    def calls(self) -> Counter[Call]:
        """A copy of every distinct call and how often it was made."""
        with self._lock:
            return Counter(self._calls)

    def by_operation(self) -> dict[str, int]:
        """``"service:Operation" -> count`` (regions and parameters summed), sorted."""
        totals: Counter[str] = Counter()
        for call, count in self.calls().items():
            totals[f"{call.service}:{call.operation}"] += count
        return dict(sorted(totals.items()))

    def by_region(self) -> dict[str, int]:
        """``region -> count``."""
        totals: Counter[str] = Counter()
        for call, count in self.calls().items():
            totals[call.region] += count
        return dict(sorted(totals.items()))

    def actions(self) -> set[str]:
        """Every IAM action called."""
        return {call.action for call in self.calls()}

    def repeated(self) -> list[Call]:
        """Calls made more than once with the same parameters in the same region."""
        return [call for call, count in self.calls().items() if count > 1]
