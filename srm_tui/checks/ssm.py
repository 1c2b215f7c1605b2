"""Systems Manager checks: are instances managed, and are they patched."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from srm_tui.aws.collect import ec2, ssm  # noqa: F401  (registers the collectors used here)
from srm_tui.checks.registry import Context, check
from srm_tui.model import Finding

_DOCS = "https://docs.aws.amazon.com/systems-manager/latest/userguide"


def _instance_arn(ctx: Context, node_id: str) -> str:
    if node_id.startswith("mi-"):
        return f"arn:{ctx.partition}:ssm:{ctx.region}:{ctx.account_id}:managed-instance/{node_id}"
    return f"arn:{ctx.partition}:ec2:{ctx.region}:{ctx.account_id}:instance/{node_id}"


def _state(instance: Mapping[str, Any]) -> str:
    state = instance.get("State")
    return str(state.get("Name", "") if isinstance(state, Mapping) else state or "")


@check(
    "ssm.instances_managed",
    title="EC2 instances are managed by Systems Manager",
    service="ssm",
    severity="medium",
    responsibility="shared",
    scope="regional",
    needs=("ec2.instances", "ssm.instance_information"),
    frameworks={"aws-fsbp": ["SSM.1"], "nist-csf-2.0": ["ID.AM", "PR.PS"], "iso-27017": ["12.6.1"]},
    remediation=(
        "Install and run the SSM Agent, give the instance a profile with the "
        "AmazonSSMManagedInstanceCore policy (or turn on Default Host Management), and make "
        f"sure it can reach the Systems Manager endpoints. {_DOCS}/managed_instances.html"
    ),
)
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


@check(
    "ssm.patch_compliance",
    title="Instances managed by Systems Manager are compliant with their patch baseline",
    service="ssm",
    severity="high",
    responsibility="shared",
    scope="regional",
    needs=("ssm.instance_information", "ssm.patch_compliance"),
    frameworks={"aws-fsbp": ["SSM.2"], "nist-csf-2.0": ["PR.PS", "ID.RA"], "iso-27017": ["12.6.1"]},
    remediation=(
        "Scan and install patches with Patch Manager (a patch policy or a maintenance window "
        f"running AWS-RunPatchBaseline), then fix what stays non-compliant. {_DOCS}/patch-manager.html"
    ),
    description="The guest operating system is the customer's to patch; AWS patches only "
    "the infrastructure under it.",
)
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
