"""Demo seed: SSM documents the account owns, one shared with everyone and one shared
with a partner account only."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

_CONTENT = json.dumps(
    {
        "schemaVersion": "2.2",
        "description": "Rotate the application's log files.",
        "mainSteps": [
            {"action": "aws:runShellScript", "name": "rotate",
             "inputs": {"runCommand": ["logrotate -f /etc/logrotate.conf"]}}
        ],
    }
)  # fmt: skip
PARTNER = "111122223333"


def seed(session: Any, regions: Sequence[str], scale: int = 1) -> None:
    """In the first region, per ``scale``: ``rotate-logs-N`` shared publicly (fails) and
    ``rotate-logs-private-N`` shared with a partner account (passes)."""
    ssm = session.client("ssm", region_name=regions[0])
    for n in range(scale):
        for name, account in ((f"rotate-logs-{n}", "all"), (f"rotate-logs-private-{n}", PARTNER)):
            ssm.create_document(Content=_CONTENT, Name=name, DocumentType="Command")
            ssm.modify_document_permission(
                Name=name, PermissionType="Share", AccountIdsToAdd=[account]
            )
