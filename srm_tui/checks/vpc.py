"""VPC network checks: interface endpoints for AWS services, subnets that hand out public
addresses, unused network ACLs, network interfaces without source/destination checking,
transit gateways, Site-to-Site and Client VPN, and VPC Block Public Access (AWS FSBP
EC2.10, EC2.15, EC2.16, EC2.20, EC2.23, EC2.51, EC2.55-EC2.60, EC2.171, EC2.172, EC2.180)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from srm_tui.checks.context import Context, check
from srm_tui.checks.ec2 import DEAD_ENDPOINT_STATES
from srm_tui.model import Finding

# EC2.180 judges only these interface types (the ones users manage); the others are run
# by AWS services (NAT gateways, load balancers, VPC endpoints...).
USER_INTERFACE_TYPES = (
    "aws_codestar_connections_managed", "branch", "efa", "interface", "lambda", "quicksight",
)  # fmt: skip
BLOCKING_MODES = ("block-bidirectional", "block-ingress")


def _none_here(ctx: Context, what: str) -> Finding:
    return ctx.na(ctx.account_arn("ec2"), f"no {what} in this region")


def _endpoint_check(check_id: str, service: str, interface_only: bool) -> Any:
    """A check that each VPC has a (interface) VPC endpoint for ``service``."""

    def judge(ctx: Context) -> Iterable[Finding]:
        suffix = f".{ctx.region}.{service}"
        covered = set()
        for endpoint in ctx.data("ec2.vpc_endpoints"):
            if endpoint.get("State", "").lower() in DEAD_ENDPOINT_STATES:
                continue
            if interface_only and endpoint.get("VpcEndpointType") != "Interface":
                continue
            if str(endpoint.get("ServiceName", "")).endswith(suffix):
                covered.add(endpoint.get("VpcId", ""))
        vpcs = ctx.data("ec2.vpcs")
        kind = "an interface endpoint" if interface_only else "a VPC endpoint"
        for vpc in vpcs:
            arn = ctx.arn("ec2", f"vpc/{vpc['VpcId']}")
            if vpc["VpcId"] in covered:
                yield ctx.ok(arn, f"{kind} for {service}")
            else:
                yield ctx.fail(arn, f"no {kind} for {service}")
        if not vpcs:
            yield _none_here(ctx, "VPCs")

    return check(check_id, needs=("ec2.vpcs", "ec2.vpc_endpoints"))(judge)


# One check per control: the service each control names, as in its endpoint's name.
ENDPOINT_CHECKS = (
    _endpoint_check("ec2.vpc_endpoint_ec2", "ec2", interface_only=False),
    _endpoint_check("ec2.vpc_endpoint_ecr_api", "ecr.api", interface_only=True),
    _endpoint_check("ec2.vpc_endpoint_ecr_dkr", "ecr.dkr", interface_only=True),
    _endpoint_check("ec2.vpc_endpoint_ssm", "ssm", interface_only=True),
    _endpoint_check("ec2.vpc_endpoint_ssm_contacts", "ssm-contacts", interface_only=True),
    _endpoint_check("ec2.vpc_endpoint_ssm_incidents", "ssm-incidents", interface_only=True),
)


@check("ec2.subnet_auto_public_ip", needs=("ec2.subnets",))
def subnet_auto_public_ip(ctx: Context) -> Iterable[Finding]:
    items = ctx.data("ec2.subnets")
    for subnet in items:
        arn = subnet.get("arn") or ctx.arn("ec2", f"subnet/{subnet['id']}")
        # EC2.15 fails a subnet that assigns public IPv4 or IPv6 addresses (IPv6
        # addresses are all globally reachable).
        given = [f for f, key in (("IPv4", "map_public_ip"), ("IPv6", "map_ipv6"))
                 if subnet.get(key)]  # fmt: skip
        if given:
            listed = " and ".join(given)
            yield ctx.fail(arn, f"{subnet['id']} gives new interfaces a public {listed} address")
        else:
            yield ctx.ok(arn, f"{subnet['id']} assigns no public IPv4 or IPv6 address")
    if not items:
        yield _none_here(ctx, "subnets")


@check("ec2.unused_nacls", needs=("ec2.network_acls",))
def unused_nacls(ctx: Context) -> Iterable[Finding]:
    items = ctx.data("ec2.network_acls")
    for acl in items:
        arn = ctx.arn("ec2", f"network-acl/{acl['NetworkAclId']}")
        subnets = len(acl.get("Associations") or [])
        if subnets:
            yield ctx.ok(arn, f"associated with {subnets} subnet(s)")
        elif acl.get("IsDefault"):
            # EC2.16 "doesn't generate findings for an unused default network ACL": a
            # VPC's default ACL cannot be deleted.
            yield ctx.na(arn, "the default ACL of its VPC, associated with no subnet")
        else:
            yield ctx.fail(arn, "associated with no subnet")
    if not items:
        yield _none_here(ctx, "network ACLs")


@check("ec2.eni_source_dest_check", needs=("ec2.network_interfaces",))
def eni_source_dest_check(ctx: Context) -> Iterable[Finding]:
    judged = False
    for eni in ctx.data("ec2.network_interfaces"):
        if eni["type"] not in USER_INTERFACE_TYPES:
            continue
        judged = True
        arn = ctx.arn("ec2", f"network-interface/{eni['id']}")
        if eni["source_dest_check"] is False:
            yield ctx.fail(arn, f"{eni['type']} interface: source/destination check off")
        else:
            yield ctx.ok(arn, f"{eni['type']} interface: source/destination check on")
    if not judged:
        yield _none_here(ctx, "user-managed network interfaces")


@check("ec2.tgw_auto_accept", needs=("ec2.transit_gateways",))
def tgw_auto_accept(ctx: Context) -> Iterable[Finding]:
    items = ctx.data("ec2.transit_gateways")
    for tgw in items:
        arn = tgw.get("arn") or ctx.arn("ec2", f"transit-gateway/{tgw['id']}")
        if tgw["auto_accept"] == "enable":
            yield ctx.fail(arn, "accepts shared VPC attachments automatically")
        else:
            yield ctx.ok(arn, "shared VPC attachments need acceptance")
    if not items:
        yield _none_here(ctx, "transit gateways")


def _vpn_arn(ctx: Context, vpn: dict[str, Any]) -> str:
    return ctx.arn("ec2", f"vpn-connection/{vpn['id']}")


@check("ec2.vpn_tunnels_up", needs=("ec2.vpn_connections",))
def vpn_tunnels_up(ctx: Context) -> Iterable[Finding]:
    items = ctx.data("ec2.vpn_connections")
    for vpn in items:
        tunnels = vpn["tunnels"]
        if vpn["state"] != "available":
            yield ctx.na(_vpn_arn(ctx, vpn), f"connection {vpn['state'] or 'not available'}")
        elif not tunnels:
            yield ctx.error(_vpn_arn(ctx, vpn), "EC2 reported no tunnel status")
        elif all(status == "UP" for status in tunnels):
            yield ctx.ok(_vpn_arn(ctx, vpn), f"{len(tunnels)} tunnels UP")
        else:
            down = sum(status != "UP" for status in tunnels)
            yield ctx.fail(_vpn_arn(ctx, vpn), f"{down} of {len(tunnels)} tunnels not UP")
    if not items:
        yield _none_here(ctx, "Site-to-Site VPN connections")


@check("ec2.vpn_logging", needs=("ec2.vpn_connections",))
def vpn_logging(ctx: Context) -> Iterable[Finding]:
    items = ctx.data("ec2.vpn_connections")
    for vpn in items:
        logging = vpn["tunnel_logging"]
        # A connection has two tunnels; options missing for one mean no logging there.
        logged = sum(bool(flag) for flag in logging)
        if len(logging) >= 2 and all(logging):
            yield ctx.ok(_vpn_arn(ctx, vpn), "both tunnels log to CloudWatch Logs")
        else:
            yield ctx.fail(_vpn_arn(ctx, vpn), f"{logged} of 2 tunnels log to CloudWatch Logs")
    if not items:
        yield _none_here(ctx, "Site-to-Site VPN connections")


@check("ec2.client_vpn_logging", needs=("ec2.client_vpn_endpoints",))
def client_vpn_logging(ctx: Context) -> Iterable[Finding]:
    items = ctx.data("ec2.client_vpn_endpoints")
    for endpoint in items:
        arn = ctx.arn("ec2", f"client-vpn-endpoint/{endpoint['id']}")
        if endpoint["logging"]:
            yield ctx.ok(arn, "client connection logging on")
        else:
            yield ctx.fail(arn, "client connection logging off")
    if not items:
        yield _none_here(ctx, "Client VPN endpoints")


@check("ec2.vpc_block_public_access", needs=("ec2.vpc_block_public_access",))
def vpc_block_public_access(ctx: Context) -> Iterable[Finding]:
    mode = str(ctx.data("ec2.vpc_block_public_access"))
    required = str(ctx.param("internet_gateway_block_mode") or "")
    arn = ctx.account_arn("ec2")
    if required and mode != required:
        yield ctx.fail(arn, f"VPC Block Public Access is {mode}, not {required}")
    elif mode in BLOCKING_MODES:
        yield ctx.ok(arn, f"VPC Block Public Access is {mode}")
    else:
        yield ctx.fail(arn, f"VPC Block Public Access is {mode}")
