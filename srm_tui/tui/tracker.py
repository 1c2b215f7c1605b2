"""Progress of a running scan, gathered for the scan screen."""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from srm_tui.scan import Progress


class ScanTracker:
    """Progress of a running scan, written by worker threads and read by the UI.

    The engine reports every task; rather than one message per event, the UI reads
    this tracker a few times a second, so a fast scan never floods the screen.
    """

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.started = time.monotonic()
        self.ended: float | None = None
        self.done = 0
        self.total = 0
        self.passed = 0
        self.failed = 0
        self.errors = 0
        self.not_applicable = 0
        self.api_calls = 0
        self.account = ""
        self.message = ""
        self.tasks: dict[tuple[str, str], list[int]] = {}  # (service, region) -> [done, seen]
        # (service, region) -> why its collections failed (each reason once)
        self.failures: dict[tuple[str, str], list[str]] = {}

    def __call__(self, event: Progress) -> None:
        with self.lock:
            kind = event.kind
            if kind == "identity":
                self.account = event.message
            if event.total:
                self.total = event.total
            self.done = max(self.done, event.done)
            # Running totals only grow; an event without them must not reset them.
            self.passed = max(self.passed, event.passed)
            self.failed = max(self.failed, event.failed)
            self.errors = max(self.errors, event.errors)
            self.not_applicable = max(self.not_applicable, event.not_applicable)
            self.api_calls = max(self.api_calls, event.api_calls)
            if kind in ("task_started", "task_done") and event.service:
                counts = self.tasks.setdefault((event.service, event.region or "global"), [0, 0])
                if kind == "task_started":
                    counts[1] += 1
                else:
                    counts[0] += 1
                if kind == "task_done" and event.error:
                    reasons = self.failures.setdefault(
                        (event.service, event.region or "global"), []
                    )
                    if event.error not in reasons:
                        reasons.append(event.error)
            if kind in ("message", "identity") and event.message:
                self.message = event.message

    def elapsed(self) -> float:
        """Seconds since the scan started, up to its end once it ended."""
        return (self.ended or time.monotonic()) - self.started

    def snapshot(self) -> dict[str, Any]:
        """A consistent copy of the counts, for one redraw."""
        with self.lock:
            return {
                "done": self.done,
                "total": self.total,
                "passed": self.passed,
                "failed": self.failed,
                "errors": self.errors,
                "not_applicable": self.not_applicable,
                "api_calls": self.api_calls,
                "message": self.message,
                "account": self.account,
                "tasks": {k: tuple(v) for k, v in self.tasks.items()},
                "failures": {k: tuple(v) for k, v in self.failures.items()},
            }
