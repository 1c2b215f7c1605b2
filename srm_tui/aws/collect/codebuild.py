"""CodeBuild: projects (sources, environment variable names, logging) and report groups
(test report exports). Source URLs and variable values are looked at here and dropped."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from srm_tui.aws.api import Api
from srm_tui.aws.collectors import collector

_BATCH = 100  # BatchGetProjects and BatchGetReportGroups take at most 100 names


def has_sign_in(location: Any) -> bool:
    """True when a repository URL carries a user name, password or token before its
    host (``https://user:secret@bitbucket.org/...``)."""
    if not isinstance(location, str) or "@" not in location:
        return False
    try:
        netloc = urlsplit(location.strip()).netloc
    except ValueError:
        return True  # a malformed URL with an "@" in it: assume the worst, keep nothing
    return "@" in netloc


def _source(raw: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": str(raw.get("type", "")),
        "id": str(raw.get("sourceIdentifier", "")),
        # The location itself is never kept: it may hold the credential.
        "sign_in_in_url": has_sign_in(raw.get("location")),
    }


def _project(raw: dict[str, Any]) -> dict[str, Any]:
    logs = raw.get("logsConfig") or {}
    s3_logs = logs.get("s3Logs") or {}
    environment = raw.get("environment") or {}
    return {
        "name": raw.get("name", ""),
        "arn": raw.get("arn", ""),
        "sources": [
            _source(s) for s in [raw.get("source") or {}, *(raw.get("secondarySources") or [])] if s
        ],
        "variables": [
            {"name": str(v.get("name", "")), "type": str(v.get("type") or "PLAINTEXT")}
            for v in environment.get("environmentVariables") or []
        ],
        # CodeBuild logs to CloudWatch unless told not to; S3 logs are off unless asked for.
        "cloudwatch_logs": str((logs.get("cloudWatchLogs") or {}).get("status") or "ENABLED"),
        "s3_logs": str(s3_logs.get("status") or "DISABLED"),
        "s3_logs_encryption_disabled": bool(s3_logs.get("encryptionDisabled")),
    }


@collector(
    "codebuild.projects",
    service="codebuild",
    api_calls=("codebuild:ListProjects", "codebuild:BatchGetProjects"),
    in_use=bool,
)
def projects(api: Api, region: str) -> list[dict[str, Any]]:
    """Each build project: name, ARN, its sources (type, identifier, whether the URL
    carries sign-in information), environment variables (name and type, never the
    value), and its CloudWatch and S3 logging settings."""
    names = api.pages("codebuild", None, "list_projects", "projects")
    found = []
    for start in range(0, len(names), _BATCH):
        answer = api.call(
            "codebuild", None, "batch_get_projects", names=names[start : start + _BATCH]
        )
        found += [_project(p) for p in answer.get("projects") or []]
    return found


@collector(
    "codebuild.report_groups",
    service="codebuild",
    api_calls=("codebuild:ListReportGroups", "codebuild:BatchGetReportGroups"),
)
def report_groups(api: Api, region: str) -> list[dict[str, Any]]:
    """Each report group: name, ARN, export type (S3 or NO_EXPORT) and whether the S3
    export's encryption is disabled."""
    arns = api.pages("codebuild", None, "list_report_groups", "reportGroups")
    found = []
    for start in range(0, len(arns), _BATCH):
        answer = api.call(
            "codebuild",
            None,
            "batch_get_report_groups",
            reportGroupArns=arns[start : start + _BATCH],
        )
        for group in answer.get("reportGroups") or []:
            export = group.get("exportConfig") or {}
            found.append(
                {
                    "name": group.get("name", ""),
                    "arn": group.get("arn", ""),
                    "export": str(export.get("exportConfigType") or "NO_EXPORT"),
                    "encryption_disabled": bool(
                        (export.get("s3Destination") or {}).get("encryptionDisabled")
                    ),
                }
            )
    return found
