"""Demo seed: KMS keys, rotating and not, with a private and a public key policy, one
scheduled for deletion, and IAM policies that decrypt with one key or with any."""

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


def _decrypt(resource: str) -> str:
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": resource}],
        }
    )


def _iam_policies(session: Any, key_arn: str) -> None:
    """A managed and an inline policy decrypting with one named key (pass) and with any
    key (fail)."""
    iam = session.client("iam")
    iam.create_policy(PolicyName="orders-decrypt", PolicyDocument=_decrypt(key_arn))
    iam.create_policy(PolicyName="decrypt-anything", PolicyDocument=_decrypt("*"))
    trust = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
                 "Action": "sts:AssumeRole"}
            ],
        }
    )  # fmt: skip
    for role, resource in (("orders-reader", key_arn), ("batch-reader", "*")):
        iam.create_role(RoleName=role, AssumeRolePolicyDocument=trust)
        iam.put_role_policy(RoleName=role, PolicyName="decrypt", PolicyDocument=_decrypt(resource))


def seed(session: Any, regions: Sequence[str], scale: int = 1) -> None:
    """Per region: a rotating key with a policy narrowed to the account (passes), a key
    without rotation whose policy lets anyone decrypt (fails), and in the first region a
    key scheduled for deletion."""
    account_id = session.client("sts", region_name=regions[0]).get_caller_identity()["Account"]
    for region in regions:
        kms = session.client("kms", region_name=region)
        for n in range(scale):
            good = kms.create_key(
                Description=f"orders data key {n}", Policy=_policy(account_id, public=False)
            )["KeyMetadata"]
            kms.enable_key_rotation(KeyId=good["KeyId"])
            kms.create_key(
                Description=f"legacy export key {n}", Policy=_policy(account_id, public=True)
            )
            if region == regions[0] and n == 0:
                _iam_policies(session, good["Arn"])
    retired = session.client("kms", region_name=regions[0]).create_key(
        Description="retired archive key", Policy=_policy(account_id, public=False)
    )["KeyMetadata"]["KeyId"]
    session.client("kms", region_name=regions[0]).schedule_key_deletion(
        KeyId=retired, PendingWindowInDays=30
    )
