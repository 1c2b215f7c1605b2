"""Text from outside the program (AWS names and policies, user notes) made safe to
show: nothing in it may move a terminal's cursor, change its title or reorder text.

Every output uses ``clean``: the scan on what it keeps from AWS, the reports, the
plain mode and the progress lines.
"""

from __future__ import annotations

import re

# Control characters (terminal escapes start with one: ESC, the C1 CSI, BEL ends a
# title change) and the invisible marks that reorder or hide text (bidirectional
# overrides, zero-width characters).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def clean(text: str) -> str:
    """Drop control characters (terminal escapes among them); keep newlines and tabs."""
    return _CONTROL.sub("", text)
