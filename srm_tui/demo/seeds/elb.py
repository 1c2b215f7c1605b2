"""Demo seed: load balancers, a careful and a careless one of each kind.

Application Load Balancers: ``shop-alb-N`` logs access, redirects HTTP to HTTPS with a TLS
1.3 policy, drops invalid headers, mitigates desync strictly and is protected from
deletion; ``intranet-alb-N`` does none of it. ``relay-nlb-N`` is a Network Load Balancer
in one zone with a plain TCP listener. Classic: ``secure-clb-N`` (HTTPS with an ACM
certificate and the TLS 1.2 policy, two zones, draining, cross-zone) and ``legacy-clb-N``
(plain HTTP and an IAM certificate, one zone, desync monitor only).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

TLS13 = "ELBSecurityPolicy-TLS13-1-2-2021-06"
OLD_POLICY = "ELBSecurityPolicy-2016-08"
CLASSIC_TLS12 = "ELBSecurityPolicy-TLS-1-2-2017-01"


def _attributes(elbv2: Any, arn: str, values: dict[str, str]) -> None:
    elbv2.modify_load_balancer_attributes(
        LoadBalancerArn=arn, Attributes=[{"Key": k, "Value": v} for k, v in values.items()]
    )


def _application(elbv2: Any, n: int, subnets: list[str], vpc: str, certificate: str) -> None:
    group = elbv2.create_target_group(Name=f"shop-{n}", Protocol="HTTP", Port=8080, VpcId=vpc)[
        "TargetGroups"
    ][0]["TargetGroupArn"]
    forward = [{"Type": "forward", "TargetGroupArn": group}]
    shop = elbv2.create_load_balancer(Name=f"shop-alb-{n}", Subnets=subnets)
    shop_arn = shop["LoadBalancers"][0]["LoadBalancerArn"]
    _attributes(elbv2, shop_arn, {
        "access_logs.s3.enabled": "true", "access_logs.s3.bucket": "demo-alb-logs",
        "routing.http.drop_invalid_header_fields.enabled": "true",
        "routing.http.desync_mitigation_mode": "strictest",
        "deletion_protection.enabled": "true",
    })  # fmt: skip
    elbv2.create_listener(
        LoadBalancerArn=shop_arn, Protocol="HTTP", Port=80,
        DefaultActions=[{"Type": "redirect", "RedirectConfig": {
            "Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301"}}],
    )  # fmt: skip
    elbv2.create_listener(
        LoadBalancerArn=shop_arn, Protocol="HTTPS", Port=443, SslPolicy=TLS13,
        Certificates=[{"CertificateArn": certificate}], DefaultActions=forward,
    )  # fmt: skip

    intranet = elbv2.create_load_balancer(Name=f"intranet-alb-{n}", Subnets=subnets,
                                          Scheme="internal")  # fmt: skip
    intranet_arn = intranet["LoadBalancers"][0]["LoadBalancerArn"]
    _attributes(elbv2, intranet_arn, {"routing.http.desync_mitigation_mode": "monitor"})
    elbv2.create_listener(LoadBalancerArn=intranet_arn, Protocol="HTTP", Port=80,
                          DefaultActions=forward)  # fmt: skip
    elbv2.create_listener(
        LoadBalancerArn=intranet_arn, Protocol="HTTPS", Port=443, SslPolicy=OLD_POLICY,
        Certificates=[{"CertificateArn": certificate}], DefaultActions=forward,
    )  # fmt: skip

    relay = elbv2.create_load_balancer(Name=f"relay-nlb-{n}", Subnets=subnets[:1], Type="network")
    tcp = elbv2.create_target_group(Name=f"relay-{n}", Protocol="TCP", Port=25, VpcId=vpc)
    elbv2.create_listener(
        LoadBalancerArn=relay["LoadBalancers"][0]["LoadBalancerArn"], Protocol="TCP", Port=25,
        DefaultActions=[{"Type": "forward",
                         "TargetGroupArn": tcp["TargetGroups"][0]["TargetGroupArn"]}],
    )  # fmt: skip


def _classic(elb: Any, n: int, region: str, certificate: str) -> None:
    secure = f"secure-clb-{n}"
    elb.create_load_balancer(
        LoadBalancerName=secure,
        Listeners=[{"Protocol": "HTTPS", "LoadBalancerPort": 443, "InstanceProtocol": "HTTP",
                    "InstancePort": 8080, "SSLCertificateId": certificate}],
        AvailabilityZones=[f"{region}a", f"{region}b"],
    )  # fmt: skip
    elb.create_load_balancer_policy(
        LoadBalancerName=secure, PolicyName="tls-1-2", PolicyTypeName="SSLNegotiationPolicyType",
        PolicyAttributes=[{"AttributeName": "Reference-Security-Policy",
                           "AttributeValue": CLASSIC_TLS12}],
    )  # fmt: skip
    elb.set_load_balancer_policies_of_listener(
        LoadBalancerName=secure, LoadBalancerPort=443, PolicyNames=["tls-1-2"]
    )
    elb.modify_load_balancer_attributes(
        LoadBalancerName=secure,
        LoadBalancerAttributes={
            "AccessLog": {"Enabled": True, "S3BucketName": "demo-alb-logs", "EmitInterval": 60},
            "ConnectionDraining": {"Enabled": True, "Timeout": 300},
            "CrossZoneLoadBalancing": {"Enabled": True},
            "AdditionalAttributes": [{"Key": "elb.http.desyncmitigationmode",
                                      "Value": "strictest"}],
        },
    )  # fmt: skip
    legacy = f"legacy-clb-{n}"
    elb.create_load_balancer(
        LoadBalancerName=legacy,
        Listeners=[
            {"Protocol": "HTTP", "LoadBalancerPort": 80, "InstancePort": 8080},
            {"Protocol": "HTTPS", "LoadBalancerPort": 443, "InstanceProtocol": "HTTP",
             "InstancePort": 8080,
             "SSLCertificateId": "arn:aws:iam::123456789012:server-certificate/legacy-shop"},
        ],
        AvailabilityZones=[f"{region}a"],
    )  # fmt: skip
    elb.modify_load_balancer_attributes(
        LoadBalancerName=legacy,
        LoadBalancerAttributes={"AdditionalAttributes": [
            {"Key": "elb.http.desyncmitigationmode", "Value": "monitor"}]},
    )  # fmt: skip


def seed(session: Any, regions: Sequence[str], scale: int = 1) -> None:
    """Per region and ``scale``, the load balancers above, in a VPC of their own."""
    for region in regions:
        ec2 = session.client("ec2", region_name=region)
        vpc = ec2.create_vpc(CidrBlock="10.42.0.0/16")["Vpc"]["VpcId"]
        subnets = [
            ec2.create_subnet(
                VpcId=vpc, CidrBlock=f"10.42.{i}.0/24", AvailabilityZone=f"{region}{zone}"
            )["Subnet"]["SubnetId"]
            for i, zone in enumerate("ab")
        ]
        certificate = session.client("acm", region_name=region).request_certificate(
            DomainName="shop.example.com", ValidationMethod="DNS"
        )["CertificateArn"]
        elbv2 = session.client("elbv2", region_name=region)
        elb = session.client("elb", region_name=region)
        for n in range(scale):
            _application(elbv2, n, subnets, vpc, certificate)
            _classic(elb, n, region, certificate)
