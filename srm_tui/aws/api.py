"""What a collector is handed: counted clients, paginators and other collectors'
results, each computed once per scan."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from srm_tui.aws.errors import CollectError, classify
from srm_tui.aws.session import AwsSession, Cancelled, ResponseCache

GLOBAL = "global"


@dataclass(frozen=True, slots=True)
class ItemError:
    """One resource whose detail could not be read (the rest of the collection stands)."""

    reason: str


@dataclass(slots=True)
class _Outcome:
    value: Any = None
    error: CollectError | None = None


class Memo:
    """Results per (collector, region), each computed by exactly one thread."""

    def __init__(self) -> None:
        # Answers shared between identical calls belong to the same scan as the results.
        self.responses = ResponseCache()
        self._lock = threading.Lock()
        self._key_locks: dict[tuple[str, str], threading.Lock] = {}
        self._results: dict[tuple[str, str], _Outcome] = {}

    def get(self, key: tuple[str, str], compute: Callable[[], Any]) -> Any:
        """The memoised value; a failure is memoised too and raised as CollectError."""
        with self._lock:
            key_lock = self._key_locks.setdefault(key, threading.Lock())
        with key_lock:
            outcome = self._results.get(key)
            if outcome is None:
                try:
                    outcome = _Outcome(value=compute())
                except Cancelled:
                    raise
                except CollectError as exc:
                    outcome = _Outcome(error=exc)
                self._results[key] = outcome
        if outcome.error is not None:
            raise outcome.error
        return outcome.value

    def done(self, key: tuple[str, str]) -> bool:
        """True once ``key`` has a result or an error."""
        return key in self._results

    def outcome(self, key: tuple[str, str]) -> tuple[Any, CollectError | None]:
        """(value, error) of a finished key."""
        found = self._results[key]
        return found.value, found.error


class Api:
    """The collectors' view of AWS for one scan."""

    def __init__(
        self,
        session: AwsSession,
        account_id: str,
        partition: str,
        regions: Iterable[str],
        home_region: str,
        memo: Memo | None = None,
        default_region: str | None = None,
    ) -> None:
        self.session = session
        self.account_id = account_id
        self.partition = partition
        self.regions = tuple(regions)
        self.home_region = home_region
        self.memo = memo or Memo()
        session.responses = self.memo.responses
        # The region a collector's clients use when it names none: its own region.
        self.default_region = default_region or home_region

    def bound(self, region: str) -> Api:
        """This Api with ``region`` as the default for clients ("global": home)."""
        default = self.home_region if region == GLOBAL else region
        return Api(
            self.session, self.account_id, self.partition, self.regions, self.home_region,
            self.memo, default,
        )  # fmt: skip

    def client(self, service: str, region: str | None = None) -> Any:
        """A counted client for ``region`` (default: the collector's own region; a
        global collector's is the home region)."""
        if region is None:
            region = self.default_region
        elif region == GLOBAL:
            region = self.home_region
        return self.session.client(service, region)

    def call(self, service: str, region: str | None, operation: str, **params: Any) -> Any:
        """One call by its snake_case name, e.g. ``call("ec2", r, "describe_regions")``."""
        return getattr(self.client(service, region), operation)(**params)

    def pages(
        self, service: str, region: str | None, operation: str, key: str, **params: Any
    ) -> list[Any]:
        """Every item under ``key`` across all pages (paginator where botocore has one)."""
        client = self.client(service, region)
        if not client.can_paginate(operation):
            return list(getattr(client, operation)(**params).get(key, []))
        items: list[Any] = []
        for page in client.get_paginator(operation).paginate(**params):
            items.extend(page.get(key, []))
        return items

    def optional(
        self,
        service: str,
        region: str | None,
        operation: str,
        *,
        missing: Iterable[str] = (),
        **params: Any,
    ) -> Any:
        """One call for one resource's detail: None when the answer is "not configured"
        (an error code in ``missing``), an ItemError for any other failure."""
        try:
            return self.call(service, region, operation, **params)
        except Cancelled:
            raise
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in set(missing):
                return None
            return ItemError(classify(exc, service, region or self.default_region).reason)
        except Exception as exc:
            return ItemError(classify(exc, service, region or self.default_region).reason)

    def each(self, fn: Callable[[Any], Any], items: Iterable[Any], workers: int = 4) -> list[Any]:
        """``[fn(item) for item in items]``, a few at a time: per-resource detail calls
        (one per bucket, one per snapshot) are latency-bound."""
        items = list(items)
        if len(items) < 2 or workers < 2:
            return [fn(item) for item in items]
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="srm-detail") as pool:
            return list(pool.map(fn, items))

    def data(self, name: str, region: str | None = None) -> Any:
        """Another collector's result (computed now if nobody has yet)."""
        from srm_tui.aws.collectors import COLLECTORS

        found = COLLECTORS[name]
        key_region = GLOBAL if found.scope == GLOBAL else (region or self.default_region)
        return self.run(name, key_region)

    def run(self, name: str, region: str) -> Any:
        """Run a collector once for ``region`` ("global" for global ones); errors are
        raised as CollectError (and remembered)."""
        from srm_tui.aws.collectors import COLLECTORS

        found = COLLECTORS[name]

        def compute() -> Any:
            try:
                return found.fn(self.bound(region), region)
            except (Cancelled, CollectError):
                raise
            except Exception as exc:
                raise classify(exc, found.service, region) from None

        return self.memo.get((name, region), compute)
