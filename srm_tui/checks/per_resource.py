"""Judging collected resources one by one, where a resource's details may be unreadable.

A collector puts ``Unreadable`` where a detail AWS refused to show would be (one
resource among many); every check over those resources reports an ``error`` for that
resource and judges the others. ``each`` does that walk once for all of them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from srm_tui.checks.context import Context
from srm_tui.collected import Unreadable
from srm_tui.model import Finding

Judge = Callable[[Mapping[str, Any]], Finding | Iterable[Finding]]


def unreadable(resource: Mapping[str, Any], fields: Iterable[str] | None = None) -> str:
    """The reasons AWS gave for the resource's details it refused (among ``fields``
    only, when given), or ""."""
    values = resource.values() if fields is None else (resource.get(f) for f in fields)
    return "; ".join(v.reason for v in values if isinstance(v, Unreadable))


def each(
    ctx: Context,
    resources: Iterable[Mapping[str, Any]],
    judge: Judge,
    key: str = "arn",
    fields: Iterable[str] | None = None,
) -> Iterator[Finding]:
    """``judge`` every resource whose details were read (it gives one finding or
    several); an ``error`` finding, under ``resource[key]``, for each other one. With
    ``fields``, only those details count: a refusal elsewhere does not stop the check."""
    fields = None if fields is None else tuple(fields)
    for resource in resources:
        reason = unreadable(resource, fields)
        if reason:
            yield ctx.error(str(resource.get(key, "")), f"could not read its details: {reason}")
            continue
        verdict = judge(resource)
        if isinstance(verdict, Finding):
            yield verdict
        else:
            yield from verdict
