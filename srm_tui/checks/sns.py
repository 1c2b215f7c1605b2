"""SNS checks."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from srm_tui.checks import per_resource
from srm_tui.checks.context import Context, check
from srm_tui.checks.resource_policy import public_statements
from srm_tui.model import Finding


def judge_policy(ctx: Context, resource: Mapping[str, Any]) -> Finding:
    """A resource whose access policy lets anyone in fails; no policy, or one that
    names its principals or narrows a wildcard with a condition, passes."""
    if resource["policy"] is None:
        return ctx.ok(resource["arn"], "no access policy")
    public = public_statements(resource["policy"])
    if public:
        return ctx.fail(resource["arn"], "open to anyone: " + "; ".join(public))
    return ctx.ok(resource["arn"], "policy grants named principals or narrowed ones only")


@check("sns.public_policy", needs=("sns.topics",))
def public_policy(ctx: Context) -> Iterable[Finding]:
    return per_resource.each(ctx, ctx.data("sns.topics"), lambda t: judge_policy(ctx, t))
