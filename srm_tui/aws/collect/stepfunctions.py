"""Step Functions: state machines and their logging level."""

from __future__ import annotations

from typing import Any

from srm_tui.aws.api import Api
from srm_tui.aws.collectors import collector
from srm_tui.collected import Unreadable


@collector(
    "stepfunctions.state_machines",
    service="stepfunctions",
    api_calls=("states:ListStateMachines", "states:DescribeStateMachine"),
    in_use=bool,
)
def state_machines(api: Api, region: str) -> list[dict[str, Any]]:
    """Each state machine: name, ARN, type and logging level (OFF, ALL, ERROR or
    FATAL); ``log_level`` is Unreadable when AWS refused to describe the machine."""

    def one(listed: dict[str, Any]) -> dict[str, Any]:
        arn = listed.get("stateMachineArn", "")
        answer = api.detail("stepfunctions", None, "describe_state_machine", stateMachineArn=arn)
        level = (
            answer
            if isinstance(answer, Unreadable)
            else str((answer.get("loggingConfiguration") or {}).get("level") or "OFF")
        )
        return {
            "name": listed.get("name", ""),
            "arn": arn,
            "type": listed.get("type", ""),
            "log_level": level,
        }

    listed = api.pages("stepfunctions", None, "list_state_machines", "stateMachines")
    return api.each(one, listed)
