"""Where the accounts of an organization scan run: an executor takes account tasks and
hands back each account's result as it finishes.

The contract every executor keeps (the local one here; a cluster one the same way):

- ``submit(task)`` queues one ``AccountTask`` (plain data, no credential); the work is
  ``srm_tui.scan.scan_account(task)``, run wherever the executor runs things;
- ``results()`` yields one ``Outcome`` per task submitted before it was called, in
  the order they finish, until every task has one (a task cancelled before it
  started yields an Outcome with ``cancelled`` set); interrupted (Ctrl-C), it may be
  called again for the outcomes not yet taken;
- ``cancel()`` cancels the tasks not started yet and asks running ones to stop soon
  (their result then has status ``cancelled``); it may be called from any thread;
- ``close()`` frees the workers; executors are context managers;
- ``own_credentials``: whether tasks run with the caller's credentials (threads here)
  or with the workers' own (a cluster), in which case every account, the caller's
  too, is reached through the member role.

``cluster_address`` reads the command line's ``--executor``: ``local`` (threads here)
or ``dask://HOST:PORT`` (``srm_tui.organization.cluster``); the runner's
``executor_for`` builds the executor it names.

An exception in a task (a worker that died, a bug) is an Outcome with ``error`` set,
never an exception out of ``results()``: the caller records that account as failed
and goes on with the others.
"""

from __future__ import annotations

import re
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from types import TracebackType
from typing import Self

from srm_tui.aws.session import Cancelled
from srm_tui.errors import SrmError, UsageError
from srm_tui.scan import AccountResult, AccountTask, Progress, scan_account
from srm_tui.secrets import redact

#: Runs one account: ``(task, on_progress, cancel) -> result``; ``scan_account`` in use.
ScanFunction = Callable[
    [AccountTask, Callable[[Progress], None] | None, threading.Event | None], AccountResult
]
#: Progress of one account: ``(task, event)``; ``event.kind == "account_started"`` first.
OnEvent = Callable[[AccountTask, Progress], None]

DEFAULT_PARALLEL = 4
LOCAL = "local"
_HOST = re.compile(r"[A-Za-z0-9._-]{1,253}|\[[0-9A-Fa-f:.]{2,45}\]")


class ExecutorLost(SrmError):
    """Raised by ``results()`` when the executor can no longer run anything (a cluster's
    scheduler went away); one sentence. The outcomes yielded before it stand."""


@dataclass(slots=True)
class Outcome:
    """How one task ended: its result, or why there is none."""

    task: AccountTask
    result: AccountResult | None = None
    error: str = ""  # the task failed outside the scan (a worker died, a bug)
    cancelled: bool = False  # cancelled before it ran


class Executor(ABC):
    """Runs account tasks and yields their outcomes as they finish."""

    #: Told when an account starts, and of its scan's progress where the executor can
    #: see it (set by ``listen``; a cluster may only report the start).
    on_event: OnEvent | None = None
    #: Whether tasks run with the caller's credentials (see the module's docstring).
    own_credentials: bool = True

    def listen(self, on_event: OnEvent | None) -> None:
        """Send the accounts' progress to ``on_event``."""
        self.on_event = on_event

    @abstractmethod
    def submit(self, task: AccountTask) -> None:
        """Queue one account."""

    @abstractmethod
    def results(self) -> Iterator[Outcome]:
        """One Outcome per submitted task, as each finishes."""

    @abstractmethod
    def cancel(self) -> None:
        """Cancel what has not started; ask what runs to stop soon."""

    def close(self) -> None:  # noqa: B027  (nothing to free by default)
        """Free the workers."""

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class LocalExecutor(Executor):
    """Threads in this process, ``parallel`` accounts at a time (each one running its
    regions and collectors in parallel inside)."""

    def __init__(
        self,
        parallel: int = DEFAULT_PARALLEL,
        on_event: OnEvent | None = None,
        function: ScanFunction | None = None,
    ) -> None:
        self.parallel = max(1, parallel)
        self.on_event = on_event
        self._function: ScanFunction = function or scan_account
        self._stop = threading.Event()
        self._pool = ThreadPoolExecutor(max_workers=self.parallel, thread_name_prefix="srm-account")
        self._futures: dict[Future[AccountResult], AccountTask] = {}

    def submit(self, task: AccountTask) -> None:
        self._futures[self._pool.submit(self._run, task)] = task

    def _run(self, task: AccountTask) -> AccountResult:
        on_event = self.on_event
        if on_event is not None:
            on_event(task, Progress("account_started"))
            return self._function(task, lambda event: on_event(task, event), self._stop)
        return self._function(task, None, self._stop)

    def results(self) -> Iterator[Outcome]:
        pending = set(self._futures)
        while pending:
            done, pending = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
            for future in done:
                yield self._outcome(future)

    def _outcome(self, future: Future[AccountResult]) -> Outcome:
        task = self._futures.pop(future)
        if future.cancelled():
            return Outcome(task, cancelled=True)
        error = future.exception()
        if isinstance(error, Cancelled):
            return Outcome(task, cancelled=True)
        if error is not None:
            return Outcome(task, error=redact(str(error) or type(error).__name__)[:300])
        return Outcome(task, future.result())

    def cancel(self) -> None:
        self._stop.set()
        for future in list(self._futures):
            future.cancel()

    def close(self) -> None:
        if self._futures:  # closed before every result was taken: stop the rest
            self.cancel()
        self._pool.shutdown(wait=True, cancel_futures=True)


def cluster_address(spec: str) -> str | None:
    """The scheduler address (``tcp://HOST:PORT``) of an ``--executor`` value, None for
    ``local``; UsageError for anything else."""
    if spec in ("", LOCAL):
        return None
    host, _, port = spec.removeprefix("dask://").rpartition(":")
    if (
        not spec.startswith("dask://")
        or not _HOST.fullmatch(host)
        or not port.isdigit()
        or not 0 < int(port) < 65536
    ):
        raise UsageError(
            f"--executor {spec[:80]!r} is neither 'local' nor dask://HOST:PORT "
            "(a Dask scheduler's address)."
        )
    return f"tcp://{host}:{int(port)}"
