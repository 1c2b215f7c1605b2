"""Collectors: each fetches one kind of AWS data once per (region, parameters).

A collector is a function ``fn(api: Api, region: str) -> Any`` declared with
``@collector(name, service=..., scope=..., api_calls=...)``. The decorator only
describes the function; the shipped collectors are gathered by name from an explicit
list of modules (``srm_tui.aws.collect.index``), so importing a module registers
nothing anywhere. Checks never call AWS: they name the collectors they need.

``scope`` is ``"global"`` (collected once, in the home region, e.g. IAM) or
``"regional"`` (collected in each region of the scan). ``api_calls`` lists every IAM
action the collector may call: the generated policy is their union.

``reads`` names the other collectors whose results this one reads (``api.data``):
the scan keeps a result only until its last reader and the checks needing it have
run, so a collector that reads a result it did not declare is a programming error
(``UndeclaredRead``), raised wherever it happens rather than read stale or fetched
twice.

``in_use`` (optional) tells from a collector's result whether the account uses its
service (e.g. ``lambda`` has functions); the scan records those services in the
assessment's scope so that questions can apply only where they matter.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType, ModuleType
from typing import Any

from srm_tui.aws.api import Api

CollectorFn = Callable[[Api, str], Any]
SCOPES = ("global", "regional")


@dataclass(frozen=True, slots=True)
class Collector:
    """One collector: its name, what it may call, and its function."""

    name: str  # "ec2.security_groups"
    service: str  # boto3 service name, e.g. "ec2"
    scope: str  # "global" or "regional"
    api_calls: tuple[str, ...]  # IAM actions it may call, e.g. "ec2:DescribeSecurityGroups"
    fn: CollectorFn
    in_use: Callable[[Any], bool] | None = None
    reads: tuple[str, ...] = ()  # other collectors' results it reads (api.data)

    def __call__(self, api: Api, region: str) -> Any:
        """Collect now (no memo: ``api.data`` is the memoised way)."""
        return self.fn(api, region)


def collector(
    name: str,
    *,
    service: str,
    scope: str = "regional",
    api_calls: Iterable[str],
    in_use: Callable[[Any], bool] | None = None,
    reads: Iterable[str] = (),
) -> Callable[[CollectorFn], Collector]:
    """Describe a collector (see the module docstring)."""
    if scope not in SCOPES:
        raise ValueError(f"collector {name}: scope must be global or regional")

    def describe(fn: CollectorFn) -> Collector:
        return Collector(name, service, scope, tuple(api_calls), fn, in_use, tuple(reads))

    return describe


class UndeclaredRead(AssertionError):
    """A collector read another's result without naming it in ``reads``."""


def gather(modules: Iterable[ModuleType]) -> Mapping[str, Collector]:
    """Every collector defined in ``modules``, by name (read-only). A name defined
    twice is a programming error."""
    found: dict[str, Collector] = {}
    for module in modules:
        for value in vars(module).values():
            if not isinstance(value, Collector):
                continue
            first = found.setdefault(value.name, value)
            if first is not value:
                raise ValueError(f"collector {value.name} is defined twice")
    for value in found.values():
        unknown = [name for name in value.reads if name not in found]
        if unknown:
            raise ValueError(f"collector {value.name} reads unknown {', '.join(unknown)}")
    return MappingProxyType(dict(sorted(found.items())))
