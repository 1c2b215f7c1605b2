"""Amazon Redshift: provisioned clusters with their audit logging, and the one
parameter of their parameter groups the checks read (require_ssl)."""

from __future__ import annotations

from typing import Any

from srm_tui.aws.api import Api
from srm_tui.aws.collect.paged_detail import paged_detail
from srm_tui.aws.collectors import collector
from srm_tui.collected import Unreadable


def _logging(answer: Any) -> Any:
    if isinstance(answer, Unreadable):
        return answer
    return bool((answer or {}).get("LoggingEnabled"))


@collector(
    "redshift.clusters",
    service="redshift",
    api_calls=("redshift:DescribeClusters", "redshift:DescribeLoggingStatus"),
    in_use=bool,
)
def clusters(api: Api, region: str) -> list[dict[str, Any]]:
    """Each provisioned cluster with the settings the checks read; ``logging`` is
    whether audit logging is on (``Unreadable`` when AWS refused to say)."""
    found = api.pages("redshift", None, "describe_clusters", "Clusters")

    def one(cluster: dict[str, Any]) -> dict[str, Any]:
        ident = cluster.get("ClusterIdentifier", "")
        logging = api.detail("redshift", None, "describe_logging_status", ClusterIdentifier=ident)
        return {
            "id": ident,
            "arn": f"arn:{api.partition}:redshift:{region}:{api.account_id}:cluster:{ident}",
            "public": bool(cluster.get("PubliclyAccessible")),
            "encrypted": bool(cluster.get("Encrypted")),
            "enhanced_vpc_routing": bool(cluster.get("EnhancedVpcRouting")),
            "allow_version_upgrade": bool(cluster.get("AllowVersionUpgrade")),
            "snapshot_retention": int(cluster.get("AutomatedSnapshotRetentionPeriod") or 0),
            "master_username": cluster.get("MasterUsername", ""),
            "parameter_groups": [
                g.get("ParameterGroupName", "") for g in cluster.get("ClusterParameterGroups") or []
            ],
            "security_groups": [
                g.get("VpcSecurityGroupId", "")
                for g in cluster.get("VpcSecurityGroups") or []
                if g.get("Status", "active") == "active"
            ],
            "port": int((cluster.get("Endpoint") or {}).get("Port") or 0),
            "multi_az": str(cluster.get("MultiAZ") or ""),  # "Enabled" or "Disabled"
            "logging": _logging(logging),
        }

    return api.each(one, found)


@collector(
    "redshift.parameter_groups",
    service="redshift",
    api_calls=(
        "redshift:DescribeClusters",
        "redshift:DescribeLoggingStatus",
        "redshift:DescribeClusterParameters",
    ),
    reads=("redshift.clusters",),
)
def parameter_groups(api: Api, region: str) -> dict[str, Any]:
    """Parameter group name -> its ``require_ssl`` value ("true"/"false", None when
    absent), for the groups the clusters use; ``Unreadable`` for a group AWS refused."""
    names = sorted({n for c in api.data("redshift.clusters") for n in c["parameter_groups"] if n})

    def read(name: str) -> tuple[str, Any]:
        found = paged_detail(
            api, "redshift", "describe_cluster_parameters", "Parameters", ParameterGroupName=name
        )
        if isinstance(found, Unreadable):
            return name, found
        values = {p.get("ParameterName"): p.get("ParameterValue") for p in found or []}
        return name, {"require_ssl": values.get("require_ssl")}

    return dict(api.each(read, names))
