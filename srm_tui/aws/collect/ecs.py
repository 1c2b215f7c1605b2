"""ECS: the latest active revision of each task definition family."""

from __future__ import annotations

from typing import Any

from srm_tui.aws.api import Api
from srm_tui.aws.collect import envvars
from srm_tui.aws.collectors import collector


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
    }


@collector(
    "ecs.task_definitions",
    service="ecs",
    api_calls=("ecs:ListTaskDefinitionFamilies", "ecs:DescribeTaskDefinition"),
    in_use=bool,
)
def task_definitions(api: Api, region: str) -> list[dict[str, Any]]:
    """For each active family, its latest revision: ARN, network mode and containers
    (name, privileged, user, environment variable names, secret names)."""
    found = []
    for family in api.pages(
        "ecs", None, "list_task_definition_families", "families", status="ACTIVE"
    ):
        task = api.call("ecs", None, "describe_task_definition", taskDefinition=family)[
            "taskDefinition"
        ]
        found.append(
            {
                "family": task.get("family", family),
                "arn": task.get("taskDefinitionArn", ""),
                "revision": task.get("revision", 0),
                "network_mode": task.get("networkMode", "bridge"),
                "containers": [_container(c) for c in task.get("containerDefinitions") or []],
            }
        )
    return found
