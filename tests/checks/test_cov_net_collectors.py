"""The collectors behind the network, load balancer, Auto Scaling, ACM and Network
Firewall checks: against the emulator (moto in-process) where it has the operations,
with botocore's Stubber and the APIs' real response shapes where it does not. Secrets
the APIs return beside the settings (VPN pre-shared keys, user data) never reach the
collected data."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest
from moto import mock_aws

from srm_tui.collected import Unreadable
from srm_tui.demo.seeds.acm import weak_certificate
from srm_tui.model import Status
from tests.checks.engine_helpers import ACCOUNT, REGION, collect, run, stubbed

USER_DATA = "IyEvYmluL3NoCmV4cG9ydCBEQl9QQVNTV09SRD1ub3QtZm9yLXlvdXI="  # a bootstrap secret
PRE_SHARED_KEY = "Iw2IAN9XUsQeYUrkMGP3kP59ugFDkfHg"
AMI = "ami-12c6146b"


@pytest.fixture(scope="module")
def emulated() -> Iterator[dict[str, Any]]:
    """One emulated account with a little of everything, and what each collector made
    of it."""
    with pytest.MonkeyPatch.context() as patch:
        # Not MOTO_EC2_LOAD_DEFAULT_AMIS: the emulator keeps that choice past this module.
        patch.setenv("AWS_ACCESS_KEY_ID", "testing")
        patch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
        patch.delenv("AWS_PROFILE", raising=False)
        with mock_aws():
            session = boto3.Session(region_name=REGION)
            _seed(session)
            names = (
                "ec2.subnets", "ec2.network_interfaces", "ec2.transit_gateways",
                "ec2.vpn_connections", "ec2.launch_templates", "ec2.spot_fleet_requests",
                "acm.certificates", "autoscaling.groups", "autoscaling.launch_configurations",
                "elbv2.load_balancers", "elbv2.listeners", "elb.classic_load_balancers",
                "networkfirewall.firewalls",
            )  # fmt: skip
            yield {name: collect(name) for name in names}


def _seed(session: Any) -> None:
    ec2 = session.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.7.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.7.{i}.0/24",
                          AvailabilityZone=f"{REGION}{z}")["Subnet"]["SubnetId"]
        for i, z in enumerate("ab")
    ]  # fmt: skip
    ec2.modify_subnet_attribute(SubnetId=subnets[1], MapPublicIpOnLaunch={"Value": True})
    eni = ec2.create_network_interface(SubnetId=subnets[0])["NetworkInterface"]
    ec2.modify_network_interface_attribute(
        NetworkInterfaceId=eni["NetworkInterfaceId"], SourceDestCheck={"Value": False}
    )
    ec2.create_transit_gateway(Options={"AutoAcceptSharedAttachments": "enable"})
    customer = ec2.create_customer_gateway(BgpAsn=65000, PublicIp="203.0.113.9", Type="ipsec.1")
    gateway = ec2.create_vpn_gateway(Type="ipsec.1")
    ec2.create_vpn_connection(
        CustomerGatewayId=customer["CustomerGateway"]["CustomerGatewayId"],
        VpnGatewayId=gateway["VpnGateway"]["VpnGatewayId"], Type="ipsec.1",
    )  # fmt: skip
    ec2.create_launch_template(
        LaunchTemplateName="web",
        LaunchTemplateData={
            "ImageId": AMI, "UserData": USER_DATA,
            "MetadataOptions": {"HttpTokens": "required"},
            "NetworkInterfaces": [{"DeviceIndex": 0, "AssociatePublicIpAddress": True}],
            "BlockDeviceMappings": [{"DeviceName": "/dev/xvda", "Ebs": {"Encrypted": False}},
                                    {"DeviceName": "/dev/xvdb", "Ebs": {"VolumeSize": 4}}],
        },
    )  # fmt: skip
    ec2.request_spot_fleet(SpotFleetRequestConfig={
        "IamFleetRole": f"arn:aws:iam::{ACCOUNT}:role/fleet", "AllocationStrategy": "lowestPrice",
        "TargetCapacity": 0,
        "LaunchSpecifications": [{"ImageId": AMI, "InstanceType": "t3.micro", "UserData": USER_DATA}],
    })  # fmt: skip

    acm = session.client("acm")
    acm.request_certificate(DomainName="new.example.com", ValidationMethod="DNS")
    body, key = weak_certificate("old.example.com", days=5)
    acm.import_certificate(Certificate=body, PrivateKey=key)

    scaling = session.client("autoscaling")
    scaling.create_launch_configuration(
        LaunchConfigurationName="lc", ImageId=AMI, InstanceType="t3.micro", UserData=USER_DATA,
        AssociatePublicIpAddress=True, MetadataOptions={"HttpTokens": "optional"},
    )  # fmt: skip
    scaling.create_auto_scaling_group(
        AutoScalingGroupName="mixed", MinSize=0, MaxSize=1, VPCZoneIdentifier=",".join(subnets),
        HealthCheckType="ELB", LoadBalancerNames=["classic"],
        MixedInstancesPolicy={"LaunchTemplate": {
            "LaunchTemplateSpecification": {"LaunchTemplateName": "web"},
            "Overrides": [{"InstanceType": "t3.micro"}, {"InstanceType": "t3a.micro"}]}},
    )  # fmt: skip
    scaling.create_auto_scaling_group(
        AutoScalingGroupName="old", LaunchConfigurationName="lc", MinSize=0, MaxSize=1,
        VPCZoneIdentifier=subnets[0],
    )  # fmt: skip

    elbv2 = session.client("elbv2")
    alb = elbv2.create_load_balancer(Name="alb", Subnets=subnets)["LoadBalancers"][0]
    elbv2.modify_load_balancer_attributes(
        LoadBalancerArn=alb["LoadBalancerArn"],
        Attributes=[{"Key": "deletion_protection.enabled", "Value": "true"},
                    {"Key": "routing.http.desync_mitigation_mode", "Value": "monitor"}],
    )  # fmt: skip
    elbv2.create_listener(
        LoadBalancerArn=alb["LoadBalancerArn"], Protocol="HTTP", Port=80,
        DefaultActions=[{"Type": "redirect", "RedirectConfig": {"Protocol": "HTTPS", "Port": "443",
                                                                "StatusCode": "HTTP_301"}}],
    )  # fmt: skip
    elbv2.create_load_balancer(Name="nlb", Subnets=subnets[:1], Type="network")

    elb = session.client("elb")
    elb.create_load_balancer(
        LoadBalancerName="classic", AvailabilityZones=[f"{REGION}a"],
        Listeners=[{"Protocol": "SSL", "LoadBalancerPort": 465, "InstancePort": 25,
                    "SSLCertificateId": f"arn:aws:iam::{ACCOUNT}:server-certificate/mail"}],
    )  # fmt: skip
    elb.create_load_balancer_policy(
        LoadBalancerName="classic", PolicyName="old", PolicyTypeName="SSLNegotiationPolicyType",
        PolicyAttributes=[{"AttributeName": "Reference-Security-Policy",
                           "AttributeValue": "ELBSecurityPolicy-2016-08"}],
    )  # fmt: skip
    elb.set_load_balancer_policies_of_listener(
        LoadBalancerName="classic", LoadBalancerPort=465, PolicyNames=["old"]
    )
    elb.modify_load_balancer_attributes(
        LoadBalancerName="classic",
        LoadBalancerAttributes={"ConnectionDraining": {"Enabled": True, "Timeout": 30},
                                "AdditionalAttributes": [{"Key": "elb.http.desyncmitigationmode",
                                                          "Value": "strictest"}]},
    )  # fmt: skip

    firewall = session.client("network-firewall")
    firewall.create_firewall(
        FirewallName="edge", VpcId=vpc, SubnetMappings=[{"SubnetId": subnets[0]}],
        FirewallPolicyArn=f"arn:aws:network-firewall:{REGION}:{ACCOUNT}:firewall-policy/p",
        DeleteProtection=True, SubnetChangeProtection=False,
    )  # fmt: skip
    firewall.update_logging_configuration(
        FirewallName="edge",
        LoggingConfiguration={"LogDestinationConfigs": [
            {"LogType": "FLOW", "LogDestinationType": "S3", "LogDestination": {"bucketName": "b"}},
            {"LogType": "ALERT", "LogDestinationType": "S3", "LogDestination": {"bucketName": "b"}},
        ]},
    )  # fmt: skip


def test_nothing_secret_is_collected(emulated):
    text = json.dumps(emulated, default=repr)
    assert USER_DATA not in text and "UserData" not in text
    assert PRE_SHARED_KEY not in text and "pre_shared_key" not in text
    assert "CustomerGatewayConfiguration" not in text


def test_subnets_interfaces_and_transit_gateways(emulated):
    public = {s["map_public_ip"] for s in emulated["ec2.subnets"] if s["vpc"] != ""}
    assert public == {True, False}
    assert all(s["arn"].startswith(f"arn:aws:ec2:{REGION}:") for s in emulated["ec2.subnets"])
    (off,) = [e for e in emulated["ec2.network_interfaces"] if e["source_dest_check"] is False]
    assert off["type"] == "interface" and off["requester_managed"] is False
    (tgw,) = emulated["ec2.transit_gateways"]
    assert tgw["auto_accept"] == "enable" and tgw["arn"].endswith(tgw["id"])


def test_vpn_connections_keep_status_without_keys(emulated):
    (vpn,) = emulated["ec2.vpn_connections"]
    assert vpn["state"] == "available" and vpn["id"].startswith("vpn-")
    # The emulator keeps no tunnel telemetry or options: nothing to claim about them.
    assert vpn["tunnels"] == [] and vpn["tunnel_logging"] == []
    assert [f.status for f in run("ec2.vpn_tunnels_up", {"ec2.vpn_connections": [vpn]})] == [
        Status.ERROR
    ]


def test_launch_templates_and_spot_fleets(emulated):
    (template,) = emulated["ec2.launch_templates"]
    assert (template["name"], template["version"]) == ("web", 1)
    assert template["http_tokens"] == "required"
    assert template["public_ip"] == [True]
    assert template["volumes"] == [False, None]
    (request,) = emulated["ec2.spot_fleet_requests"]
    assert request["launch_specifications"] is True


def test_acm_certificates(emulated):
    found = {c["domain"]: c for c in emulated["acm.certificates"]}
    old, new = found["old.example.com"], found["new.example.com"]
    assert (old["type"], old["key_algorithm"]) == ("IMPORTED", "RSA_1024")
    assert old["not_after"] - datetime.now(UTC) < timedelta(days=6)
    assert new["type"] == "AMAZON_ISSUED"
    statuses = {
        f.resource: f.status
        for f in run("acm.rsa_key_length", {"acm.certificates": emulated["acm.certificates"]})
    }
    assert statuses == {old["arn"]: Status.FAIL, new["arn"]: Status.PASS}


def test_auto_scaling(emulated):
    groups = {g["name"]: g for g in emulated["autoscaling.groups"]}
    mixed, old = groups["mixed"], groups["old"]
    assert mixed["launch_template"] == "web" and mixed["launch_configuration"] == ""
    assert mixed["instance_types"] == ["t3.micro", "t3a.micro"]
    assert len(mixed["zones"]) == 2 and mixed["load_balancers"] == ["classic"]
    assert mixed["health_check_type"] == "ELB"
    assert old["launch_configuration"] == "lc" and old["launch_template"] == ""
    (config,) = emulated["autoscaling.launch_configurations"]
    assert (config["http_tokens"], config["public_ip"]) == ("optional", True)
    assert config["arn"].startswith("arn:aws:autoscaling:")


def test_load_balancers_v2(emulated):
    lbs = {lb["name"]: lb for lb in emulated["elbv2.load_balancers"]}
    alb, nlb = lbs["alb"], lbs["nlb"]
    assert alb["attributes"]["deletion_protection.enabled"] == "true"
    assert alb["attributes"]["routing.http.desync_mitigation_mode"] == "monitor"
    assert alb["access_logs"] is False and nlb["access_logs"] is None
    assert (len(alb["zones"]), len(nlb["zones"])) == (2, 1)
    listeners = {entry["name"]: entry for entry in emulated["elbv2.listeners"]}
    (http,) = listeners["alb"]["listeners"]
    assert http["protocol"] == "HTTP" and http["port"] == 80
    assert http["default_actions"] == [{"type": "redirect", "protocol": "HTTPS"}]
    assert listeners["nlb"]["listeners"] == [] and listeners["nlb"]["type"] == "network"


def test_classic_load_balancers(emulated):
    (lb,) = emulated["elb.classic_load_balancers"]
    assert lb["arn"] == f"arn:aws:elasticloadbalancing:{REGION}:{ACCOUNT}:loadbalancer/classic"
    assert lb["listeners"] == [{"protocol": "SSL", "port": 465, "policies": ["old"],
                                "certificate": f"arn:aws:iam::{ACCOUNT}:server-certificate/mail"}]  # fmt: skip
    assert lb["attributes"]["connection_draining"] is True
    assert lb["attributes"]["cross_zone"] is False
    assert lb["attributes"]["desync_mode"] == "strictest"
    assert lb["ssl_policies"] == {"old": "ELBSecurityPolicy-2016-08"}
    data = {"elb.classic_load_balancers": [lb]}
    assert [f.status for f in run("elb.clb_ssl_policy", data)] == [Status.FAIL]
    assert [f.status for f in run("elb.clb_acm_certificate", data)] == [Status.FAIL]


def test_network_firewalls(emulated):
    (firewall,) = emulated["networkfirewall.firewalls"]
    assert firewall["delete_protection"] is True
    assert firewall["subnet_change_protection"] is False
    assert firewall["log_types"] == ["ALERT", "FLOW"]


# --- what the emulator lacks: botocore's Stubber with the APIs' response shapes --------


def test_client_vpn_endpoints():
    session, stub = stubbed("ec2")
    endpoint = {
        "ClientVpnEndpointId": "cvpn-endpoint-0123456789abcdef0",
        "Status": {"Code": "available"},
        "ClientCidrBlock": "10.100.0.0/22",
        "ConnectionLogOptions": {"Enabled": False},
    }
    gone = {**endpoint, "ClientVpnEndpointId": "cvpn-endpoint-0fff", "Status": {"Code": "deleted"}}
    stub.add_response("describe_client_vpn_endpoints", {"ClientVpnEndpoints": [endpoint, gone]}, {})
    with stub:
        found = collect("ec2.client_vpn_endpoints", session=session)
    assert found == [{"id": "cvpn-endpoint-0123456789abcdef0", "logging": False}]
    (finding,) = run("ec2.client_vpn_logging", {"ec2.client_vpn_endpoints": found})
    assert finding.status is Status.FAIL
    assert finding.resource.endswith(":client-vpn-endpoint/cvpn-endpoint-0123456789abcdef0")


@pytest.mark.parametrize(
    ("mode", "expected"), [("block-ingress", Status.PASS), ("off", Status.FAIL)]
)
def test_vpc_block_public_access(mode: str, expected: Status):
    session, stub = stubbed("ec2")
    options = {"AwsAccountId": ACCOUNT, "AwsRegion": REGION, "State": "update-complete",
               "InternetGatewayBlockMode": mode, "ExclusionsAllowed": "allowed"}  # fmt: skip
    stub.add_response(
        "describe_vpc_block_public_access_options", {"VpcBlockPublicAccessOptions": options}, {}
    )
    with stub:
        found = collect("ec2.vpc_block_public_access", session=session)
    assert found == mode
    (finding,) = run("ec2.vpc_block_public_access", {"ec2.vpc_block_public_access": found})
    assert finding.status is expected


def test_vpn_connections_with_tunnels():
    session, stub = stubbed("ec2")
    when = datetime(2026, 11, 2, tzinfo=UTC)
    logged = {"CloudWatchLogOptions": {"LogEnabled": True, "LogOutputFormat": "json",
              "LogGroupArn": f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:vpn"}}  # fmt: skip
    vpn = {
        "VpnConnectionId": "vpn-0a1", "State": "available", "Type": "ipsec.1",
        "CustomerGatewayId": "cgw-1", "CustomerGatewayConfiguration":
            f"<vpn_connection><pre_shared_key>{PRE_SHARED_KEY}</pre_shared_key></vpn_connection>",
        "Options": {"TunnelOptions": [
            {"OutsideIpAddress": "52.0.0.1", "PreSharedKey": PRE_SHARED_KEY, "LogOptions": logged},
            {"OutsideIpAddress": "52.0.0.2", "PreSharedKey": PRE_SHARED_KEY},
        ]},
        "VgwTelemetry": [
            {"OutsideIpAddress": "52.0.0.1", "Status": "UP", "LastStatusChange": when},
            {"OutsideIpAddress": "52.0.0.2", "Status": "DOWN", "LastStatusChange": when},
        ],
    }  # fmt: skip
    deleted = {**vpn, "VpnConnectionId": "vpn-0old", "State": "deleted"}
    stub.add_response("describe_vpn_connections", {"VpnConnections": [vpn, deleted]}, {})
    with stub:
        found = collect("ec2.vpn_connections", session=session)
    assert found == [{"id": "vpn-0a1", "state": "available", "tunnels": ["UP", "DOWN"],
                      "tunnel_logging": [True, False]}]  # fmt: skip
    assert PRE_SHARED_KEY not in repr(found)
    data = {"ec2.vpn_connections": found}
    assert [f.status for f in run("ec2.vpn_tunnels_up", data)] == [Status.FAIL]
    assert [f.status for f in run("ec2.vpn_logging", data)] == [Status.FAIL]


def test_acm_asks_for_every_key_type():
    session, stub = stubbed("acm")
    summary = {
        "CertificateArn": f"arn:aws:acm:{REGION}:{ACCOUNT}:certificate/ec",
        "DomainName": "ec.example.com", "Type": "AMAZON_ISSUED", "Status": "ISSUED",
        "KeyAlgorithm": "EC_prime256v1", "NotAfter": datetime.now(UTC) + timedelta(days=90),
    }  # fmt: skip
    # Without Includes, ListCertificates answers only RSA_1024 and RSA_2048 certificates.
    expected = {"Includes": {"keyTypes": [
        "RSA_1024", "RSA_2048", "RSA_3072", "RSA_4096",
        "EC_prime256v1", "EC_secp384r1", "EC_secp521r1"]}}  # fmt: skip
    stub.add_response("list_certificates", {"CertificateSummaryList": [summary]}, expected)
    with stub:
        found = collect("acm.certificates", session=session)
    stub.assert_no_pending_responses()
    assert found[0]["key_algorithm"] == "EC_prime256v1"
    assert [f.status for f in run("acm.rsa_key_length", {"acm.certificates": found})] == [
        Status.NOT_APPLICABLE
    ]


def test_network_firewall_policies():
    session, stub = stubbed("network-firewall")
    arn = f"arn:aws:network-firewall:{REGION}:{ACCOUNT}:firewall-policy/open"
    stub.add_response(
        "list_firewall_policies", {"FirewallPolicies": [{"Name": "open", "Arn": arn}]}, {}
    )
    stub.add_response(
        "describe_firewall_policy",
        {
            "UpdateToken": "token",
            "FirewallPolicyResponse": {"FirewallPolicyName": "open", "FirewallPolicyArn": arn,
                                       "FirewallPolicyId": "1b2d3f4e-0000-4000-8000-000000000001"},
            "FirewallPolicy": {
                "StatelessDefaultActions": ["aws:pass"],
                "StatelessFragmentDefaultActions": ["aws:drop"],
                "StatefulRuleGroupReferences": [{"ResourceArn": arn.replace("firewall-policy", "stateful-rulegroup")}],
            },
        },
        {"FirewallPolicyArn": arn},
    )  # fmt: skip
    with stub:
        found = collect("networkfirewall.policies", session=session)
    assert found == [{"name": "open", "arn": arn, "policy": {
        "stateless_groups": 0, "stateful_groups": 1,
        "full_packets": ["aws:pass"], "fragmented_packets": ["aws:drop"]}}]  # fmt: skip
    data = {"networkfirewall.policies": found}
    assert [f.status for f in run("networkfirewall.policy_rule_groups", data)] == [Status.PASS]
    assert [f.status for f in run("networkfirewall.stateless_default_full", data)] == [Status.FAIL]
    assert [f.status for f in run("networkfirewall.stateless_default_fragmented", data)] == [
        Status.PASS
    ]


def test_network_firewall_rule_groups_and_a_denied_one():
    session, stub = stubbed("network-firewall")
    arn = f"arn:aws:network-firewall:{REGION}:{ACCOUNT}:stateless-rulegroup/empty"
    stub.add_response(
        "list_rule_groups", {"RuleGroups": [{"Name": "empty", "Arn": arn}]}, {"Type": "STATELESS"}
    )
    stub.add_response(
        "describe_rule_group",
        {
            "UpdateToken": "token",
            "RuleGroupResponse": {"RuleGroupArn": arn, "RuleGroupName": "empty",
                                  "RuleGroupId": "1b2d3f4e-0000-4000-8000-000000000002"},
            "RuleGroup": {"RulesSource": {"StatelessRulesAndCustomActions": {"StatelessRules": []}}},
        },
        {"RuleGroupArn": arn, "Type": "STATELESS"},
    )  # fmt: skip
    with stub:
        found = collect("networkfirewall.stateless_rule_groups", session=session)
    assert found == [{"name": "empty", "arn": arn, "rules": 0}]
    (finding,) = run(
        "networkfirewall.stateless_rule_group_not_empty",
        {"networkfirewall.stateless_rule_groups": found},
    )
    assert finding.status is Status.FAIL

    session, stub = stubbed("network-firewall")
    stub.add_response(
        "list_rule_groups", {"RuleGroups": [{"Name": "secret", "Arn": arn}]}, {"Type": "STATELESS"}
    )
    stub.add_client_error("describe_rule_group", "AccessDeniedException", "not authorized", 403)
    with stub:
        found = collect("networkfirewall.stateless_rule_groups", session=session)
    assert isinstance(found[0]["rules"], Unreadable)
    (finding,) = run(
        "networkfirewall.stateless_rule_group_not_empty",
        {"networkfirewall.stateless_rule_groups": found},
    )
    assert finding.status is Status.ERROR and finding.resource == arn


def test_a_denied_listener_list_is_an_error_for_that_load_balancer():
    session, stub = stubbed("elbv2")
    lb_arn = f"arn:aws:elasticloadbalancing:{REGION}:{ACCOUNT}:loadbalancer/app/web/1"
    stub.add_response(
        "describe_load_balancers",
        {"LoadBalancers": [{"LoadBalancerArn": lb_arn, "LoadBalancerName": "web",
                            "Type": "application", "Scheme": "internet-facing"}]},
        {},
    )  # fmt: skip
    stub.add_client_error("describe_listeners", "AccessDenied", "not authorized", 403)
    with stub:
        found = collect("elbv2.listeners", session=session)
    assert isinstance(found[0]["listeners"], Unreadable)
    for check_id in (
        "elb.alb_https_redirect",
        "elb.listener_encryption",
        "elb.listener_tls_policy",
    ):
        (finding,) = run(check_id, {"elbv2.listeners": found})
        assert (finding.status, finding.resource) == (Status.ERROR, lb_arn), check_id
