"""Amazon Redshift checks, over provisioned clusters, their parameter groups and the
security groups that guard them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from srm_tui.checks.context import Context, check
from srm_tui.collected import Unreadable
from srm_tui.model import Finding

#: Redshift.8: the default administrator user name.
DEFAULT_ADMIN = "awsuser"
_ANYWHERE = ("0.0.0.0/0", "::/0")


def _clusters(ctx: Context) -> list[dict[str, Any]]:
    return ctx.data("redshift.clusters")


def _flag(ctx: Context, key: str, good: str, bad: str) -> Iterable[Finding]:
    for cluster in _clusters(ctx):
        if cluster.get(key):
            yield ctx.ok(cluster["arn"], good)
        else:
            yield ctx.fail(cluster["arn"], bad)


@check("redshift.public_access", needs=("redshift.clusters",))
def public_access(ctx: Context) -> Iterable[Finding]:
    for cluster in _clusters(ctx):
        if cluster["public"]:
            yield ctx.fail(cluster["arn"], "publicly accessible")
        else:
            yield ctx.ok(cluster["arn"], "not publicly accessible")


@check("redshift.tls", needs=("redshift.clusters", "redshift.parameter_groups"))
def tls(ctx: Context) -> Iterable[Finding]:
    groups = ctx.data("redshift.parameter_groups")
    for cluster in _clusters(ctx):
        verdict = ctx.ok(cluster["arn"], "require_ssl is true")
        for name in cluster["parameter_groups"] or [""]:
            values = groups.get(name)
            if isinstance(values, Unreadable):
                verdict = ctx.error(cluster["arn"], f"could not read {name}: {values.reason}")
                break
            setting = (values or {}).get("require_ssl")
            if str(setting).lower() != "true":
                shown = "not set" if setting is None else repr(setting)
                verdict = ctx.fail(
                    cluster["arn"], f"require_ssl is {shown} in {name or 'no group'}"
                )
                break
        yield verdict


@check("redshift.automated_snapshots", needs=("redshift.clusters",))
def automated_snapshots(ctx: Context) -> Iterable[Finding]:
    minimum = int(ctx.param("min_retention_period"))
    for cluster in _clusters(ctx):
        days = cluster["snapshot_retention"]
        if days <= 0:
            yield ctx.fail(cluster["arn"], "automated snapshots off")
        elif days < minimum:
            yield ctx.fail(
                cluster["arn"], f"automated snapshots kept {days} days (at least {minimum})"
            )
        else:
            yield ctx.ok(cluster["arn"], f"automated snapshots kept {days} days")


@check("redshift.audit_logging", needs=("redshift.clusters",))
def audit_logging(ctx: Context) -> Iterable[Finding]:
    for cluster in _clusters(ctx):
        logging = cluster["logging"]
        if isinstance(logging, Unreadable):
            yield ctx.error(cluster["arn"], f"could not read its logging status: {logging.reason}")
        elif logging:
            yield ctx.ok(cluster["arn"], "audit logging on")
        else:
            yield ctx.fail(cluster["arn"], "audit logging off")


@check("redshift.version_upgrade", needs=("redshift.clusters",))
def version_upgrade(ctx: Context) -> Iterable[Finding]:
    return _flag(
        ctx, "allow_version_upgrade",
        "major version upgrades applied automatically", "major version upgrades not allowed",
    )  # fmt: skip


@check("redshift.enhanced_vpc_routing", needs=("redshift.clusters",))
def enhanced_vpc_routing(ctx: Context) -> Iterable[Finding]:
    return _flag(ctx, "enhanced_vpc_routing", "enhanced VPC routing on", "enhanced VPC routing off")


@check("redshift.custom_admin", needs=("redshift.clusters",))
def custom_admin(ctx: Context) -> Iterable[Finding]:
    for cluster in _clusters(ctx):
        if cluster["master_username"] == DEFAULT_ADMIN:
            yield ctx.fail(
                cluster["arn"], f"administrator user has the default name {DEFAULT_ADMIN!r}"
            )
        else:
            yield ctx.ok(cluster["arn"], "administrator user has a custom name")


@check("redshift.encrypted", needs=("redshift.clusters",))
def encrypted(ctx: Context) -> Iterable[Finding]:
    return _flag(ctx, "encrypted", "encrypted at rest", "not encrypted at rest")


def _open_to_internet(group: Mapping[str, Any], port: int) -> bool:
    """Whether an ingress rule of the group lets anyone reach ``port``."""
    for rule in group.get("IpPermissions") or []:
        protocol = str(rule.get("IpProtocol", ""))
        if protocol not in ("-1", "tcp", "6"):
            continue
        low, high = rule.get("FromPort"), rule.get("ToPort")
        covers = protocol == "-1" or (
            low is not None and high is not None and (low == -1 or low <= port <= high)
        )
        sources = [r.get("CidrIp") for r in rule.get("IpRanges") or []] + [
            r.get("CidrIpv6") for r in rule.get("Ipv6Ranges") or []
        ]
        if covers and any(source in _ANYWHERE for source in sources):
            return True
    return False


@check("redshift.sg_cluster_port", needs=("redshift.clusters", "ec2.security_groups"))
def sg_cluster_port(ctx: Context) -> Iterable[Finding]:
    groups = {g.get("GroupId"): g for g in ctx.data("ec2.security_groups")}
    for cluster in _clusters(ctx):
        port = cluster["port"]
        open_groups = [
            sg
            for sg in cluster["security_groups"]
            if sg in groups and _open_to_internet(groups[sg], port)
        ]
        if not port:
            yield ctx.na(cluster["arn"], "the cluster has no endpoint yet")
        elif open_groups:
            yield ctx.fail(
                cluster["arn"], f"port {port} open to the internet in " + ", ".join(open_groups)
            )
        else:
            yield ctx.ok(cluster["arn"], f"port {port} not open to the internet")


@check("redshift.multi_az", needs=("redshift.clusters",))
def multi_az(ctx: Context) -> Iterable[Finding]:
    for cluster in _clusters(ctx):
        if cluster["multi_az"].lower() == "enabled":
            yield ctx.ok(cluster["arn"], "Multi-AZ deployment")
        else:
            yield ctx.fail(cluster["arn"], "single Availability Zone")
