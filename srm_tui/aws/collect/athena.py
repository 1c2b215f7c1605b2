"""Athena: work groups and whether they publish metrics to CloudWatch."""

from __future__ import annotations

from typing import Any

from srm_tui.aws.api import Api
from srm_tui.aws.collect.paging import token_pages
from srm_tui.aws.collectors import collector
from srm_tui.collected import Unreadable


@collector(
    "athena.workgroups",
    service="athena",
    api_calls=("athena:ListWorkGroups", "athena:GetWorkGroup"),
)
def workgroups(api: Api, region: str) -> list[dict[str, Any]]:
    """Each work group: name, ARN, state and whether it publishes query metrics to
    CloudWatch (``cloudwatch_metrics``; Unreadable when AWS refused the work group)."""

    def one(listed: dict[str, Any]) -> dict[str, Any]:
        name = listed.get("Name", "")
        answer = api.detail("athena", None, "get_work_group", WorkGroup=name)
        config = (
            answer
            if isinstance(answer, Unreadable)
            else bool(
                ((answer.get("WorkGroup") or {}).get("Configuration") or {}).get(
                    "PublishCloudWatchMetricsEnabled"
                )
            )
        )
        return {
            "name": name,
            "arn": f"arn:{api.partition}:athena:{region}:{api.account_id}:workgroup/{name}",
            "state": listed.get("State", ""),
            "cloudwatch_metrics": config,
        }

    listed = token_pages(api, "athena", None, "list_work_groups", "WorkGroups")
    return api.each(one, listed)
