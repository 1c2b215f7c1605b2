"""Elastic Load Balancing: Application and Classic Load Balancers with access logging."""

from __future__ import annotations

from typing import Any

from srm_tui.aws.api import Api
from srm_tui.aws.collectors import collector


@collector(
    "elbv2.load_balancers",
    service="elbv2",
    api_calls=(
        "elasticloadbalancing:DescribeLoadBalancers",
        "elasticloadbalancing:DescribeLoadBalancerAttributes",
    ),
    in_use=bool,
)
def load_balancers(api: Api, region: str) -> list[dict[str, Any]]:
    """Each Application, Network or Gateway Load Balancer: name, ARN, type, scheme and,
    for Application Load Balancers, whether access logs go to S3."""
    found = []
    for lb in api.pages("elbv2", None, "describe_load_balancers", "LoadBalancers"):
        entry = {
            "name": lb.get("LoadBalancerName", ""),
            "arn": lb.get("LoadBalancerArn", ""),
            "type": lb.get("Type", ""),
            "scheme": lb.get("Scheme", ""),
            "access_logs": None,
        }
        # Only Application Load Balancers write access logs for all traffic.
        if entry["type"] == "application":
            attributes = api.call(
                "elbv2", None, "describe_load_balancer_attributes", LoadBalancerArn=entry["arn"]
            )
            values = {a["Key"]: a.get("Value", "") for a in attributes.get("Attributes") or []}
            entry["access_logs"] = values.get("access_logs.s3.enabled", "false") == "true"
        found.append(entry)
    return found


@collector(
    "elb.classic_load_balancers",
    service="elb",
    api_calls=(
        "elasticloadbalancing:DescribeLoadBalancers",
        "elasticloadbalancing:DescribeLoadBalancerAttributes",
    ),
    in_use=bool,
)
def classic_load_balancers(api: Api, region: str) -> list[dict[str, Any]]:
    """Each Classic Load Balancer: name, ARN, scheme and whether access logs are on."""
    found = []
    for lb in api.pages("elb", None, "describe_load_balancers", "LoadBalancerDescriptions"):
        name = lb["LoadBalancerName"]
        attributes = api.call(
            "elb", None, "describe_load_balancer_attributes", LoadBalancerName=name
        )
        log = (attributes.get("LoadBalancerAttributes") or {}).get("AccessLog") or {}
        found.append(
            {
                "name": name,
                "arn": f"arn:{api.partition}:elasticloadbalancing:{region}:{api.account_id}"
                f":loadbalancer/{name}",
                "scheme": lb.get("Scheme", ""),
                "access_logs": bool(log.get("Enabled")),
            }
        )
    return found
