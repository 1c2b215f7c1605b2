"""ECS: the latest active revision of each task definition family, clusters with their
settings, and services with their network, launch and task-set settings."""

from __future__ import annotations

from typing import Any

from srm_tui.aws.api import Api
from srm_tui.aws.collect import envvars
from srm_tui.aws.collectors import collector
from srm_tui.collected import Unreadable

_CLUSTER_BATCH = 100  # DescribeClusters takes at most 100 clusters
_SERVICE_BATCH = 10  # DescribeServices takes at most 10 services


def _container(raw: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": raw.get("name", ""),
        "privileged": raw.get("privileged"),
        "user": raw.get("user", ""),
        # Values dropped here; secrets passed through `secrets` are references already.
        "environment": envvars.describe(
            (e.get("name", ""), e.get("value", "")) for e in raw.get("environment") or []
        ),
        "secrets": [s.get("name", "") for s in raw.get("secrets") or []],
        "readonly_root": bool(raw.get("readonlyRootFilesystem")),
        "log_driver": str((raw.get("logConfiguration") or {}).get("logDriver") or ""),
    }


@collector(
    "ecs.task_definitions",
    service="ecs",
    api_calls=("ecs:ListTaskDefinitionFamilies", "ecs:DescribeTaskDefinition"),
    in_use=bool,
)
def task_definitions(api: Api, region: str) -> list[dict[str, Any]]:
    """For each active family, its latest revision: ARN, network mode, process
    namespace mode and containers (name, privileged, user, environment variable names,
    secret names, read-only root filesystem, log driver). A family whose latest
    revision AWS refused to describe has ``containers`` Unreadable."""
    found = []
    for family in api.pages(
        "ecs", None, "list_task_definition_families", "families", status="ACTIVE"
    ):
        answer = api.detail("ecs", None, "describe_task_definition", taskDefinition=family)
        if isinstance(answer, Unreadable):
            found.append(
                {
                    "family": family,
                    "arn": f"arn:{api.partition}:ecs:{region}:{api.account_id}"
                    f":task-definition/{family}",
                    "revision": 0,
                    "network_mode": "",
                    "pid_mode": "",
                    "containers": answer,
                }
            )
            continue
        task = answer["taskDefinition"]
        found.append(
            {
                "family": task.get("family", family),
                "arn": task.get("taskDefinitionArn", ""),
                "revision": task.get("revision", 0),
                "network_mode": task.get("networkMode", "bridge"),
                "pid_mode": task.get("pidMode", ""),
                "containers": [_container(c) for c in task.get("containerDefinitions") or []],
            }
        )
    return found


@collector(
    "ecs.clusters",
    service="ecs",
    api_calls=("ecs:ListClusters", "ecs:DescribeClusters"),
    in_use=bool,
)
def clusters(api: Api, region: str) -> list[dict[str, Any]]:
    """Each cluster: name, ARN and its Container Insights setting ("" when unset)."""
    arns = api.pages("ecs", None, "list_clusters", "clusterArns")
    found = []
    for start in range(0, len(arns), _CLUSTER_BATCH):
        answer = api.call(
            "ecs", None, "describe_clusters",
            clusters=arns[start : start + _CLUSTER_BATCH], include=["SETTINGS"],
        )  # fmt: skip
        for cluster in answer.get("clusters") or []:
            settings = {s.get("name"): s.get("value") for s in cluster.get("settings") or []}
            found.append(
                {
                    "name": cluster.get("clusterName", ""),
                    "arn": cluster.get("clusterArn", ""),
                    "container_insights": str(settings.get("containerInsights") or ""),
                }
            )
    return found


def _public_ip(raw: dict[str, Any]) -> str:
    vpc = (raw.get("networkConfiguration") or {}).get("awsvpcConfiguration") or {}
    return str(vpc.get("assignPublicIp") or "DISABLED")


def _fargate(raw: dict[str, Any]) -> bool:
    providers = {p.get("capacityProvider") for p in raw.get("capacityProviderStrategy") or []}
    return raw.get("launchType") == "FARGATE" or bool(providers & {"FARGATE", "FARGATE_SPOT"})


def _service(raw: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": raw.get("serviceName", ""),
        "arn": raw.get("serviceArn", ""),
        "cluster": raw.get("clusterArn", ""),
        "assign_public_ip": _public_ip(raw),
        "fargate": _fargate(raw),
        "platform_version": str(raw.get("platformVersion") or ""),
        "platform_family": str(raw.get("platformFamily") or ""),
        "task_sets": [
            {"arn": t.get("taskSetArn", ""), "assign_public_ip": _public_ip(t)}
            for t in raw.get("taskSets") or []
        ],
    }


@collector(
    "ecs.services",
    service="ecs",
    api_calls=("ecs:ListClusters", "ecs:ListServices", "ecs:DescribeServices"),
)
def services(api: Api, region: str) -> list[dict[str, Any]]:
    """Each service of each cluster: name, ARN, cluster, whether tasks get a public IP,
    whether it runs on Fargate (launch type or capacity provider), its platform version
    and family, and its task sets (ARN, public IP assignment)."""

    def in_cluster(cluster: str) -> list[dict[str, Any]]:
        arns = api.pages("ecs", None, "list_services", "serviceArns", cluster=cluster)
        found = []
        for start in range(0, len(arns), _SERVICE_BATCH):
            answer = api.call(
                "ecs", None, "describe_services",
                cluster=cluster, services=arns[start : start + _SERVICE_BATCH],
            )  # fmt: skip
            found += [_service(s) for s in answer.get("services") or []]
        return found

    clusters = api.pages("ecs", None, "list_clusters", "clusterArns")
    return [s for batch in api.each(in_cluster, clusters) for s in batch]
