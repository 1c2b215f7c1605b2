"""Kinesis Data Streams checks."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from srm_tui.checks import per_resource
from srm_tui.checks.context import Context, check
from srm_tui.model import Finding


@check("kinesis.encrypted", needs=("kinesis.streams",))
def encrypted(ctx: Context) -> Iterable[Finding]:
    def judge(stream: Mapping[str, Any]) -> Finding:
        if stream["encryption"] == "KMS":
            return ctx.ok(stream["arn"], "server-side encryption with KMS")
        return ctx.fail(stream["arn"], "not encrypted at rest")

    return per_resource.each(ctx, ctx.data("kinesis.streams"), judge)


@check("kinesis.retention", needs=("kinesis.streams",))
def retention(ctx: Context) -> Iterable[Finding]:
    minimum = int(ctx.param("minimum_retention_hours"))

    def judge(stream: Mapping[str, Any]) -> Finding:
        hours = stream["retention_hours"]
        if hours >= minimum:
            return ctx.ok(stream["arn"], f"data kept {hours} hours")
        return ctx.fail(stream["arn"], f"data kept {hours} hours, less than {minimum}")

    return per_resource.each(ctx, ctx.data("kinesis.streams"), judge)
