"""Demo seed: Step Functions state machines, one logging errors and one not logging."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

_DEFINITION = json.dumps({"StartAt": "Done", "States": {"Done": {"Type": "Pass", "End": True}}})


def seed(session: Any, regions: Sequence[str], scale: int = 1) -> None:
    """In the first region, per ``scale``: ``order-flow-N`` logs at ERROR level to CloudWatch Logs,
    ``batch-flow-N`` has logging OFF."""
    account = session.client("sts", region_name=regions[0]).get_caller_identity()["Account"]
    role = f"arn:aws:iam::{account}:role/demo-states-role"
    # One region shows both sides; the demo's other region stays empty, which is cheaper.
    for region in regions[:1]:
        client = session.client("stepfunctions", region_name=region)
        group = f"arn:aws:logs:{region}:{account}:log-group:/demo/states:*"
        for n in range(scale):
            client.create_state_machine(
                name=f"order-flow-{n}",
                definition=_DEFINITION,
                roleArn=role,
                loggingConfiguration={
                    "level": "ERROR",
                    "includeExecutionData": False,
                    "destinations": [{"cloudWatchLogsLogGroup": {"logGroupArn": group}}],
                },
            )
            client.create_state_machine(
                name=f"batch-flow-{n}", definition=_DEFINITION, roleArn=role
            )
