"""KMS: keys with their manager, state, rotation and key policy."""

from __future__ import annotations

from typing import Any

from srm_tui.aws.api import Api
from srm_tui.aws.collectors import collector
from srm_tui.collected import Unreadable, load_document

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
def keys(api: Api, region: str) -> list[dict[str, Any]]:
    """Each key of the region. Rotation and policy are read for customer managed keys
    that are not being deleted (AWS managed keys rotate by themselves and their policy
    is not the customer's); rotation only where KMS supports it (enabled symmetric
    keys with key material from KMS). A detail the key's policy refuses to show is
    ``Unreadable`` in its place: ``manager`` when the key cannot be described at all,
    else ``rotation`` or ``policy``."""
    found = []
    for listed in api.pages("kms", None, "list_keys", "Keys"):
        entry: dict[str, Any] = {
            "id": listed["KeyId"],
            "arn": listed.get("KeyArn", ""),
            "manager": "",
            "state": "",
            "spec": "",
            "origin": "",
            "rotation": None,
            "policy": None,
        }
        found.append(entry)
        described = api.detail("kms", None, "describe_key", KeyId=entry["id"])
        if isinstance(described, Unreadable):
            entry["manager"] = described
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
            status = api.detail("kms", None, "get_key_rotation_status", KeyId=entry["id"])
            entry["rotation"] = (
                status if isinstance(status, Unreadable) else bool(status.get("KeyRotationEnabled"))
            )
        policy = api.detail("kms", None, "get_key_policy", KeyId=entry["id"], PolicyName="default")
        entry["policy"] = policy if isinstance(policy, Unreadable) else _document(policy)
    return found


def _document(answer: dict[str, Any]) -> Any:
    text = answer["Policy"]
    try:
        return load_document(text) if isinstance(text, str) else text
    except ValueError as exc:
        return Unreadable(str(exc))
