"""The emulator's switch for AWS managed policies, shared by the demo's server and its
organization (a module of its own so that neither imports the other)."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator

MANAGED_POLICIES = "MOTO_IAM_LOAD_MANAGED_POLICIES"


@contextlib.contextmanager
def without_managed_policies() -> Iterator[None]:
    """The emulator rebuilds every account's IAM while it resets, loading ~1,300 AWS
    managed policies into each (seconds per account), only to drop them right after:
    a reset does not need them. Accounts built later (the seeds) get them again."""
    saved = os.environ.get(MANAGED_POLICIES)
    os.environ[MANAGED_POLICIES] = "false"
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop(MANAGED_POLICIES, None)
        else:
            os.environ[MANAGED_POLICIES] = saved
