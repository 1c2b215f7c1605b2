"""ECS checks, over the latest active revision of each task definition family."""

from __future__ import annotations

from collections.abc import Iterable

from srm_tui.checks.context import Context, check
from srm_tui.checks.secret_names import suspicious
from srm_tui.model import Finding


@check("ecs.privileged_containers", needs=("ecs.task_definitions",))
def privileged_containers(ctx: Context) -> Iterable[Finding]:
    for task in ctx.data("ecs.task_definitions"):
        privileged = [c["name"] for c in task["containers"] if c["privileged"]]
        if privileged:
            yield ctx.fail(task["arn"], "privileged containers: " + ", ".join(privileged))
        else:
            yield ctx.ok(task["arn"], "no privileged container")


@check("ecs.env_secrets", needs=("ecs.task_definitions",))
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


@check("ecs.host_network_user", needs=("ecs.task_definitions",))
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
