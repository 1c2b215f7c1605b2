"""EC2 and VPC: security groups, network ACLs, instances, volumes, snapshots, images,
VPCs, flow logs, route tables, endpoints and peering, per region."""

from __future__ import annotations

from typing import Any

from srm_tui.aws.api import Api
from srm_tui.aws.collectors import collector
from srm_tui.collected import Unreadable

_LIVE = ["pending", "running", "stopping", "stopped"]


def _has_items(value: Any) -> bool:
    return bool(value)


@collector("ec2.security_groups", service="ec2", api_calls=("ec2:DescribeSecurityGroups",))
def security_groups(api: Api, region: str) -> list[dict[str, Any]]:
    """Every security group with its rules."""
    return api.pages("ec2", region, "describe_security_groups", "SecurityGroups")


@collector("ec2.network_acls", service="ec2", api_calls=("ec2:DescribeNetworkAcls",))
def network_acls(api: Api, region: str) -> list[dict[str, Any]]:
    """Every network ACL with its entries."""
    return api.pages("ec2", region, "describe_network_acls", "NetworkAcls")


@collector(
    "ec2.instances",
    service="ec2",
    api_calls=("ec2:DescribeInstances",),
    in_use=_has_items,
)
def instances(api: Api, region: str) -> list[dict[str, Any]]:
    """Instances that are not terminated (as DescribeInstances returns them)."""
    # Reservations nest the instances: a listing ``api.pages`` cannot flatten.
    paginator = api.client("ec2").get_paginator("describe_instances")
    found: list[dict[str, Any]] = []
    for page in paginator.paginate(Filters=[{"Name": "instance-state-name", "Values": _LIVE}]):
        for reservation in page.get("Reservations", []):
            found.extend(reservation.get("Instances", []))
    return found


@collector("ec2.volumes", service="ec2", api_calls=("ec2:DescribeVolumes",))
def volumes(api: Api, region: str) -> list[dict[str, Any]]:
    """EBS volumes."""
    return api.pages("ec2", region, "describe_volumes", "Volumes")


@collector(
    "ec2.ebs_default_encryption",
    service="ec2",
    api_calls=("ec2:GetEbsEncryptionByDefault",),
)
def ebs_default_encryption(api: Api, region: str) -> bool:
    """Whether new EBS volumes in the region are encrypted by default."""
    return bool(api.call("ec2", region, "get_ebs_encryption_by_default")["EbsEncryptionByDefault"])


@collector(
    "ec2.snapshots",
    service="ec2",
    api_calls=("ec2:DescribeSnapshots", "ec2:DescribeSnapshotAttribute"),
)
def snapshots(api: Api, region: str) -> list[dict[str, Any]]:
    """The account's own EBS snapshots, each with ``public`` (restorable by anyone)."""
    found = api.pages("ec2", region, "describe_snapshots", "Snapshots", OwnerIds=["self"])

    def one(snap: dict[str, Any]) -> dict[str, Any]:
        answer = api.detail(
            "ec2", region, "describe_snapshot_attribute",
            SnapshotId=snap["SnapshotId"], Attribute="createVolumePermission",
        )  # fmt: skip
        if isinstance(answer, Unreadable):
            public: Any = answer
        else:
            grants = (answer or {}).get("CreateVolumePermissions", [])
            public = any(g.get("Group") == "all" for g in grants)
        return {
            "SnapshotId": snap["SnapshotId"],
            "VolumeId": snap.get("VolumeId", ""),
            "Encrypted": snap.get("Encrypted", False),
            "public": public,
        }

    return api.each(one, found)


@collector("ec2.images", service="ec2", api_calls=("ec2:DescribeImages",))
def images(api: Api, region: str) -> list[dict[str, Any]]:
    """The account's own AMIs (each says whether it is public)."""
    return api.pages("ec2", region, "describe_images", "Images", Owners=["self"])


@collector("ec2.vpcs", service="ec2", api_calls=("ec2:DescribeVpcs",))
def vpcs(api: Api, region: str) -> list[dict[str, Any]]:
    """VPCs."""
    return api.pages("ec2", region, "describe_vpcs", "Vpcs")


@collector("ec2.flow_logs", service="ec2", api_calls=("ec2:DescribeFlowLogs",))
def flow_logs(api: Api, region: str) -> list[dict[str, Any]]:
    """VPC, subnet and interface flow logs."""
    return api.pages("ec2", region, "describe_flow_logs", "FlowLogs")


@collector("ec2.route_tables", service="ec2", api_calls=("ec2:DescribeRouteTables",))
def route_tables(api: Api, region: str) -> list[dict[str, Any]]:
    """Route tables with their routes."""
    return api.pages("ec2", region, "describe_route_tables", "RouteTables")


@collector(
    "ec2.peering_connections",
    service="ec2",
    api_calls=("ec2:DescribeVpcPeeringConnections",),
)
def peering_connections(api: Api, region: str) -> list[dict[str, Any]]:
    """VPC peering connections (both sides' CIDR blocks)."""
    return api.pages("ec2", region, "describe_vpc_peering_connections", "VpcPeeringConnections")


@collector("ec2.vpc_endpoints", service="ec2", api_calls=("ec2:DescribeVpcEndpoints",))
def vpc_endpoints(api: Api, region: str) -> list[dict[str, Any]]:
    """Gateway and interface VPC endpoints."""
    return api.pages("ec2", region, "describe_vpc_endpoints", "VpcEndpoints")
