"""KMS checks: keys (rotation, policy, scheduled deletion) and the IAM policies that
allow decryption with any key."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from srm_tui.checks.context import Context, check
from srm_tui.checks.iam_policy import (
    allow_statements,
    allows_action,
    inline_policies,
    judge_customer_policies,
    on_any_resource,
)
from srm_tui.checks.resource_policy import public_statements
from srm_tui.collected import Unreadable
from srm_tui.model import Finding


def _blocked(key: dict[str, Any], *fields: str) -> str:
    """Why the key's data needed here could not be read ("" when it could)."""
    return "; ".join(key[f].reason for f in fields if isinstance(key.get(f), Unreadable))


@check("kms.key_rotation", needs=("kms.keys",))
def key_rotation(ctx: Context) -> Iterable[Finding]:
    for key in ctx.data("kms.keys"):
        blocked = _blocked(key, "manager", "rotation")
        if blocked:
            yield ctx.error(key["arn"], blocked)
        elif key["manager"] != "CUSTOMER":
            continue  # AWS managed keys rotate every year without the customer
        elif key["rotation"] is None:
            yield ctx.na(
                key["arn"],
                f"rotation does not apply: key is {key['state']}, "
                f"{key['spec']}, material from {key['origin']}",
            )
        elif key["rotation"]:
            yield ctx.ok(key["arn"], "automatic rotation enabled")
        else:
            yield ctx.fail(key["arn"], "automatic rotation disabled")


@check("kms.key_policy_public", needs=("kms.keys",))
def key_policy_public(ctx: Context) -> Iterable[Finding]:
    for key in ctx.data("kms.keys"):
        blocked = _blocked(key, "manager", "policy")
        if blocked:
            yield ctx.error(key["arn"], blocked)
            continue
        if key["manager"] != "CUSTOMER" or key["policy"] is None:
            continue
        try:
            public = public_statements(key["policy"])
        except ValueError as exc:
            yield ctx.error(key["arn"], f"the key policy cannot be read: {exc}")
            continue
        if public:
            yield ctx.fail(key["arn"], "key policy is open to anyone: " + "; ".join(public))
        else:
            yield ctx.ok(key["arn"], "no statement grants access to everyone")


@check("kms.scheduled_deletion", needs=("kms.keys",))
def scheduled_deletion(ctx: Context) -> Iterable[Finding]:
    for key in ctx.data("kms.keys"):
        blocked = _blocked(key, "manager")
        if blocked:
            yield ctx.error(key["arn"], blocked)
        elif key["manager"] != "CUSTOMER":
            continue  # AWS managed keys cannot be scheduled for deletion
        elif key["state"] in ("PendingDeletion", "PendingReplicaDeletion"):
            yield ctx.fail(key["arn"], "the key is scheduled for deletion")
        else:
            yield ctx.ok(key["arn"], f"not scheduled for deletion (state {key['state']})")


def _probe(ctx: Context) -> str:
    # A key ARN of no real region or account: a resource pattern that takes it in lets
    # the statement reach arbitrary keys.
    return f"arn:{ctx.partition}:kms:zz-probe-9:000000000000:key/00000000-probe"


def _decrypts_any_key(ctx: Context, document: Any) -> list[str]:
    """The blocked actions (kms:Decrypt, kms:ReEncryptFrom) that a document allows on
    all keys; conditions are left aside, as AWS's controls do."""
    probe = _probe(ctx)
    found: set[str] = set()
    for statement in allow_statements(document):
        if not on_any_resource(statement, probe):
            continue
        found.update(a for a in ctx.param("blocked_actions") if allows_action(statement, a))
    return sorted(found)


@check("kms.decrypt_all_keys_managed_policies", needs=("iam.authorization_details",))
def decrypt_all_keys_managed_policies(ctx: Context) -> Iterable[Finding]:
    def judge(document: Any) -> str:
        actions = _decrypts_any_key(ctx, document)
        return "allows " + ", ".join(actions) + " on all KMS keys" if actions else ""

    return judge_customer_policies(ctx, judge, "does not allow decryption on all KMS keys")


@check("kms.decrypt_all_keys_inline_policies", needs=("iam.authorization_details",))
def decrypt_all_keys_inline_policies(ctx: Context) -> Iterable[Finding]:
    seen = False
    for identity, documents in inline_policies(ctx.data("iam.authorization_details")):
        if not documents:
            continue
        seen = True
        arn = identity.get("Arn", "")
        broad = [
            f"{name} allows {', '.join(actions)}"
            for name, document in documents
            if (actions := _decrypts_any_key(ctx, document))
        ]
        if broad:
            yield ctx.fail(arn, "inline policy on all KMS keys: " + "; ".join(broad))
        else:
            yield ctx.ok(arn, "no inline policy allows decryption on all KMS keys")
    if not seen:
        yield ctx.na(ctx.account_arn("iam"), "no user, group or role has an inline policy")
