"""One resource's detail that comes in pages (a parameter group's parameters, a backup
plan's selections), read so that AWS refusing that one resource gives ``Unreadable``
for it alone, as ``Api.detail`` does for a single call."""

from __future__ import annotations

from typing import Any

from srm_tui.aws.api import Api
from srm_tui.collected import Unreadable

# More pages than any real answer has: a marker that never ends must not loop forever.
MAX_PAGES = 1_000


def paged_detail(
    api: Api,
    service: str,
    operation: str,
    key: str,
    *,
    token_in: str = "Marker",
    token_out: str = "Marker",
    missing: tuple[str, ...] = (),
    **params: Any,
) -> list[Any] | Unreadable | None:
    """Every item under ``key`` across the pages of one resource's detail (the marker
    of each answer's ``token_out`` goes back as ``token_in``); ``Unreadable`` when AWS
    refuses the resource, None for an error listed in ``missing``."""
    items: list[Any] = []
    marker = None
    for _ in range(MAX_PAGES):
        request = {**params, token_in: marker} if marker else params
        answer = api.detail(service, None, operation, missing=missing, **request)
        if answer is None or isinstance(answer, Unreadable):
            return answer
        items.extend(answer.get(key) or [])
        marker = answer.get(token_out)
        if not marker:
            break
    return items
