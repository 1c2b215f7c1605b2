"""The emulator's switch for AWS managed policies, shared by the demo's server and its
organization (a module of its own so that neither imports the other)."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Iterator

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


def only_in_the_aws_partition(account_ids: Iterable[str] | None = None) -> None:
    """Give each account (every account the emulator holds when None) its IAM in every
    partition but ``aws`` now, without managed policies. On each request the emulator
    looks the caller's access key up in every account's IAM of every partition,
    building each on first look: with managed policies on, that parsed and built
    ~1,300 policies six times per account, where the demo only ever uses the ``aws``
    partition (a third of the time it took to seed)."""
    from moto.iam.models import iam_backends
    from moto.utilities.utils import PARTITION_NAMES

    with without_managed_policies():
        for account_id in list(iam_backends) if account_ids is None else account_ids:
            backends = iam_backends[account_id]
            for partition in PARTITION_NAMES:
                if partition != "aws":
                    backends[partition]  # built on first look
