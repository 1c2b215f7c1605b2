"""Demo seed: a locked-down EKS cluster and a wide-open one."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"]


def seed(session: Any, regions: Sequence[str], scale: int = 1) -> None:
    """Per region and ``scale``: ``prod-N`` (a supported version, private endpoint,
    secrets encrypted with a KMS key, all control-plane logs) and ``sandbox-N`` (an
    unsupported version and EKS defaults: public endpoint, no secrets encryption, no
    logs)."""
    account_id = session.client("sts", region_name=regions[0]).get_caller_identity()["Account"]
    role = f"arn:aws:iam::{account_id}:role/demo-eks-cluster-role"
    for region in regions:
        eks = session.client("eks", region_name=region)
        key = session.client("kms", region_name=region).create_key(
            Description="EKS secrets envelope key"
        )["KeyMetadata"]["Arn"]
        session.client("kms", region_name=region).enable_key_rotation(KeyId=key)
        for n in range(scale):
            eks.create_cluster(
                name=f"prod-{n}",
                version="1.34",
                roleArn=role,
                resourcesVpcConfig={
                    "subnetIds": ["subnet-0a1b2c3d", "subnet-4e5f6a7b"],
                    "endpointPublicAccess": False,
                    "endpointPrivateAccess": True,
                },
                encryptionConfig=[{"resources": ["secrets"], "provider": {"keyArn": key}}],
                logging={"clusterLogging": [{"types": _LOG_TYPES, "enabled": True}]},
            )
            eks.create_cluster(
                name=f"sandbox-{n}",
                version="1.29",
                roleArn=role,
                resourcesVpcConfig={"subnetIds": ["subnet-0a1b2c3d", "subnet-4e5f6a7b"]},
            )
