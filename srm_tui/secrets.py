"""A last guard so that no secret value reaches a file, a screen or a report.

Checks only ever name secrets (a variable's name, never its value); this module
catches what slips through: strings shaped like AWS secret keys, session tokens or
private keys are replaced before anything is written.
"""

from __future__ import annotations

import re

MASK = "[redacted]"

_PATTERNS = (
    # AWS secret access key: 40 characters of base64 with at least one '/' or '+'
    # or mixed case and digits, not part of a longer token.
    re.compile(
        r"(?<![A-Za-z0-9/+=])(?=[A-Za-z0-9/+]*[A-Z])(?=[A-Za-z0-9/+]*[a-z])"
        r"(?=[A-Za-z0-9/+]*[0-9])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])"
    ),
    # Access key ids (long-term and temporary).
    re.compile(r"(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])"),
    # PEM private keys.
    re.compile(
        r"-----BEGIN [A-Z ]*PRIVATE KEY-----.*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)", re.DOTALL
    ),
    # Long session tokens.
    re.compile(r"(?<![A-Za-z0-9/+=])(?:FwoG|IQoJ)[A-Za-z0-9/+=]{60,}"),
)


def redact(text: str) -> str:
    """``text`` with anything shaped like a credential replaced by ``[redacted]``."""
    if not text:
        return text
    for pattern in _PATTERNS:
        text = pattern.sub(MASK, text)
    return text
