"""Small helpers shared by the service collectors: paging and error codes."""

from __future__ import annotations

import json
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


def load_document(text: str) -> Any:
    """A policy document's JSON (URL-encoded or not). A document nested deeper than
    Python can read is a ValueError saying so, like any other unreadable one."""
    try:
        return json.loads(unquote(text) if text.startswith("%") else text)
    except RecursionError:
        raise ValueError("the policy document is nested too deeply to read") from None
