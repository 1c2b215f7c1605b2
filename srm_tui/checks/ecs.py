"""ECS checks: the latest active revision of each task definition family, services and
their task sets, and clusters."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from srm_tui.checks import per_resource
from srm_tui.checks.context import Context, check
from srm_tui.checks.secret_names import suspicious
from srm_tui.model import Finding


@check("ecs.privileged_containers", needs=("ecs.task_definitions",))
def privileged_containers(ctx: Context) -> Iterable[Finding]:
    def judge(task: Mapping[str, Any]) -> Finding:
        privileged = [c["name"] for c in task["containers"] if c["privileged"]]
        if privileged:
            return ctx.fail(task["arn"], "privileged containers: " + ", ".join(privileged))
        return ctx.ok(task["arn"], "no privileged container")

    return _task_definitions(ctx, judge)


@check("ecs.env_secrets", needs=("ecs.task_definitions",))
def env_secrets(ctx: Context) -> Iterable[Finding]:
    def judge(task: Mapping[str, Any]) -> Finding:
        found = [
            f"{c['name']}: {label}"
            for c in task["containers"]
            for label in suspicious(c["environment"])
        ]
        if found:
            return ctx.fail(task["arn"], "possible secrets: " + ", ".join(found))
        return ctx.ok(task["arn"], "no environment variable looks like a secret")

    return _task_definitions(ctx, judge)


def _runs_as_root(user: str) -> bool:
    name = (user or "").split(":", 1)[0]
    return name in ("", "root", "0")


@check("ecs.host_network_user", needs=("ecs.task_definitions",))
def host_network_user(ctx: Context) -> Iterable[Finding]:
    def judge(task: Mapping[str, Any]) -> Finding:
        if task["network_mode"] != "host":
            # ECS.1's rule (ecs-task-definition-user-for-host-mode-check) is COMPLIANT
            # for any other network mode: the task is judged, and it passes.
            return ctx.ok(task["arn"], f"network mode {task['network_mode']}, not host")
        # ECS.1 accepts a privileged container here: the risk is an unprivileged-looking
        # root process with the host's network stack.
        root = [
            c["name"]
            for c in task["containers"]
            if not c["privileged"] and _runs_as_root(c["user"])
        ]
        if root:
            return ctx.fail(task["arn"], "host network with root containers: " + ", ".join(root))
        return ctx.ok(task["arn"], "host network, containers run as non-root users")

    return _task_definitions(ctx, judge)


def _task_definitions(ctx: Context, judge: Any) -> Iterator[Finding]:
    return per_resource.each(ctx, ctx.data("ecs.task_definitions"), judge)


@check("ecs.host_pid_mode", needs=("ecs.task_definitions",))
def host_pid_mode(ctx: Context) -> Iterable[Finding]:
    def judge(task: Mapping[str, Any]) -> Finding:
        if task["pid_mode"] == "host":
            return ctx.fail(task["arn"], "containers share the host's process namespace")
        return ctx.ok(task["arn"], f"process namespace: {task['pid_mode'] or 'private'}")

    return _task_definitions(ctx, judge)


@check("ecs.readonly_root_filesystem", needs=("ecs.task_definitions",))
def readonly_root_filesystem(ctx: Context) -> Iterable[Finding]:
    def judge(task: Mapping[str, Any]) -> Finding:
        writable = [c["name"] for c in task["containers"] if not c["readonly_root"]]
        if writable:
            return ctx.fail(task["arn"], "writable root filesystem: " + ", ".join(writable))
        return ctx.ok(task["arn"], "every container's root filesystem is read-only")

    return _task_definitions(ctx, judge)


#: The variable names ECS.8 looks for (its secretKeys parameter, not customizable).
CREDENTIAL_VARIABLES = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "ECS_ENGINE_AUTH_DATA")


@check("ecs.env_credentials", needs=("ecs.task_definitions",))
def env_credentials(ctx: Context) -> Iterable[Finding]:
    def judge(task: Mapping[str, Any]) -> Finding:
        found = [
            f"{c['name']}: {v['name']}"
            for c in task["containers"]
            for v in c["environment"]
            if v["name"] in CREDENTIAL_VARIABLES
        ]
        if found:
            return ctx.fail(task["arn"], "credentials in the environment: " + ", ".join(found))
        return ctx.ok(task["arn"], "no AWS or registry credentials in the environment")

    return _task_definitions(ctx, judge)


@check("ecs.log_configuration", needs=("ecs.task_definitions",))
def log_configuration(ctx: Context) -> Iterable[Finding]:
    def judge(task: Mapping[str, Any]) -> Finding:
        silent = [c["name"] for c in task["containers"] if not c["log_driver"]]
        if silent:
            return ctx.fail(task["arn"], "no log driver: " + ", ".join(silent))
        drivers = sorted({c["log_driver"] for c in task["containers"]})
        return ctx.ok(task["arn"], "logs through " + ", ".join(drivers))

    return _task_definitions(ctx, judge)


@check("ecs.service_public_ip", needs=("ecs.services",))
def service_public_ip(ctx: Context) -> Iterable[Finding]:
    for service in ctx.data("ecs.services"):
        if service["assign_public_ip"] == "ENABLED":
            yield ctx.fail(service["arn"], "tasks get a public IP address automatically")
        else:
            yield ctx.ok(service["arn"], "tasks get no public IP address")


@check("ecs.task_set_public_ip", needs=("ecs.services",))
def task_set_public_ip(ctx: Context) -> Iterable[Finding]:
    for service in ctx.data("ecs.services"):
        for task_set in service["task_sets"]:
            if task_set["assign_public_ip"] == "ENABLED":
                yield ctx.fail(task_set["arn"], "tasks get a public IP address automatically")
            else:
                yield ctx.ok(task_set["arn"], "tasks get no public IP address")


def _windows(family: str) -> bool:
    return family.upper().startswith("WINDOWS")


@check("ecs.fargate_platform_version", needs=("ecs.services",))
def fargate_platform_version(ctx: Context) -> Iterable[Finding]:
    for service in ctx.data("ecs.services"):
        if not service["fargate"]:
            yield ctx.na(service["arn"], "does not run on Fargate")
            continue
        version = service["platform_version"] or "LATEST"
        windows = _windows(service["platform_family"])
        latest = str(ctx.param("latest_windows_version" if windows else "latest_linux_version"))
        if version in ("LATEST", latest):
            yield ctx.ok(service["arn"], f"platform version {version}")
        else:
            yield ctx.fail(service["arn"], f"platform version {version}, latest is {latest}")


@check("ecs.container_insights", needs=("ecs.clusters",))
def container_insights(ctx: Context) -> Iterable[Finding]:
    for cluster in ctx.data("ecs.clusters"):
        setting = cluster["container_insights"]
        if setting in ("enabled", "enhanced"):
            yield ctx.ok(cluster["arn"], f"Container Insights {setting}")
        else:
            yield ctx.fail(cluster["arn"], "Container Insights not enabled")
