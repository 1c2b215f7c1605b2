"""OpenSearch Service: each domain's encryption, network placement, logging, nodes,
access control, TLS policy and service software state."""

from __future__ import annotations

from typing import Any

from srm_tui.aws.api import Api
from srm_tui.aws.collectors import collector

_BATCH = 5  # DescribeDomains takes at most five domain names


def _log(raw: dict[str, Any], kind: str) -> bool:
    option = (raw.get("LogPublishingOptions") or {}).get(kind) or {}
    return bool(option.get("Enabled")) and bool(option.get("CloudWatchLogsLogGroupArn"))


def _domain(raw: dict[str, Any]) -> dict[str, Any]:
    cluster = raw.get("ClusterConfig") or {}
    endpoint = raw.get("DomainEndpointOptions") or {}
    vpc = raw.get("VPCOptions") or {}
    software = raw.get("ServiceSoftwareOptions")
    return {
        "name": raw.get("DomainName", ""),
        "arn": raw.get("ARN", ""),
        "engine": raw.get("EngineVersion", ""),
        "encrypted_at_rest": bool((raw.get("EncryptionAtRestOptions") or {}).get("Enabled")),
        "node_to_node": bool((raw.get("NodeToNodeEncryptionOptions") or {}).get("Enabled")),
        "in_vpc": bool(vpc.get("VPCId") or vpc.get("SubnetIds")),
        "error_logs": _log(raw, "ES_APPLICATION_LOGS"),
        "audit_logs": _log(raw, "AUDIT_LOGS"),
        "instance_count": int(cluster.get("InstanceCount") or 0),
        "zone_awareness": bool(cluster.get("ZoneAwarenessEnabled")),
        "fine_grained": bool((raw.get("AdvancedSecurityOptions") or {}).get("Enabled")),
        "enforce_https": bool(endpoint.get("EnforceHTTPS")),
        "tls_policy": str(endpoint.get("TLSSecurityPolicy") or ""),
        # None when the endpoint reports no service software state at all.
        "update_available": None
        if not isinstance(software, dict) or "UpdateAvailable" not in software
        else bool(software["UpdateAvailable"]),
    }


@collector(
    "opensearch.domains",
    service="opensearch",
    api_calls=("es:ListDomainNames", "es:DescribeDomains"),
    in_use=bool,
)
def domains(api: Api, region: str) -> list[dict[str, Any]]:
    """Each domain (OpenSearch or Elasticsearch engine): name, ARN, engine version,
    encryption at rest and between nodes, whether it sits in a VPC, whether error and
    audit logs go to CloudWatch Logs, data node count and zone awareness, fine-grained
    access control, HTTPS enforcement and TLS policy, and whether a service software
    update is waiting (None when not reported)."""
    names = [
        d["DomainName"]
        for d in api.call("opensearch", None, "list_domain_names").get("DomainNames") or []
        if d.get("DomainName")
    ]
    found = []
    for start in range(0, len(names), _BATCH):
        answer = api.call(
            "opensearch", None, "describe_domains", DomainNames=names[start : start + _BATCH]
        )
        found += [_domain(d) for d in answer.get("DomainStatusList") or []]
    return found
