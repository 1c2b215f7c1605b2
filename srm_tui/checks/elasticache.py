"""ElastiCache checks: backups, minor upgrades, failover, encryption, AUTH on old
engines and the subnet group of node-based caches."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from srm_tui.checks.context import Context, check
from srm_tui.model import Finding

# Backups, AUTH and failover exist for these engines only (not Memcached).
_REDIS = ("redis", "valkey")


def _version(text: str) -> tuple[int, ...]:
    parts = []
    for part in str(text).split("."):
        digits = "".join(c for c in part if c.isdigit())
        if not digits:
            break
        parts.append(int(digits))
    return tuple(parts)


def _groups(ctx: Context, judge: Callable[[dict[str, Any]], tuple[bool | None, str]]):
    groups = ctx.data("elasticache.caches")["replication_groups"]
    for group in groups:
        passed, detail = judge(group)
        if passed is None:
            yield ctx.na(group["arn"], detail)
        else:
            yield (ctx.ok if passed else ctx.fail)(group["arn"], detail)
    if not groups:
        yield ctx.na(ctx.account_arn("elasticache"), "no replication groups in this region")


@check("elasticache.automatic_backups", needs=("elasticache.caches",))
def automatic_backups(ctx: Context) -> Iterable[Finding]:
    data = ctx.data("elasticache.caches")
    minimum = int(ctx.param("snapshot_retention_period"))
    # Backups are set on the replication group, or on a standalone cluster.
    subjects = [g for g in data["replication_groups"] if g["engine"] in _REDIS or not g["engine"]]
    subjects += [c for c in data["clusters"] if not c["group"] and c["engine"] in _REDIS]
    for item in subjects:
        days = item["snapshot_retention"]
        if days >= minimum:
            yield ctx.ok(item["arn"], f"automatic backups kept {days} days")
        elif days:
            yield ctx.fail(item["arn"], f"automatic backups kept {days} days, fewer than {minimum}")
        else:
            yield ctx.fail(item["arn"], "automatic backups are off")
    if not subjects:
        yield ctx.na(ctx.account_arn("elasticache"), "no Valkey or Redis OSS caches here")


def _clusters(ctx: Context) -> list[dict[str, Any]]:
    return ctx.data("elasticache.caches")["clusters"]


@check("elasticache.auto_minor_upgrade", needs=("elasticache.caches",))
def auto_minor_upgrade(ctx: Context) -> Iterable[Finding]:
    clusters = _clusters(ctx)
    for cluster in clusters:
        if cluster["engine"] not in _REDIS:
            yield ctx.na(
                cluster["arn"],
                f"{cluster['engine']} cluster: the control reads Valkey and Redis OSS",
            )
        elif cluster["auto_minor_upgrade"]:
            yield ctx.ok(cluster["arn"], "minor engine upgrades are applied automatically")
        else:
            yield ctx.fail(cluster["arn"], "automatic minor version upgrades are off")
    if not clusters:
        yield ctx.na(ctx.account_arn("elasticache"), "no cache clusters in this region")


@check("elasticache.automatic_failover", needs=("elasticache.caches",))
def automatic_failover(ctx: Context) -> Iterable[Finding]:
    return _groups(
        ctx,
        lambda g: (g["automatic_failover"] == "enabled",
                   f"automatic failover {g['automatic_failover'] or 'disabled'}"),
    )  # fmt: skip


@check("elasticache.encrypted_at_rest", needs=("elasticache.caches",))
def encrypted_at_rest(ctx: Context) -> Iterable[Finding]:
    return _groups(
        ctx,
        lambda g: (g["at_rest_encryption"],
                   "encrypted at rest" if g["at_rest_encryption"] else "not encrypted at rest"),
    )  # fmt: skip


@check("elasticache.encrypted_in_transit", needs=("elasticache.caches",))
def encrypted_in_transit(ctx: Context) -> Iterable[Finding]:
    return _groups(
        ctx,
        lambda g: (g["transit_encryption"],
                   "encrypted in transit" if g["transit_encryption"]
                   else "not encrypted in transit"),
    )  # fmt: skip


@check("elasticache.redis_auth", needs=("elasticache.caches",))
def redis_auth(ctx: Context) -> Iterable[Finding]:
    versions = {c["id"]: c["version"] for c in _clusters(ctx)}

    def judge(group: dict[str, Any]) -> tuple[bool | None, str]:
        known = [_version(versions[m]) for m in group["members"] if versions.get(m)]
        if not known:
            return None, "the engine version of its nodes is not known"
        if min(known) >= (6,):
            return None, "engine 6.0 or later: role-based access control replaces AUTH"
        if group["auth_token"]:
            return True, "Redis OSS AUTH is on"
        return False, "engine before 6.0 without Redis OSS AUTH"

    return _groups(ctx, judge)


@check("elasticache.custom_subnet_group", needs=("elasticache.caches",))
def custom_subnet_group(ctx: Context) -> Iterable[Finding]:
    clusters = _clusters(ctx)
    for cluster in clusters:
        if cluster["subnet_group"] == "default":
            yield ctx.fail(cluster["arn"], "uses the default subnet group (the default VPC)")
        else:
            yield ctx.ok(cluster["arn"], f"subnet group {cluster['subnet_group'] or 'none'}")
    if not clusters:
        yield ctx.na(ctx.account_arn("elasticache"), "no cache clusters in this region")
