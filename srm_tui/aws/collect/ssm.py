"""Systems Manager: the managed nodes and their compliance, the documents the account
owns and who they are shared with, and the service settings the controls read."""

from __future__ import annotations

from typing import Any

from srm_tui.aws.api import Api
from srm_tui.aws.collectors import collector
from srm_tui.collected import Unreadable


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
    "ssm.compliance",
    service="ssm",
    api_calls=("ssm:ListResourceComplianceSummaries",),
)
def compliance(api: Api, region: str) -> dict[str, dict[str, dict[str, Any]]]:
    """Compliance type ("Patch", "Association", ...) -> managed node id -> its summary:
    status (COMPLIANT or NON_COMPLIANT), the worst severity missing, the number of
    non-compliant items and when it was last evaluated. One listing serves every type."""
    found: dict[str, dict[str, dict[str, Any]]] = {}
    for item in api.pages(
        "ssm", None, "list_resource_compliance_summaries", "ResourceComplianceSummaryItems"
    ):
        noncompliant = (item.get("NonCompliantSummary") or {}).get("NonCompliantCount", 0)
        found.setdefault(item.get("ComplianceType", ""), {})[item["ResourceId"]] = {
            "status": item.get("Status", ""),
            "severity": item.get("OverallSeverity", ""),
            "noncompliant": int(noncompliant or 0),
            "last_scan": str((item.get("ExecutionSummary") or {}).get("ExecutionTime", "")),
        }
    return found


@collector(
    "ssm.documents",
    service="ssm",
    api_calls=("ssm:ListDocuments", "ssm:DescribeDocumentPermission"),
    in_use=bool,
)
def documents(api: Api, region: str) -> list[dict[str, Any]]:
    """The documents this account owns in the region, each with the accounts it is
    shared with (``all`` when public; ``Unreadable`` where refused)."""
    owned = api.pages(
        "ssm", None, "list_documents", "DocumentIdentifiers",
        Filters=[{"Key": "Owner", "Values": ["Self"]}],
    )  # fmt: skip

    def one(doc: dict[str, Any]) -> dict[str, Any]:
        name = doc.get("Name", "")
        shared = api.detail(
            "ssm", None, "describe_document_permission", Name=name, PermissionType="Share"
        )
        return {
            "name": name,
            "arn": f"arn:{api.partition}:ssm:{region}:{api.account_id}:document/{name}",
            "type": doc.get("DocumentType", ""),
            "shared_with": shared
            if isinstance(shared, Unreadable)
            else [str(a) for a in shared.get("AccountIds") or []],
        }

    return api.each(one, owned)


# Service settings the FSBP controls read (their values are ids and words, no secrets).
SETTINGS = {
    "automation_logs": "/ssm/automation/customer-script-log-destination",
    "document_sharing": "/ssm/documents/console/public-sharing-permission",
}


@collector("ssm.service_settings", service="ssm", api_calls=("ssm:GetServiceSetting",))
def service_settings(api: Api, region: str) -> dict[str, str]:
    """The region's value of each setting in ``SETTINGS`` (AWS answers the default
    value for a setting never changed)."""
    return {
        key: str(
            (api.call("ssm", None, "get_service_setting", SettingId=setting).get("ServiceSetting")
             or {}).get("SettingValue", "")
        )
        for key, setting in SETTINGS.items()
    }  # fmt: skip
