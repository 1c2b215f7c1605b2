"""Demo seed: per region, a Network Firewall that logs alerts with deletion and subnet
change protection, and a lab firewall with neither logs nor protections. The emulator
keeps no firewall policies or rule groups, so those checks report errors in the demo."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def seed(session: Any, regions: Sequence[str], scale: int = 1) -> None:
    """Per region and ``scale``: ``edge-fw-N`` (protected, logging) and ``lab-fw-N``."""
    for region in regions:
        ec2 = session.client("ec2", region_name=region)
        firewall = session.client("network-firewall", region_name=region)
        vpc = ec2.describe_vpcs()["Vpcs"][0]["VpcId"]
        subnet = ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc]}])
        mapping = [{"SubnetId": subnet["Subnets"][0]["SubnetId"]}]
        policy = f"arn:aws:network-firewall:{region}:123456789012:firewall-policy/baseline"
        for n in range(scale):
            firewall.create_firewall(
                FirewallName=f"edge-fw-{n}", FirewallPolicyArn=policy, VpcId=vpc,
                SubnetMappings=mapping, DeleteProtection=True, SubnetChangeProtection=True,
            )  # fmt: skip
            firewall.update_logging_configuration(
                FirewallName=f"edge-fw-{n}",
                LoggingConfiguration={"LogDestinationConfigs": [{
                    "LogType": "ALERT", "LogDestinationType": "CloudWatchLogs",
                    "LogDestination": {"logGroup": f"/network-firewall/edge-{n}"},
                }]},
            )  # fmt: skip
            firewall.create_firewall(
                FirewallName=f"lab-fw-{n}", FirewallPolicyArn=policy, VpcId=vpc,
                SubnetMappings=mapping, DeleteProtection=False, SubnetChangeProtection=False,
            )  # fmt: skip
