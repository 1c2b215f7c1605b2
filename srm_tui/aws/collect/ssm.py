"""Systems Manager: the managed nodes and their patch compliance."""

from __future__ import annotations

from typing import Any

from srm_tui.aws.api import Api
from srm_tui.aws.collectors import collector


@collector(
    "ssm.instance_information",
    service="ssm",
    api_calls=("ssm:DescribeInstanceInformation",),
    in_use=bool,
)
def instance_information(api: Api, region: str) -> dict[str, dict[str, str]]:
    """Managed node id (an EC2 instance id, or mi-... for hybrid nodes) -> its agent's
    ping status (Online, ConnectionLost, Inactive), platform and agent version."""
    return {
        node["InstanceId"]: {
            "ping": node.get("PingStatus", ""),
            "platform": node.get("PlatformName", ""),
            "agent": node.get("AgentVersion", ""),
            "type": node.get("ResourceType", ""),
        }
        for node in api.pages(
            "ssm", None, "describe_instance_information", "InstanceInformationList"
        )
    }


@collector(
    "ssm.patch_compliance",
    service="ssm",
    api_calls=("ssm:ListResourceComplianceSummaries",),
)
def patch_compliance(api: Api, region: str) -> dict[str, dict[str, Any]]:
    """Managed node id -> its patch compliance: status (COMPLIANT or NON_COMPLIANT), the
    worst severity missing, and the number of non-compliant patches."""
    found = {}
    for item in api.pages(
        "ssm",
        None,
        "list_resource_compliance_summaries",
        "ResourceComplianceSummaryItems",
        Filters=[{"Key": "ComplianceType", "Values": ["Patch"], "Type": "EQUAL"}],
    ):
        noncompliant = (item.get("NonCompliantSummary") or {}).get("NonCompliantCount", 0)
        found[item["ResourceId"]] = {
            "status": item.get("Status", ""),
            "severity": item.get("OverallSeverity", ""),
            "noncompliant": int(noncompliant or 0),
            "last_scan": str((item.get("ExecutionSummary") or {}).get("ExecutionTime", "")),
        }
    return found
