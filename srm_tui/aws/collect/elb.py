"""Elastic Load Balancing: Application, Network and Gateway Load Balancers with their
attributes and listeners, and Classic Load Balancers with their listeners, attributes
and SSL negotiation policies."""

from __future__ import annotations

from typing import Any

from srm_tui.aws.api import Api
from srm_tui.aws.collectors import collector
from srm_tui.collected import Unreadable

# The load balancer attributes checks read (elbv2), by the key AWS gives them.
ATTRIBUTES = (
    "access_logs.s3.enabled",
    "deletion_protection.enabled",
    "routing.http.drop_invalid_header_fields.enabled",
    "routing.http.desync_mitigation_mode",
)
CLASSIC_DESYNC = "elb.http.desyncmitigationmode"


def _v2_attributes(api: Api, arn: str) -> dict[str, str] | Unreadable:
    answer = api.detail("elbv2", None, "describe_load_balancer_attributes", LoadBalancerArn=arn)
    if isinstance(answer, Unreadable):
        return answer
    values = {a.get("Key"): a.get("Value", "") for a in answer.get("Attributes") or []}
    return {key: values[key] for key in ATTRIBUTES if key in values}


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
    """Each Application, Network or Gateway Load Balancer: name, ARN, type, scheme, its
    Availability Zones, ``attributes`` (the keys in ``ATTRIBUTES`` that AWS answered,
    or ``Unreadable``) and, for Application Load Balancers, ``access_logs`` (whether
    access logs go to S3; None for the other types, ``Unreadable`` when the attributes
    are)."""
    listed = api.pages("elbv2", None, "describe_load_balancers", "LoadBalancers")

    def one(lb: dict[str, Any]) -> dict[str, Any]:
        arn = lb.get("LoadBalancerArn", "")
        attributes = _v2_attributes(api, arn)
        kind = lb.get("Type", "")
        access_logs: Any = None
        # Only Application Load Balancers write access logs for all traffic.
        if kind == "application":
            access_logs = (
                attributes
                if isinstance(attributes, Unreadable)
                else attributes.get("access_logs.s3.enabled", "false") == "true"
            )
        return {
            "name": lb.get("LoadBalancerName", ""),
            "arn": arn,
            "type": kind,
            "scheme": lb.get("Scheme", ""),
            "zones": sorted(
                {z.get("ZoneName", "") for z in lb.get("AvailabilityZones") or [] if z}
            ),
            "attributes": attributes,
            "access_logs": access_logs,
        }

    return api.each(one, listed)


def _listener(item: dict[str, Any]) -> dict[str, Any]:
    actions = []
    for action in item.get("DefaultActions") or []:
        redirect = action.get("RedirectConfig") or {}
        actions.append({"type": action.get("Type", ""), "protocol": redirect.get("Protocol", "")})
    return {
        "arn": item.get("ListenerArn", ""),
        "protocol": item.get("Protocol", ""),
        "port": item.get("Port"),
        "ssl_policy": item.get("SslPolicy", ""),
        "default_actions": actions,
    }


@collector(
    "elbv2.listeners",
    service="elbv2",
    api_calls=(
        "elasticloadbalancing:DescribeLoadBalancers",
        "elasticloadbalancing:DescribeListeners",
    ),
)
def listeners(api: Api, region: str) -> list[dict[str, Any]]:
    """For each Application, Network or Gateway Load Balancer: its ARN, name, type and
    ``listeners`` (ARN, protocol, port, TLS policy, default actions with the protocol
    a redirect goes to), or ``Unreadable``. A load balancer has at most 50 listeners,
    fewer than one page holds."""

    # The same listing as elbv2.load_balancers: the session answers it once per scan.
    listed = api.pages("elbv2", None, "describe_load_balancers", "LoadBalancers")

    def one(lb: dict[str, Any]) -> dict[str, Any]:
        arn = lb.get("LoadBalancerArn", "")
        answer = api.detail("elbv2", None, "describe_listeners", LoadBalancerArn=arn)
        found: Any = answer
        if not isinstance(answer, Unreadable):
            found = [_listener(item) for item in answer.get("Listeners") or []]
        return {
            "lb_arn": arn,
            "name": lb.get("LoadBalancerName", ""),
            "type": lb.get("Type", ""),
            "listeners": found,
        }

    return api.each(one, listed)


def _classic_attributes(api: Api, name: str) -> dict[str, Any] | Unreadable:
    answer = api.detail("elb", None, "describe_load_balancer_attributes", LoadBalancerName=name)
    if isinstance(answer, Unreadable):
        return answer
    attributes = answer.get("LoadBalancerAttributes") or {}
    additional = {
        a.get("Key"): a.get("Value") for a in attributes.get("AdditionalAttributes") or [] if a
    }
    return {
        "access_logs": bool((attributes.get("AccessLog") or {}).get("Enabled")),
        "connection_draining": bool((attributes.get("ConnectionDraining") or {}).get("Enabled")),
        "cross_zone": bool((attributes.get("CrossZoneLoadBalancing") or {}).get("Enabled")),
        "desync_mode": additional.get(CLASSIC_DESYNC),
    }


def _ssl_policies(api: Api, name: str) -> dict[str, str] | Unreadable:
    """Each SSL negotiation policy of the load balancer: name -> the predefined policy it
    references ("" for a custom one)."""
    answer = api.detail("elb", None, "describe_load_balancer_policies", LoadBalancerName=name)
    if isinstance(answer, Unreadable):
        return answer
    found = {}
    for policy in answer.get("PolicyDescriptions") or []:
        if policy.get("PolicyTypeName") != "SSLNegotiationPolicyType":
            continue
        reference = ""
        for attribute in policy.get("PolicyAttributeDescriptions") or []:
            if attribute.get("AttributeName") == "Reference-Security-Policy":
                reference = str(attribute.get("AttributeValue") or "")
        found[str(policy.get("PolicyName", ""))] = reference
    return found


@collector(
    "elb.classic_load_balancers",
    service="elb",
    api_calls=(
        "elasticloadbalancing:DescribeLoadBalancers",
        "elasticloadbalancing:DescribeLoadBalancerAttributes",
        "elasticloadbalancing:DescribeLoadBalancerPolicies",
    ),
    in_use=bool,
)
def classic_load_balancers(api: Api, region: str) -> list[dict[str, Any]]:
    """Each Classic Load Balancer: name, ARN, scheme, Availability Zones, listeners
    (protocol, port, certificate ARN, policy names), ``attributes`` (access logs,
    connection draining, cross-zone balancing, desync mitigation mode; or
    ``Unreadable``) and, when it has an HTTPS or SSL listener, ``ssl_policies``."""
    listed = api.pages("elb", None, "describe_load_balancers", "LoadBalancerDescriptions")

    def one(lb: dict[str, Any]) -> dict[str, Any]:
        name = lb.get("LoadBalancerName", "")
        found_listeners = []
        for description in lb.get("ListenerDescriptions") or []:
            listener = description.get("Listener") or {}
            found_listeners.append(
                {
                    "protocol": str(listener.get("Protocol", "")).upper(),
                    "port": listener.get("LoadBalancerPort"),
                    "certificate": listener.get("SSLCertificateId", ""),
                    "policies": list(description.get("PolicyNames") or []),
                }
            )
        secure = any(item["protocol"] in ("HTTPS", "SSL") for item in found_listeners)
        return {
            "name": name,
            "arn": f"arn:{api.partition}:elasticloadbalancing:{region}:{api.account_id}"
            f":loadbalancer/{name}",
            "scheme": lb.get("Scheme", ""),
            "zones": list(lb.get("AvailabilityZones") or []),
            "listeners": found_listeners,
            "attributes": _classic_attributes(api, name),
            "ssl_policies": _ssl_policies(api, name) if secure else {},
        }

    return api.each(one, listed)
