"""KMS checks."""

from __future__ import annotations

from collections.abc import Iterable

import srm_tui.aws.collect.kms  # noqa: F401  (registers the collectors used here)
from srm_tui.checks.registry import Context, check
from srm_tui.checks.resource_policy import public_statements
from srm_tui.model import Finding, Status


def _blocked(key: dict, *actions: str) -> str:
    """Why the key's data needed here could not be read ("" when it could)."""
    reasons = [key.get("unreadable", {}).get(a) for a in actions]
    return "; ".join(r for r in reasons if r)


@check(
    "kms.key_rotation",
    title="Customer managed symmetric KMS keys rotate their key material",
    service="kms",
    severity="medium",
    responsibility="customer",
    scope="regional",
    needs=("kms.keys",),
    frameworks={
        "cis-aws-7.0": ["4.6"],
        "aws-fsbp": ["KMS.4"],
        "nist-csf-2.0": ["PR.DS"],
        "iso-27017": ["10.1.2"],
    },
    remediation=(
        "Turn on automatic rotation for each customer managed symmetric key "
        "(aws kms enable-key-rotation). "
        "https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html"
    ),
)
def key_rotation(ctx: Context) -> Iterable[Finding]:
    for key in ctx.data("kms.keys"):
        blocked = _blocked(key, "kms:DescribeKey", "kms:GetKeyRotationStatus")
        if blocked:
            yield ctx.finding(key["arn"], Status.ERROR, blocked)
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


@check(
    "kms.key_policy_public",
    title="KMS key policies do not grant access to everyone",
    service="kms",
    severity="critical",
    responsibility="customer",
    scope="regional",
    needs=("kms.keys",),
    frameworks={
        "cis-aws-7.0": ["2.21"],
        "aws-fsbp": ["KMS.5"],
        "nist-csf-2.0": ["PR.AA", "PR.DS"],
        "iso-27017": ["9.4.1"],
    },
    remediation=(
        'Replace "Principal": "*" in the key policy with the accounts or roles that need the '
        "key, or add a condition such as kms:CallerAccount or aws:PrincipalOrgID. "
        "https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html"
    ),
)
def key_policy_public(ctx: Context) -> Iterable[Finding]:
    for key in ctx.data("kms.keys"):
        blocked = _blocked(key, "kms:DescribeKey", "kms:GetKeyPolicy")
        if blocked:
            yield ctx.finding(key["arn"], Status.ERROR, blocked)
            continue
        if key["manager"] != "CUSTOMER" or key["policy"] is None:
            continue
        public = public_statements(key["policy"])
        if public:
            yield ctx.fail(key["arn"], "key policy is open to anyone: " + "; ".join(public))
        else:
            yield ctx.ok(key["arn"], "no statement grants access to everyone")
