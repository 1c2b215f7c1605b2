"""AWS Backup: which resources each backup plan selects (its resource assignments),
so that checks can tell whether a resource is in a backup plan."""

from __future__ import annotations

from typing import Any

from srm_tui.aws.api import Api
from srm_tui.aws.collect.paged_detail import paged_detail
from srm_tui.aws.collectors import collector
from srm_tui.collected import Unreadable

_OPERATORS = ("StringEquals", "StringNotEquals", "StringLike", "StringNotLike")


def _pairs(items: Any) -> list[list[str]]:
    return [[str(i.get("ConditionKey", "")), str(i.get("ConditionValue", ""))] for i in items or []]


def _rule(answer: Any) -> Any:
    if isinstance(answer, Unreadable):
        return answer
    selection = (answer or {}).get("BackupSelection") or {}
    conditions = selection.get("Conditions") or {}
    return {
        "resources": list(selection.get("Resources") or []),
        "not_resources": list(selection.get("NotResources") or []),
        "tags": _pairs(selection.get("ListOfTags")),
        "conditions": {op: _pairs(conditions.get(op)) for op in _OPERATORS},
    }


@collector(
    "backup.selections",
    service="backup",
    api_calls=(
        "backup:ListBackupPlans",
        "backup:ListBackupSelections",
        "backup:GetBackupSelection",
    ),
)
def selections(api: Api, region: str) -> list[dict[str, Any]]:
    """Each resource assignment of each backup plan: the plan's name, the selection's
    name and ``rule`` (resource ARN patterns, excluded ARN patterns, tags of which one
    must match, and conditions that must all hold), or ``Unreadable`` in its place when
    AWS refused that plan's or that selection's details."""
    plans = api.pages("backup", None, "list_backup_plans", "BackupPlansList")

    def rule(plan_id: str, selection_id: str) -> Any:
        answer = api.detail(
            "backup", None, "get_backup_selection", BackupPlanId=plan_id, SelectionId=selection_id
        )
        return _rule(answer)

    def of_plan(plan: dict[str, Any]) -> list[dict[str, Any]]:
        plan_id = plan.get("BackupPlanId", "")
        name = plan.get("BackupPlanName", plan_id)
        listed = paged_detail(
            api, "backup", "list_backup_selections", "BackupSelectionsList",
            token_in="NextToken", token_out="NextToken", BackupPlanId=plan_id,
        )  # fmt: skip
        if isinstance(listed, Unreadable):
            return [{"plan": name, "name": "", "rule": listed}]
        return [
            {
                "plan": name,
                "name": item.get("SelectionName", ""),
                "rule": rule(plan_id, item.get("SelectionId", "")),
            }
            for item in listed or []
        ]

    return [entry for found in api.each(of_plan, plans) for entry in found]
