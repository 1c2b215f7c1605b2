"""ECS checks, over the latest active revision of each task definition family."""

from __future__ import annotations

from collections.abc import Iterable

import srm_tui.aws.collect.ecs  # noqa: F401  (registers the collectors used here)
from srm_tui.checks.registry import Context, check
from srm_tui.checks.secret_names import suspicious
from srm_tui.model import Finding

_DOCS = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide"


@check(
    "ecs.privileged_containers",
    title="ECS task definitions run no privileged container",
    service="ecs",
    severity="high",
    responsibility="customer",
    scope="regional",
    needs=("ecs.task_definitions",),
    frameworks={
        "aws-fsbp": ["ECS.4"],
        "nist-csf-2.0": ["PR.PS", "PR.AA"],
        "iso-27017": ["CLD.9.5.1"],
    },
    remediation=(
        "Remove privileged: true from the container definitions and grant only the Linux "
        f"capabilities the container needs. {_DOCS}/task_definition_parameters.html"
    ),
)
def privileged_containers(ctx: Context) -> Iterable[Finding]:
    for task in ctx.data("ecs.task_definitions"):
        privileged = [c["name"] for c in task["containers"] if c["privileged"]]
        if privileged:
            yield ctx.fail(task["arn"], "privileged containers: " + ", ".join(privileged))
        else:
            yield ctx.ok(task["arn"], "no privileged container")


@check(
    "ecs.env_secrets",
    title="ECS container environments hold no secrets in the clear",
    service="ecs",
    severity="high",
    responsibility="customer",
    scope="regional",
    needs=("ecs.task_definitions",),
    frameworks={"aws-fsbp": ["ECS.8"], "nist-csf-2.0": ["PR.DS", "PR.AA"], "iso-27017": ["9.2.4"]},
    remediation=(
        "Pass secrets with the container definition's secrets parameter (Secrets Manager or "
        f"SSM Parameter Store) instead of environment. {_DOCS}/specifying-sensitive-data.html"
    ),
    description="Reports variable names only, never a value.",
)
def env_secrets(ctx: Context) -> Iterable[Finding]:
    for task in ctx.data("ecs.task_definitions"):
        found = [
            f"{c['name']}: {label}"
            for c in task["containers"]
            for label in suspicious(c["environment"])
        ]
        if found:
            yield ctx.fail(task["arn"], "possible secrets: " + ", ".join(found))
        else:
            yield ctx.ok(task["arn"], "no environment variable looks like a secret")


def _runs_as_root(user: str) -> bool:
    name = (user or "").split(":", 1)[0]
    return name in ("", "root", "0")


@check(
    "ecs.host_network_user",
    title="ECS tasks in host network mode run as a non-root user",
    service="ecs",
    severity="medium",
    responsibility="customer",
    scope="regional",
    needs=("ecs.task_definitions",),
    frameworks={"aws-fsbp": ["ECS.1"], "nist-csf-2.0": ["PR.PS"], "iso-27017": ["CLD.9.5.1"]},
    remediation=(
        "For tasks that share the host's network, set a non-root user on each container "
        f"(or use awsvpc network mode). {_DOCS}/task-networking.html"
    ),
)
def host_network_user(ctx: Context) -> Iterable[Finding]:
    for task in ctx.data("ecs.task_definitions"):
        if task["network_mode"] != "host":
            yield ctx.na(task["arn"], f"network mode {task['network_mode']}")
            continue
        # ECS.1 accepts a privileged container here: the risk is an unprivileged-looking
        # root process with the host's network stack.
        root = [
            c["name"]
            for c in task["containers"]
            if not c["privileged"] and _runs_as_root(c["user"])
        ]
        if root:
            yield ctx.fail(task["arn"], "host network with root containers: " + ", ".join(root))
        else:
            yield ctx.ok(task["arn"], "host network, containers run as non-root users")
