"""AWS Config checks: recording all resources (CIS), and with the service-linked role
(FSBP)."""

from __future__ import annotations

from collections.abc import Iterable

from srm_tui.checks.context import Context, check
from srm_tui.model import Finding


@check("config.enabled", needs=("config.recorders",))
def enabled(ctx: Context) -> Iterable[Finding]:
    data = ctx.data("config.recorders")
    resource = ctx.account_arn("config")
    recording = {s.get("name") for s in data["status"] if s.get("recording")}
    # CIS wants each recorder recording with its last attempt a success; "Pending" is a
    # recorder just started, not one that failed.
    failing = {
        s.get("name"): s.get("lastErrorCode") or "an error"
        for s in data["status"]
        if str(s.get("lastStatus", "")).lower() == "failure"
    }
    if not data["recorders"]:
        yield ctx.fail(resource, "no configuration recorder")
        return
    problems = []
    for rec in data["recorders"]:
        group = rec.get("recordingGroup", {})
        strategy = group.get("recordingStrategy", {}).get("useOnly", "")
        if not (group.get("allSupported") or strategy == "ALL_SUPPORTED_RESOURCE_TYPES"):
            problems.append(f"recorder {rec.get('name')} records only some resource types")
        if rec.get("name") not in recording:
            problems.append(f"recorder {rec.get('name')} is stopped")
        elif rec.get("name") in failing:
            problems.append(
                f"recorder {rec.get('name')} fails to record ({failing[rec.get('name')]})"
            )
    if not data["channels"]:
        problems.append("no delivery channel")
    if problems:
        yield ctx.fail(resource, "; ".join(problems))
    else:
        yield ctx.ok(resource, "recording all resources with a delivery channel")


_SERVICE_LINKED_ROLE = "/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig"


@check("config.service_linked_role", needs=("config.recorders",))
def service_linked_role(ctx: Context) -> Iterable[Finding]:
    data = ctx.data("config.recorders")
    resource = ctx.account_arn("config")
    recording = {s.get("name") for s in data["status"] if s.get("recording")}
    recorders = data["recorders"]
    # A service-linked recorder (one a service such as Security Hub CSPM created) always
    # records with the service-linked role.
    linked = [r for r in recorders if r.get("servicePrincipal") and r.get("name") in recording]
    if linked:
        yield ctx.ok(resource, f"service-linked recorder {linked[0].get('name')} is recording")
        return
    if not recorders:
        yield ctx.fail(resource, "AWS Config is not enabled: no configuration recorder")
        return
    running = [r for r in recorders if r.get("name") in recording]
    if not running:
        yield ctx.fail(resource, "the configuration recorder is stopped")
    elif ctx.param("include_service_linked_role_check") and not any(
        str(r.get("roleARN", "")).endswith(_SERVICE_LINKED_ROLE) for r in running
    ):
        role = str(running[0].get("roleARN", "")).rsplit("/", 1)[-1] or "an unnamed role"
        yield ctx.fail(resource, f"the recorder uses {role}, not AWSServiceRoleForConfig")
    else:
        yield ctx.ok(resource, "AWS Config records with its service-linked role")
