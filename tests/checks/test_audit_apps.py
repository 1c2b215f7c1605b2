"""Edge cases of the ECS, ECR, EKS, Lambda, CodeBuild and Step Functions checks where
the control's published definition decides the verdict: each test builds the case the
definition names (in the emulator where it can, by hand where it cannot) and asserts
the verdict the control gives."""

from __future__ import annotations

import boto3
from moto import mock_aws

from srm_tui.model import Status
from tests.checks.engine_helpers import REGION, by_suffix, collect, run


def _register(ecs, family: str, network_mode: str, user: str = "") -> None:
    container = {"name": "app", "image": "app:1", "memory": 128}
    if user:
        container["user"] = user
    ecs.register_task_definition(
        family=family, networkMode=network_mode, containerDefinitions=[container]
    )


@mock_aws
def test_ecs1_task_definitions_outside_host_mode_pass():
    # ecs-task-definition-user-for-host-mode-check (ECS.1) is COMPLIANT "if the network
    # mode is not set to host": a root container in awsvpc or bridge mode passes; only
    # host mode with a root, unprivileged container fails.
    ecs = boto3.client("ecs", region_name=REGION)
    _register(ecs, "isolated", "awsvpc")
    _register(ecs, "bridged", "bridge")
    _register(ecs, "host-root", "host")
    _register(ecs, "host-user", "host", user="1000")
    data = {"ecs.task_definitions": collect("ecs.task_definitions")}
    found = run("ecs.host_network_user", data)
    assert by_suffix(found, "/isolated:1").status is Status.PASS
    assert by_suffix(found, "/bridged:1").status is Status.PASS
    assert by_suffix(found, "/host-root:1").status is Status.FAIL
    assert by_suffix(found, "/host-user:1").status is Status.PASS
