"""The vocabulary of collected data that collectors write and checks read.

No AWS client here: checks import this module, and checks never load boto.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote


@dataclass(frozen=True, slots=True)
class Unreadable:
    """One resource's detail that AWS refused to show (e.g. a key policy that shuts the
    scanner out), in place of the value; the rest of the collection stands. A check
    turns it into an ``error`` finding for that resource alone, never a pass or a fail."""

    reason: str


def load_document(text: str) -> Any:
    """A policy document's JSON (URL-encoded or not). A document nested deeper than
    Python can read is a ValueError saying so, like any other unreadable one."""
    try:
        return json.loads(unquote(text) if text.startswith("%") else text)
    except RecursionError:
        raise ValueError("the policy document is nested too deeply to read") from None
