"""The organization scan on a Dask cluster: ``--executor dask://HOST:PORT``.

Each account is one Dask task: ``run_account(task, run_id)`` runs
``srm_tui.scan.scan_account`` on a worker, from the plain-data ``AccountTask`` alone.
No credential crosses the cluster: the worker uses its own credential chain (its
instance or task role) and assumes the member role itself. The client (this process)
takes each account's result as it arrives and hands it to the runner, which writes
that account's file at once, as it does for local threads.

- progress: the worker posts the account's start and, at most once a second, its scan's
  progress to a Dask event topic the client listens to;
- cancellation: tasks not started are cancelled on the scheduler; running ones see a
  Dask ``Event`` (polled each second) and stop soon, their accounts staying pending;
- a worker that dies mid-account: the scheduler runs the task again elsewhere; a task
  counts its attempts in the scheduler's metadata and refuses a third, so an account
  is tried twice at most and then becomes an account-level ``error``;
- a scheduler that goes away: ``results()`` raises ``ExecutorLost`` (one sentence); the
  accounts finished before are already written.

``distributed`` is imported only here, and only when a cluster is asked for: without
the ``srm-tui[cluster]`` extra, asking for one is one sentence.
"""

from __future__ import annotations

import contextlib
import importlib
import queue
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import asdict
from types import ModuleType
from typing import Any

from srm_tui.aws.session import Cancelled
from srm_tui.errors import SrmError
from srm_tui.organization.executor import Executor, ExecutorLost, Outcome, ScanFunction
from srm_tui.scan import AccountTask, Progress, scan_account
from srm_tui.secrets import redact

#: Attempts of one account: the first, and one more after its worker died.
MAX_ATTEMPTS = 2
#: Seconds between two progress events of one account (start and end always go).
PROGRESS_EVERY = 1.0
_POLL = 0.2
#: Seconds to wait for the scheduler to answer, at the start and after a lost connection.
CONNECT_TIMEOUT = 10.0


def import_distributed() -> ModuleType:
    """Dask's distributed scheduler, or one sentence saying how to get it."""
    try:
        return importlib.import_module("distributed")
    except ImportError:
        raise SrmError(
            "A Dask executor needs Dask's distributed scheduler: install srm-tui[cluster] "
            "(pip install 'srm-tui[cluster]')."
        ) from None


class DaskExecutor(Executor):
    """Runs each account as one task on the Dask cluster whose scheduler is at
    ``address`` (``tcp://HOST:PORT``), or through ``client`` (tests, benchmarks)."""

    #: Workers use their own credentials: every account, the caller's too, is
    #: reached through the member role.
    own_credentials = False

    def __init__(
        self,
        address: str = "",
        *,
        client: Any = None,
        function: ScanFunction | None = None,
        timeout: float | None = None,
    ) -> None:
        distributed = import_distributed()
        self._shown = address.removeprefix("tcp://")
        self._own_client = client is None
        timeout = CONNECT_TIMEOUT if timeout is None else timeout
        if client is None:
            try:
                client = distributed.Client(address, timeout=timeout, set_as_default=False)
            except (OSError, TimeoutError) as exc:
                raise SrmError(
                    f"No Dask scheduler answered at {self._shown} within {timeout:g} s "
                    f"({redact(str(exc) or type(exc).__name__)[:200]})."
                ) from None
        self._client = client
        self._function = function
        self._run_id = uuid.uuid4().hex[:16]
        self._topic = f"srm-tui-{self._run_id}"
        self._stop = distributed.Event(f"srm-tui-cancel-{self._run_id}", client=client)
        self._done: queue.Queue[str] = queue.Queue()
        self._futures: dict[str, tuple[Any, AccountTask]] = {}
        self._started: set[str] = set()
        self._cancelling = False
        self._lock = threading.Lock()
        client.subscribe_topic(self._topic, self._on_log)

    def submit(self, task: AccountTask) -> None:
        key = f"srm-account-{task.account_id}-{self._run_id}"
        future = self._client.submit(
            run_account, task, self._run_id, self._function, key=key, pure=False, retries=0
        )
        with self._lock:
            self._futures[key] = (future, task)
        future.add_done_callback(lambda done: self._done.put(done.key))

    def _on_log(self, event: tuple[float, dict[str, Any]]) -> None:
        """A worker's progress event (in the client's thread)."""
        message = event[1]
        key = message.get("key", "")
        with self._lock:
            entry = self._futures.get(key)
            if entry is None:
                return
            if message.get("kind") == "account_started":
                self._started.add(key)
        fields = {k: v for k, v in message.items() if k in Progress.__dataclass_fields__}
        if self.on_event is not None:
            with contextlib.suppress(Exception):  # a broken display must not stop the scan
                self.on_event(entry[1], Progress(**fields))

    def results(self) -> Iterator[Outcome]:
        while True:
            with self._lock:
                if not self._futures:
                    return
            try:
                key = self._done.get(timeout=_POLL)
            except queue.Empty:
                if self._client.status not in ("running", "connecting", "newly-created"):
                    self._lost()
                continue
            with self._lock:
                entry = self._futures.pop(key, None)
                self._started.discard(key)
            if entry is not None:
                yield self._outcome(*entry)

    def _outcome(self, future: Any, task: AccountTask) -> Outcome:
        status = future.status
        try:
            if status == "finished":
                return Outcome(task, future.result())
            if status == "cancelled":
                if self._cancelling:
                    return Outcome(task, cancelled=True)
                if self._client.status != "running":
                    self._lost()
                return Outcome(task, error="the cluster cancelled its task")
            error = future.exception()
        except Exception as exc:  # fetching the result failed: the connection broke
            if self._client.status != "running":
                self._lost()
            error = exc
        finally:
            future.release()
        if isinstance(error, Cancelled):
            return Outcome(task, cancelled=True)
        if type(error).__name__ == "KilledWorker":
            return Outcome(
                task, error=f"its worker stopped while scanning it ({MAX_ATTEMPTS} tries)"
            )
        reason = " ".join(str(error).split()) or type(error).__name__  # one line
        return Outcome(task, error=redact(reason)[:300])

    def _lost(self) -> None:
        raise ExecutorLost(
            f"The Dask scheduler at {self._shown or 'the cluster'} went away during the scan."
        )

    def cancel(self) -> None:
        self._cancelling = True
        with contextlib.suppress(Exception):  # a scheduler gone has nothing left to stop
            self._stop.set()
        with self._lock:
            waiting = [f for key, (f, _) in self._futures.items() if key not in self._started]
        if waiting:
            with contextlib.suppress(Exception):
                self._client.cancel(waiting)

    def close(self) -> None:
        with self._lock:
            left = bool(self._futures)
        if left:  # closed before every result was taken: stop the rest
            self.cancel()
        with contextlib.suppress(Exception):
            self._client.unsubscribe_topic(self._topic)
        if self._own_client:
            with contextlib.suppress(Exception):
                self._client.close(timeout=5)


def run_account(task: AccountTask, run_id: str, function: ScanFunction | None = None) -> Any:
    """Scan one account on a Dask worker (the task every account is).

    Counts its attempts in the scheduler: a third attempt (its worker died twice) is
    refused with an error. Posts progress to the client, and stops soon once the
    client sets the scan's cancel event."""
    distributed = import_distributed()
    worker = distributed.get_worker()
    client = distributed.get_client()
    tries = ["srm-tui", run_id, task.account_id]
    attempt = int(client.get_metadata(tries, 0)) + 1
    client.set_metadata(tries, attempt)
    if attempt > MAX_ATTEMPTS:
        raise SrmError(f"its worker stopped while scanning it ({MAX_ATTEMPTS} tries)")
    key = distributed.get_worker().get_current_task()
    topic = f"srm-tui-{run_id}"
    stop = distributed.Event(f"srm-tui-cancel-{run_id}", client=client)
    cancel = threading.Event()
    finished = threading.Event()

    def watch() -> None:
        while not finished.wait(1.0):
            with contextlib.suppress(Exception):
                if stop.is_set():
                    cancel.set()
                    return

    def post(event: Progress) -> None:
        worker.log_event(topic, {"key": key, **asdict(event)})

    last = [0.0]

    def on_progress(event: Progress) -> None:
        clock = time.monotonic()
        if event.kind in ("task_started", "task_done") and clock - last[0] < PROGRESS_EVERY:
            return
        last[0] = clock
        post(event)

    if stop.is_set():
        raise Cancelled()
    watcher = threading.Thread(target=watch, daemon=True, name="srm-cancel-watch")
    watcher.start()
    post(Progress("account_started"))
    try:
        return (function or scan_account)(task, on_progress, cancel)
    finally:
        finished.set()
