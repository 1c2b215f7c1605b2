"""AWS WAF: classic web ACLs, rules and rule groups (global and regional), and WAFv2
web ACLs and rule groups (regional, and CloudFront's in us-east-1)."""

from __future__ import annotations

from typing import Any

from srm_tui.aws.api import Api
from srm_tui.aws.collect.paging import detail_pages, token_pages
from srm_tui.aws.collectors import collector
from srm_tui.collected import Unreadable

# WAFv2 keeps CloudFront's web ACLs and rule groups in this region of the aws partition.
_CLOUDFRONT_REGION = "us-east-1"
_MARKER: dict[str, Any] = {"token_in": "NextMarker", "token_out": "NextMarker", "Limit": 100}
_NO_LOGGING = ("WAFNonexistentItemException",)


def _count(answer: Any, *path: str) -> int | Unreadable:
    """The length of the list at ``path`` in an answer, or the answer if Unreadable."""
    if isinstance(answer, Unreadable):
        return answer
    for key in path[:-1]:
        answer = answer.get(key) or {}
    return len(answer.get(path[-1]) or [])


class _Classic:
    """One WAF Classic endpoint: ``waf`` (global) or ``waf-regional``."""

    def __init__(self, api: Api, service: str, region: str) -> None:
        self.api = api
        self.service = service
        self.where = "" if service == "waf" else region

    def arn(self, kind: str, ident: str) -> str:
        api = self.api
        return f"arn:{api.partition}:{self.service}:{self.where}:{api.account_id}:{kind}/{ident}"

    def listing(self, operation: str, key: str) -> list[dict[str, Any]]:
        return token_pages(self.api, self.service, None, operation, key, **_MARKER)

    def web_acl(self, listed: dict[str, Any], logging: bool) -> dict[str, Any]:
        ident = listed.get("WebACLId", "")
        answer = self.api.detail(self.service, None, "get_web_acl", WebACLId=ident)
        acl = {} if isinstance(answer, Unreadable) else answer.get("WebACL") or {}
        entry: dict[str, Any] = {
            "name": listed.get("Name", ""),
            "arn": acl.get("WebACLArn") or self.arn("webacl", ident),
            "rules": _count(answer, "WebACL", "Rules"),
        }
        if logging:
            config = self.api.detail(
                self.service, None, "get_logging_configuration",
                missing=_NO_LOGGING, ResourceArn=entry["arn"],
            )  # fmt: skip
            entry["logging"] = config if isinstance(config, Unreadable) else config is not None
        return entry

    def rule(self, listed: dict[str, Any]) -> dict[str, Any]:
        ident = listed.get("RuleId", "")
        answer = self.api.detail(self.service, None, "get_rule", RuleId=ident)
        return {
            "name": listed.get("Name", ""),
            "arn": self.arn("rule", ident),
            "conditions": _count(answer, "Rule", "Predicates"),
        }

    def rule_group(self, listed: dict[str, Any]) -> dict[str, Any]:
        ident = listed.get("RuleGroupId", "")
        activated = detail_pages(
            self.api, self.service, None, "list_activated_rules_in_rule_group",
            "ActivatedRules", RuleGroupId=ident, **_MARKER,
        )  # fmt: skip
        return {
            "name": listed.get("Name", ""),
            "arn": self.arn("rulegroup", ident),
            "rules": activated if isinstance(activated, Unreadable) else len(activated),
        }

    def collect(self, logging: bool) -> dict[str, list[dict[str, Any]]]:
        each = self.api.each
        return {
            "web_acls": each(
                lambda a: self.web_acl(a, logging), self.listing("list_web_acls", "WebACLs")
            ),
            "rules": each(self.rule, self.listing("list_rules", "Rules")),
            "rule_groups": each(self.rule_group, self.listing("list_rule_groups", "RuleGroups")),
        }


@collector(
    "waf.classic_global",
    service="waf",
    scope="global",
    api_calls=(
        "waf:ListWebACLs",
        "waf:GetWebACL",
        "waf:GetLoggingConfiguration",
        "waf:ListRules",
        "waf:GetRule",
        "waf:ListRuleGroups",
        "waf:ListActivatedRulesInRuleGroup",
    ),
)
def classic_global(api: Api, region: str) -> dict[str, list[dict[str, Any]]]:
    """WAF Classic's global resources (for CloudFront): web ACLs (name, ARN, number of
    rules and rule groups, whether logging is on), rules (name, ARN, number of
    conditions) and rule groups (name, ARN, number of rules). A count or setting AWS
    refused to show is Unreadable in its place."""
    return _Classic(api, "waf", region).collect(logging=True)


@collector(
    "waf.classic_regional",
    service="waf-regional",
    api_calls=(
        "waf-regional:ListWebACLs",
        "waf-regional:GetWebACL",
        "waf-regional:ListRules",
        "waf-regional:GetRule",
        "waf-regional:ListRuleGroups",
        "waf-regional:ListActivatedRulesInRuleGroup",
    ),
)
def classic_regional(api: Api, region: str) -> dict[str, list[dict[str, Any]]]:
    """WAF Classic Regional's resources of the region, as ``waf.classic_global`` gives
    them but without logging."""
    return _Classic(api, "waf-regional", region).collect(logging=False)


def _visibility(raw: dict[str, Any]) -> bool:
    return bool((raw.get("VisibilityConfig") or {}).get("CloudWatchMetricsEnabled"))


def _v2(api: Api, scope: str, region: str | None) -> dict[str, list[dict[str, Any]]]:
    def listing(operation: str, key: str) -> list[dict[str, Any]]:
        return token_pages(api, "wafv2", region, operation, key, Scope=scope, **_MARKER)

    def web_acl(listed: dict[str, Any]) -> dict[str, Any]:
        answer = api.detail(
            "wafv2", region, "get_web_acl",
            Name=listed.get("Name", ""), Scope=scope, Id=listed.get("Id", ""),
        )  # fmt: skip
        if isinstance(answer, Unreadable):
            rules: int | Unreadable = answer
        else:
            acl = answer.get("WebACL") or {}
            # Firewall Manager's rule groups run in the web ACL as its own rules do.
            rules = sum(
                len(acl.get(k) or [])
                for k in ("Rules", "PreProcessFirewallManagerRuleGroups",
                          "PostProcessFirewallManagerRuleGroups")
            )  # fmt: skip
        return {"name": listed.get("Name", ""), "arn": listed.get("ARN", ""), "rules": rules}

    def rule_group(listed: dict[str, Any]) -> dict[str, Any]:
        answer = api.detail(
            "wafv2", region, "get_rule_group",
            Name=listed.get("Name", ""), Scope=scope, Id=listed.get("Id", ""),
        )  # fmt: skip
        entry: dict[str, Any] = {"name": listed.get("Name", ""), "arn": listed.get("ARN", "")}
        if isinstance(answer, Unreadable):
            return {**entry, "rules": answer, "metrics": answer, "rules_without_metrics": answer}
        group = answer.get("RuleGroup") or {}
        entry["rules"] = len(group.get("Rules") or [])
        entry["metrics"] = _visibility(group)
        entry["rules_without_metrics"] = [
            str(r.get("Name", "")) for r in group.get("Rules") or [] if not _visibility(r)
        ]
        return entry

    return {
        "web_acls": api.each(web_acl, listing("list_web_acls", "WebACLs")),
        "rule_groups": api.each(rule_group, listing("list_rule_groups", "RuleGroups")),
    }


_V2_CALLS = ("wafv2:ListWebACLs", "wafv2:GetWebACL", "wafv2:ListRuleGroups", "wafv2:GetRuleGroup")


@collector("wafv2.regional", service="wafv2", api_calls=_V2_CALLS)
def v2_regional(api: Api, region: str) -> dict[str, list[dict[str, Any]]]:
    """The region's WAFv2 web ACLs (name, ARN, number of rules and rule groups) and
    rule groups (name, ARN, number of rules, whether the group and each of its rules send
    CloudWatch metrics). A detail AWS refused is Unreadable in its place."""
    return _v2(api, "REGIONAL", None)


@collector("wafv2.cloudfront", service="wafv2", scope="global", api_calls=_V2_CALLS)
def v2_cloudfront(api: Api, region: str) -> dict[str, list[dict[str, Any]]]:
    """CloudFront's WAFv2 web ACLs and rule groups, as ``wafv2.regional`` gives them.
    They live in us-east-1 in the aws partition (elsewhere, in the home region)."""
    return _v2(api, "CLOUDFRONT", _CLOUDFRONT_REGION if api.partition == "aws" else None)
