"""AWS Network Firewall: firewalls with their protections and logging, firewall
policies with their default actions, and stateless rule groups, per region."""

from __future__ import annotations

from typing import Any

from srm_tui.aws.api import Api
from srm_tui.aws.collectors import collector
from srm_tui.collected import Unreadable

SERVICE = "network-firewall"


def _firewall(api: Api, listed: dict[str, Any]) -> dict[str, Any]:
    arn = listed.get("FirewallArn", "")
    entry: dict[str, Any] = {"name": listed.get("FirewallName", ""), "arn": arn}
    described = api.detail(SERVICE, None, "describe_firewall", FirewallArn=arn)
    if isinstance(described, Unreadable):
        entry.update(delete_protection=described, subnet_change_protection=described)
    else:
        firewall = described.get("Firewall") or {}
        entry.update(
            delete_protection=bool(firewall.get("DeleteProtection")),
            subnet_change_protection=bool(firewall.get("SubnetChangeProtection")),
        )
    logging = api.detail(SERVICE, None, "describe_logging_configuration", FirewallArn=arn)
    if isinstance(logging, Unreadable):
        entry["log_types"] = logging
    else:
        configs = (logging.get("LoggingConfiguration") or {}).get("LogDestinationConfigs") or []
        entry["log_types"] = sorted({str(c.get("LogType", "")) for c in configs if c})
    return entry


@collector(
    "networkfirewall.firewalls",
    service=SERVICE,
    api_calls=(
        "network-firewall:ListFirewalls",
        "network-firewall:DescribeFirewall",
        "network-firewall:DescribeLoggingConfiguration",
    ),
    in_use=bool,
)
def firewalls(api: Api, region: str) -> list[dict[str, Any]]:
    """Each firewall: name, ARN, deletion and subnet change protection, and the log
    types it sends somewhere (``log_types``). A detail AWS refuses is ``Unreadable``."""
    listed = api.pages(SERVICE, None, "list_firewalls", "Firewalls")
    return api.each(lambda fw: _firewall(api, fw), listed)


def _policy(api: Api, listed: dict[str, Any]) -> dict[str, Any]:
    arn = listed.get("Arn", "")
    entry: dict[str, Any] = {"name": listed.get("Name", ""), "arn": arn}
    described = api.detail(SERVICE, None, "describe_firewall_policy", FirewallPolicyArn=arn)
    if isinstance(described, Unreadable):
        entry["policy"] = described
        return entry
    policy = described.get("FirewallPolicy") or {}
    entry["policy"] = {
        "stateless_groups": len(policy.get("StatelessRuleGroupReferences") or []),
        "stateful_groups": len(policy.get("StatefulRuleGroupReferences") or []),
        "full_packets": list(policy.get("StatelessDefaultActions") or []),
        "fragmented_packets": list(policy.get("StatelessFragmentDefaultActions") or []),
    }
    return entry


@collector(
    "networkfirewall.policies",
    service=SERVICE,
    api_calls=("network-firewall:ListFirewallPolicies", "network-firewall:DescribeFirewallPolicy"),
)
def policies(api: Api, region: str) -> list[dict[str, Any]]:
    """Each firewall policy: name, ARN and ``policy`` (how many stateless and stateful
    rule groups it uses, and its default stateless actions for full and fragmented
    packets), or ``Unreadable``."""
    listed = api.pages(SERVICE, None, "list_firewall_policies", "FirewallPolicies")
    return api.each(lambda p: _policy(api, p), listed)


def _rule_group(api: Api, listed: dict[str, Any]) -> dict[str, Any]:
    arn = listed.get("Arn", "")
    entry: dict[str, Any] = {"name": listed.get("Name", ""), "arn": arn}
    described = api.detail(SERVICE, None, "describe_rule_group", RuleGroupArn=arn, Type="STATELESS")
    if isinstance(described, Unreadable):
        entry["rules"] = described
        return entry
    source = (described.get("RuleGroup") or {}).get("RulesSource") or {}
    stateless = source.get("StatelessRulesAndCustomActions") or {}
    entry["rules"] = len(stateless.get("StatelessRules") or [])
    return entry


@collector(
    "networkfirewall.stateless_rule_groups",
    service=SERVICE,
    api_calls=("network-firewall:ListRuleGroups", "network-firewall:DescribeRuleGroup"),
)
def stateless_rule_groups(api: Api, region: str) -> list[dict[str, Any]]:
    """Each of the account's stateless rule groups: name, ARN and how many rules it
    holds (``rules``), or ``Unreadable``."""
    listed = api.pages(SERVICE, None, "list_rule_groups", "RuleGroups", Type="STATELESS")
    return api.each(lambda g: _rule_group(api, g), listed)
