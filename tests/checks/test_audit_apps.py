"""Edge cases of the ECS, ECR, EKS, Lambda, CodeBuild and Step Functions checks where
the control's published definition decides the verdict: each test builds the case the
definition names (in the emulator where it can, by hand where it cannot) and asserts
the verdict the control gives."""

from __future__ import annotations

import io
import zipfile

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


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("handler.py", "def handler(event, context):\n    return None\n")
    return buffer.getvalue()


@mock_aws
def test_lambda2_amazon_linux_2_runtimes_supported_until_june_2027():
    # Lambda deprecates java8.al2, java11, java17 and python3.11 on June 30, 2027 (AWS
    # Lambda Developer Guide: "Deploy Java Lambda functions with container images",
    # "Building Lambda functions with Python"), so in December 2026 they are supported
    # runtimes and Lambda.2 passes them; python3.10 (October 31, 2026) and python3.7
    # fail.
    role = boto3.client("iam", region_name=REGION).create_role(
        RoleName="runner", AssumeRolePolicyDocument="{}"
    )["Role"]["Arn"]
    lam = boto3.client("lambda", region_name=REGION)
    for name, runtime in (("j8", "java8.al2"), ("j11", "java11"), ("j17", "java17"),
                          ("py311", "python3.11"), ("py310", "python3.10"),
                          ("py37", "python3.7")):  # fmt: skip
        lam.create_function(
            FunctionName=name, Runtime=runtime, Role=role, Handler="handler.handler",
            Code={"ZipFile": _zip()},
        )  # fmt: skip
    found = run("lambda.deprecated_runtime", {"lambda.functions": collect("lambda.functions")})
    assert by_suffix(found, ":function:j8").status is Status.PASS
    assert by_suffix(found, ":function:j11").status is Status.PASS
    assert by_suffix(found, ":function:j17").status is Status.PASS
    assert by_suffix(found, ":function:py311").status is Status.PASS
    py310 = by_suffix(found, ":function:py310")
    assert py310.status is Status.FAIL and "deprecated since 2026-10-31" in py310.detail
    py37 = by_suffix(found, ":function:py37")
    assert py37.status is Status.FAIL and "deprecated since 2023-12-04" in py37.detail
