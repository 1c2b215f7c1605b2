"""Demo seed: per region, a tidy VPC beside the default one, open and closed
security groups, instances, volumes, snapshots and images."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

ORDER = 30

AMI = "ami-12c6146b"  # any id: the demo starts the emulator without its stock images


def _rule(port: int, cidr: str = "", ipv6: str = "", protocol: str = "tcp") -> dict[str, Any]:
    rule: dict[str, Any] = {"IpProtocol": protocol, "FromPort": port, "ToPort": port}
    if cidr:
        rule["IpRanges"] = [{"CidrIp": cidr}]
    if ipv6:
        rule["Ipv6Ranges"] = [{"CidrIpv6": ipv6}]
    return rule


def _group(ec2: Any, name: str, vpc: str, rules: list[dict[str, Any]]) -> str:
    group = ec2.create_security_group(GroupName=name, Description=name, VpcId=vpc)["GroupId"]
    if rules:
        ec2.authorize_security_group_ingress(GroupId=group, IpPermissions=rules)
    return group


def _region(session: Any, region: str, index: int, scale: int) -> None:
    ec2 = session.client("ec2", region_name=region)
    default_vpc = ec2.describe_vpcs(Filters=[{"Name": "isDefault", "Values": ["true"]}])["Vpcs"][0][
        "VpcId"
    ]
    vpc = ec2.create_vpc(CidrBlock="10.10.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.10.1.0/24")["Subnet"]["SubnetId"]
    peer = ec2.create_vpc(CidrBlock="10.20.0.0/16")["Vpc"]["VpcId"]

    # The tidy VPC's default group has no rules at all.
    default_sg = ec2.describe_security_groups(
        Filters=[{"Name": "vpc-id", "Values": [vpc]}, {"Name": "group-name", "Values": ["default"]}]
    )["SecurityGroups"][0]
    if default_sg.get("IpPermissions"):
        ec2.revoke_security_group_ingress(
            GroupId=default_sg["GroupId"], IpPermissions=default_sg["IpPermissions"]
        )
    if default_sg.get("IpPermissionsEgress"):
        ec2.revoke_security_group_egress(
            GroupId=default_sg["GroupId"], IpPermissions=default_sg["IpPermissionsEgress"]
        )
    web = _group(ec2, "web", vpc, [_rule(443, "0.0.0.0/0", "::/0")])
    _group(ec2, "bastion-internal", vpc, [_rule(22, "10.0.0.0/8")])
    legacy = _group(
        ec2, "legacy-admin", default_vpc,
        [_rule(22, "0.0.0.0/0"), _rule(3389, ipv6="::/0"), _rule(445, "0.0.0.0/0")],
    )  # fmt: skip
    for n in range(scale - 1):
        # Benchmark growth: one group per step, every fifth one open to SSH.
        cidr = "0.0.0.0/0" if n % 5 == 0 else "10.0.0.0/8"
        _group(ec2, f"bench-{n:05d}", vpc, [_rule(22, cidr)])

    # Network ACL of the tidy VPC: deny administration ports first, then allow.
    acl = ec2.create_network_acl(VpcId=vpc)["NetworkAcl"]["NetworkAclId"]
    for number, port in ((10, 22), (20, 3389)):
        ec2.create_network_acl_entry(
            NetworkAclId=acl, RuleNumber=number, Protocol="6", RuleAction="deny", Egress=False,
            CidrBlock="0.0.0.0/0", PortRange={"From": port, "To": port},
        )  # fmt: skip
    ec2.create_network_acl_entry(
        NetworkAclId=acl, RuleNumber=100, Protocol="-1", RuleAction="allow", Egress=False,
        CidrBlock="0.0.0.0/0",
    )  # fmt: skip

    # Instances: a hardened one in the tidy VPC, a legacy one in the default VPC.
    hardened = ec2.run_instances(
        ImageId=AMI, MinCount=1, MaxCount=1, InstanceType="t3.micro", SubnetId=subnet,
        SecurityGroupIds=[web], IamInstanceProfile={"Name": "app-instance"},
        MetadataOptions={"HttpTokens": "required", "HttpEndpoint": "enabled"},
    )["Instances"][0]["InstanceId"]  # fmt: skip
    legacy_instance = ec2.run_instances(
        ImageId=AMI, MinCount=1, MaxCount=1, InstanceType="t3.micro", SecurityGroupIds=[legacy],
        MetadataOptions={"HttpTokens": "optional", "HttpEndpoint": "enabled"},
    )["Instances"][0]["InstanceId"]  # fmt: skip

    zone = f"{region}a"
    data = ec2.create_volume(AvailabilityZone=zone, Size=8, Encrypted=True)["VolumeId"]
    # Attached volumes are the ones EC2.3 judges: an encrypted data volume on the hardened
    # instance beside the instances' unencrypted root volumes.
    ec2.attach_volume(VolumeId=data, InstanceId=hardened, Device="/dev/sdf")
    plain = ec2.create_volume(AvailabilityZone=zone, Size=8)["VolumeId"]
    ec2.create_snapshot(VolumeId=plain, Description="private backup")
    shared = ec2.create_snapshot(VolumeId=plain, Description="shared with everyone")["SnapshotId"]
    ec2.modify_snapshot_attribute(
        SnapshotId=shared,
        Attribute="createVolumePermission",
        OperationType="add",
        GroupNames=["all"],
    )
    ec2.create_image(InstanceId=legacy_instance, Name=f"golden-{region}")
    public_image = ec2.create_image(InstanceId=legacy_instance, Name=f"public-{region}")["ImageId"]
    ec2.modify_image_attribute(ImageId=public_image, LaunchPermission={"Add": [{"Group": "all"}]})
    if index == 1:
        ec2.enable_ebs_encryption_by_default()

    # Flow logs and an S3 endpoint for the tidy VPC only.
    ec2.create_flow_logs(
        ResourceIds=[vpc], ResourceType="VPC", TrafficType="ALL", LogDestinationType="s3",
        LogDestination=f"arn:aws:s3:::demo-access-logs-{region}",
    )  # fmt: skip
    tables = ec2.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["RouteTables"]
    ec2.create_vpc_endpoint(
        VpcId=vpc, ServiceName=f"com.amazonaws.{region}.s3", VpcEndpointType="Gateway",
        RouteTableIds=[tables[0]["RouteTableId"]],
    )  # fmt: skip

    # Peering: one route table reaches only the peer, another far more.
    pcx = ec2.create_vpc_peering_connection(VpcId=vpc, PeerVpcId=peer)["VpcPeeringConnection"][
        "VpcPeeringConnectionId"
    ]
    ec2.accept_vpc_peering_connection(VpcPeeringConnectionId=pcx)
    ec2.create_route(RouteTableId=tables[0]["RouteTableId"], DestinationCidrBlock="10.20.0.0/16",
                     VpcPeeringConnectionId=pcx)  # fmt: skip
    wide = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    ec2.create_route(
        RouteTableId=wide, DestinationCidrBlock="10.0.0.0/8", VpcPeeringConnectionId=pcx
    )


def seed(session: Any, regions: Sequence[str], scale: int = 1) -> None:
    """Seed EC2 and VPC resources in each demo region."""
    for index, region in enumerate(regions):
        _region(session, region, index, scale)
