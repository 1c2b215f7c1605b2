"""ECR checks."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from fnmatch import fnmatchcase
from typing import Any

import srm_tui.aws.collect.ecr  # noqa: F401  (registers the collectors used here)
from srm_tui.checks.registry import Context, check
from srm_tui.checks.resource_policy import public_statements
from srm_tui.model import Finding

_DOCS = "https://docs.aws.amazon.com/AmazonECR/latest/userguide"


def registry_scans(repository: str, registry: Mapping[str, Any]) -> str:
    """The registry rule frequency that scans ``repository`` on push, or ""."""
    wanted = (
        ("SCAN_ON_PUSH", "CONTINUOUS_SCAN")
        if registry["scan_type"] == "ENHANCED"
        else ("SCAN_ON_PUSH",)
    )
    for rule in registry["rules"]:
        if rule["frequency"] in wanted and any(fnmatchcase(repository, f) for f in rule["filters"]):
            return rule["frequency"]
    return ""


@check(
    "ecr.scan_on_push",
    title="ECR repositories scan images for vulnerabilities on push",
    service="ecr",
    severity="high",
    responsibility="customer",
    scope="regional",
    needs=("ecr.repositories", "ecr.registry_scanning"),
    frameworks={"aws-fsbp": ["ECR.1"], "nist-csf-2.0": ["ID.RA", "DE.CM"], "iso-27017": ["12.6.1"]},
    remediation=(
        "Configure registry scanning with a scan-on-push (or continuous, with enhanced "
        f"scanning) rule that covers every repository. {_DOCS}/image-scanning.html"
    ),
)
def scan_on_push(ctx: Context) -> Iterable[Finding]:
    registry = ctx.data("ecr.registry_scanning")
    for repo in ctx.data("ecr.repositories"):
        frequency = registry_scans(repo["name"], registry)
        if frequency:
            yield ctx.ok(repo["arn"], f"registry rule scans it ({frequency.lower()})")
        elif repo["scan_on_push"] and registry["scan_type"] != "ENHANCED":
            yield ctx.ok(repo["arn"], "repository scans on push")
        else:
            yield ctx.fail(repo["arn"], "images are not scanned on push")


@check(
    "ecr.tag_immutability",
    title="ECR repositories have immutable image tags",
    service="ecr",
    severity="medium",
    responsibility="customer",
    scope="regional",
    needs=("ecr.repositories",),
    frameworks={"aws-fsbp": ["ECR.2"], "nist-csf-2.0": ["PR.PS"], "iso-27017": ["12.1.2"]},
    remediation=(
        "Set the repository's image tag mutability to IMMUTABLE so a tag always names the "
        f"image that was tested and scanned. {_DOCS}/image-tag-mutability.html"
    ),
)
def tag_immutability(ctx: Context) -> Iterable[Finding]:
    for repo in ctx.data("ecr.repositories"):
        if repo["tag_mutability"].startswith("IMMUTABLE"):
            yield ctx.ok(repo["arn"], f"tags are {repo['tag_mutability'].lower()}")
        else:
            yield ctx.fail(repo["arn"], "tags are mutable")


@check(
    "ecr.lifecycle_policy",
    title="ECR repositories have a lifecycle policy",
    service="ecr",
    severity="medium",
    responsibility="customer",
    scope="regional",
    needs=("ecr.repositories",),
    frameworks={"aws-fsbp": ["ECR.3"], "nist-csf-2.0": ["PR.PS"]},
    remediation=(
        "Add a lifecycle policy that expires untagged and old images, so stale, unpatched "
        f"images do not linger. {_DOCS}/LifecyclePolicies.html"
    ),
)
def lifecycle_policy(ctx: Context) -> Iterable[Finding]:
    for repo in ctx.data("ecr.repositories"):
        policy = repo["lifecycle_policy"]
        if policy and (policy.get("rules") if isinstance(policy, Mapping) else True):
            yield ctx.ok(repo["arn"], "lifecycle policy present")
        else:
            yield ctx.fail(repo["arn"], "no lifecycle policy")


@check(
    "ecr.public_repository_policy",
    title="ECR repository policies do not grant access to everyone",
    service="ecr",
    severity="high",
    responsibility="customer",
    scope="regional",
    needs=("ecr.repositories",),
    frameworks={"cis-aws-7.0": ["2.21"], "nist-csf-2.0": ["PR.AA"], "iso-27017": ["9.4.1"]},
    remediation=(
        'Replace "Principal": "*" in the repository policy with the accounts that pull from '
        f"it, or add an aws:PrincipalOrgID condition. {_DOCS}/repository-policies.html"
    ),
)
def public_repository_policy(ctx: Context) -> Iterable[Finding]:
    for repo in ctx.data("ecr.repositories"):
        if repo["policy"] is None:
            yield ctx.ok(repo["arn"], "no repository policy")
            continue
        public = public_statements(repo["policy"])
        if public:
            yield ctx.fail(repo["arn"], "open to anyone: " + "; ".join(public))
        else:
            yield ctx.ok(repo["arn"], "policy grants named principals only")
