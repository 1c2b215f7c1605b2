"""KMS: keys with their manager, state, rotation and key policy."""

from __future__ import annotations

from typing import Any

from srm_tui.aws.collect.pages import Unreadable, detail, items, load_document
from srm_tui.aws.collectors import collector

_GONE = ("PendingDeletion", "PendingReplicaDeletion")


@collector(
    "kms.keys",
    service="kms",
    api_calls=(
        "kms:ListKeys",
        "kms:DescribeKey",
        "kms:GetKeyRotationStatus",
        "kms:GetKeyPolicy",
    ),
    in_use=lambda keys: any(k["manager"] == "CUSTOMER" for k in keys),
)
def keys(api: Any, region: str) -> list[dict[str, Any]]:
    """Each key of the region. Rotation and policy are read for customer managed keys
    that are not being deleted (AWS managed keys rotate by themselves and their policy
    is not the customer's); rotation only where KMS supports it (enabled symmetric
    keys with key material from KMS). A detail the key's policy refuses to show is
    named in ``unreadable`` (IAM action -> reason) instead."""
    client = api.client("kms")
    found = []
    for listed in items(client, "list_keys", "Keys"):
        entry: dict[str, Any] = {
            "id": listed["KeyId"],
            "arn": listed.get("KeyArn", ""),
            "manager": "",
            "state": "",
            "spec": "",
            "origin": "",
            "rotation": None,
            "policy": None,
            "unreadable": {},
        }
        found.append(entry)
        described = detail("kms:DescribeKey", client.describe_key, KeyId=entry["id"])
        if isinstance(described, Unreadable):
            entry["unreadable"]["kms:DescribeKey"] = described.reason
            continue
        meta = described["KeyMetadata"]
        entry.update(
            arn=meta.get("Arn", entry["arn"]),
            manager=meta.get("KeyManager", ""),
            state=meta.get("KeyState", ""),
            spec=meta.get("KeySpec", meta.get("CustomerMasterKeySpec", "")),
            origin=meta.get("Origin", ""),
        )
        if entry["manager"] != "CUSTOMER" or entry["state"] in _GONE:
            continue
        if (
            entry["state"] == "Enabled"
            and entry["spec"] == "SYMMETRIC_DEFAULT"
            and entry["origin"] == "AWS_KMS"
        ):
            status = detail(
                "kms:GetKeyRotationStatus", client.get_key_rotation_status, KeyId=entry["id"]
            )
            if isinstance(status, Unreadable):
                entry["unreadable"]["kms:GetKeyRotationStatus"] = status.reason
            else:
                entry["rotation"] = bool(status.get("KeyRotationEnabled"))
        policy = detail(
            "kms:GetKeyPolicy", client.get_key_policy, KeyId=entry["id"], PolicyName="default"
        )
        if isinstance(policy, Unreadable):
            entry["unreadable"]["kms:GetKeyPolicy"] = policy.reason
        else:
            text = policy["Policy"]
            try:
                entry["policy"] = load_document(text) if isinstance(text, str) else text
            except ValueError as exc:
                entry["unreadable"]["kms:GetKeyPolicy"] = str(exc)
    return found
