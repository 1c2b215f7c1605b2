"""Systems Manager checks: are instances managed, and are they patched."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from srm_tui.checks.context import Context, check
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


@check("ssm.patch_compliance", needs=("ssm.instance_information", "ssm.patch_compliance"))
def patch_compliance(ctx: Context) -> Iterable[Finding]:
    compliance = ctx.data("ssm.patch_compliance")
    for node_id in sorted(ctx.data("ssm.instance_information")):
        arn = _instance_arn(ctx, node_id)
        record = compliance.get(node_id)
        if record is None:
            yield ctx.fail(arn, "no patch compliance data: never scanned by Patch Manager")
        elif record["status"] == "COMPLIANT":
            yield ctx.ok(arn, "compliant with its patch baseline")
        else:
            severity = (record["severity"] or "unspecified").lower()
            yield ctx.fail(
                arn,
                f"{record['noncompliant']} patch(es) missing or failed (worst: {severity})",
            )
