"""The network checks (EC2, VPC, launch settings, Auto Scaling, Network Firewall, ACM)
held to their controls' published definitions on the edge cases real accounts have:
answers spelled as AWS spells them, IPv6 and UDP rules, default ACLs, missing values."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest
from moto import mock_aws

from srm_tui.model import Status
from tests.checks.engine_helpers import (
    ACCOUNT,
    REGION,
    by_suffix,
    checks,
    collect,
    run,
    stubbed,
)

# --- ACM.2: key lengths as ListCertificates spells them --------------------------------


def _summary(name: str, algorithm: str) -> dict[str, Any]:
    return {
        "CertificateArn": f"arn:aws:acm:{REGION}:{ACCOUNT}:certificate/{name}",
        "DomainName": f"{name}.example.com",
        "Type": "IMPORTED",
        "Status": "ISSUED",
        "KeyAlgorithm": algorithm,
        "NotAfter": datetime.now(UTC) + timedelta(days=200),
    }


def test_acm_rsa_key_length_reads_the_hyphenated_algorithm_aws_returns():
    # ACM answers "RSA-2048" (its model lists "RSA_2048"): a 2,048-bit key passes ACM.2
    # whichever way it is spelled, a 1,024-bit one fails, an EC key is not applicable.
    session, stub = stubbed("acm")
    summaries = [
        _summary("hyphen2048", "RSA-2048"),
        _summary("under4096", "RSA_4096"),
        _summary("hyphen1024", "RSA-1024"),
        _summary("ec", "EC-prime256v1"),
    ]
    stub.add_response("list_certificates", {"CertificateSummaryList": summaries})
    with stub:
        data = {"acm.certificates": collect("acm.certificates", session=session)}
    findings = run("acm.rsa_key_length", data)
    assert by_suffix(findings, "/hyphen2048").status is Status.PASS
    assert by_suffix(findings, "/under4096").status is Status.PASS
    assert by_suffix(findings, "/hyphen1024").status is Status.FAIL
    assert "1024" in by_suffix(findings, "/hyphen1024").detail
    assert by_suffix(findings, "/ec").status is Status.NOT_APPLICABLE


# --- CIS 6.3 / 6.4: administration ports over UDP --------------------------------------


def _group(ec2: Any, vpc: str, name: str, rules: list[dict[str, Any]]) -> str:
    group = ec2.create_security_group(GroupName=name, Description=name, VpcId=vpc)["GroupId"]
    ec2.authorize_security_group_ingress(GroupId=group, IpPermissions=rules)
    return group


def test_admin_ports_count_udp_rules_from_anywhere():
    # CIS 6.3/6.4: a rule over TCP (6), UDP (17) or all protocols (-1) whose range
    # includes 22 or 3389 fails; RDP also listens on UDP 3389.
    with mock_aws():
        ec2 = boto3.client("ec2", region_name=REGION)
        vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
        udp4 = _group(ec2, vpc, "udp4", [
            {"IpProtocol": "udp", "FromPort": 3389, "ToPort": 3389,
             "IpRanges": [{"CidrIp": "0.0.0.0/0"}]},
        ])  # fmt: skip
        udp6 = _group(ec2, vpc, "udp6", [
            {"IpProtocol": "17", "FromPort": 1, "ToPort": 1024,
             "Ipv6Ranges": [{"CidrIpv6": "::/0"}]},
        ])  # fmt: skip
        dns = _group(ec2, vpc, "dns", [
            {"IpProtocol": "udp", "FromPort": 53, "ToPort": 53,
             "IpRanges": [{"CidrIp": "0.0.0.0/0"}], "Ipv6Ranges": [{"CidrIpv6": "::/0"}]},
        ])  # fmt: skip
        data = {"ec2.security_groups": collect("ec2.security_groups")}
    ipv4 = run("ec2.sg_admin_ports_ipv4", data)
    ipv6 = run("ec2.sg_admin_ports_ipv6", data)
    assert by_suffix(ipv4, udp4).status is Status.FAIL
    assert by_suffix(ipv4, udp6).status is Status.PASS
    assert by_suffix(ipv6, udp6).status is Status.FAIL
    assert "22" in by_suffix(ipv6, udp6).detail
    assert by_suffix(ipv4, dns).status is Status.PASS
    assert by_suffix(ipv6, dns).status is Status.PASS


# --- CIS 6.2 / EC2.21: network ACL entries per address family, TCP and UDP -------------


def _acl(ec2: Any, vpc: str, entries: list[tuple[int, str, str, str, int]]) -> str:
    """A network ACL with ingress ``entries`` (rule number, protocol, cidr, action, port)."""
    acl = ec2.create_network_acl(VpcId=vpc)["NetworkAcl"]["NetworkAclId"]
    for number, protocol, cidr, action, port in entries:
        source = {"Ipv6CidrBlock": cidr} if ":" in cidr else {"CidrBlock": cidr}
        ec2.create_network_acl_entry(
            NetworkAclId=acl, RuleNumber=number, Protocol=protocol, RuleAction=action,
            Egress=False, PortRange={"From": port, "To": port}, **source,
        )  # fmt: skip
    return acl


def test_nacl_admin_ports_judges_ipv4_and_ipv6_entries_apart_and_counts_udp():
    with mock_aws():
        ec2 = boto3.client("ec2", region_name=REGION)
        vpc = ec2.create_vpc(CidrBlock="10.1.0.0/16")["Vpc"]["VpcId"]
        # A deny of 0.0.0.0/0 comes first but says nothing about IPv6 traffic.
        v6_open = _acl(ec2, vpc, [(90, "-1", "0.0.0.0/0", "deny", 0),
                                  (100, "6", "::/0", "allow", 22)])  # fmt: skip
        udp_open = _acl(ec2, vpc, [(100, "17", "0.0.0.0/0", "allow", 3389)])
        closed = _acl(ec2, vpc, [(80, "-1", "::/0", "deny", 0),
                                 (90, "-1", "0.0.0.0/0", "deny", 0),
                                 (100, "6", "::/0", "allow", 22),
                                 (110, "6", "0.0.0.0/0", "allow", 3389)])  # fmt: skip
        data = {"ec2.network_acls": collect("ec2.network_acls")}
    findings = run("ec2.nacl_admin_ports", data)
    assert by_suffix(findings, v6_open).status is Status.FAIL
    assert by_suffix(findings, udp_open).status is Status.FAIL
    assert by_suffix(findings, closed).status is Status.PASS


# --- EC2.18 / EC2.19: which rules from the internet each control judges ---------------


def test_authorized_ports_judges_any_group_with_a_rule_from_anywhere():
    # vpc-sg-open-only-to-authorized-ports is NOT_APPLICABLE only for a group with no
    # ingress rule from 0.0.0.0/0 or ::/0; ICMP from ::/0 opens no TCP or UDP port: pass.
    with mock_aws():
        ec2 = boto3.client("ec2", region_name=REGION)
        vpc = ec2.create_vpc(CidrBlock="10.2.0.0/16")["Vpc"]["VpcId"]
        ping = _group(ec2, vpc, "ping", [
            {"IpProtocol": "icmpv6", "FromPort": -1, "ToPort": -1,
             "Ipv6Ranges": [{"CidrIpv6": "::/0"}]},
        ])  # fmt: skip
        inside = _group(ec2, vpc, "inside", [
            {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22,
             "IpRanges": [{"CidrIp": "10.0.0.0/8"}]},
        ])  # fmt: skip
        data = {"ec2.security_groups": collect("ec2.security_groups")}
    findings = run("ec2.sg_authorized_ports", data)
    assert by_suffix(findings, ping).status is Status.PASS
    assert by_suffix(findings, inside).status is Status.NOT_APPLICABLE


def test_high_risk_ports_judges_tcp_rules_only():
    # restricted-common-ports, EC2.19's rule, blocks TCP ports: UDP 3389 from anywhere
    # does not fail it, TCP 3389 and all protocols do.
    with mock_aws():
        ec2 = boto3.client("ec2", region_name=REGION)
        vpc = ec2.create_vpc(CidrBlock="10.3.0.0/16")["Vpc"]["VpcId"]
        udp = _group(ec2, vpc, "udp", [
            {"IpProtocol": "udp", "FromPort": 3389, "ToPort": 3389,
             "IpRanges": [{"CidrIp": "0.0.0.0/0"}]},
        ])  # fmt: skip
        tcp = _group(ec2, vpc, "tcp", [
            {"IpProtocol": "tcp", "FromPort": 3000, "ToPort": 3389,
             "Ipv6Ranges": [{"CidrIpv6": "::/0"}]},
        ])  # fmt: skip
        every = _group(ec2, vpc, "every", [
            {"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]},
        ])  # fmt: skip
        data = {"ec2.security_groups": collect("ec2.security_groups")}
    findings = run("ec2.sg_high_risk_ports", data)
    assert by_suffix(findings, udp).status is Status.PASS
    assert by_suffix(findings, tcp).status is Status.FAIL
    assert by_suffix(findings, every).status is Status.FAIL


def test_high_risk_ports_carries_the_severity_aws_gives_ec2_19():
    # The Security Hub control reference rates EC2.19 Critical.
    assert checks()["ec2.sg_high_risk_ports"].meta.severity.value == "critical"


# --- EC2.16: the default network ACL ---------------------------------------------------


def test_unused_default_nacl_is_not_applicable():
    # EC2.16 "doesn't generate findings for an unused default network ACL".
    with mock_aws():
        ec2 = boto3.client("ec2", region_name=REGION)
        vpc = ec2.create_vpc(CidrBlock="10.4.0.0/16")["Vpc"]["VpcId"]
        spare = ec2.create_network_acl(VpcId=vpc)["NetworkAcl"]["NetworkAclId"]
        default = ec2.describe_network_acls(
            Filters=[{"Name": "vpc-id", "Values": [vpc]}, {"Name": "default", "Values": ["true"]}]
        )["NetworkAcls"][0]["NetworkAclId"]
        data = {"ec2.network_acls": collect("ec2.network_acls")}
    findings = run("ec2.unused_nacls", data)
    assert by_suffix(findings, default).status is Status.NOT_APPLICABLE
    assert by_suffix(findings, spare).status is Status.FAIL


# --- EC2.15: IPv6 addresses assigned on creation ---------------------------------------


def test_subnet_that_assigns_ipv6_addresses_fails():
    # EC2.15 fails a subnet "configured to automatically assign public IPv4 or IPv6
    # addresses".
    with mock_aws():
        ec2 = boto3.client("ec2", region_name=REGION)
        vpc = ec2.create_vpc(CidrBlock="10.5.0.0/16", AmazonProvidedIpv6CidrBlock=True)["Vpc"]
        block = ec2.describe_vpcs(VpcIds=[vpc["VpcId"]])["Vpcs"][0]
        prefix = block["Ipv6CidrBlockAssociationSet"][0]["Ipv6CidrBlock"].split("::")[0]
        v6 = ec2.create_subnet(
            VpcId=vpc["VpcId"], CidrBlock="10.5.1.0/24", Ipv6CidrBlock=f"{prefix}::/64"
        )["Subnet"]["SubnetId"]
        ec2.modify_subnet_attribute(SubnetId=v6, AssignIpv6AddressOnCreation={"Value": True})
        plain = ec2.create_subnet(VpcId=vpc["VpcId"], CidrBlock="10.5.2.0/24")["Subnet"]["SubnetId"]
        data = {"ec2.subnets": collect("ec2.subnets")}
    findings = run("ec2.subnet_auto_public_ip", data)
    assert by_suffix(findings, v6).status is Status.FAIL
    assert "IPv6" in by_suffix(findings, v6).detail
    assert by_suffix(findings, plain).status is Status.PASS


# --- EC2.4: a stop reason without a date -----------------------------------------------


def _stopped(name: str, reason: str, launched_days_ago: int) -> dict[str, Any]:
    return {
        "InstanceId": name,
        "State": {"Code": 80, "Name": "stopped"},
        "StateTransitionReason": reason,
        "LaunchTime": datetime.now(UTC) - timedelta(days=launched_days_ago),
    }


def test_stopped_instance_without_a_dated_reason_counts_from_its_launch():
    # EC2.4: "When the StateTransitionReason does not include a timestamp ... the control
    # uses the instance's launch time instead."
    session, stub = stubbed("ec2")
    reservation = {"ReservationId": "r-1", "OwnerId": ACCOUNT, "Instances": [
        _stopped("i-oldlaunch", "Server.InternalError", 90),
        _stopped("i-newlaunch", "", 5),
        _stopped("i-dated", "User initiated (2020-01-01 00:00:00 GMT)", 2000),
    ]}  # fmt: skip
    stub.add_response("describe_instances", {"Reservations": [reservation]})
    with stub:
        data = {"ec2.instances": collect("ec2.instances", session=session)}
    findings = run("ec2.stopped_instances", data)
    assert by_suffix(findings, "/i-oldlaunch").status is Status.FAIL
    assert by_suffix(findings, "/i-newlaunch").status is Status.PASS
    assert by_suffix(findings, "/i-dated").status is Status.FAIL


# --- EC2.173: Spot Fleet volumes that say nothing about encryption ---------------------


def _fleet(name: str, mappings: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "SpotFleetRequestId": name,
        "SpotFleetRequestState": "active",
        "CreateTime": datetime.now(UTC),
        "SpotFleetRequestConfig": {
            "IamFleetRole": f"arn:aws:iam::{ACCOUNT}:role/fleet",
            "TargetCapacity": 1,
            "LaunchSpecifications": [{"ImageId": "ami-12345678", "BlockDeviceMappings": mappings}],
        },
    }


def test_spot_fleet_fails_only_volumes_set_to_unencrypted():
    # ec2-spot-fleet-request-ct-encryption-at-rest: NON_COMPLIANT if any EBS volume has
    # encrypted set to False; EC2.173 gives no finding where encrypted is set nowhere.
    session, stub = stubbed("ec2")
    configs = [
        _fleet("sfr-unset", [{"DeviceName": "/dev/xvda", "Ebs": {"VolumeSize": 8}}]),
        _fleet("sfr-off", [{"DeviceName": "/dev/xvda", "Ebs": {"Encrypted": False}}]),
        _fleet("sfr-on", [{"DeviceName": "/dev/xvda", "Ebs": {"Encrypted": True}},
                          {"DeviceName": "/dev/xvdb", "Ebs": {"VolumeSize": 4}}]),
    ]  # fmt: skip
    stub.add_response("describe_spot_fleet_requests", {"SpotFleetRequestConfigs": configs})
    with stub:
        data = {"ec2.spot_fleet_requests": collect("ec2.spot_fleet_requests", session=session)}
    findings = run("ec2.spot_fleet_ebs_encryption", data)
    assert by_suffix(findings, "/sfr-unset").status is Status.NOT_APPLICABLE
    assert by_suffix(findings, "/sfr-off").status is Status.FAIL
    assert by_suffix(findings, "/sfr-on").status is Status.PASS


# --- CIS 6.8: endpoints that carry no traffic ------------------------------------------


def test_vpc_endpoints_ignore_rejected_and_deleted_endpoints():
    # A VPC whose only endpoint was rejected or deleted reaches AWS services over the
    # internet, as one with none does.
    data = {
        "ec2.vpcs": [{"VpcId": "vpc-live"}, {"VpcId": "vpc-dead"}],
        "ec2.vpc_endpoints": [
            {"VpcId": "vpc-live", "ServiceName": "com.amazonaws.us-east-1.s3",
             "State": "available"},
            {"VpcId": "vpc-dead", "ServiceName": "com.amazonaws.us-east-1.s3",
             "State": "rejected"},
            {"VpcId": "vpc-dead", "ServiceName": "com.amazonaws.us-east-1.ssm",
             "State": "Deleted"},
        ],
    }  # fmt: skip
    findings = run("ec2.vpc_endpoints", data)
    assert by_suffix(findings, "/vpc-live").status is Status.PASS
    assert by_suffix(findings, "/vpc-dead").status is Status.FAIL


# --- CIS 6.6: dual-stack peering and prefix-list routes --------------------------------


def _peering_data(routes: list[dict[str, Any]]) -> dict[str, Any]:
    side = {"OwnerId": ACCOUNT, "Region": REGION}
    pcx = {
        "VpcPeeringConnectionId": "pcx-1",
        "RequesterVpcInfo": {**side, "VpcId": "vpc-a", "CidrBlock": "10.0.0.0/16",
                             "CidrBlockSet": [{"CidrBlock": "10.0.0.0/16"}],
                             "Ipv6CidrBlockSet": [{"Ipv6CidrBlock": "2600:1f18:a::/56"}]},
        "AccepterVpcInfo": {**side, "VpcId": "vpc-b", "CidrBlock": "10.1.0.0/16",
                            "CidrBlockSet": [{"CidrBlock": "10.1.0.0/16"}],
                            "Ipv6CidrBlockSet": [{"Ipv6CidrBlock": "2600:1f18:b::/56"}]},
        "Status": {"Code": "active"},
    }  # fmt: skip
    return {
        "ec2.peering_connections": [pcx],
        "ec2.route_tables": [{"RouteTableId": "rtb-1", "Routes": routes}],
    }


def test_peering_route_to_the_peers_ipv6_range_is_within_the_peer():
    routes = [
        {"DestinationCidrBlock": "10.1.0.0/16", "VpcPeeringConnectionId": "pcx-1"},
        {"DestinationIpv6CidrBlock": "2600:1f18:b::/64", "VpcPeeringConnectionId": "pcx-1"},
    ]
    (finding,) = run("ec2.vpc_peering_routes", _peering_data(routes))
    assert finding.status is Status.PASS
    wider = [{"DestinationIpv6CidrBlock": "2600:1f18::/40", "VpcPeeringConnectionId": "pcx-1"}]
    (finding,) = run("ec2.vpc_peering_routes", _peering_data(wider))
    assert finding.status is Status.FAIL


def test_peering_route_to_a_prefix_list_is_not_judged_as_too_wide():
    routes = [{"DestinationPrefixListId": "pl-0123", "VpcPeeringConnectionId": "pcx-1"}]
    (finding,) = run("ec2.vpc_peering_routes", _peering_data(routes))
    assert finding.status is Status.ERROR
    assert "pl-0123" in finding.detail


@pytest.mark.parametrize(
    ("check_id", "data"),
    [
        ("ec2.default_sg_restricts", {"ec2.security_groups": []}),
        ("ec2.nacl_admin_ports", {"ec2.network_acls": []}),
        ("ec2.vpc_flow_logs", {"ec2.vpcs": [], "ec2.flow_logs": []}),
    ],
)
def test_a_region_without_vpcs_is_not_applicable_not_silent(check_id, data) -> None:
    # Like the other checks, a region with nothing to judge says so, rather than leaving
    # the control without any finding in that region.
    (finding,) = run(check_id, data)
    assert finding.status is Status.NOT_APPLICABLE and "in this region" in finding.detail
