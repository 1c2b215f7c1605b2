"""Demo seed: a well-run and a neglected Redshift cluster."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from srm_tui.demo.seeds.data_network import data_network

# A throwaway password for emulated clusters; it is neither a finding nor a secret.
_DEMO_MASTER_PASSWORD = "Demo-only-not-a-secret-1"
_PORT = 5439


def _guard(ec2: Any, vpc: str, name: str, cidr: str) -> str:
    group = ec2.create_security_group(GroupName=name, Description=name, VpcId=vpc)["GroupId"]
    ec2.authorize_security_group_ingress(
        GroupId=group,
        IpPermissions=[
            {
                "IpProtocol": "tcp",
                "FromPort": _PORT,
                "ToPort": _PORT,
                "IpRanges": [{"CidrIp": cidr}],
            }
        ],
    )
    return group


def seed(session: Any, regions: Sequence[str], scale: int = 1) -> None:
    """Per region and ``scale``: ``warehouse-N`` (private, encrypted, enhanced VPC
    routing, version upgrades, 14 days of snapshots, audit logging, a custom
    administrator, its port open to the VPC only) and ``sandbox-N`` (none of that, its
    port open to the internet, administrator awsuser)."""
    for region in regions:
        ec2 = session.client("ec2", region_name=region)
        vpc = data_network(session, region)["vpc"]
        inside = _guard(ec2, vpc, "warehouse-clients", "10.60.0.0/16")
        anyone = _guard(ec2, vpc, "sandbox-open", "0.0.0.0/0")
        redshift = session.client("redshift", region_name=region)
        for n in range(scale):
            redshift.create_cluster(
                ClusterIdentifier=f"warehouse-{n}", NodeType="ra3.xlplus", NumberOfNodes=2,
                MasterUsername="warehouse_admin", MasterUserPassword=_DEMO_MASTER_PASSWORD,
                PubliclyAccessible=False, Encrypted=True, EnhancedVpcRouting=True,
                AllowVersionUpgrade=True, AutomatedSnapshotRetentionPeriod=14, Port=_PORT,
                VpcSecurityGroupIds=[inside],
            )  # fmt: skip
            redshift.enable_logging(
                ClusterIdentifier=f"warehouse-{n}", BucketName="demo-redshift-audit"
            )
            redshift.create_cluster(
                ClusterIdentifier=f"sandbox-{n}", NodeType="dc2.large", ClusterType="single-node",
                MasterUsername="awsuser", MasterUserPassword=_DEMO_MASTER_PASSWORD,
                PubliclyAccessible=True, Encrypted=False, EnhancedVpcRouting=False,
                AllowVersionUpgrade=False, AutomatedSnapshotRetentionPeriod=1, Port=_PORT,
                VpcSecurityGroupIds=[anyone],
            )  # fmt: skip
