"""Demo seed: per region, a careful Auto Scaling group (launch template, two instance
types in two zones, behind a target group with ELB health checks) and a careless one (a
launch configuration that gives public IPs and allows IMDSv1, one zone, behind a Classic
Load Balancer with EC2 health checks), plus a hardened launch configuration nobody uses
yet. Groups stay at zero instances."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

ORDER = 60  # after the load balancer seed, whose VPC, subnets and load balancers it uses

AMI = "ami-12c6146b"


def _region(session: Any, region: str, n: int) -> None:
    ec2 = session.client("ec2", region_name=region)
    elbv2 = session.client("elbv2", region_name=region)
    scaling = session.client("autoscaling", region_name=region)
    vpc = ec2.describe_vpcs(Filters=[{"Name": "cidr", "Values": ["10.42.0.0/16"]}])["Vpcs"][0]
    subnets = sorted(
        s["SubnetId"]
        for s in ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc["VpcId"]]}])[
            "Subnets"
        ]
    )
    group = elbv2.describe_target_groups(Names=[f"shop-{n}"])["TargetGroups"][0]
    template = f"shop-asg-{n}"
    ec2.create_launch_template(
        LaunchTemplateName=template,
        LaunchTemplateData={"ImageId": AMI, "MetadataOptions": {"HttpTokens": "required"}},
    )
    scaling.create_auto_scaling_group(
        AutoScalingGroupName=f"shop-{n}", MinSize=0, MaxSize=2, DesiredCapacity=0,
        VPCZoneIdentifier=",".join(subnets), TargetGroupARNs=[group["TargetGroupArn"]],
        HealthCheckType="ELB", HealthCheckGracePeriod=300,
        MixedInstancesPolicy={"LaunchTemplate": {
            "LaunchTemplateSpecification": {"LaunchTemplateName": template},
            "Overrides": [{"InstanceType": "t3.micro"}, {"InstanceType": "t3a.micro"}],
        }},
    )  # fmt: skip
    scaling.create_launch_configuration(
        LaunchConfigurationName=f"legacy-{n}", ImageId=AMI, InstanceType="t3.micro",
        AssociatePublicIpAddress=True, MetadataOptions={"HttpTokens": "optional"},
    )  # fmt: skip
    scaling.create_launch_configuration(
        LaunchConfigurationName=f"hardened-{n}", ImageId=AMI, InstanceType="t3.micro",
        AssociatePublicIpAddress=False,
        MetadataOptions={"HttpTokens": "required", "HttpEndpoint": "enabled"},
    )  # fmt: skip
    scaling.create_auto_scaling_group(
        AutoScalingGroupName=f"legacy-{n}", LaunchConfigurationName=f"legacy-{n}",
        MinSize=0, MaxSize=1, DesiredCapacity=0, VPCZoneIdentifier=subnets[0],
        LoadBalancerNames=[f"legacy-clb-{n}"], HealthCheckType="EC2",
    )  # fmt: skip


def seed(session: Any, regions: Sequence[str], scale: int = 1) -> None:
    """Per region and ``scale``: groups ``shop-N`` and ``legacy-N``."""
    for region in regions:
        for n in range(scale):
            _region(session, region, n)
