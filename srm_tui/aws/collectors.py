"""Collectors: each fetches one kind of AWS data once per (region, parameters).

A collector is a function ``fn(api: Api, region: str) -> Any`` registered with
``@collector(name, service=..., scope=..., api_calls=...)``. ``Api`` hands out
boto3 clients that count every call in the ledger; collectors use paginators
wherever an operation pages. Checks never call AWS: they ask the context for a
collector's result by name.

``scope`` is ``"global"`` (collected once, in the home region, e.g. IAM) or
``"regional"`` (collected in each region of the scan).

``in_use`` (optional) tells from a collector's result whether the account uses its
service (e.g. ``lambda`` has functions); the scan records those services in the
assessment's scope so that questions can apply only where they matter. A collector
may read another one's result with ``api.data(name, region)``: it is computed once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

CollectorFn = Callable[[Any, str], Any]


@dataclass(frozen=True, slots=True)
class Collector:
    """One registered collector."""

    name: str  # "ec2.security_groups"
    service: str  # boto3 service name, e.g. "ec2"
    scope: str  # "global" or "regional"
    api_calls: tuple[str, ...]  # IAM actions it may call, e.g. "ec2:DescribeSecurityGroups"
    fn: CollectorFn
    in_use: Callable[[Any], bool] | None = None


COLLECTORS: dict[str, Collector] = {}


def collector(
    name: str,
    *,
    service: str,
    scope: str = "regional",
    api_calls: tuple[str, ...] | list[str],
    in_use: Callable[[Any], bool] | None = None,
) -> Callable[[CollectorFn], CollectorFn]:
    """Register a collector under ``name``."""
    if scope not in ("global", "regional"):
        raise ValueError(f"collector {name}: scope must be global or regional")

    def register(fn: CollectorFn) -> CollectorFn:
        if name in COLLECTORS:
            first = COLLECTORS[name]
            if (first.service, first.scope, set(first.api_calls)) == (
                service,
                scope,
                set(api_calls),
            ):
                # Two modules may need the same data; the first definition serves both.
                return fn
            raise ValueError(f"collector {name} registered twice, differently")
        COLLECTORS[name] = Collector(name, service, scope, tuple(api_calls), fn, in_use)
        return fn

    return register
