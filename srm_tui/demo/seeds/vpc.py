"""Demo seed: per region, the VPC networking the EC2.x controls look at beyond the basics
of the EC2 seed: interface endpoints in the tidy VPC (none elsewhere), a network interface
of a routing appliance without source/destination checking, an instance with two network
interfaces, transit gateways with and without automatic acceptance, and a hardened and a
legacy launch template."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

ORDER = 31  # after the EC2 seed, whose tidy VPC it extends

INTERFACE_SERVICES = ("ec2", "ecr.api", "ecr.dkr", "ssm", "ssm-contacts", "ssm-incidents")


def _tidy(ec2: Any) -> tuple[str, str]:
    """The EC2 seed's tidy VPC (10.10.0.0/16) and its subnet."""
    vpc = ec2.describe_vpcs(Filters=[{"Name": "cidr", "Values": ["10.10.0.0/16"]}])["Vpcs"][0]
    subnet = ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc["VpcId"]]}])
    return vpc["VpcId"], subnet["Subnets"][0]["SubnetId"]


def _region(session: Any, region: str) -> None:
    ec2 = session.client("ec2", region_name=region)
    vpc, subnet = _tidy(ec2)
    for service in INTERFACE_SERVICES:
        ec2.create_vpc_endpoint(
            VpcId=vpc, ServiceName=f"com.amazonaws.{region}.{service}",
            VpcEndpointType="Interface", SubnetIds=[subnet],
        )  # fmt: skip

    appliance = ec2.create_network_interface(SubnetId=subnet, Description="nat-appliance")
    ec2.modify_network_interface_attribute(
        NetworkInterfaceId=appliance["NetworkInterface"]["NetworkInterfaceId"],
        SourceDestCheck={"Value": False},
    )
    # An HVM image (the emulator's own instances report paravirtual) and a dual-homed
    # instance launched from it.
    image = ec2.register_image(Name=f"router-hvm-{region}", RootDeviceName="/dev/xvda")
    ec2.run_instances(
        ImageId=image["ImageId"], MinCount=1, MaxCount=1, InstanceType="t3.micro",
        MetadataOptions={"HttpTokens": "required", "HttpEndpoint": "enabled"},
        NetworkInterfaces=[{"DeviceIndex": 0, "SubnetId": subnet},
                           {"DeviceIndex": 1, "SubnetId": subnet}],
    )  # fmt: skip

    ec2.create_transit_gateway(
        Description="core", Options={"AutoAcceptSharedAttachments": "disable"}
    )
    ec2.create_transit_gateway(
        Description="legacy", Options={"AutoAcceptSharedAttachments": "enable"}
    )

    ec2.create_launch_template(
        LaunchTemplateName=f"web-{region}",
        LaunchTemplateData={
            "InstanceType": "t3.micro",
            "MetadataOptions": {"HttpTokens": "required", "HttpEndpoint": "enabled"},
            "NetworkInterfaces": [{"DeviceIndex": 0, "AssociatePublicIpAddress": False}],
            "BlockDeviceMappings": [{"DeviceName": "/dev/xvda", "Ebs": {"Encrypted": True}}],
        },
    )
    ec2.create_launch_template(
        LaunchTemplateName=f"legacy-{region}",
        LaunchTemplateData={
            "InstanceType": "t3.micro",
            "MetadataOptions": {"HttpTokens": "optional"},
            "NetworkInterfaces": [{"DeviceIndex": 0, "AssociatePublicIpAddress": True}],
            "BlockDeviceMappings": [{"DeviceName": "/dev/xvda", "Ebs": {"Encrypted": False}}],
        },
    )


def seed(session: Any, regions: Sequence[str], scale: int = 1) -> None:
    """Seed the VPC extras in each demo region."""
    for region in regions:
        _region(session, region)
