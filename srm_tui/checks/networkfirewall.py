"""AWS Network Firewall checks: logging, deletion and subnet change protection of
firewalls, rule groups and default stateless actions of policies, and empty stateless
rule groups (AWS FSBP NetworkFirewall.2-6, .9, .10)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from srm_tui.checks.context import Context, check
from srm_tui.collected import Unreadable
from srm_tui.model import Finding

FIREWALLS = "networkfirewall.firewalls"
POLICIES = "networkfirewall.policies"
RULE_GROUPS = "networkfirewall.stateless_rule_groups"


def _each(
    ctx: Context, name: str, field: str, what: str, judge: Callable[[Any], tuple[bool, str]]
) -> Iterable[Finding]:
    """One finding per item of collector ``name``, judging its ``field`` (an error where
    that detail was ``Unreadable``)."""
    items = ctx.data(name)
    for item in items:
        value = item[field]
        if isinstance(value, Unreadable):
            yield ctx.error(item["arn"], value.reason)
            continue
        passed, detail = judge(value)
        detail = f"{item['name']}: {detail}"
        yield ctx.ok(item["arn"], detail) if passed else ctx.fail(item["arn"], detail)
    if not items:
        yield ctx.na(ctx.account_arn("network-firewall"), f"no {what} in this region")


@check("networkfirewall.logging", needs=(FIREWALLS,))
def logging(ctx: Context) -> Iterable[Finding]:
    def judge(types: list[str]) -> tuple[bool, str]:
        if types:
            return True, f"logs {', '.join(t.lower() for t in types)} records"
        return False, "sends no logs"

    return _each(ctx, FIREWALLS, "log_types", "firewalls", judge)


def _protection(ctx: Context, field: str, label: str) -> Iterable[Finding]:
    return _each(
        ctx, FIREWALLS, field, "firewalls", lambda on: (on, f"{label} {'on' if on else 'off'}")
    )


@check("networkfirewall.deletion_protection", needs=(FIREWALLS,))
def deletion_protection(ctx: Context) -> Iterable[Finding]:
    return _protection(ctx, "delete_protection", "deletion protection")


@check("networkfirewall.subnet_change_protection", needs=(FIREWALLS,))
def subnet_change_protection(ctx: Context) -> Iterable[Finding]:
    return _protection(ctx, "subnet_change_protection", "subnet change protection")


@check("networkfirewall.policy_rule_groups", needs=(POLICIES,))
def policy_rule_groups(ctx: Context) -> Iterable[Finding]:
    def judge(policy: dict[str, Any]) -> tuple[bool, str]:
        stateless, stateful = policy["stateless_groups"], policy["stateful_groups"]
        detail = f"{stateless} stateless and {stateful} stateful rule group(s)"
        return bool(stateless or stateful), detail

    return _each(ctx, POLICIES, "policy", "firewall policies", judge)


def _default_action(ctx: Context, field: str, packets: str) -> Iterable[Finding]:
    allowed = {str(a) for a in ctx.param("stateless_default_actions")}

    def judge(policy: dict[str, Any]) -> tuple[bool, str]:
        # The standard action is one of aws:pass, aws:drop, aws:forward_to_sfe; a custom
        # action may be listed beside it.
        standard = [a for a in policy[field] if str(a).startswith("aws:")]
        detail = f"default stateless action for {packets} packets: {', '.join(standard) or 'none'}"
        return bool(standard) and all(a in allowed for a in standard), detail

    return _each(ctx, POLICIES, "policy", "firewall policies", judge)


@check("networkfirewall.stateless_default_full", needs=(POLICIES,))
def stateless_default_full(ctx: Context) -> Iterable[Finding]:
    return _default_action(ctx, "full_packets", "full")


@check("networkfirewall.stateless_default_fragmented", needs=(POLICIES,))
def stateless_default_fragmented(ctx: Context) -> Iterable[Finding]:
    return _default_action(ctx, "fragmented_packets", "fragmented")


@check("networkfirewall.stateless_rule_group_not_empty", needs=(RULE_GROUPS,))
def stateless_rule_group_not_empty(ctx: Context) -> Iterable[Finding]:
    return _each(
        ctx, RULE_GROUPS, "rules", "stateless rule groups",
        lambda count: (count > 0, f"{count} rule(s)"),
    )  # fmt: skip
