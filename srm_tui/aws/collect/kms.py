"""KMS: keys with their manager, state, rotation and key policy."""

from __future__ import annotations

from typing import Any

from srm_tui.aws.collect.pages import items, load_document
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
)
def keys(api: Any, region: str) -> list[dict[str, Any]]:
    """Each key of the region. Rotation and policy are read for customer managed keys
    that are not being deleted (AWS managed keys rotate by themselves and their policy
    is not the customer's); rotation only where KMS supports it (enabled symmetric
    keys with key material from KMS)."""
    client = api.client("kms")
    found = []
    for listed in items(client, "list_keys", "Keys"):
        meta = client.describe_key(KeyId=listed["KeyId"])["KeyMetadata"]
        entry: dict[str, Any] = {
            "id": meta["KeyId"],
            "arn": meta.get("Arn", listed.get("KeyArn", "")),
            "manager": meta.get("KeyManager", ""),
            "state": meta.get("KeyState", ""),
            "spec": meta.get("KeySpec", meta.get("CustomerMasterKeySpec", "")),
            "origin": meta.get("Origin", ""),
            "rotation": None,
            "policy": None,
        }
        if entry["manager"] == "CUSTOMER" and entry["state"] not in _GONE:
            if (
                entry["state"] == "Enabled"
                and entry["spec"] == "SYMMETRIC_DEFAULT"
                and entry["origin"] == "AWS_KMS"
            ):
                status = client.get_key_rotation_status(KeyId=entry["id"])
                entry["rotation"] = bool(status.get("KeyRotationEnabled"))
            policy = client.get_key_policy(KeyId=entry["id"], PolicyName="default")["Policy"]
            entry["policy"] = load_document(policy) if isinstance(policy, str) else policy
        found.append(entry)
    return found
