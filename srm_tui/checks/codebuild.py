"""CodeBuild checks: project sources, environment variables and logs, and report
group exports."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from srm_tui.checks.context import Context, check
from srm_tui.model import Finding

# The variables CodeBuild.2 looks for (AWS's fixed list).
AWS_CREDENTIAL_VARIABLES = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")


def _label(source: Mapping[str, Any]) -> str:
    return f"source {source['id']}" if source["id"] else "primary source"


@check("codebuild.source_url_credentials", needs=("codebuild.projects",))
def source_url_credentials(ctx: Context) -> Iterable[Finding]:
    for project in ctx.data("codebuild.projects"):
        bitbucket = [s for s in project["sources"] if s["type"] == "BITBUCKET"]
        if not bitbucket:
            yield ctx.na(project["arn"], "no Bitbucket source")
            continue
        leaking = [_label(s) for s in bitbucket if s["sign_in_in_url"]]
        if leaking:
            yield ctx.fail(
                project["arn"],
                "Bitbucket URL carries sign-in credentials: " + ", ".join(leaking),
            )
        else:
            yield ctx.ok(project["arn"], "Bitbucket URLs carry no sign-in credentials")


@check("codebuild.env_aws_credentials", needs=("codebuild.projects",))
def env_aws_credentials(ctx: Context) -> Iterable[Finding]:
    for project in ctx.data("codebuild.projects"):
        clear = [
            v["name"]
            for v in project["variables"]
            if v["name"] in AWS_CREDENTIAL_VARIABLES and v["type"] == "PLAINTEXT"
        ]
        if clear:
            yield ctx.fail(project["arn"], "plaintext variables: " + ", ".join(clear))
        else:
            yield ctx.ok(project["arn"], "no AWS credentials in plaintext variables")


@check("codebuild.s3_logs_encrypted", needs=("codebuild.projects",))
def s3_logs_encrypted(ctx: Context) -> Iterable[Finding]:
    for project in ctx.data("codebuild.projects"):
        if project["s3_logs"] != "ENABLED":
            yield ctx.na(project["arn"], "S3 logs are not enabled")
        elif project["s3_logs_encryption_disabled"]:
            yield ctx.fail(project["arn"], "S3 logs are written unencrypted")
        else:
            yield ctx.ok(project["arn"], "S3 logs are encrypted")


@check("codebuild.logging", needs=("codebuild.projects",))
def logging(ctx: Context) -> Iterable[Finding]:
    for project in ctx.data("codebuild.projects"):
        on = [
            name
            for name, status in (
                ("CloudWatch Logs", project["cloudwatch_logs"]),
                ("S3", project["s3_logs"]),
            )
            if status == "ENABLED"
        ]
        if on:
            yield ctx.ok(project["arn"], "build logs go to " + " and ".join(on))
        else:
            yield ctx.fail(project["arn"], "neither CloudWatch Logs nor S3 logging is enabled")


@check("codebuild.report_export_encrypted", needs=("codebuild.report_groups",))
def report_export_encrypted(ctx: Context) -> Iterable[Finding]:
    for group in ctx.data("codebuild.report_groups"):
        if group["export"] != "S3":
            yield ctx.na(group["arn"], "test reports are not exported")
        elif group["encryption_disabled"]:
            yield ctx.fail(group["arn"], "reports are exported to S3 unencrypted")
        else:
            yield ctx.ok(group["arn"], "reports are exported to S3 encrypted")
