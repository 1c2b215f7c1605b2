"""SQS checks."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from srm_tui.checks import per_resource
from srm_tui.checks.context import Context, check
from srm_tui.checks.sns import judge_policy
from srm_tui.model import Finding


@check("sqs.encrypted", needs=("sqs.queues",))
def encrypted(ctx: Context) -> Iterable[Finding]:
    def judge(queue: Mapping[str, Any]) -> Finding:
        if queue["kms_key"]:
            return ctx.ok(queue["arn"], f"encrypted with KMS key {queue['kms_key']}")
        if queue["sqs_managed_sse"]:
            return ctx.ok(queue["arn"], "encrypted with SQS-managed keys (SSE-SQS)")
        return ctx.fail(queue["arn"], "not encrypted at rest")

    # Only the queue's attributes count here: a policy that is not JSON leaves the
    # encryption settings known.
    return per_resource.each(ctx, ctx.data("sqs.queues"), judge, fields=("attributes",))


@check("sqs.public_policy", needs=("sqs.queues",))
def public_policy(ctx: Context) -> Iterable[Finding]:
    return per_resource.each(ctx, ctx.data("sqs.queues"), lambda q: judge_policy(ctx, q))
