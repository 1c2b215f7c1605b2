"""What a collector is handed: the one interface every collector is typed against.

A collector reads AWS through it and nothing else: counted clients, whole listings,
one call, one resource's detail, a few detail calls at a time, and other collectors'
results. The scan hands each collector an implementation bound to one account and
one region (``srm_tui.aws.account_api.AccountApi``); nothing here holds a session.

The one error path: a collector raises nothing of its own for AWS errors. A failed
call fails the collection, and the engine turns it into a reason (access denied with
the IAM action, throttled, not supported by the endpoint, not reachable) that every
check needing the data reports as ``error``. Two answers are not failures:
"not configured" (an error code the caller names in ``missing``: the call answers
None) and, for one resource among many, AWS refusing that one resource
(``detail`` answers ``Unreadable``, so the others still count).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Protocol, TypeVar, runtime_checkable

GLOBAL = "global"

Item = TypeVar("Item")
Result = TypeVar("Result")


@runtime_checkable
class Api(Protocol):
    """One account's AWS as a collector sees it, with a default region (the region the
    collector runs for; the home region for a global collector)."""

    account_id: str
    partition: str
    regions: tuple[str, ...]  # every region of the scan
    home_region: str

    def client(self, service: str, region: str | None = None) -> Any:
        """A counted client for ``region`` (None: the default region; "global": home).
        For paginated answers that ``pages`` cannot flatten (nested lists)."""
        ...

    def call(
        self,
        service: str,
        region: str | None,
        operation: str,
        *,
        missing: Iterable[str] = (),
        **params: Any,
    ) -> Any:
        """One call by its snake_case name, e.g. ``call("ec2", None, "describe_regions")``.
        None when AWS answers an error listed in ``missing``: a code
        (``"NoSuchBucketPolicy"``), or a code and a word of its message
        (``"AccessDeniedException: not enabled"``)."""
        ...

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
        """Every item under ``key`` across all pages (a list), or None for ``missing``."""
        ...

    def detail(
        self,
        service: str,
        region: str | None,
        operation: str,
        *,
        missing: Iterable[str] = (),
        **params: Any,
    ) -> Any:
        """One call about one resource among many: as ``call``, and ``Unreadable`` (with
        the reason) when AWS refuses this resource, so the others still count."""
        ...

    def each(
        self, fn: Callable[[Item], Result], items: Iterable[Item], workers: int = 4
    ) -> list[Result]:
        """``[fn(item) for item in items]``, a few at a time: per-resource detail calls
        are latency-bound."""
        ...

    def data(self, name: str, region: str | None = None) -> Any:
        """Another collector's result for ``region`` (default: this one), computed once
        per scan whoever asks first."""
        ...
