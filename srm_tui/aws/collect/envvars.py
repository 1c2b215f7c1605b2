"""Environment variables reduced to what a check may see: names, never values.

Lambda functions and ECS containers hand their environment to the scanner in the
clear. The values are looked at here, once, for the shape of a credential or of a
reference to a secret store, and then dropped, so no value ever reaches the
collected data, a finding, the assessment file or a report.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from srm_tui.secrets import redact

# A URL carrying a password in its user part (postgres://user:pass@host/db).
_URL_PASSWORD = re.compile(r"://[^/\s:@]+:[^/\s@]+@")
# A value that points at a secret store is the good practice, not a leak.
_REFERENCE = re.compile(
    r"^(arn:aws[a-z-]*:(secretsmanager|ssm|kms):|\{\{resolve:|ssm:/|/aws/reference/)", re.I
)


def describe(variables: Mapping[str, Any] | Iterable[tuple[str, Any]]) -> list[dict[str, Any]]:
    """One entry per variable: its name and two facts about its value.

    ``credential_value``: the value has the shape of an AWS key, token or private key,
    or is a URL with a password in it.
    ``reference_value``: the value is an ARN or path of Secrets Manager, SSM or KMS.
    """
    pairs = variables.items() if isinstance(variables, Mapping) else variables
    described = []
    for name, value in pairs:
        text = "" if value is None else str(value)
        described.append(
            {
                "name": str(name),
                "credential_value": bool(text)
                and (redact(text) != text or bool(_URL_PASSWORD.search(text))),
                "reference_value": bool(_REFERENCE.match(text)),
            }
        )
    return described
