"""The demo's database network, shared by the data-service seeds: one VPC per region
with two public subnets (routed to an internet gateway, public IPs on launch) and two
private ones, created by whichever seed needs it first."""

from __future__ import annotations

from typing import Any

_NAME = "demo-data"


def _subnets(ec2: Any, vpc: str, tier: str) -> list[str]:
    found = ec2.describe_subnets(
        Filters=[{"Name": "vpc-id", "Values": [vpc]}, {"Name": "tag:tier", "Values": [tier]}]
    )["Subnets"]
    return sorted(s["SubnetId"] for s in found)


def data_network(session: Any, region: str) -> dict[str, Any]:
    """{"vpc", "public": [2 subnet ids], "private": [2 subnet ids]} in ``region``."""
    ec2 = session.client("ec2", region_name=region)
    named = ec2.describe_vpcs(Filters=[{"Name": "tag:Name", "Values": [_NAME]}])["Vpcs"]
    if named:
        vpc = named[0]["VpcId"]
        return {
            "vpc": vpc,
            "public": _subnets(ec2, vpc, "public"),
            "private": _subnets(ec2, vpc, "private"),
        }
    vpc = ec2.create_vpc(
        CidrBlock="10.60.0.0/16",
        TagSpecifications=[{"ResourceType": "vpc", "Tags": [{"Key": "Name", "Value": _NAME}]}],
    )["Vpc"]["VpcId"]
    gateway = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=gateway, VpcId=vpc)
    routed = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    ec2.create_route(RouteTableId=routed, DestinationCidrBlock="0.0.0.0/0", GatewayId=gateway)
    made: dict[str, list[str]] = {"public": [], "private": []}
    for index, (tier, zone) in enumerate(
        (("public", "a"), ("public", "b"), ("private", "a"), ("private", "b"))
    ):
        subnet = ec2.create_subnet(
            VpcId=vpc, CidrBlock=f"10.60.{index}.0/24", AvailabilityZone=f"{region}{zone}",
            TagSpecifications=[{"ResourceType": "subnet", "Tags": [{"Key": "tier", "Value": tier}]}],
        )["Subnet"]["SubnetId"]  # fmt: skip
        if tier == "public":
            ec2.associate_route_table(RouteTableId=routed, SubnetId=subnet)
            ec2.modify_subnet_attribute(SubnetId=subnet, MapPublicIpOnLaunch={"Value": True})
        made[tier].append(subnet)
    return {"vpc": vpc, **{tier: sorted(ids) for tier, ids in made.items()}}
