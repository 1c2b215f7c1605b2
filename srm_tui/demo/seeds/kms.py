"""Demo seed: KMS keys, rotating and not, with a private and a public key policy."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any


def _policy(account_id: str, public: bool) -> str:
    statements: list[dict[str, Any]] = [
        {
            "Sid": "Owner",
            "Effect": "Allow",
            "Principal": {"AWS": f"arn:aws:iam::{account_id}:root"},
            "Action": "kms:*",
            "Resource": "*",
        }
    ]
    grant: dict[str, Any] = {
        "Sid": "UseFromAnywhere" if public else "UseWithinAccount",
        "Effect": "Allow",
        "Principal": {"AWS": "*"},
        "Action": ["kms:Decrypt", "kms:DescribeKey"],
        "Resource": "*",
    }
    if not public:
        grant["Condition"] = {"StringEquals": {"kms:CallerAccount": account_id}}
    statements.append(grant)
    return json.dumps({"Version": "2012-10-17", "Statement": statements})


def seed(session: Any, regions: Sequence[str], scale: int = 1) -> None:
    """Per region: a rotating key with a policy narrowed to the account (passes), and a
    key without rotation whose policy lets anyone decrypt (fails)."""
    account_id = session.client("sts", region_name=regions[0]).get_caller_identity()["Account"]
    for region in regions:
        kms = session.client("kms", region_name=region)
        for n in range(scale):
            good = kms.create_key(
                Description=f"orders data key {n}", Policy=_policy(account_id, public=False)
            )["KeyMetadata"]["KeyId"]
            kms.enable_key_rotation(KeyId=good)
            kms.create_key(
                Description=f"legacy export key {n}", Policy=_policy(account_id, public=True)
            )
