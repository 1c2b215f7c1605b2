"""EC2 and VPC checks: security groups and network ACLs, EBS encryption, instances
(metadata service, public addresses, interfaces, virtualization, stopped ones), flow logs,
peering routes and endpoints."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from srm_tui.checks._common import (
    cidr_within,
    covers_port,
    days_since,
    is_anywhere,
    prefix_length,
)
from srm_tui.checks.context import Context, check
from srm_tui.collected import Unreadable
from srm_tui.model import Finding

ADMIN_PORTS = (22, 3389)
# VPC endpoints in these states carry no traffic.
DEAD_ENDPOINT_STATES = ("deleting", "deleted", "failed", "rejected", "expired")


def _sg_arn(ctx: Context, group: dict[str, Any]) -> str:
    return ctx.arn("ec2", f"security-group/{group['GroupId']}")


def _open_ports(
    group: dict[str, Any], ports: Iterable[int], family: str, udp: bool = False
) -> list[int]:
    """The ports among ``ports`` that an ingress rule opens to the whole internet over
    TCP (or UDP too, with ``udp``)."""
    key, field = ("IpRanges", "CidrIp") if family == "ipv4" else ("Ipv6Ranges", "CidrIpv6")
    found = set()
    for rule in group.get("IpPermissions", []):
        if not any(is_anywhere(r.get(field, "")) for r in rule.get(key, [])):
            continue
        for port in ports:
            if covers_port(
                rule.get("FromPort"), rule.get("ToPort"), rule.get("IpProtocol"), port, udp=udp
            ):
                found.add(port)
    return sorted(found)


def _sg_check(ctx: Context, ports: tuple[int, ...], family: str) -> Iterable[Finding]:
    # CIS 6.3 and 6.4 count rules over TCP (6), UDP (17) or all protocols (-1): RDP
    # listens on UDP 3389 too.
    anywhere = "0.0.0.0/0" if family == "ipv4" else "::/0"
    groups = ctx.data("ec2.security_groups")
    for group in groups:
        opened = _open_ports(group, ports, family, udp=True)
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
    defaults = [g for g in ctx.data("ec2.security_groups") if g.get("GroupName") == "default"]
    if not defaults:
        yield ctx.na(ctx.account_arn("ec2"), "no VPC, so no default security group, in this region")
    for group in defaults:
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


def _port_ranges(values: Iterable[str]) -> list[tuple[int, int]]:
    """Control parameters such as ``["80", "443", "1020-1025"]`` as port ranges."""
    ranges = []
    for value in values:
        low, _, high = str(value).strip().partition("-")
        try:
            ranges.append((int(low), int(high or low)))
        except ValueError:
            continue  # a word that is no port: the scope's value, ignored rather than fatal
    return ranges


def _from_anywhere(rule: dict[str, Any]) -> bool:
    """True when an ingress rule's sources include 0.0.0.0/0 or ::/0."""
    sources = [r.get("CidrIp", "") for r in rule.get("IpRanges", [])]
    sources += [r.get("CidrIpv6", "") for r in rule.get("Ipv6Ranges", [])]
    return any(is_anywhere(cidr) for cidr in sources)


def _open_to_internet(group: dict[str, Any]) -> list[tuple[str, int, int]]:
    """The (protocol, first port, last port) that ingress rules open to 0.0.0.0/0 or
    ::/0, for TCP and UDP (a rule for all protocols opens every port of both)."""
    found = []
    for rule in group.get("IpPermissions", []):
        if not _from_anywhere(rule):
            continue
        protocol = _PROTOCOLS.get(str(rule.get("IpProtocol", "")).lower())
        if protocol is None:
            continue  # ICMP and other protocols have no ports
        if protocol == "all" or rule.get("FromPort") is None or rule.get("ToPort") is None:
            low, high = 0, 65535
        else:
            low, high = int(rule["FromPort"]), int(rule["ToPort"])
            low, high = (0, 65535) if low == -1 else (low, high)
        for name in ("tcp", "udp") if protocol == "all" else (protocol,):
            found.append((name, low, high))
    return found


_PROTOCOLS = {"-1": "all", "all": "all", "tcp": "tcp", "6": "tcp", "udp": "udp", "17": "udp"}


def _within(low: int, high: int, allowed: list[tuple[int, int]]) -> bool:
    """True when every port from ``low`` to ``high`` is in one of the ``allowed`` ranges."""
    port = low
    while port <= high:
        reach = [b for a, b in allowed if a <= port <= b]
        if not reach:
            return False
        port = max(reach) + 1
    return True


def _span(low: int, high: int) -> str:
    return str(low) if low == high else f"{low}-{high}"


@check("ec2.sg_authorized_ports", needs=("ec2.security_groups",))
def sg_authorized_ports(ctx: Context) -> Iterable[Finding]:
    authorized = {
        "tcp": _port_ranges(ctx.param("authorized_tcp_ports")),
        "udp": _port_ranges(ctx.param("authorized_udp_ports")),
    }
    groups = ctx.data("ec2.security_groups")
    for group in groups:
        name = group.get("GroupName", "")
        opened = _open_to_internet(group)
        wrong = sorted(
            {f"{p.upper()} {_span(lo, hi)}" for p, lo, hi in opened
             if not _within(lo, hi, authorized[p])}
        )  # fmt: skip
        # vpc-sg-open-only-to-authorized-ports: a group with no ingress rule from
        # 0.0.0.0/0 or ::/0 is not applicable; one whose such rules open no TCP or UDP
        # port (ICMP only, say) is judged, and passes.
        if not any(_from_anywhere(rule) for rule in group.get("IpPermissions", [])):
            yield ctx.na(_sg_arn(ctx, group), f"{name}: no inbound rule from the internet")
        elif wrong:
            yield ctx.fail(_sg_arn(ctx, group), f"{name}: open to the internet on unauthorized "
                           + ", ".join(wrong))  # fmt: skip
        else:
            yield ctx.ok(_sg_arn(ctx, group), f"{name}: only authorized ports open to the internet")
    if not groups:
        yield ctx.na(ctx.account_arn("ec2"), "no security groups in this region")


@check("ec2.sg_high_risk_ports", needs=("ec2.security_groups",))
def sg_high_risk_ports(ctx: Context) -> Iterable[Finding]:
    risky = _port_ranges(ctx.param("high_risk_ports"))
    groups = ctx.data("ec2.security_groups")
    for group in groups:
        name = group.get("GroupName", "")
        # EC2.19's rule (restricted-common-ports) blocks TCP ports: UDP rules are not its
        # concern.
        opened = [(lo, hi) for proto, lo, hi in _open_to_internet(group) if proto == "tcp"]
        hits = sorted({(a, b) for a, b in risky for lo, hi in opened if lo <= b and a <= hi})
        if hits:
            listed = ", ".join(_span(a, b) for a, b in hits)
            yield ctx.fail(
                _sg_arn(ctx, group), f"{name}: high-risk port {listed} open to the internet"
            )
        else:
            yield ctx.ok(_sg_arn(ctx, group), f"{name}: no high-risk port open to the internet")
    if not groups:
        yield ctx.na(ctx.account_arn("ec2"), "no security groups in this region")


def _nacl_allows(entries: list[dict[str, Any]], port: int) -> bool:
    """True when, for IPv4 or for IPv6 traffic, the first ingress entry from anywhere
    that matches TCP or UDP ``port`` allows it. An IPv4 entry never matches IPv6
    traffic, so a deny of 0.0.0.0/0 does not close what an allow of ::/0 opens."""
    ingress = sorted(
        (e for e in entries if not e.get("Egress")), key=lambda e: e.get("RuleNumber", 0)
    )
    for field in ("CidrBlock", "Ipv6CidrBlock"):
        for entry in ingress:
            if not is_anywhere(entry.get(field) or ""):
                continue
            ports = entry.get("PortRange") or {}
            protocol = entry.get("Protocol")
            if covers_port(ports.get("From"), ports.get("To"), protocol, port, udp=True):
                if entry.get("RuleAction") == "allow":
                    return True
                break
    return False


@check("ec2.nacl_admin_ports", needs=("ec2.network_acls",))
def nacl_admin_ports(ctx: Context) -> Iterable[Finding]:
    acls = ctx.data("ec2.network_acls")
    if not acls:
        yield ctx.na(ctx.account_arn("ec2"), "no network ACLs in this region")
    for acl in acls:
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
    # EC2.3 judges attached volumes only; a detached one "is not subject to this check".
    volumes = ctx.data("ec2.volumes")
    for vol in volumes:
        arn = ctx.arn("ec2", f"volume/{vol['VolumeId']}")
        if not vol.get("Attachments") and vol.get("State") != "in-use":
            yield ctx.na(arn, "not attached to an instance")
        elif vol.get("Encrypted"):
            yield ctx.ok(arn, "attached and encrypted")
        else:
            yield ctx.fail(arn, "attached and not encrypted")
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


def _tokens(inst: dict[str, Any]) -> str:
    return (inst.get("MetadataOptions") or {}).get("HttpTokens") or "optional"


@check("ec2.imdsv2", needs=("ec2.instances",))
def imdsv2(ctx: Context) -> Iterable[Finding]:
    # CIS 6.7 asks for IMDSv2 where the metadata service is on; with it off there is
    # no IMDSv1 to reach.
    items = ctx.data("ec2.instances")
    for inst in items:
        arn = ctx.arn("ec2", f"instance/{inst['InstanceId']}")
        options = inst.get("MetadataOptions") or {}
        if options.get("HttpEndpoint") == "disabled":
            yield ctx.ok(arn, "the metadata service is off")
        elif _tokens(inst) == "required":
            yield ctx.ok(arn, "IMDSv2 required")
        else:
            yield ctx.fail(arn, f"IMDSv1 is allowed (HttpTokens {_tokens(inst)})")
    if not items:
        yield ctx.na(ctx.account_arn("ec2"), "no EC2 instances in this region")


@check("ec2.imdsv2_tokens", needs=("ec2.instances",))
def imdsv2_tokens(ctx: Context) -> Iterable[Finding]:
    # FSBP EC2.8 decides by HttpTokens alone, whatever HttpEndpoint says.
    items = ctx.data("ec2.instances")
    for inst in items:
        arn = ctx.arn("ec2", f"instance/{inst['InstanceId']}")
        if _tokens(inst) == "required":
            yield ctx.ok(arn, "HttpTokens required (IMDSv2 only)")
        else:
            yield ctx.fail(arn, f"HttpTokens {_tokens(inst)}: IMDSv1 allowed")
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


def _instances(ctx: Context) -> Iterable[tuple[str, dict[str, Any]]]:
    for inst in ctx.data("ec2.instances"):
        yield ctx.arn("ec2", f"instance/{inst['InstanceId']}"), inst


_STOPPED_SINCE = re.compile(r"\((\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2})")


@check("ec2.stopped_instances", needs=("ec2.instances",))
def stopped_instances(ctx: Context) -> Iterable[Finding]:
    allowed = int(ctx.param("allowed_days"))
    items = list(_instances(ctx))
    for arn, inst in items:
        state = (inst.get("State") or {}).get("Name", "")
        if state != "stopped":
            yield ctx.ok(arn, f"{state or 'state unknown'}, not stopped")
            continue
        # EC2 records when it stopped only in the reason text, e.g.
        # "User initiated (2024-01-31 12:00:00 GMT)". Where that has no date (a stop on
        # an internal error), EC2.4 counts from the launch time instead.
        match = _STOPPED_SINCE.search(str(inst.get("StateTransitionReason", "")))
        days = days_since(match.group(1).replace(" ", "T")) if match else None
        since = "stopped"
        if days is None:
            days, since = days_since(inst.get("LaunchTime")), "stopped, launched"
        if days is None:
            yield ctx.error(arn, "stopped, but EC2 does not say since when")
        elif days > allowed:
            yield ctx.fail(arn, f"{since} {days} days ago (more than {allowed})")
        else:
            yield ctx.ok(arn, f"{since} {days} days ago (at most {allowed})")
    if not items:
        yield ctx.na(ctx.account_arn("ec2"), "no EC2 instances in this region")


@check("ec2.instance_multiple_enis", needs=("ec2.instances",))
def instance_multiple_enis(ctx: Context) -> Iterable[Finding]:
    items = list(_instances(ctx))
    for arn, inst in items:
        count = len(inst.get("NetworkInterfaces") or [])
        if count > 1:
            yield ctx.fail(arn, f"{count} network interfaces")
        else:
            yield ctx.ok(arn, f"{count} network interface")
    if not items:
        yield ctx.na(ctx.account_arn("ec2"), "no EC2 instances in this region")


@check("ec2.paravirtual_instances", needs=("ec2.instances",))
def paravirtual_instances(ctx: Context) -> Iterable[Finding]:
    items = list(_instances(ctx))
    for arn, inst in items:
        kind = inst.get("VirtualizationType") or ""
        if kind == "paravirtual":
            yield ctx.fail(arn, "paravirtual (PV) virtualization")
        else:
            yield ctx.ok(arn, f"{kind or 'virtualization type not reported'}, not paravirtual")
    if not items:
        yield ctx.na(ctx.account_arn("ec2"), "no EC2 instances in this region")


@check("ec2.vpc_flow_logs", needs=("ec2.vpcs", "ec2.flow_logs"))
def vpc_flow_logs(ctx: Context) -> Iterable[Finding]:
    # A flow log of ALL traffic records the rejected traffic too; one of ACCEPT only
    # does not.
    wanted = str(ctx.param("traffic_type")).upper()
    covering = {wanted, "ALL"}
    kinds: dict[str, set[str]] = {}
    for flow in ctx.data("ec2.flow_logs"):
        if flow.get("FlowLogStatus", "ACTIVE") != "ACTIVE":
            continue
        kinds.setdefault(flow.get("ResourceId", ""), set()).add(
            str(flow.get("TrafficType", "")).upper()
        )
    vpcs = ctx.data("ec2.vpcs")
    if not vpcs:
        yield ctx.na(ctx.account_arn("ec2"), "no VPCs in this region")
    for vpc in vpcs:
        arn = ctx.arn("ec2", f"vpc/{vpc['VpcId']}")
        found = kinds.get(vpc["VpcId"], set())
        if found & covering:
            yield ctx.ok(arn, f"flow log of {', '.join(sorted(found & covering))} traffic")
        elif found:
            yield ctx.fail(arn, f"flow log of {', '.join(sorted(found))} traffic only, "
                           f"not {wanted}")  # fmt: skip
        else:
            yield ctx.fail(arn, "no active flow log")


@check("ec2.vpc_peering_routes", needs=("ec2.route_tables", "ec2.peering_connections"))
def vpc_peering_routes(ctx: Context) -> Iterable[Finding]:
    peer_cidrs: dict[str, list[str]] = {}
    for pcx in ctx.data("ec2.peering_connections"):
        cidrs = []
        for side in ("AccepterVpcInfo", "RequesterVpcInfo"):
            info = pcx.get(side, {})
            cidrs += [c.get("CidrBlock", "") for c in info.get("CidrBlockSet", [])]
            cidrs += [c.get("Ipv6CidrBlock", "") for c in info.get("Ipv6CidrBlockSet", [])]
            cidrs.append(info.get("CidrBlock", ""))
        peer_cidrs[pcx.get("VpcPeeringConnectionId", "")] = [c for c in cidrs if c]
    seen = False
    for table in ctx.data("ec2.route_tables"):
        routes = [r for r in table.get("Routes", []) if r.get("VpcPeeringConnectionId")]
        if not routes:
            continue
        seen = True
        arn = ctx.arn("ec2", f"route-table/{table['RouteTableId']}")
        wide, unknown = [], []
        for route in routes:
            dest = route.get("DestinationCidrBlock") or route.get("DestinationIpv6CidrBlock") or ""
            if not dest:
                # A route to a prefix list names no range the route table shows.
                unknown.append(f"{route.get('DestinationPrefixListId', '?')} via "
                               f"{route['VpcPeeringConnectionId']}")  # fmt: skip
                continue
            allowed = peer_cidrs.get(route["VpcPeeringConnectionId"], [])
            too_wide = (
                not cidr_within(dest, allowed) if allowed else (prefix_length(dest) or 0) < 16
            )
            if too_wide:
                wide.append(f"{dest} via {route['VpcPeeringConnectionId']}")
        if wide:
            yield ctx.fail(arn, "routes wider than the peered VPC: " + ", ".join(wide))
        elif unknown:
            yield ctx.error(arn, "routes to prefix lists, whose ranges are not read: "
                            + ", ".join(unknown))  # fmt: skip
        else:
            yield ctx.ok(arn, f"{len(routes)} peering routes within the peers' ranges")
    if not seen:
        yield ctx.na(ctx.account_arn("ec2"), "no routes to VPC peering connections here")


@check("ec2.vpc_endpoints", needs=("ec2.vpcs", "ec2.vpc_endpoints"))
def vpc_endpoints(ctx: Context) -> Iterable[Finding]:
    by_vpc: dict[str, list[str]] = {}
    for endpoint in ctx.data("ec2.vpc_endpoints"):
        if str(endpoint.get("State", "")).lower() in DEAD_ENDPOINT_STATES:
            continue  # a rejected or deleted endpoint carries no traffic
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
