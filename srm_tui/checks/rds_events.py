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


def _subscriptions(
    ctx: Context, source: str, categories: tuple[str, ...], what: str, *, each: bool
) -> Iterable[Finding]:
    """``each``: judge every subscription for ``source``; else ask that one of them
    send the categories. Either way the region passes when it has no subscriptions."""
    subs = ctx.data("rds.event_subscriptions")
    if not subs:
        yield ctx.ok(ctx.account_arn("rds"), "no event subscriptions in this region")
        return
    mine = [s for s in subs if s.get("source_type") == source]
    good = f"sends {what} events: " + ", ".join(categories)
    if not each:
        found = next((s for s in mine if not _lacks(s, categories)), None)
        if found:
            yield ctx.ok(found["arn"], good)
        else:
            yield ctx.fail(ctx.account_arn("rds"), f"no enabled event subscription {good}")
        return
    if not mine:
        yield ctx.na(ctx.account_arn("rds"), f"no event subscription for {what}")
    for sub in mine:
        if lacking := _lacks(sub, categories):
            yield ctx.fail(sub["arn"], f"{what} events not sent: " + ", ".join(lacking))
        else:
            yield ctx.ok(sub["arn"], good)


@check("rds.cluster_event_subscription", needs=("rds.event_subscriptions",))
def cluster_event_subscription(ctx: Context) -> Iterable[Finding]:
    return _subscriptions(ctx, "db-cluster", ("maintenance", "failure"), "DB cluster", each=True)


@check("rds.instance_event_subscription", needs=("rds.event_subscriptions",))
def instance_event_subscription(ctx: Context) -> Iterable[Finding]:
    return _subscriptions(
        ctx, "db-instance", ("maintenance", "configuration change", "failure"), "DB instance",
        each=True,
    )  # fmt: skip


@check("rds.parameter_group_event_subscription", needs=("rds.event_subscriptions",))
def parameter_group_event_subscription(ctx: Context) -> Iterable[Finding]:
    return _subscriptions(
        ctx, "db-parameter-group", ("configuration change",), "DB parameter group", each=False
    )


@check("rds.security_group_event_subscription", needs=("rds.event_subscriptions",))
def security_group_event_subscription(ctx: Context) -> Iterable[Finding]:
    return _subscriptions(
        ctx, "db-security-group", ("configuration change", "failure"), "DB security group",
        each=False,
    )  # fmt: skip
