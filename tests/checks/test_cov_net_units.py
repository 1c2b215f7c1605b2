"""The network, load balancer, Auto Scaling, ACM and Network Firewall checks over
hand-made collected data: each check's passing and failing resource, the cases its
control says do not apply, and its parameters."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from srm_tui.collected import Unreadable
from srm_tui.model import Status
from tests.checks.engine_helpers import checks, run

P, F, E, NA = Status.PASS, Status.FAIL, Status.ERROR, Status.NOT_APPLICABLE
NOW = datetime.now(UTC)
DENIED = Unreadable("access denied")


def verdicts(check_id: str, data: dict[str, Any], **parameters: Any) -> dict[str, Status]:
    """The last part of each resource (after "/" or ":") -> its status."""
    found = run(check_id, data, parameters=parameters or None)
    return {f.resource.replace(":", "/").rsplit("/", 1)[-1]: f.status for f in found}


# --- security groups (EC2.18, EC2.19) ------------------------------------------------


def rule(low: int | None, high: int | None, cidr: str = "0.0.0.0/0", proto: str = "tcp") -> dict:
    found: dict[str, Any] = {"IpProtocol": proto}
    if low is not None:
        found.update(FromPort=low, ToPort=high)
    key, field = ("Ipv6Ranges", "CidrIpv6") if ":" in cidr else ("IpRanges", "CidrIp")
    found[key] = [{field: cidr}]
    return found


GROUPS = [
    {"GroupId": "sg-web", "GroupName": "web", "IpPermissions": [rule(80, 80), rule(443, 443, "::/0")]},
    {"GroupId": "sg-ssh", "GroupName": "ssh", "IpPermissions": [rule(22, 22)]},
    {"GroupId": "sg-all", "GroupName": "all", "IpPermissions": [rule(None, None, proto="-1")]},
    {"GroupId": "sg-dns", "GroupName": "dns", "IpPermissions": [rule(53, 53, proto="udp")]},
    {"GroupId": "sg-ping", "GroupName": "ping", "IpPermissions": [rule(-1, -1, proto="icmp")]},
    {"GroupId": "sg-inside", "GroupName": "inside", "IpPermissions": [rule(0, 65535, "10.0.0.0/8")]},
    {"GroupId": "sg-range", "GroupName": "range", "IpPermissions": [rule(8000, 8100)]},
]  # fmt: skip


def test_sg_authorized_ports_with_the_default_ports():
    assert verdicts("ec2.sg_authorized_ports", {"ec2.security_groups": GROUPS}) == {
        "sg-web": P, "sg-ssh": F, "sg-all": F, "sg-dns": F, "sg-ping": P, "sg-inside": NA,
        "sg-range": F,
    }  # fmt: skip


def test_sg_authorized_ports_reads_its_parameters():
    found = verdicts(
        "ec2.sg_authorized_ports", {"ec2.security_groups": GROUPS},
        authorized_tcp_ports=["22", "80", "443", "8000-8050", "8051-8100"],
        authorized_udp_ports=["53"],
    )  # fmt: skip
    assert (found["sg-ssh"], found["sg-dns"], found["sg-range"], found["sg-all"]) == (P, P, P, F)
    assert checks()["ec2.sg_authorized_ports"].meta.parameter_defaults() == {
        "authorized_tcp_ports": ("80", "443"),
        "authorized_udp_ports": (),
    }


def test_sg_high_risk_ports():
    found = verdicts("ec2.sg_high_risk_ports", {"ec2.security_groups": GROUPS})
    assert found == {
        "sg-web": P, "sg-ssh": F, "sg-all": F, "sg-dns": P, "sg-ping": P, "sg-inside": P,
        "sg-range": F,  # 8000-8100 takes in 8080 and 8088
    }  # fmt: skip
    defaults = checks()["ec2.sg_high_risk_ports"].meta.parameter_defaults()["high_risk_ports"]
    assert {"22", "3389", "9300", "8888"} <= set(defaults) and len(defaults) == 24
    narrowed = verdicts(
        "ec2.sg_high_risk_ports", {"ec2.security_groups": GROUPS}, high_risk_ports=["3389"]
    )
    assert (narrowed["sg-ssh"], narrowed["sg-range"], narrowed["sg-all"]) == (P, P, F)
    finding = next(f for f in run("ec2.sg_high_risk_ports", {"ec2.security_groups": GROUPS})
                   if f.resource.endswith("sg-range"))  # fmt: skip
    assert "8080" in finding.detail and "8088" in finding.detail


# --- instances (EC2.4, EC2.17, EC2.24) -----------------------------------------------


def instance(name: str, **fields: Any) -> dict[str, Any]:
    return {"InstanceId": name, "State": {"Name": "running"}, **fields}


def stopped(name: str, days: int) -> dict[str, Any]:
    when = (NOW - timedelta(days=days)).strftime("%Y-%m-%d %H:%M:%S")
    return instance(
        name, State={"Name": "stopped"}, StateTransitionReason=f"User initiated ({when} GMT)"
    )


def test_stopped_instances_and_the_allowed_days():
    data = {"ec2.instances": [instance("i-run"), stopped("i-new", 3), stopped("i-old", 45),
                              instance("i-odd", State={"Name": "stopped"})]}  # fmt: skip
    assert verdicts("ec2.stopped_instances", data) == {
        "i-run": P, "i-new": P, "i-old": F, "i-odd": E,
    }  # fmt: skip
    assert verdicts("ec2.stopped_instances", data, allowed_days=60)["i-old"] is P
    assert verdicts("ec2.stopped_instances", data, allowed_days=2)["i-new"] is F


def test_instance_interfaces_and_virtualization():
    data = {"ec2.instances": [
        instance("i-one", NetworkInterfaces=[{}], VirtualizationType="hvm"),
        instance("i-two", NetworkInterfaces=[{}, {}], VirtualizationType="paravirtual"),
    ]}  # fmt: skip
    assert verdicts("ec2.instance_multiple_enis", data) == {"i-one": P, "i-two": F}
    assert verdicts("ec2.paravirtual_instances", data) == {"i-one": P, "i-two": F}
    assert [f.status for f in run("ec2.paravirtual_instances", {"ec2.instances": []})] == [NA]


# --- existing EC2 checks made true to their controls --------------------------------


def test_imdsv2_as_fsbp_and_as_cis_read_it():
    data = {"ec2.instances": [
        instance("i-off", MetadataOptions={"HttpEndpoint": "disabled", "HttpTokens": "optional"}),
        instance("i-v2", MetadataOptions={"HttpEndpoint": "enabled", "HttpTokens": "required"}),
        instance("i-v1", MetadataOptions={"HttpEndpoint": "enabled", "HttpTokens": "optional"}),
        instance("i-unset"),
    ]}  # fmt: skip
    # FSBP EC2.8 judges HttpTokens alone; CIS 6.7 lets an instance without the service pass.
    assert verdicts("ec2.imdsv2_tokens", data) == {"i-off": F, "i-v2": P, "i-v1": F, "i-unset": F}
    assert verdicts("ec2.imdsv2", data) == {"i-off": P, "i-v2": P, "i-v1": F, "i-unset": F}
    assert checks()["ec2.imdsv2_tokens"].meta.frameworks["aws-fsbp"] == ("EC2.8",)
    assert "aws-fsbp" not in checks()["ec2.imdsv2"].meta.frameworks


def test_flow_logs_must_record_rejected_traffic():
    data = {
        "ec2.vpcs": [{"VpcId": v} for v in ("vpc-all", "vpc-rej", "vpc-acc", "vpc-off", "vpc-no")],
        "ec2.flow_logs": [
            {"ResourceId": "vpc-all", "TrafficType": "ALL", "FlowLogStatus": "ACTIVE"},
            {"ResourceId": "vpc-rej", "TrafficType": "REJECT", "FlowLogStatus": "ACTIVE"},
            {"ResourceId": "vpc-acc", "TrafficType": "ACCEPT", "FlowLogStatus": "ACTIVE"},
            {"ResourceId": "vpc-off", "TrafficType": "ALL", "FlowLogStatus": "DELETED"},
        ],
    }
    assert verdicts("ec2.vpc_flow_logs", data) == {
        "vpc-all": P, "vpc-rej": P, "vpc-acc": F, "vpc-off": F, "vpc-no": F,
    }  # fmt: skip
    assert verdicts("ec2.vpc_flow_logs", data, traffic_type="ACCEPT")["vpc-acc"] is P


# --- VPC network (EC2.10, .15, .16, .20, .23, .51, .55-.60, .171, .172, .180) ---------


def endpoint(vpc: str, service: str, kind: str = "Interface", state: str = "available") -> dict:
    return {"VpcId": vpc, "ServiceName": f"com.amazonaws.us-east-1.{service}",
            "VpcEndpointType": kind, "State": state}  # fmt: skip


@pytest.mark.parametrize(
    ("check_id", "service"),
    [
        ("ec2.vpc_endpoint_ec2", "ec2"),
        ("ec2.vpc_endpoint_ecr_api", "ecr.api"),
        ("ec2.vpc_endpoint_ecr_dkr", "ecr.dkr"),
        ("ec2.vpc_endpoint_ssm", "ssm"),
        ("ec2.vpc_endpoint_ssm_contacts", "ssm-contacts"),
        ("ec2.vpc_endpoint_ssm_incidents", "ssm-incidents"),
    ],
)
def test_vpc_interface_endpoints(check_id: str, service: str):
    data = {
        "ec2.vpcs": [{"VpcId": v} for v in ("vpc-yes", "vpc-no", "vpc-gone", "vpc-other")],
        "ec2.vpc_endpoints": [
            endpoint("vpc-yes", service),
            endpoint("vpc-gone", service, state="deleted"),
            # Another service whose name starts the same way does not count.
            endpoint("vpc-other", service + "messages"),
            endpoint("vpc-other", "s3", kind="Gateway"),
        ],
    }
    assert verdicts(check_id, data) == {
        "vpc-yes": P, "vpc-no": F, "vpc-gone": F, "vpc-other": F,
    }  # fmt: skip


def test_subnets_nacls_and_interfaces():
    subnets = [{"id": "subnet-a", "arn": "arn:aws:ec2:us-east-1:123456789012:subnet/subnet-a",
                "vpc": "vpc-1", "map_public_ip": False},
               {"id": "subnet-b", "arn": "", "vpc": "vpc-1", "map_public_ip": True}]  # fmt: skip
    assert verdicts("ec2.subnet_auto_public_ip", {"ec2.subnets": subnets}) == {
        "subnet-a": P, "subnet-b": F,
    }  # fmt: skip
    acls = [{"NetworkAclId": "acl-used", "Associations": [{"SubnetId": "subnet-a"}]},
            {"NetworkAclId": "acl-spare", "Associations": []}]  # fmt: skip
    assert verdicts("ec2.unused_nacls", {"ec2.network_acls": acls}) == {
        "acl-used": P, "acl-spare": F,
    }  # fmt: skip
    enis = [
        {"id": "eni-ok", "type": "interface", "requester_managed": False, "source_dest_check": True},
        {"id": "eni-nat", "type": "interface", "requester_managed": False, "source_dest_check": False},
        {"id": "eni-lambda", "type": "lambda", "requester_managed": True, "source_dest_check": False},
        {"id": "eni-natgw", "type": "nat_gateway", "requester_managed": True, "source_dest_check": False},
    ]  # fmt: skip
    assert verdicts("ec2.eni_source_dest_check", {"ec2.network_interfaces": enis}) == {
        "eni-ok": P, "eni-nat": F, "eni-lambda": F,
    }  # fmt: skip
    only_aws = {"ec2.network_interfaces": enis[3:]}
    assert [f.status for f in run("ec2.eni_source_dest_check", only_aws)] == [NA]


def test_transit_gateways_and_client_vpn():
    tgws = [{"id": "tgw-a", "arn": "", "auto_accept": "disable"},
            {"id": "tgw-b", "arn": "", "auto_accept": "enable"}]  # fmt: skip
    assert verdicts("ec2.tgw_auto_accept", {"ec2.transit_gateways": tgws}) == {
        "tgw-a": P, "tgw-b": F,
    }  # fmt: skip
    endpoints = [{"id": "cvpn-endpoint-a", "logging": True},
                 {"id": "cvpn-endpoint-b", "logging": False}]  # fmt: skip
    assert verdicts("ec2.client_vpn_logging", {"ec2.client_vpn_endpoints": endpoints}) == {
        "cvpn-endpoint-a": P, "cvpn-endpoint-b": F,
    }  # fmt: skip


def test_site_to_site_vpn():
    vpns = [
        {"id": "vpn-ok", "state": "available", "tunnels": ["UP", "UP"], "tunnel_logging": [True, True]},
        {"id": "vpn-half", "state": "available", "tunnels": ["UP", "DOWN"], "tunnel_logging": [True, False]},
        {"id": "vpn-blind", "state": "available", "tunnels": [], "tunnel_logging": []},
        {"id": "vpn-new", "state": "pending", "tunnels": ["DOWN", "DOWN"], "tunnel_logging": [True]},
    ]  # fmt: skip
    data = {"ec2.vpn_connections": vpns}
    assert verdicts("ec2.vpn_tunnels_up", data) == {
        "vpn-ok": P, "vpn-half": F, "vpn-blind": E, "vpn-new": NA,
    }  # fmt: skip
    assert verdicts("ec2.vpn_logging", data) == {
        "vpn-ok": P, "vpn-half": F, "vpn-blind": F, "vpn-new": F,
    }  # fmt: skip


@pytest.mark.parametrize(
    ("mode", "required", "expected"),
    [
        ("block-bidirectional", "", P),
        ("block-ingress", "", P),
        ("off", "", F),
        ("block-ingress", "block-bidirectional", F),
        ("block-bidirectional", "block-bidirectional", P),
    ],
)
def test_vpc_block_public_access(mode: str, required: str, expected: Status):
    found = run(
        "ec2.vpc_block_public_access", {"ec2.vpc_block_public_access": mode},
        parameters={"internet_gateway_block_mode": required},
    )  # fmt: skip
    assert [f.status for f in found] == [expected]
    assert found[0].resource == "arn:aws:ec2:us-east-1:123456789012:account"


# --- launch templates and Spot Fleet (EC2.25, .170, .173, .181) ----------------------


def template(name: str, **fields: Any) -> dict[str, Any]:
    return {"id": f"lt-{name}", "name": name, "version": 1, "http_tokens": "",
            "public_ip": [], "volumes": [], **fields}  # fmt: skip


def test_launch_templates():
    data = {"ec2.launch_templates": [
        template("good", http_tokens="required", public_ip=[False], volumes=[True, None]),
        template("bad", http_tokens="optional", public_ip=[None, True], volumes=[True, False]),
        template("bare"),
    ]}  # fmt: skip
    assert verdicts("ec2.launch_template_public_ip", data) == {
        "lt-good": P, "lt-bad": F, "lt-bare": P,
    }  # fmt: skip
    assert verdicts("ec2.launch_template_imdsv2", data) == {
        "lt-good": P, "lt-bad": F, "lt-bare": F,
    }  # fmt: skip
    # EC2.181 fails only an explicit Encrypted=false; no volume at all is not applicable.
    assert verdicts("ec2.launch_template_ebs_encryption", data) == {
        "lt-good": P, "lt-bad": F, "lt-bare": NA,
    }  # fmt: skip


def test_spot_fleet_requests():
    requests = [
        {"id": "sfr-good", "launch_specifications": True, "volumes": [True, True]},
        {"id": "sfr-bad", "launch_specifications": True, "volumes": [True, False]},
        {"id": "sfr-unset", "launch_specifications": True, "volumes": [True, None]},
        {"id": "sfr-none", "launch_specifications": True, "volumes": []},
        {"id": "sfr-template", "launch_specifications": False, "volumes": []},
    ]
    assert verdicts("ec2.spot_fleet_ebs_encryption", {"ec2.spot_fleet_requests": requests}) == {
        "sfr-good": P, "sfr-bad": F, "sfr-unset": P, "sfr-none": NA, "sfr-template": NA,
    }  # fmt: skip


# --- load balancers (ELB.1-ELB.18) -----------------------------------------------------


def v2(name: str, kind: str = "application", zones: int = 2, **attributes: str) -> dict:
    arn = f"arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/{name}"
    return {"name": name, "arn": arn, "type": kind, "scheme": "internet-facing",
            "zones": [f"us-east-1{z}" for z in "abc"[:zones]], "attributes": attributes,
            "access_logs": None if kind != "application" else
            attributes.get("access_logs.s3.enabled") == "true"}  # fmt: skip


def test_v2_attribute_checks():
    lbs = [
        v2("good", **{"routing.http.drop_invalid_header_fields.enabled": "true",
                      "routing.http.desync_mitigation_mode": "strictest",
                      "deletion_protection.enabled": "true"}),
        v2("bad", zones=1, **{"routing.http.drop_invalid_header_fields.enabled": "false",
                              "routing.http.desync_mitigation_mode": "monitor",
                              "deletion_protection.enabled": "false"}),
        v2("net", kind="network", **{"deletion_protection.enabled": "true"}),
        # Attributes AWS did not answer take AWS's defaults (desync defensive, no drop).
        v2("plain"),
    ]  # fmt: skip
    denied = {**v2("hidden"), "attributes": DENIED, "access_logs": DENIED}
    data = {"elbv2.load_balancers": [*lbs, denied]}
    assert verdicts("elb.alb_drop_invalid_headers", data) == {
        "good": P, "bad": F, "plain": F, "hidden": E,
    }  # fmt: skip
    assert verdicts("elb.alb_desync_mode", data) == {
        "good": P, "bad": F, "plain": P, "hidden": E,
    }  # fmt: skip
    assert verdicts("elb.deletion_protection", data) == {
        "good": P, "bad": F, "net": P, "plain": F, "hidden": E,
    }  # fmt: skip
    assert verdicts("elb.multi_az", data) == {
        "good": P, "bad": F, "net": P, "plain": P, "hidden": P,
    }  # fmt: skip
    assert verdicts("elb.multi_az", data, min_availability_zones=3)["good"] is F
    assert verdicts("elb.access_logging", {**data, "elb.classic_load_balancers": []})["hidden"] is E


def listener(port: int, protocol: str, policy: str = "", redirect: str = "") -> dict:
    actions = (
        [{"type": "redirect", "protocol": redirect}]
        if redirect
        else [{"type": "forward", "protocol": ""}]
    )
    return {"arn": f"arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/x/1/{protocol}{port}",
            "protocol": protocol, "port": port, "ssl_policy": policy, "default_actions": actions}  # fmt: skip


def test_listener_checks():
    good_policy, old_policy = "ELBSecurityPolicy-TLS13-1-2-2021-06", "ELBSecurityPolicy-2016-08"
    data = {"elbv2.listeners": [
        {"lb_arn": "arn:aws:elasticloadbalancing:::loadbalancer/app/redirects/1", "name": "redirects",
         "type": "application",
         "listeners": [listener(80, "HTTP", redirect="HTTPS"), listener(443, "HTTPS", good_policy)]},
        {"lb_arn": "arn:aws:elasticloadbalancing:::loadbalancer/app/plain/1", "name": "plain",
         "type": "application",
         "listeners": [listener(8080, "HTTP"), listener(8443, "HTTPS", old_policy)]},
        {"lb_arn": "arn:aws:elasticloadbalancing:::loadbalancer/app/tls-only/1", "name": "tls-only",
         "type": "application", "listeners": [listener(4443, "HTTPS", good_policy)]},
        {"lb_arn": "arn:aws:elasticloadbalancing:::loadbalancer/net/nlb/1", "name": "nlb",
         "type": "network", "listeners": [listener(53, "UDP"), listener(636, "TLS", old_policy)]},
        {"lb_arn": "arn:aws:elasticloadbalancing:::loadbalancer/gwy/gw/1", "name": "gw",
         "type": "gateway", "listeners": [listener(6081, "GENEVE")]},
        {"lb_arn": "arn:aws:elasticloadbalancing:::loadbalancer/app/hidden/1", "name": "hidden",
         "type": "application", "listeners": DENIED},
    ]}  # fmt: skip
    redirect = {f.resource.split("/")[-2]: f.status for f in run("elb.alb_https_redirect", data)}
    assert redirect == {"redirects": P, "plain": F, "tls-only": P, "hidden": E}
    assert verdicts("elb.listener_encryption", data) == {
        "HTTP80": F, "HTTPS443": P, "HTTP8080": F, "HTTPS8443": P, "HTTPS4443": P,
        "UDP53": F, "TLS636": P, "1": E,
    }  # fmt: skip
    assert verdicts("elb.listener_tls_policy", data) == {
        "HTTPS443": P, "HTTPS8443": F, "HTTPS4443": P, "TLS636": F, "1": E,
    }  # fmt: skip


def classic(name: str, listeners: list[tuple[str, int, str, list[str]]], zones: int = 2,
            policies: Any = None, **attributes: Any) -> dict[str, Any]:  # fmt: skip
    base = {"access_logs": False, "connection_draining": False, "cross_zone": False,
            "desync_mode": None}  # fmt: skip
    return {
        "name": name,
        "arn": f"arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/{name}",
        "scheme": "internet-facing",
        "zones": [f"us-east-1{z}" for z in "abc"[:zones]],
        "listeners": [
            {"protocol": p, "port": port, "certificate": cert, "policies": names}
            for p, port, cert, names in listeners
        ],
        "attributes": {**base, **attributes},
        "ssl_policies": policies or {},
    }


ACM_CERT = "arn:aws:acm:us-east-1:123456789012:certificate/abc"
IAM_CERT = "arn:aws:iam::123456789012:server-certificate/old"


def test_classic_load_balancers():
    lbs = [
        classic("strong", [("HTTPS", 443, ACM_CERT, ["tls12"]), ("SSL", 8443, ACM_CERT, ["tls12"])],
                policies={"tls12": "ELBSecurityPolicy-TLS-1-2-2017-01"}, access_logs=True,
                connection_draining=True, cross_zone=True, desync_mode="strictest"),
        classic("weak", [("HTTPS", 443, IAM_CERT, ["old"]), ("HTTP", 80, "", [])], zones=1,
                policies={"old": "ELBSecurityPolicy-2016-08"}, desync_mode="monitor"),
        classic("custom", [("HTTPS", 443, ACM_CERT, ["mine"])], policies={"mine": ""}),
        classic("plain", [("HTTP", 80, "", []), ("TCP", 25, "", [])]),
        classic("empty", []),
        {**classic("hidden", [("HTTPS", 443, ACM_CERT, ["x"])]), "attributes": DENIED,
         "ssl_policies": DENIED},
    ]  # fmt: skip
    data = {"elb.classic_load_balancers": lbs}
    assert verdicts("elb.clb_secure_listeners", data) == {
        "strong": P, "weak": F, "custom": P, "plain": F, "empty": NA, "hidden": P,
    }  # fmt: skip
    assert verdicts("elb.clb_acm_certificate", data) == {
        "strong": P, "weak": F, "custom": P, "hidden": P,
    }  # fmt: skip
    assert verdicts("elb.clb_ssl_policy", data) == {
        "strong": P, "weak": F, "custom": F, "hidden": E,
    }  # fmt: skip
    assert verdicts("elb.clb_connection_draining", data)["strong"] is P
    assert verdicts("elb.clb_connection_draining", data)["weak"] is F
    assert verdicts("elb.clb_cross_zone", data)["strong"] is P
    assert verdicts("elb.clb_cross_zone", data)["hidden"] is E
    desync = verdicts("elb.clb_desync_mode", data)
    assert (desync["strong"], desync["weak"], desync["plain"]) == (P, F, P)  # unset: defensive
    assert verdicts("elb.clb_multi_az", data)["weak"] is F
    assert verdicts("elb.clb_multi_az", data)["strong"] is P
    logs = verdicts("elb.access_logging", {**data, "elbv2.load_balancers": []})
    assert (logs["strong"], logs["weak"], logs["hidden"]) == (P, F, E)
    nothing = {"elb.classic_load_balancers": [lbs[3]]}
    assert [f.status for f in run("elb.clb_ssl_policy", nothing)] == [NA]


# --- ACM ---------------------------------------------------------------------------


def cert(name: str, days: int | None, algorithm: str = "RSA_2048") -> dict[str, Any]:
    return {"arn": f"arn:aws:acm:us-east-1:123456789012:certificate/{name}", "domain": name,
            "type": "IMPORTED", "status": "ISSUED", "key_algorithm": algorithm,
            "not_after": None if days is None else NOW + timedelta(days=days)}  # fmt: skip


def test_acm_certificates():
    data = {"acm.certificates": [
        cert("fresh", 200), cert("soon", 10, "RSA_1024"), cert("gone", -3, "EC_prime256v1"),
        cert("pending", None, "RSA_4096"),
    ]}  # fmt: skip
    assert verdicts("acm.certificate_renewal", data) == {
        "fresh": P, "soon": F, "gone": F, "pending": NA,
    }  # fmt: skip
    assert verdicts("acm.certificate_renewal", data, days_to_expiration=250)["fresh"] is F
    assert verdicts("acm.certificate_renewal", data, days_to_expiration=14)["soon"] is F
    assert verdicts("acm.rsa_key_length", data) == {
        "fresh": P, "soon": F, "gone": NA, "pending": P,
    }  # fmt: skip


# --- Auto Scaling --------------------------------------------------------------------


def group(name: str, **fields: Any) -> dict[str, Any]:
    base = {"zones": ["us-east-1a"], "load_balancers": [], "target_groups": [],
            "health_check_type": "EC2", "launch_configuration": "", "launch_template": "",
            "instance_types": [], "attribute_based": False}  # fmt: skip
    return {"name": name, "arn": f"arn:aws:autoscaling:::autoScalingGroupName/{name}",
            **base, **fields}  # fmt: skip


def test_auto_scaling_groups():
    data = {"autoscaling.groups": [
        group("good", zones=["us-east-1a", "us-east-1b"], target_groups=["arn:tg"],
              health_check_type="ELB", launch_template="lt", instance_types=["t3.micro", "t3a.micro"]),
        group("bad", load_balancers=["clb"], launch_configuration="lc", instance_types=["t3.micro"]),
        group("alone", attribute_based=True, launch_template="lt"),
        group("lattice", target_groups=["arn:tg"], health_check_type="VPC_LATTICE,ELB"),
    ]}  # fmt: skip
    assert verdicts("autoscaling.elb_health_checks", data) == {
        "good": P, "bad": F, "alone": NA, "lattice": P,
    }  # fmt: skip
    assert verdicts("autoscaling.multi_az", data) == {
        "good": P, "bad": F, "alone": F, "lattice": F,
    }  # fmt: skip
    assert verdicts("autoscaling.multi_az", data, min_availability_zones=3)["good"] is F
    assert verdicts("autoscaling.multiple_instance_types", data) == {
        "good": P, "bad": F, "alone": NA, "lattice": F,
    }  # fmt: skip
    assert verdicts("autoscaling.launch_template", data) == {
        "good": P, "bad": F, "alone": P, "lattice": F,
    }  # fmt: skip


def test_launch_configurations():
    configs = [
        {"name": "good", "arn": "arn:aws:autoscaling:::launchConfigurationName/good",
         "http_tokens": "required", "public_ip": False},
        {"name": "bad", "arn": "arn:aws:autoscaling:::launchConfigurationName/bad",
         "http_tokens": "optional", "public_ip": True},
        {"name": "unset", "arn": "arn:aws:autoscaling:::launchConfigurationName/unset",
         "http_tokens": "", "public_ip": None},
    ]  # fmt: skip
    data = {"autoscaling.launch_configurations": configs}
    assert verdicts("autoscaling.launch_config_imdsv2", data) == {"good": P, "bad": F, "unset": F}
    assert verdicts("autoscaling.launch_config_public_ip", data) == {
        "good": P, "bad": F, "unset": P,
    }  # fmt: skip


# --- Network Firewall ----------------------------------------------------------------


def firewall(name: str, **fields: Any) -> dict[str, Any]:
    return {"name": name, "arn": f"arn:aws:network-firewall:us-east-1:123456789012:firewall/{name}",
            **fields}  # fmt: skip


def test_network_firewalls():
    data = {"networkfirewall.firewalls": [
        firewall("good", delete_protection=True, subnet_change_protection=True, log_types=["ALERT"]),
        firewall("bad", delete_protection=False, subnet_change_protection=False, log_types=[]),
        firewall("hidden", delete_protection=DENIED, subnet_change_protection=DENIED, log_types=DENIED),
    ]}  # fmt: skip
    for check_id in (
        "networkfirewall.logging",
        "networkfirewall.deletion_protection",
        "networkfirewall.subnet_change_protection",
    ):
        assert verdicts(check_id, data) == {"good": P, "bad": F, "hidden": E}, check_id


def policy(
    name: str, stateless: int, stateful: int, full: list[str], fragmented: list[str]
) -> dict:
    return {"name": name,
            "arn": f"arn:aws:network-firewall:us-east-1:123456789012:firewall-policy/{name}",
            "policy": {"stateless_groups": stateless, "stateful_groups": stateful,
                       "full_packets": full, "fragmented_packets": fragmented}}  # fmt: skip


def test_network_firewall_policies():
    data = {"networkfirewall.policies": [
        policy("strict", 1, 0, ["aws:drop"], ["aws:forward_to_sfe", "custom-metric"]),
        policy("open", 0, 0, ["aws:pass"], ["aws:pass"]),
        policy("mixed", 0, 2, ["aws:forward_to_sfe"], ["aws:pass"]),
        {"name": "hidden", "arn": "arn:aws:network-firewall:::firewall-policy/hidden", "policy": DENIED},
    ]}  # fmt: skip
    assert verdicts("networkfirewall.policy_rule_groups", data) == {
        "strict": P, "open": F, "mixed": P, "hidden": E,
    }  # fmt: skip
    assert verdicts("networkfirewall.stateless_default_full", data) == {
        "strict": P, "open": F, "mixed": P, "hidden": E,
    }  # fmt: skip
    assert verdicts("networkfirewall.stateless_default_fragmented", data) == {
        "strict": P, "open": F, "mixed": F, "hidden": E,
    }  # fmt: skip
    only_drop = verdicts(
        "networkfirewall.stateless_default_full", data, stateless_default_actions=["aws:drop"]
    )
    assert (only_drop["strict"], only_drop["mixed"]) == (P, F)


def test_stateless_rule_groups():
    data = {"networkfirewall.stateless_rule_groups": [
        {"name": "full", "arn": "arn:aws:network-firewall:::stateless-rulegroup/full", "rules": 3},
        {"name": "empty", "arn": "arn:aws:network-firewall:::stateless-rulegroup/empty", "rules": 0},
    ]}  # fmt: skip
    assert verdicts("networkfirewall.stateless_rule_group_not_empty", data) == {
        "full": P, "empty": F,
    }  # fmt: skip
    nothing = run("networkfirewall.stateless_rule_group_not_empty",
                  {"networkfirewall.stateless_rule_groups": []})  # fmt: skip
    assert [f.status for f in nothing] == [NA]
