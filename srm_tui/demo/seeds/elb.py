"""Demo seed: load balancers with and without access logs."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def seed(session: Any, regions: Sequence[str], scale: int = 1) -> None:
    """Per region and ``scale``: Application Load Balancers ``shop-alb-N`` (access logs
    on) and ``intranet-alb-N`` (off) in a VPC of their own, and a Classic Load Balancer
    ``legacy-clb-N`` (off)."""
    for region in regions:
        ec2 = session.client("ec2", region_name=region)
        vpc = ec2.create_vpc(CidrBlock="10.42.0.0/16")["Vpc"]["VpcId"]
        subnets = [
            ec2.create_subnet(
                VpcId=vpc, CidrBlock=f"10.42.{i}.0/24", AvailabilityZone=f"{region}{zone}"
            )["Subnet"]["SubnetId"]
            for i, zone in enumerate("ab")
        ]
        elbv2 = session.client("elbv2", region_name=region)
        elb = session.client("elb", region_name=region)
        for n in range(scale):
            logged = elbv2.create_load_balancer(Name=f"shop-alb-{n}", Subnets=subnets)
            elbv2.modify_load_balancer_attributes(
                LoadBalancerArn=logged["LoadBalancers"][0]["LoadBalancerArn"],
                Attributes=[
                    {"Key": "access_logs.s3.enabled", "Value": "true"},
                    {"Key": "access_logs.s3.bucket", "Value": "demo-alb-logs"},
                ],
            )
            elbv2.create_load_balancer(Name=f"intranet-alb-{n}", Subnets=subnets, Scheme="internal")
            elb.create_load_balancer(
                LoadBalancerName=f"legacy-clb-{n}",
                Listeners=[{"Protocol": "HTTP", "LoadBalancerPort": 80, "InstancePort": 8080}],
                AvailabilityZones=[f"{region}a"],
            )
