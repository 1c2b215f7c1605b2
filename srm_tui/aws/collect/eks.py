"""EKS: clusters with their Kubernetes version, endpoint access, secrets encryption and
logging."""

from __future__ import annotations

from typing import Any

from srm_tui.aws.api import Api
from srm_tui.aws.collectors import collector
from srm_tui.collected import Unreadable


def _cluster(name: str, cluster: dict[str, Any]) -> dict[str, Any]:
    vpc = cluster.get("resourcesVpcConfig") or {}
    enabled_logs = sorted(
        {
            kind
            for setup in (cluster.get("logging") or {}).get("clusterLogging") or []
            if setup.get("enabled")
            for kind in setup.get("types") or []
        }
    )
    return {
        "name": name,
        "arn": cluster.get("arn", ""),
        "version": str(cluster.get("version") or ""),
        "public_endpoint": bool(vpc.get("endpointPublicAccess", True)),
        "private_endpoint": bool(vpc.get("endpointPrivateAccess", False)),
        "public_cidrs": list(vpc.get("publicAccessCidrs") or []),
        "encrypted_resources": sorted(
            {r for c in cluster.get("encryptionConfig") or [] for r in c.get("resources") or []}
        ),
        "logging": enabled_logs,
    }


@collector(
    "eks.clusters",
    service="eks",
    api_calls=("eks:ListClusters", "eks:DescribeCluster"),
    in_use=bool,
)
def clusters(api: Api, region: str) -> list[dict[str, Any]]:
    """Each cluster: name, ARN, Kubernetes version, endpoint access (public, private,
    public CIDRs), the resources encrypted with a KMS key, and the control-plane log
    types enabled. A cluster AWS refused to describe has ``settings`` Unreadable."""
    found = []
    for name in api.pages("eks", None, "list_clusters", "clusters"):
        answer = api.detail("eks", None, "describe_cluster", name=name)
        if isinstance(answer, Unreadable):
            arn = f"arn:{api.partition}:eks:{region}:{api.account_id}:cluster/{name}"
            found.append({"name": name, "arn": arn, "settings": answer})
        else:
            found.append(_cluster(name, answer["cluster"]))
    return found
