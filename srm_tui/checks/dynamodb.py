"""DynamoDB checks, over tables, their auto scaling and DynamoDB Accelerator clusters."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from srm_tui.checks.context import Context, check
from srm_tui.collected import Unreadable
from srm_tui.model import Finding

_DIMENSIONS = (("read", "ReadCapacityUnits"), ("write", "WriteCapacityUnits"))


@check("dynamodb.point_in_time_recovery", needs=("dynamodb.tables",))
def point_in_time_recovery(ctx: Context) -> Iterable[Finding]:
    for table in ctx.data("dynamodb.tables"):
        pitr = table["pitr"]
        if isinstance(pitr, Unreadable):
            yield ctx.error(table["arn"], f"could not read its backups: {pitr.reason}")
        elif pitr == "ENABLED":
            yield ctx.ok(table["arn"], "point-in-time recovery enabled")
        else:
            yield ctx.fail(table["arn"], "point-in-time recovery disabled")


def _settings(ctx: Context) -> Iterable[tuple[Mapping[str, Any], Any]]:
    """(table, its settings or Unreadable) for each table; Unreadable is passed on."""
    for table in ctx.data("dynamodb.tables"):
        yield table, table.get("settings")


@check("dynamodb.deletion_protection", needs=("dynamodb.tables",))
def deletion_protection(ctx: Context) -> Iterable[Finding]:
    for table, settings in _settings(ctx):
        if isinstance(settings, Unreadable):
            yield ctx.error(table["arn"], f"could not describe it: {settings.reason}")
        elif settings.get("deletion_protection"):
            yield ctx.ok(table["arn"], "deletion protection on")
        else:
            yield ctx.fail(table["arn"], "deletion protection off")


def _scaling_gaps(ctx: Context, resource: str, kind: str, scaling: Mapping[str, Any]) -> list[str]:
    """What the auto scaling of one table or index lacks ("" list: nothing), checked
    against the control's optional minimum capacity and target utilization."""
    gaps = []
    for name, unit in _DIMENSIONS:
        key = f"{resource}|dynamodb:{kind}:{unit}"
        minimum = (scaling.get("targets") or {}).get(key)
        if minimum is None:
            gaps.append(f"no {name} auto scaling on {resource}")
            continue
        wanted_min = int(ctx.param(f"min_provisioned_{name}_capacity") or 0)
        wanted_target = float(ctx.param(f"target_{name}_utilization") or 0)
        target = (scaling.get("utilization") or {}).get(key)
        if wanted_min and minimum < wanted_min:
            gaps.append(f"{name} minimum {minimum} under {wanted_min} on {resource}")
        if wanted_target and target != wanted_target:
            gaps.append(
                f"{name} target utilization {target} is not {wanted_target:g} on {resource}"
            )
    return gaps


@check("dynamodb.autoscaling", needs=("dynamodb.tables", "dynamodb.scaling"))
def autoscaling(ctx: Context) -> Iterable[Finding]:
    scaling = ctx.data("dynamodb.scaling")
    for table, settings in _settings(ctx):
        if isinstance(settings, Unreadable):
            yield ctx.error(table["arn"], f"could not describe it: {settings.reason}")
            continue
        if settings.get("billing_mode") == "PAY_PER_REQUEST":
            yield ctx.ok(table["arn"], "on-demand capacity")
            continue
        # Provisioned: the table and each global secondary index must scale.
        resource = f"table/{table['name']}"
        gaps = _scaling_gaps(ctx, resource, "table", scaling)
        for index in settings.get("indexes") or []:
            gaps += _scaling_gaps(ctx, f"{resource}/index/{index}", "index", scaling)
        if gaps:
            yield ctx.fail(table["arn"], "provisioned capacity: " + "; ".join(gaps))
        else:
            yield ctx.ok(table["arn"], "provisioned capacity with auto scaling")


@check("dynamodb.dax_encrypted", needs=("dax.clusters",))
def dax_encrypted(ctx: Context) -> Iterable[Finding]:
    for cluster in ctx.data("dax.clusters"):
        if cluster["sse"] == "ENABLED":
            yield ctx.ok(cluster["arn"], "encrypted at rest")
        else:
            yield ctx.fail(cluster["arn"], f"encryption at rest is {cluster['sse']}")


@check("dynamodb.dax_tls", needs=("dax.clusters",))
def dax_tls(ctx: Context) -> Iterable[Finding]:
    for cluster in ctx.data("dax.clusters"):
        if cluster["endpoint_encryption"] == "TLS":
            yield ctx.ok(cluster["arn"], "endpoint requires TLS")
        else:
            yield ctx.fail(cluster["arn"], "endpoint not encrypted in transit")
