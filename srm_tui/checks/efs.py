"""EFS checks."""

from __future__ import annotations

from collections.abc import Iterable

import srm_tui.aws.collect.efs  # noqa: F401  (registers the collectors used here)
from srm_tui.checks.registry import Context, check
from srm_tui.model import Finding


@check(
    "efs.encrypted",
    title="EFS file systems are encrypted at rest",
    service="efs",
    severity="medium",
    responsibility="customer",
    scope="regional",
    needs=("efs.file_systems",),
    frameworks={
        "cis-aws-7.0": ["3.3.1"],
        "aws-fsbp": ["EFS.1"],
        "nist-csf-2.0": ["PR.DS"],
        "iso-27017": ["10.1.1"],
    },
    remediation=(
        "Encryption at rest is set at creation: create an encrypted file system and copy the "
        "data across (for example with AWS DataSync). "
        "https://docs.aws.amazon.com/efs/latest/ug/encryption-at-rest.html"
    ),
)
def encrypted(ctx: Context) -> Iterable[Finding]:
    for fs in ctx.data("efs.file_systems"):
        if fs["encrypted"]:
            yield ctx.ok(fs["arn"], "encrypted at rest")
        else:
            yield ctx.fail(fs["arn"], "not encrypted at rest")
