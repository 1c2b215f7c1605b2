"""KMS checks."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from srm_tui.checks.context import Context, check
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
