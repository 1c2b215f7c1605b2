"""Small helpers shared by the service collectors: paging, error codes, per-resource
details that may be unreadable, and reading another collector's result."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from botocore.exceptions import ClientError


def items(client: Any, operation: str, key: str, **params: Any) -> list[Any]:
    """Every item under ``key`` across all pages of ``operation``."""
    found: list[Any] = []
    for page in client.get_paginator(operation).paginate(**params):
        found.extend(page.get(key) or [])
    return found


def error_code(error: ClientError) -> str:
    """The AWS error code of a ClientError ("" when there is none)."""
    return str(error.response.get("Error", {}).get("Code", ""))


@dataclass(frozen=True, slots=True)
class Unreadable:
    """One resource's detail that could not be read; the rest of the collection stands.
    Checks turn it into an ``error`` finding for that resource alone."""

    reason: str


def detail(
    action: str, call: Callable[..., Any], *, missing: Iterable[str] = (), **params: Any
) -> Any:
    """``call(**params)`` for one resource: None when AWS says the thing is not configured
    (an error code in ``missing``), Unreadable when it refuses (e.g. a KMS key policy
    that does not let the account read it). ``action`` is the IAM action, for the reason.
    Anything else (throttling after retries, an unknown operation) propagates."""
    try:
        return call(**params)
    except ClientError as error:
        code = error_code(error)
        if code in set(missing):
            return None
        if "AccessDenied" in code or code in ("UnauthorizedOperation", "AuthorizationError"):
            return Unreadable(f"access denied to {action}")
        raise


def shared(api: Any, name: str, region: str) -> Any:
    """Another collector's result: through the engine's memo when it offers one
    (``api.data``), else computed here."""
    reader = getattr(api, "data", None)
    if callable(reader):
        return reader(name, region)
    from srm_tui.aws.collectors import COLLECTORS

    return COLLECTORS[name].fn(api, region)


def load_document(text: str) -> Any:
    """A policy document's JSON (URL-encoded or not). A document nested deeper than
    Python can read is a ValueError saying so, like any other unreadable one."""
    try:
        return json.loads(unquote(text) if text.startswith("%") else text)
    except RecursionError:
        raise ValueError("the policy document is nested too deeply to read") from None
