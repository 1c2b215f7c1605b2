"""AWS WAF checks: WAF Classic (global and regional) web ACLs, rules and rule groups,
and WAFv2 web ACLs and rule groups (every region, and CloudFront's)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from srm_tui.checks import per_resource
from srm_tui.checks.context import CheckFunction, Context, check
from srm_tui.model import Finding

# (check id, collector, kind of resource, counted field, what it counts)
_CLASSIC_NOT_EMPTY = (
    ("waf.classic_regional_rule_conditions", "waf.classic_regional", "rules", "conditions",
     "condition"),
    ("waf.classic_regional_rule_group_rules", "waf.classic_regional", "rule_groups", "rules",
     "rule"),
    ("waf.classic_regional_web_acl_rules", "waf.classic_regional", "web_acls", "rules",
     "rule or rule group"),
    ("waf.classic_global_rule_conditions", "waf.classic_global", "rules", "conditions",
     "condition"),
    ("waf.classic_global_rule_group_rules", "waf.classic_global", "rule_groups", "rules",
     "rule"),
    ("waf.classic_global_web_acl_rules", "waf.classic_global", "web_acls", "rules",
     "rule or rule group"),
)  # fmt: skip


def _not_empty(collector: str, kind: str, field: str, what: str) -> Any:
    def run(ctx: Context) -> Iterable[Finding]:
        def judge(item: Mapping[str, Any]) -> Finding:
            count = item[field]
            if count:
                return ctx.ok(item["arn"], f"{item['name']}: {count} {what}(s)")
            return ctx.fail(item["arn"], f"{item['name']} has no {what}")

        return per_resource.each(ctx, ctx.data(collector)[kind], judge, fields=(field,))

    return run


CLASSIC_CHECKS: tuple[CheckFunction, ...] = tuple(
    check(check_id, needs=(collector,))(_not_empty(collector, kind, field, what))
    for check_id, collector, kind, field, what in _CLASSIC_NOT_EMPTY
)


@check("waf.classic_global_logging", needs=("waf.classic_global",))
def classic_global_logging(ctx: Context) -> Iterable[Finding]:
    def judge(acl: Mapping[str, Any]) -> Finding:
        if acl["logging"]:
            return ctx.ok(acl["arn"], f"{acl['name']}: logging enabled")
        return ctx.fail(acl["arn"], f"{acl['name']}: logging disabled")

    web_acls = ctx.data("waf.classic_global")["web_acls"]
    return per_resource.each(ctx, web_acls, judge, fields=("logging",))


def _each_v2(ctx: Context, kind: str, judge: Any) -> Iterator[Finding]:
    """``judge(item, region)`` for the region's WAFv2 items of ``kind``; in the scan's
    first region, CloudFront's too (reported under "global", once per scan)."""
    items = [(ctx.region, item) for item in ctx.data("wafv2.regional")[kind]]
    if ctx.regions and ctx.region == ctx.regions[0]:
        items += [("global", item) for item in ctx.data("wafv2.cloudfront")[kind]]
    for region, item in items:
        reason = per_resource.unreadable(item)
        if reason:
            yield ctx.error(item["arn"], f"could not read its details: {reason}", region)
        else:
            yield judge(item, region)


@check("waf.web_acl_rules", needs=("wafv2.regional", "wafv2.cloudfront"))
def web_acl_rules(ctx: Context) -> Iterable[Finding]:
    def judge(acl: Mapping[str, Any], region: str) -> Finding:
        if acl["rules"]:
            return ctx.ok(acl["arn"], f"{acl['name']}: {acl['rules']} rule(s)", region)
        return ctx.fail(acl["arn"], f"{acl['name']} has no rule or rule group", region)

    return _each_v2(ctx, "web_acls", judge)


@check("waf.rule_group_metrics", needs=("wafv2.regional", "wafv2.cloudfront"))
def rule_group_metrics(ctx: Context) -> Iterable[Finding]:
    def judge(group: Mapping[str, Any], region: str) -> Finding:
        if not group["rules"]:
            # AWS Config (wafv2-rulegroup-logging-enabled): a rule group without rules
            # has nothing to check, NOT_APPLICABLE.
            return ctx.na(group["arn"], f"{group['name']} has no rule", region)
        missing = [f"rule {name}" for name in group["rules_without_metrics"]]
        if not group["metrics"]:
            missing.insert(0, "the rule group")
        if missing:
            return ctx.fail(group["arn"], "no CloudWatch metrics for " + ", ".join(missing), region)
        return ctx.ok(group["arn"], "CloudWatch metrics on for the group and its rules", region)

    return _each_v2(ctx, "rule_groups", judge)
