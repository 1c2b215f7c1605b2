"""ECR: private repositories with their scan, tag, lifecycle and policy settings, and the
registry's scanning configuration."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from srm_tui.aws.collect.pages import error_code, items, load_document
from srm_tui.aws.collectors import collector


def _optional(call: Any, key: str, missing: str, **params: Any) -> Any:
    """``call(**params)[key]``, or None when ECR says the thing does not exist."""
    try:
        value = call(**params).get(key)
    except ClientError as error:
        if error_code(error) == missing:
            return None
        raise
    return load_document(value) if isinstance(value, str) else value


@collector(
    "ecr.repositories",
    service="ecr",
    api_calls=("ecr:DescribeRepositories", "ecr:GetLifecyclePolicy", "ecr:GetRepositoryPolicy"),
    in_use=bool,
)
def repositories(api: Any, region: str) -> list[dict[str, Any]]:
    """Each private repository: name, ARN, scan on push, tag mutability, lifecycle policy
    (None when absent) and repository policy (None when absent)."""
    client = api.client("ecr")
    found = []
    for repo in items(client, "describe_repositories", "repositories"):
        name = repo["repositoryName"]
        found.append(
            {
                "name": name,
                "arn": repo.get("repositoryArn", ""),
                "scan_on_push": bool(
                    (repo.get("imageScanningConfiguration") or {}).get("scanOnPush")
                ),
                "tag_mutability": repo.get("imageTagMutability", "MUTABLE"),
                "lifecycle_policy": _optional(
                    client.get_lifecycle_policy,
                    "lifecyclePolicyText",
                    "LifecyclePolicyNotFoundException",
                    repositoryName=name,
                ),
                "policy": _optional(
                    client.get_repository_policy,
                    "policyText",
                    "RepositoryPolicyNotFoundException",
                    repositoryName=name,
                ),
            }
        )
    return found


@collector(
    "ecr.registry_scanning",
    service="ecr",
    api_calls=("ecr:GetRegistryScanningConfiguration",),
)
def registry_scanning(api: Any, region: str) -> dict[str, Any]:
    """The registry's scan type (BASIC or ENHANCED) and its rules, each with its
    frequency and repository filters."""
    config = (
        api.client("ecr").get_registry_scanning_configuration().get("scanningConfiguration", {})
    )
    return {
        "scan_type": config.get("scanType", "BASIC"),
        "rules": [
            {
                "frequency": rule.get("scanFrequency", ""),
                "filters": [f.get("filter", "") for f in rule.get("repositoryFilters") or []],
            }
            for rule in config.get("rules") or []
        ],
    }
