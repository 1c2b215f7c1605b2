"""EC2 and VPC checks: network exposure, encryption, metadata service, flow logs."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from srm_tui.checks._common import (
    cidr_within,
    covers_port,
    is_anywhere,
    prefix_length,
)
from srm_tui.checks.context import Context, check
from srm_tui.collected import Unreadable
from srm_tui.model import Finding

ADMIN_PORTS = (22, 3389)


def _sg_arn(ctx: Context, group: dict[str, Any]) -> str:
    return ctx.arn("ec2", f"security-group/{group['GroupId']}")


def _open_ports(group: dict[str, Any], ports: Iterable[int], family: str) -> list[int]:
    """The ports among ``ports`` that an ingress rule opens to the whole internet."""
    key, field = ("IpRanges", "CidrIp") if family == "ipv4" else ("Ipv6Ranges", "CidrIpv6")
    found = set()
    for rule in group.get("IpPermissions", []):
        if not any(is_anywhere(r.get(field, "")) for r in rule.get(key, [])):
            continue
        for port in ports:
            if covers_port(rule.get("FromPort"), rule.get("ToPort"), rule.get("IpProtocol"), port):
                found.add(port)
    return sorted(found)


def _sg_check(ctx: Context, ports: tuple[int, ...], family: str) -> Iterable[Finding]:
    anywhere = "0.0.0.0/0" if family == "ipv4" else "::/0"
    groups = ctx.data("ec2.security_groups")
    for group in groups:
        opened = _open_ports(group, ports, family)
        name = group.get("GroupName", "")
        if opened:
            listed = ", ".join(str(p) for p in opened)
            yield ctx.fail(_sg_arn(ctx, group), f"{name}: port {listed} open to {anywhere}")
        else:
            yield ctx.ok(_sg_arn(ctx, group), f"{name}: no port {ports} open to {anywhere}")
    if not groups:
        yield ctx.na(ctx.account_arn("ec2"), "no security groups in this region")


@check("ec2.sg_admin_ports_ipv4", needs=("ec2.security_groups",))
def sg_admin_ports_ipv4(ctx: Context) -> Iterable[Finding]:
    return _sg_check(ctx, ADMIN_PORTS, "ipv4")


@check("ec2.sg_admin_ports_ipv6", needs=("ec2.security_groups",))
def sg_admin_ports_ipv6(ctx: Context) -> Iterable[Finding]:
    return _sg_check(ctx, ADMIN_PORTS, "ipv6")


@check("ec2.sg_cifs", needs=("ec2.security_groups",))
def sg_cifs(ctx: Context) -> Iterable[Finding]:
    groups = ctx.data("ec2.security_groups")
    for group in groups:
        opened = [f for f in ("ipv4", "ipv6") if _open_ports(group, (445,), f)]
        name = group.get("GroupName", "")
        if opened:
            yield ctx.fail(
                _sg_arn(ctx, group), f"{name}: port 445 open to the internet ({', '.join(opened)})"
            )
        else:
            yield ctx.ok(_sg_arn(ctx, group), f"{name}: port 445 not open to the internet")
    if not groups:
        yield ctx.na(ctx.account_arn("ec2"), "no security groups in this region")


@check("ec2.default_sg_restricts", needs=("ec2.security_groups",))
def default_sg_restricts(ctx: Context) -> Iterable[Finding]:
    for group in ctx.data("ec2.security_groups"):
        if group.get("GroupName") != "default":
            continue
        inbound, outbound = (
            len(group.get("IpPermissions", [])),
            len(group.get("IpPermissionsEgress", [])),
        )
        vpc = group.get("VpcId", "")
        if inbound or outbound:
            yield ctx.fail(
                _sg_arn(ctx, group),
                f"default group of {vpc} has {inbound} inbound and {outbound} outbound rules",
            )
        else:
            yield ctx.ok(_sg_arn(ctx, group), f"default group of {vpc} has no rules")


def _nacl_allows(entries: list[dict[str, Any]], port: int) -> bool:
    """True when the first ingress entry from anywhere that matches ``port`` allows it."""
    ingress = sorted(
        (e for e in entries if not e.get("Egress")), key=lambda e: e.get("RuleNumber", 0)
    )
    for entry in ingress:
        cidr = entry.get("CidrBlock") or entry.get("Ipv6CidrBlock") or ""
        if not is_anywhere(cidr):
            continue
        ports = entry.get("PortRange") or {}
        if not covers_port(ports.get("From"), ports.get("To"), entry.get("Protocol"), port):
            continue
        return entry.get("RuleAction") == "allow"
    return False


@check("ec2.nacl_admin_ports", needs=("ec2.network_acls",))
def nacl_admin_ports(ctx: Context) -> Iterable[Finding]:
    for acl in ctx.data("ec2.network_acls"):
        arn = ctx.arn("ec2", f"network-acl/{acl['NetworkAclId']}")
        opened = [p for p in ADMIN_PORTS if _nacl_allows(acl.get("Entries", []), p)]
        if opened:
            yield ctx.fail(arn, f"admits port {', '.join(map(str, opened))} from anywhere")
        else:
            yield ctx.ok(arn, "does not admit ports 22 and 3389 from anywhere")


@check("ec2.ebs_default_encryption", needs=("ec2.ebs_default_encryption",))
def ebs_default_encryption(ctx: Context) -> Iterable[Finding]:
    if ctx.data("ec2.ebs_default_encryption"):
        yield ctx.ok(ctx.account_arn("ec2"), "new volumes are encrypted by default")
    else:
        yield ctx.fail(ctx.account_arn("ec2"), "new volumes are not encrypted by default")


@check("ec2.ebs_volume_encryption", needs=("ec2.volumes",))
def ebs_volume_encryption(ctx: Context) -> Iterable[Finding]:
    volumes = ctx.data("ec2.volumes")
    for vol in volumes:
        arn = ctx.arn("ec2", f"volume/{vol['VolumeId']}")
        if vol.get("Encrypted"):
            yield ctx.ok(arn, "encrypted")
        else:
            yield ctx.fail(arn, "not encrypted")
    if not volumes:
        yield ctx.na(ctx.account_arn("ec2"), "no EBS volumes in this region")


@check("ec2.public_snapshots", needs=("ec2.snapshots",))
def public_snapshots(ctx: Context) -> Iterable[Finding]:
    snaps = ctx.data("ec2.snapshots")
    for snap in snaps:
        arn = f"arn:{ctx.partition}:ec2:{ctx.region}::snapshot/{snap['SnapshotId']}"
        if isinstance(snap["public"], Unreadable):
            yield ctx.error(arn, snap["public"].reason)
        elif snap["public"]:
            yield ctx.fail(arn, "anyone can create a volume from it")
        else:
            yield ctx.ok(arn, "not shared publicly")
    if not snaps:
        yield ctx.na(ctx.account_arn("ec2"), "no EBS snapshots owned by the account here")


@check("ec2.public_amis", needs=("ec2.images",))
def public_amis(ctx: Context) -> Iterable[Finding]:
    images = ctx.data("ec2.images")
    for image in images:
        arn = f"arn:{ctx.partition}:ec2:{ctx.region}::image/{image['ImageId']}"
        if image.get("Public"):
            yield ctx.fail(arn, f"{image.get('Name', '')}: public")
        else:
            yield ctx.ok(arn, f"{image.get('Name', '')}: private")
    if not images:
        yield ctx.na(ctx.account_arn("ec2"), "no AMIs owned by the account here")


@check("ec2.imdsv2", needs=("ec2.instances",))
def imdsv2(ctx: Context) -> Iterable[Finding]:
    items = ctx.data("ec2.instances")
    for inst in items:
        arn = ctx.arn("ec2", f"instance/{inst['InstanceId']}")
        options = inst.get("MetadataOptions", {})
        if options.get("HttpEndpoint") == "disabled":
            yield ctx.ok(arn, "the metadata service is off")
        elif options.get("HttpTokens") == "required":
            yield ctx.ok(arn, "IMDSv2 required")
        else:
            yield ctx.fail(arn, "IMDSv1 is allowed (HttpTokens optional)")
    if not items:
        yield ctx.na(ctx.account_arn("ec2"), "no EC2 instances in this region")


@check("ec2.instance_public_ip", needs=("ec2.instances",))
def instance_public_ip(ctx: Context) -> Iterable[Finding]:
    items = ctx.data("ec2.instances")
    for inst in items:
        arn = ctx.arn("ec2", f"instance/{inst['InstanceId']}")
        if inst.get("PublicIpAddress"):
            yield ctx.fail(arn, "has a public IP address")
        else:
            yield ctx.ok(arn, "no public IP address")
    if not items:
        yield ctx.na(ctx.account_arn("ec2"), "no EC2 instances in this region")


@check("ec2.vpc_flow_logs", needs=("ec2.vpcs", "ec2.flow_logs"))
def vpc_flow_logs(ctx: Context) -> Iterable[Finding]:
    logged = {f.get("ResourceId") for f in ctx.data("ec2.flow_logs")}
    for vpc in ctx.data("ec2.vpcs"):
        arn = ctx.arn("ec2", f"vpc/{vpc['VpcId']}")
        if vpc["VpcId"] in logged:
            yield ctx.ok(arn, "flow logs on")
        else:
            yield ctx.fail(arn, "no flow log")


@check("ec2.vpc_peering_routes", needs=("ec2.route_tables", "ec2.peering_connections"))
def vpc_peering_routes(ctx: Context) -> Iterable[Finding]:
    peer_cidrs: dict[str, list[str]] = {}
    for pcx in ctx.data("ec2.peering_connections"):
        cidrs = []
        for side in ("AccepterVpcInfo", "RequesterVpcInfo"):
            info = pcx.get(side, {})
            cidrs += [c.get("CidrBlock", "") for c in info.get("CidrBlockSet", [])]
            cidrs.append(info.get("CidrBlock", ""))
        peer_cidrs[pcx.get("VpcPeeringConnectionId", "")] = [c for c in cidrs if c]
    seen = False
    for table in ctx.data("ec2.route_tables"):
        routes = [r for r in table.get("Routes", []) if r.get("VpcPeeringConnectionId")]
        if not routes:
            continue
        seen = True
        arn = ctx.arn("ec2", f"route-table/{table['RouteTableId']}")
        wide = []
        for route in routes:
            dest = route.get("DestinationCidrBlock") or route.get("DestinationIpv6CidrBlock") or ""
            allowed = peer_cidrs.get(route["VpcPeeringConnectionId"], [])
            too_wide = (
                not cidr_within(dest, allowed) if allowed else (prefix_length(dest) or 0) < 16
            )
            if too_wide:
                wide.append(f"{dest} via {route['VpcPeeringConnectionId']}")
        if wide:
            yield ctx.fail(arn, "routes wider than the peered VPC: " + ", ".join(wide))
        else:
            yield ctx.ok(arn, f"{len(routes)} peering routes within the peers' ranges")
    if not seen:
        yield ctx.na(ctx.account_arn("ec2"), "no routes to VPC peering connections here")


@check("ec2.vpc_endpoints", needs=("ec2.vpcs", "ec2.vpc_endpoints"))
def vpc_endpoints(ctx: Context) -> Iterable[Finding]:
    by_vpc: dict[str, list[str]] = {}
    for endpoint in ctx.data("ec2.vpc_endpoints"):
        by_vpc.setdefault(endpoint.get("VpcId", ""), []).append(
            str(endpoint.get("ServiceName", "")).rsplit(".", 1)[-1]
        )
    for vpc in ctx.data("ec2.vpcs"):
        arn = ctx.arn("ec2", f"vpc/{vpc['VpcId']}")
        services = sorted(set(by_vpc.get(vpc["VpcId"], [])))
        if services:
            yield ctx.ok(arn, "endpoints for " + ", ".join(services))
        else:
            yield ctx.fail(arn, "no VPC endpoints: traffic to AWS services leaves the VPC")
