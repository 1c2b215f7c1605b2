"""Following page tokens where botocore has no paginator, and for one resource's detail.

``api.pages`` uses botocore's paginators; a few listings have none (WAF Regional,
WAFv2, Athena work groups, EventBridge buses) and a per-resource detail that pages
(an HTTP API's routes) must still turn a refusal into ``Unreadable``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from srm_tui.aws.api import Api
from srm_tui.collected import Unreadable

# More pages than any real listing has: a token that never ends must not loop forever.
_MAX_PAGES = 10_000


def _follow(
    ask: Callable[..., Any], key: str, token_in: str, token_out: str, params: dict[str, Any]
) -> list[Any] | Unreadable:
    items: list[Any] = []
    token = None
    for _ in range(_MAX_PAGES):
        answer = ask(**({**params, token_in: token} if token else params))
        if isinstance(answer, Unreadable):
            return answer
        items.extend(answer.get(key) or [])
        token = answer.get(token_out)
        if not token:
            break
    return items


def token_pages(
    api: Api,
    service: str,
    region: str | None,
    operation: str,
    key: str,
    *,
    token_in: str = "NextToken",
    token_out: str = "NextToken",
    **params: Any,
) -> list[Any]:
    """Every item under ``key``, following ``token_out`` of each answer back as
    ``token_in`` of the next request."""
    ask = partial(api.call, service, region, operation)
    found = _follow(ask, key, token_in, token_out, params)
    assert not isinstance(found, Unreadable)  # api.call raises rather than answer one
    return found


def detail_pages(
    api: Api,
    service: str,
    region: str | None,
    operation: str,
    key: str,
    *,
    token_in: str = "NextToken",
    token_out: str = "NextToken",
    **params: Any,
) -> list[Any] | Unreadable:
    """Every item under ``key`` of one resource's paged detail (tokens as for
    ``token_pages``), or ``Unreadable`` when AWS refuses that resource (see
    ``Api.detail``)."""
    return _follow(
        partial(api.detail, service, region, operation), key, token_in, token_out, params
    )
