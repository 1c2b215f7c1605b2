"""ECR: private repositories with their scan, tag, lifecycle and policy settings, and the
registry's scanning configuration."""

from __future__ import annotations

from typing import Any

from srm_tui.aws.api import Api
from srm_tui.aws.collectors import collector
from srm_tui.collected import load_document


def _optional(api: Api, operation: str, key: str, missing: str, **params: Any) -> Any:
    """The answer's ``key`` (a policy document parsed), or None when ECR says the thing
    does not exist."""
    answer = api.call("ecr", None, operation, missing=(missing,), **params)
    value = None if answer is None else answer.get(key)
    return load_document(value) if isinstance(value, str) else value


@collector(
    "ecr.repositories",
    service="ecr",
    api_calls=("ecr:DescribeRepositories", "ecr:GetLifecyclePolicy", "ecr:GetRepositoryPolicy"),
    in_use=bool,
)
def repositories(api: Api, region: str) -> list[dict[str, Any]]:
    """Each private repository: name, ARN, scan on push, tag mutability, lifecycle policy
    (None when absent) and repository policy (None when absent)."""
    found = []
    for repo in api.pages("ecr", None, "describe_repositories", "repositories"):
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
                    api,
                    "get_lifecycle_policy",
                    "lifecyclePolicyText",
                    "LifecyclePolicyNotFoundException",
                    repositoryName=name,
                ),
                "policy": _optional(
                    api,
                    "get_repository_policy",
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
def registry_scanning(api: Api, region: str) -> dict[str, Any]:
    """The registry's scan type (BASIC or ENHANCED) and its rules, each with its
    frequency and repository filters."""
    config = api.call("ecr", None, "get_registry_scanning_configuration").get(
        "scanningConfiguration", {}
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
