"""The collectors' view of one AWS account for one scan: counted clients, paginators,
the one error path, and every collector's result computed once.

One ``AccountApi`` per account and scan: its memo and its shared answers belong to
that scan alone, so scanning several accounts means one of these each.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

from botocore.exceptions import ClientError
from botocore.parsers import ResponseParserError

from srm_tui.aws.answers import UnreadableAnswer
from srm_tui.aws.api import GLOBAL
from srm_tui.aws.collect.index import COLLECTORS
from srm_tui.aws.collectors import Collector, UndeclaredRead
from srm_tui.aws.errors import DENIED, FAILED, CollectError, classify
from srm_tui.aws.session import AwsSession, Cancelled, ResponseCache
from srm_tui.collected import Unreadable

Item = TypeVar("Item")
Result = TypeVar("Result")


@dataclass(slots=True)
class _Outcome:
    value: Any = None
    error: CollectError | None = None


class Memo:
    """Results per (collector, region), each computed by exactly one thread.

    Told who will read each result (``plan``: how many holds each key has, and which
    keys each collector reads), it lets a result go once its last hold is given back
    (``let_go``): a reading collector gives its holds back as soon as it has computed.
    The error of a result let go is kept (the scan reports it); reading its value again
    raises ``UndeclaredRead``, since every reader was to be declared."""

    def __init__(self) -> None:
        # Answers shared between identical calls belong to the same scan as the results.
        self.responses = ResponseCache()
        self._lock = threading.Lock()
        self._key_locks: dict[tuple[str, str], threading.Lock] = {}
        self._results: dict[tuple[str, str], _Outcome] = {}
        self._holds: dict[tuple[str, str], int] = {}
        self._reads: Mapping[tuple[str, str], tuple[tuple[str, str], ...]] = {}
        self._gone: set[tuple[str, str]] = set()

    def plan(
        self,
        holds: Mapping[tuple[str, str], int],
        reads: Mapping[tuple[str, str], tuple[tuple[str, str], ...]],
    ) -> None:
        """The holds on each result (its readers, its checks, its own task), and the
        results each key's collector reads; keys not in ``holds`` are kept."""
        with self._lock:
            self._holds = dict(holds)
            self._reads = dict(reads)

    def get(self, key: tuple[str, str], compute: Callable[[], Any]) -> Any:
        """The memoised value; a failure is memoised too and raised as CollectError."""
        with self._lock:
            key_lock = self._key_locks.setdefault(key, threading.Lock())
        with key_lock:
            outcome = self._results.get(key)
            if outcome is None:
                if key in self._gone:
                    raise UndeclaredRead(f"{key[0]} ({key[1]}) was read after it was let go")
                try:
                    outcome = _Outcome(value=compute())
                except Cancelled:
                    raise
                except CollectError as exc:
                    outcome = _Outcome(error=exc)
                self._results[key] = outcome
                for read in self._reads.get(key, ()):
                    self.let_go(read)  # this reader is done with what it read
        if outcome.value is _GONE:
            raise UndeclaredRead(f"{key[0]} ({key[1]}) was read after it was let go")
        if outcome.error is not None:
            raise outcome.error
        return outcome.value

    def let_go(self, key: tuple[str, str]) -> None:
        """Give back one hold on ``key``; its value goes with the last one."""
        with self._lock:
            if key not in self._holds:
                return
            self._holds[key] -= 1
            if self._holds[key] > 0:
                return
            del self._holds[key]
            self._gone.add(key)
            found = self._results.get(key)
            if found is not None and found.error is None:
                self._results[key] = _Outcome(_GONE)

    def held(self) -> list[tuple[str, str]]:
        """The keys whose value is still kept (a failure keeps only its error)."""
        with self._lock:
            return [
                key
                for key, found in self._results.items()
                if found.error is None and found.value is not _GONE
            ]

    def done(self, key: tuple[str, str]) -> bool:
        """True once ``key`` has a result or an error."""
        return key in self._results

    def outcome(self, key: tuple[str, str]) -> tuple[Any, CollectError | None]:
        """(value, error) of a finished key that is still held."""
        found = self._results[key]
        if found.value is _GONE:
            raise UndeclaredRead(f"{key[0]} ({key[1]}) was read after it was let go")
        return found.value, found.error

    def error(self, key: tuple[str, str]) -> CollectError | None:
        """Why a finished key failed (None: it did not), whether or not it is held."""
        return self._results[key].error


_GONE = object()  # the value of a result let go


def _not_well_formed(client: Any, operation: str) -> UnreadableAnswer:
    # botocore's parser error names no operation; the sentence a user reads should.
    name = client.meta.method_to_api_mapping.get(operation, operation)
    return UnreadableAnswer(name, "not well-formed", client.meta.service_model.service_name)


def _is_missing(error: ClientError, missing: Iterable[str]) -> bool:
    """True when the error is one the caller reads as "not configured": a code, or
    ``"Code: words"`` for a code whose message holds those words."""
    info = error.response.get("Error", {})
    code = str(info.get("Code", ""))
    message = str(info.get("Message", "") or "").lower()
    for entry in missing:
        wanted, _, words = entry.partition(":")
        if code == wanted.strip() and words.strip().lower() in message:
            return True
    return False


class AccountApi:
    """``srm_tui.aws.api.Api`` for one account and one scan, bound to a region."""

    def __init__(
        self,
        session: AwsSession,
        account_id: str,
        partition: str,
        regions: Iterable[str],
        home_region: str,
        memo: Memo | None = None,
        default_region: str | None = None,
        *,
        collectors: Mapping[str, Collector] | None = None,
        reader: tuple[Collector, str] | None = None,
    ) -> None:
        self.session = session
        self.account_id = account_id
        self.partition = partition
        self.regions = tuple(regions)
        self.home_region = home_region
        self.memo = memo or Memo()
        self.collectors = COLLECTORS if collectors is None else collectors
        session.responses = self.memo.responses
        # The region a collector's clients use when it names none: its own region.
        self.default_region = default_region or home_region
        # The collector this Api was handed to, and its region: it may read only the
        # results it declares (``Collector.reads``), of its own region or global ones.
        self.reader = reader

    def bound(self, region: str, reader: Collector | None = None) -> AccountApi:
        """This Api with ``region`` as the default for clients ("global": home), handed
        to ``reader`` when given."""
        default = self.home_region if region == GLOBAL else region
        return AccountApi(
            self.session, self.account_id, self.partition, self.regions, self.home_region,
            self.memo, default, collectors=self.collectors,
            reader=None if reader is None else (reader, region),
        )  # fmt: skip

    def _region(self, region: str | None) -> str:
        if region is None:
            return self.default_region
        return self.home_region if region == GLOBAL else region

    def client(self, service: str, region: str | None = None) -> Any:
        """A counted client for ``region`` (default: the collector's own region; a
        global collector's is the home region)."""
        return self.session.client(service, self._region(region))

    def call(
        self,
        service: str,
        region: str | None,
        operation: str,
        *,
        missing: Iterable[str] = (),
        **params: Any,
    ) -> Any:
        """One call by its snake_case name; None for an error listed in ``missing``."""
        client = self.client(service, region)
        try:
            return getattr(client, operation)(**params)
        except ClientError as exc:
            if missing and _is_missing(exc, missing):
                return None
            raise
        except ResponseParserError:
            raise _not_well_formed(client, operation) from None

    def pages(
        self,
        service: str,
        region: str | None,
        operation: str,
        key: str,
        *,
        missing: Iterable[str] = (),
        **params: Any,
    ) -> Any:
        """Every item under ``key`` across all pages (paginator where botocore has one),
        or None for an error listed in ``missing``."""
        client = self.client(service, region)
        try:
            if not client.can_paginate(operation):
                return list(getattr(client, operation)(**params).get(key) or [])
            items: list[Any] = []
            for page in client.get_paginator(operation).paginate(**params):
                items.extend(page.get(key) or [])
            return items
        except ClientError as exc:
            if missing and _is_missing(exc, missing):
                return None
            raise
        except ResponseParserError:
            raise _not_well_formed(client, operation) from None

    def detail(
        self,
        service: str,
        region: str | None,
        operation: str,
        *,
        missing: Iterable[str] = (),
        **params: Any,
    ) -> Any:
        """One call about one resource: as ``call``, and ``Unreadable`` when AWS's answer
        is about this resource (refused, gone since it was listed, or an answer that
        cannot be read). A failure of the service itself (throttled after retries,
        expired credentials, not supported, not reachable) fails the whole collection."""
        try:
            return self.call(service, region, operation, missing=missing, **params)
        except (ClientError, UnreadableAnswer, ResponseParserError) as exc:
            error = classify(exc, service, self._region(region))
            if error.kind in (DENIED, FAILED):
                return Unreadable(error.reason)
            raise

    def each(
        self, fn: Callable[[Item], Result], items: Iterable[Item], workers: int = 4
    ) -> list[Result]:
        """``[fn(item) for item in items]``, a few at a time: per-resource detail calls
        (one per bucket, one per snapshot) are latency-bound."""
        items = list(items)
        if len(items) < 2 or workers < 2:
            return [fn(item) for item in items]
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="srm-detail") as pool:
            return list(pool.map(fn, items))

    def data(self, name: str, region: str | None = None) -> Any:
        """Another collector's result (computed now if nobody has yet)."""
        found = self.collectors[name]
        key_region = GLOBAL if found.scope == GLOBAL else (region or self.default_region)
        if self.reader is not None:
            reader, own = self.reader
            if name not in reader.reads or key_region not in (GLOBAL, own):
                raise UndeclaredRead(
                    f"collector {reader.name} ({own}) reads {name} ({key_region}) without "
                    "declaring it in reads="
                )
        return self.run(name, key_region)

    def run(self, name: str, region: str) -> Any:
        """Run a collector once for ``region`` ("global" for global ones); errors are
        raised as CollectError (and remembered)."""
        found = self.collectors[name]

        def compute() -> Any:
            try:
                return found(self.bound(region, found), region)
            except (Cancelled, CollectError, UndeclaredRead):
                raise
            except Exception as exc:
                raise classify(exc, found.service, region) from None

        return self.memo.get((name, region), compute)
