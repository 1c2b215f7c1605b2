"""RDS event notification subscriptions for critical events (RDS.19 to RDS.22).

Each control names a source type and the event categories a subscription for it
must send (a subscription with no categories sends them all), and passes where the
region has no event subscriptions at all. RDS.19 and RDS.20 judge each existing
subscription for their source type; RDS.21 and RDS.22 ask that one such
subscription exist once the region has any.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from srm_tui.checks.context import Context, check
from srm_tui.model import Finding


def _lacks(sub: Mapping[str, Any], categories: tuple[str, ...]) -> list[str]:
    """What the subscription does not send of ``categories`` ("disabled" when off)."""
    if not sub.get("enabled"):
        return ["disabled"]
    sent = {c.lower() for c in sub.get("categories") or []}
    return [c for c in categories if sent and c not in sent]


def _none_at_all(ctx: Context, subs: list[dict[str, Any]]) -> Finding | None:
    if subs:
        return None
    return ctx.ok(ctx.account_arn("rds"), "no event subscriptions in this region")


def _each_subscription(
    ctx: Context, source: str, categories: tuple[str, ...], what: str
) -> Iterable[Finding]:
    subs = ctx.data("rds.event_subscriptions")
    if empty := _none_at_all(ctx, subs):
        yield empty
        return
    mine = [s for s in subs if s.get("source_type") == source]
    if not mine:
        yield ctx.na(ctx.account_arn("rds"), f"no event subscription for {what}")
    for sub in mine:
        if lacking := _lacks(sub, categories):
            yield ctx.fail(sub["arn"], f"{what} events not sent: " + ", ".join(lacking))
        else:
            yield ctx.ok(sub["arn"], f"sends {what} events: " + ", ".join(categories))


def _one_subscription(
    ctx: Context, source: str, categories: tuple[str, ...], what: str
) -> Iterable[Finding]:
    subs = ctx.data("rds.event_subscriptions")
    if empty := _none_at_all(ctx, subs):
        yield empty
        return
    for sub in subs:
        if sub.get("source_type") == source and not _lacks(sub, categories):
            yield ctx.ok(sub["arn"], f"sends {what} events: " + ", ".join(categories))
            return
    yield ctx.fail(
        ctx.account_arn("rds"),
        f"no enabled event subscription sends {what} events: " + ", ".join(categories),
    )


@check("rds.cluster_event_subscription", needs=("rds.event_subscriptions",))
def cluster_event_subscription(ctx: Context) -> Iterable[Finding]:
    return _each_subscription(ctx, "db-cluster", ("maintenance", "failure"), "DB cluster")


@check("rds.instance_event_subscription", needs=("rds.event_subscriptions",))
def instance_event_subscription(ctx: Context) -> Iterable[Finding]:
    return _each_subscription(
        ctx, "db-instance", ("maintenance", "configuration change", "failure"), "DB instance"
    )


@check("rds.parameter_group_event_subscription", needs=("rds.event_subscriptions",))
def parameter_group_event_subscription(ctx: Context) -> Iterable[Finding]:
    return _one_subscription(
        ctx, "db-parameter-group", ("configuration change",), "DB parameter group"
    )


@check("rds.security_group_event_subscription", needs=("rds.event_subscriptions",))
def security_group_event_subscription(ctx: Context) -> Iterable[Finding]:
    return _one_subscription(
        ctx, "db-security-group", ("configuration change", "failure"), "DB security group"
    )
