"""VPC networking beyond the basics, per region: subnets, network interfaces, transit
gateways, Site-to-Site and Client VPN, and the account's VPC Block Public Access mode.

Only what checks read is kept: a VPN connection's description carries the tunnels'
pre-shared keys (in ``CustomerGatewayConfiguration`` and the tunnel options), which must
never leave this module.
"""

from __future__ import annotations

from typing import Any

from srm_tui.aws.api import Api
from srm_tui.aws.collectors import collector

# VPN connections AWS still lists for a while after they are gone.
_GONE = ("deleting", "deleted")


@collector("ec2.subnets", service="ec2", api_calls=("ec2:DescribeSubnets",))
def subnets(api: Api, region: str) -> list[dict[str, Any]]:
    """Each subnet: id, ARN, VPC, whether it gives new interfaces a public IPv4
    (``map_public_ip``) and whether it gives them an IPv6 address (``map_ipv6``)."""
    return [
        {
            "id": s.get("SubnetId", ""),
            "arn": s.get("SubnetArn", ""),
            "vpc": s.get("VpcId", ""),
            "map_public_ip": bool(s.get("MapPublicIpOnLaunch")),
            "map_ipv6": bool(s.get("AssignIpv6AddressOnCreation")),
        }
        for s in api.pages("ec2", None, "describe_subnets", "Subnets")
    ]


@collector("ec2.network_interfaces", service="ec2", api_calls=("ec2:DescribeNetworkInterfaces",))
def network_interfaces(api: Api, region: str) -> list[dict[str, Any]]:
    """Each network interface: id, type, whether AWS manages it for a service, and
    whether source/destination checking is on."""
    return [
        {
            "id": eni.get("NetworkInterfaceId", ""),
            "type": eni.get("InterfaceType", ""),
            "requester_managed": bool(eni.get("RequesterManaged")),
            "source_dest_check": eni.get("SourceDestCheck"),
        }
        for eni in api.pages("ec2", None, "describe_network_interfaces", "NetworkInterfaces")
    ]


@collector("ec2.transit_gateways", service="ec2", api_calls=("ec2:DescribeTransitGateways",))
def transit_gateways(api: Api, region: str) -> list[dict[str, Any]]:
    """Each transit gateway that is not being deleted: id, ARN and whether it accepts
    shared attachments by itself."""
    found = []
    for tgw in api.pages("ec2", None, "describe_transit_gateways", "TransitGateways"):
        if tgw.get("State") in _GONE:
            continue
        options = tgw.get("Options") or {}
        found.append(
            {
                "id": tgw.get("TransitGatewayId", ""),
                "arn": tgw.get("TransitGatewayArn", ""),
                "auto_accept": options.get("AutoAcceptSharedAttachments", ""),
            }
        )
    return found


def _tunnel_logging(options: dict[str, Any]) -> list[bool]:
    found = []
    for tunnel in options.get("TunnelOptions") or []:
        cloudwatch = ((tunnel or {}).get("LogOptions") or {}).get("CloudWatchLogOptions") or {}
        found.append(bool(cloudwatch.get("LogEnabled")))
    return found


@collector("ec2.vpn_connections", service="ec2", api_calls=("ec2:DescribeVpnConnections",))
def vpn_connections(api: Api, region: str) -> list[dict[str, Any]]:
    """Each Site-to-Site VPN connection that still exists: id, state, each tunnel's
    status (UP/DOWN) and whether each tunnel logs to CloudWatch Logs. Keys and
    addresses are dropped."""
    answer = api.call("ec2", None, "describe_vpn_connections")
    found = []
    for vpn in answer.get("VpnConnections") or []:
        if vpn.get("State") in _GONE:
            continue
        found.append(
            {
                "id": vpn.get("VpnConnectionId", ""),
                "state": vpn.get("State", ""),
                "tunnels": [t.get("Status", "") for t in vpn.get("VgwTelemetry") or []],
                "tunnel_logging": _tunnel_logging(vpn.get("Options") or {}),
            }
        )
    return found


@collector("ec2.client_vpn_endpoints", service="ec2", api_calls=("ec2:DescribeClientVpnEndpoints",))
def client_vpn_endpoints(api: Api, region: str) -> list[dict[str, Any]]:
    """Each Client VPN endpoint that is not being deleted: id and whether client
    connection logging is on."""
    found = []
    for endpoint in api.pages("ec2", None, "describe_client_vpn_endpoints", "ClientVpnEndpoints"):
        if ((endpoint.get("Status") or {}).get("Code")) in _GONE:
            continue
        logs = endpoint.get("ConnectionLogOptions") or {}
        found.append(
            {"id": endpoint.get("ClientVpnEndpointId", ""), "logging": bool(logs.get("Enabled"))}
        )
    return found


@collector(
    "ec2.vpc_block_public_access",
    service="ec2",
    api_calls=("ec2:DescribeVpcBlockPublicAccessOptions",),
)
def vpc_block_public_access(api: Api, region: str) -> str:
    """The region's VPC Block Public Access mode for internet gateways: ``off``,
    ``block-bidirectional`` or ``block-ingress``."""
    answer = api.call("ec2", None, "describe_vpc_block_public_access_options")
    options = answer.get("VpcBlockPublicAccessOptions") or {}
    return str(options.get("InternetGatewayBlockMode") or "off")
