"""What a reader gets from a JSON document: every string it holds (keys and values).

JSON writes a control character as an escape (``\\u001b``), so looking for one in the
raw text of a JSON report can never find it: the tests look in these strings instead.
"""

from __future__ import annotations

import json
from collections.abc import Iterator


def strings(node: object) -> Iterator[str]:
    """Every string of a parsed JSON document, keys included."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield key
            yield from strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from strings(value)
    elif isinstance(node, str):
        yield node


def held(text: str) -> str:
    """A JSON document's strings, joined; any other text as it is."""
    try:
        return " ".join(strings(json.loads(text)))
    except ValueError:
        return text
