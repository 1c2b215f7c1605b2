"""Edge cases of the ECS, ECR, EKS, Lambda, CodeBuild and Step Functions checks where
the control's published definition decides the verdict: each test builds the case the
definition names (in the emulator where it can, by hand where it cannot) and asserts
the verdict the control gives."""

from __future__ import annotations

import io
import zipfile

import boto3
import pytest
from moto import mock_aws

from srm_tui.checks.ecr import filter_matches
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


@mock_aws
def test_ecr1_a_filter_without_wildcard_covers_every_name_containing_it():
    # Amazon ECR User Guide, "Filters to choose which repositories are scanned": "a
    # filter with no wildcard will match all repository names that contain the filter".
    # A registry scan-on-push rule on "prod" covers repo-prod (ECR.1 passes), not dev.
    ecr = boto3.client("ecr", region_name=REGION)
    for name in ("repo-prod", "dev"):
        ecr.create_repository(repositoryName=name)
    ecr.put_registry_scanning_configuration(
        scanType="BASIC",
        rules=[{"scanFrequency": "SCAN_ON_PUSH",
                "repositoryFilters": [{"filter": "prod", "filterType": "WILDCARD"}]}],
    )  # fmt: skip
    data = {
        "ecr.repositories": collect("ecr.repositories"),
        "ecr.registry_scanning": collect("ecr.registry_scanning"),
    }
    found = run("ecr.scan_on_push", data)
    assert by_suffix(found, "/repo-prod").status is Status.PASS
    assert by_suffix(found, "/dev").status is Status.FAIL


# AWS's own table of filters against repository names (same page).
FILTER_TABLE = {
    "prod": ("prod", "repo-prod", "prod-repo", "repo-prod-repo", "prodrepo"),
    "*prod": ("prod", "repo-prod"),
    "prod*": ("prod", "prod-repo", "prodrepo"),
    "*prod*": ("prod", "repo-prod", "prod-repo", "repo-prod-repo", "prodrepo"),
    "prod*repo": ("prod-repo", "prodrepo"),
}


@pytest.mark.parametrize("text", sorted(FILTER_TABLE))
def test_ecr_filters_match_as_the_ecr_user_guide_table(text):
    names = ("prod", "repo-prod", "prod-repo", "repo-prod-repo", "prodrepo")
    matched = tuple(n for n in names if filter_matches(n, text))
    assert matched == FILTER_TABLE[text]
