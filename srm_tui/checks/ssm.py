"""Systems Manager checks: are instances managed, patched and compliant with their
associations; are documents kept private; does Automation log."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from srm_tui.checks.context import Context, check
from srm_tui.collected import Unreadable
from srm_tui.model import Finding


def _instance_arn(ctx: Context, node_id: str) -> str:
    if node_id.startswith("mi-"):
        return f"arn:{ctx.partition}:ssm:{ctx.region}:{ctx.account_id}:managed-instance/{node_id}"
    return f"arn:{ctx.partition}:ec2:{ctx.region}:{ctx.account_id}:instance/{node_id}"


def _state(instance: Mapping[str, Any]) -> str:
    state = instance.get("State")
    return str(state.get("Name", "") if isinstance(state, Mapping) else state or "")


@check("ssm.instances_managed", needs=("ec2.instances", "ssm.instance_information"))
def instances_managed(ctx: Context) -> Iterable[Finding]:
    nodes = ctx.data("ssm.instance_information")
    for instance in ctx.data("ec2.instances"):
        instance_id = instance["InstanceId"]
        arn = _instance_arn(ctx, instance_id)
        state = _state(instance)
        if state in ("terminated", "shutting-down"):
            continue
        node = nodes.get(instance_id)
        if state != "running":
            yield ctx.na(arn, f"instance is {state}")
        elif node is None:
            yield ctx.fail(arn, "not registered with Systems Manager")
        elif node["ping"] != "Online":
            yield ctx.fail(arn, f"SSM Agent not reporting (ping status {node['ping']})")
        else:
            yield ctx.ok(arn, "managed, agent online")


def _compliance(ctx: Context, kind: str, what: str, unit: str) -> Iterable[Finding]:
    """Managed nodes that have a compliance record of ``kind``; nodes without one are not
    judged, as AWS's controls look only at nodes that have one."""
    records = (ctx.data("ssm.compliance") or {}).get(kind) or {}
    for node_id in sorted(ctx.data("ssm.instance_information")):
        arn = _instance_arn(ctx, node_id)
        record = records.get(node_id)
        if record is None:
            yield ctx.na(arn, f"no {what} compliance data: {unit} never evaluated this node")
        elif record["status"] == "COMPLIANT":
            yield ctx.ok(arn, f"{what} compliance is COMPLIANT")
        else:
            severity = (record["severity"] or "unspecified").lower()
            yield ctx.fail(
                arn,
                f"{record['noncompliant']} {what} item(s) not compliant (worst: {severity})",
            )


@check("ssm.patch_compliance", needs=("ssm.instance_information", "ssm.compliance"))
def patch_compliance(ctx: Context) -> Iterable[Finding]:
    return _compliance(ctx, "Patch", "patch", "Patch Manager")


@check("ssm.association_compliance", needs=("ssm.instance_information", "ssm.compliance"))
def association_compliance(ctx: Context) -> Iterable[Finding]:
    return _compliance(ctx, "Association", "association", "State Manager")


@check("ssm.public_documents", needs=("ssm.documents",))
def public_documents(ctx: Context) -> Iterable[Finding]:
    documents = ctx.data("ssm.documents")
    for doc in documents:
        shared = doc["shared_with"]
        if isinstance(shared, Unreadable):
            yield ctx.error(doc["arn"], shared.reason)
        elif any(a.lower() == "all" for a in shared):
            yield ctx.fail(doc["arn"], "shared publicly (with all accounts)")
        elif shared:
            yield ctx.ok(doc["arn"], f"shared privately with {len(shared)} account(s)")
        else:
            yield ctx.ok(doc["arn"], "not shared")
    if not documents:
        yield ctx.na(ctx.account_arn("ssm"), "the account owns no SSM documents in this region")


def _setting(ctx: Context, key: str, wanted: str, good: str, bad: str) -> Iterable[Finding]:
    value = ctx.data("ssm.service_settings").get(key, "")
    if value == wanted:
        yield ctx.ok(ctx.account_arn("ssm"), good)
    else:
        yield ctx.fail(ctx.account_arn("ssm"), f"{bad} (setting {value or 'unknown'})")


@check("ssm.automation_logging", needs=("ssm.service_settings",))
def automation_logging(ctx: Context) -> Iterable[Finding]:
    return _setting(
        ctx, "automation_logs", "CloudWatch",
        "Automation sends script output to CloudWatch Logs",
        "Automation does not log to CloudWatch Logs",
    )  # fmt: skip


@check("ssm.document_public_sharing_blocked", needs=("ssm.service_settings",))
def document_public_sharing_blocked(ctx: Context) -> Iterable[Finding]:
    return _setting(
        ctx, "document_sharing", "Disable",
        "public sharing of documents is blocked", "public sharing of documents is not blocked",
    )  # fmt: skip
