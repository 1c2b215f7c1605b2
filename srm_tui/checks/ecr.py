"""ECR checks."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from srm_tui.checks.context import Context, check
from srm_tui.checks.resource_policy import public_statements
from srm_tui.model import Finding


def filter_matches(repository: str, text: str) -> bool:
    """Whether an ECR scanning filter covers ``repository``, as ECR reads filters: one
    with no ``*`` matches every name that contains it; in one with ``*``, each ``*``
    stands for zero or more characters and the rest must match the whole name."""
    if not text:
        return False
    if "*" not in text:
        return text in repository
    first, *middle, last = text.split("*")
    if not repository.startswith(first):
        return False
    at = len(first)
    # Each middle part at its leftmost place after the previous one: enough for "*" alone.
    for part in middle:
        found = repository.find(part, at)
        if found < 0:
            return False
        at = found + len(part)
    return len(repository) - at >= len(last) and repository.endswith(last)


def registry_scans(repository: str, registry: Mapping[str, Any]) -> str:
    """The registry rule frequency that scans ``repository`` on push, or ""."""
    wanted = (
        ("SCAN_ON_PUSH", "CONTINUOUS_SCAN")
        if registry["scan_type"] == "ENHANCED"
        else ("SCAN_ON_PUSH",)
    )
    for rule in registry["rules"]:
        if rule["frequency"] in wanted and any(
            filter_matches(repository, f) for f in rule["filters"]
        ):
            return rule["frequency"]
    return ""


@check("ecr.scan_on_push", needs=("ecr.repositories", "ecr.registry_scanning"))
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


@check("ecr.tag_immutability", needs=("ecr.repositories",))
def tag_immutability(ctx: Context) -> Iterable[Finding]:
    for repo in ctx.data("ecr.repositories"):
        if repo["tag_mutability"].startswith("IMMUTABLE"):
            yield ctx.ok(repo["arn"], f"tags are {repo['tag_mutability'].lower()}")
        else:
            yield ctx.fail(repo["arn"], "tags are mutable")


@check("ecr.lifecycle_policy", needs=("ecr.repositories",))
def lifecycle_policy(ctx: Context) -> Iterable[Finding]:
    for repo in ctx.data("ecr.repositories"):
        policy = repo["lifecycle_policy"]
        if policy and (policy.get("rules") if isinstance(policy, Mapping) else True):
            yield ctx.ok(repo["arn"], "lifecycle policy present")
        else:
            yield ctx.fail(repo["arn"], "no lifecycle policy")


@check("ecr.public_repository_policy", needs=("ecr.repositories",))
def public_repository_policy(ctx: Context) -> Iterable[Finding]:
    for repo in ctx.data("ecr.repositories"):
        if repo["policy"] is None:
            yield ctx.ok(repo["arn"], "no repository policy")
            continue
        try:
            public = public_statements(repo["policy"])
        except ValueError as exc:
            yield ctx.error(repo["arn"], f"the repository policy cannot be read: {exc}")
            continue
        if public:
            yield ctx.fail(repo["arn"], "open to anyone: " + "; ".join(public))
        else:
            yield ctx.ok(repo["arn"], "policy grants named principals only")
