"""IAM Access Analyzer: the analyzers of each region."""

from __future__ import annotations

from srm_tui.aws.api import Api
from srm_tui.aws.collectors import collector


@collector(
    "accessanalyzer.analyzers",
    service="accessanalyzer",
    api_calls=("access-analyzer:ListAnalyzers",),
)
def analyzers(api: Api, region: str) -> list[dict[str, str]]:
    """Each analyzer of the region: name, ARN, type (ACCOUNT, ORGANIZATION, ...) and status."""
    return [
        {
            "name": a.get("name", ""),
            "arn": a.get("arn", ""),
            "type": a.get("type", ""),
            "status": a.get("status", ""),
        }
        for a in api.pages("accessanalyzer", None, "list_analyzers", "analyzers")
    ]
