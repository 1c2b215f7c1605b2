"""The Well-Architected Tool's client for ``wa-sync``: a plain boto3 client, apart
from the scan's counted, memoising session, because its calls write and must never be
shared or replayed from a cache."""

from __future__ import annotations

from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import ProfileNotFound

from srm_tui.aws.session import endpoint_from_env
from srm_tui.errors import SrmError


def wellarchitected_client(profile: str | None, endpoint_url: str | None, region: str) -> Any:
    """A ``wellarchitected`` client in ``region`` (standard retries, bounded timeouts)."""
    try:
        session = boto3.Session(profile_name=profile or None)
    except ProfileNotFound:
        raise SrmError(f"The AWS profile {profile!r} is not in your AWS config files.") from None
    return session.client(
        "wellarchitected",
        region_name=region,
        endpoint_url=endpoint_from_env(endpoint_url),
        config=Config(
            retries={"mode": "standard", "total_max_attempts": 3},
            connect_timeout=10,
            read_timeout=60,
        ),
    )
