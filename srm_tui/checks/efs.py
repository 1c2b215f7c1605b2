"""EFS checks, over file systems, their access points, mount targets and backups."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from srm_tui.checks.context import Context, check
from srm_tui.collected import Unreadable
from srm_tui.model import Finding

_TAG_PREFIX = "aws:ResourceTag/"


def _encryption(ctx: Context) -> Iterable[Finding]:
    for fs in ctx.data("efs.file_systems"):
        if fs["encrypted"]:
            yield ctx.ok(fs["arn"], "encrypted at rest")
        else:
            yield ctx.fail(fs["arn"], "not encrypted at rest")


@check("efs.encrypted", needs=("efs.file_systems",))
def encrypted(ctx: Context) -> Iterable[Finding]:
    return _encryption(ctx)


@check("efs.encrypted_at_rest", needs=("efs.file_systems",))
def encrypted_at_rest(ctx: Context) -> Iterable[Finding]:
    # EFS.8 is EFS.1's test under another Config rule (efs-filesystem-ct-encrypted):
    # both read the file system's Encrypted flag.
    return _encryption(ctx)


@check("efs.access_point_root_directory", needs=("efs.access_points",))
def access_point_root_directory(ctx: Context) -> Iterable[Finding]:
    for point in ctx.data("efs.access_points"):
        if point["path"] in ("", "/"):
            yield ctx.fail(point["arn"], "root directory is the file system's root /")
        else:
            yield ctx.ok(point["arn"], f"root directory {point['path']}")


@check("efs.access_point_user_identity", needs=("efs.access_points",))
def access_point_user_identity(ctx: Context) -> Iterable[Finding]:
    for point in ctx.data("efs.access_points"):
        if point["posix_user"]:
            yield ctx.ok(point["arn"], "enforces a POSIX user identity")
        else:
            yield ctx.fail(point["arn"], "no POSIX user identity")


@check("efs.automatic_backups", needs=("efs.file_systems", "efs.backup_policies"))
def automatic_backups(ctx: Context) -> Iterable[Finding]:
    policies = ctx.data("efs.backup_policies")
    for fs in ctx.data("efs.file_systems"):
        status = policies.get(fs["id"], "DISABLED")
        if isinstance(status, Unreadable):
            yield ctx.error(fs["arn"], f"could not read its backup policy: {status.reason}")
        elif status == "ENABLED":
            yield ctx.ok(fs["arn"], "automatic backups enabled")
        else:
            yield ctx.fail(fs["arn"], f"automatic backups {str(status).lower()}")


@check(
    "efs.mount_target_public_subnet", needs=("efs.file_systems", "efs.mount_targets", "ec2.subnets")
)
def mount_target_public_subnet(ctx: Context) -> Iterable[Finding]:
    public = {s["id"] for s in ctx.data("ec2.subnets") if s["map_public_ip"]}
    for fs in ctx.data("efs.file_systems"):
        subnets = ctx.data("efs.mount_targets").get(fs["id"], [])
        if isinstance(subnets, Unreadable):
            yield ctx.error(fs["arn"], f"could not read its mount targets: {subnets.reason}")
        elif found := sorted(s for s in subnets if s in public):
            yield ctx.fail(
                fs["arn"], "mount targets in subnets that assign public IPs: " + ", ".join(found)
            )
        else:
            yield ctx.ok(fs["arn"], f"{len(subnets)} mount targets, none in a public-IP subnet")


def _like(pattern: str, value: str) -> bool:
    """AWS Backup's wildcard match: ``*`` stands for any characters."""
    parts = (re.escape(p) for p in str(pattern).split("*"))
    return re.fullmatch(".*".join(parts), str(value)) is not None


def _tag(tags: Mapping[str, str], key: str) -> str | None:
    return tags.get(key[len(_TAG_PREFIX) :] if key.startswith(_TAG_PREFIX) else key)


def _conditions_hold(conditions: Mapping[str, Any], tags: Mapping[str, str]) -> bool:
    for op, pairs in conditions.items():
        for key, wanted in pairs or []:
            value = _tag(tags, key)
            matched = value is not None and (
                value == wanted if op.endswith("Equals") else _like(wanted, value)
            )
            if matched == op.startswith("StringNot"):
                return False
    return True


def selects(rule: Mapping[str, Any], arn: str, tags: Mapping[str, str]) -> bool:
    """Whether a backup selection assigns the resource: its resource patterns (none:
    every resource), one of its tags if it lists any, all of its conditions, and not
    one of its exclusions."""
    resources = rule.get("resources") or []
    if resources and not any(_like(p, arn) for p in resources):
        return False
    listed = rule.get("tags") or []
    if listed and not any(_tag(tags, k) == v for k, v in listed):
        return False
    if not _conditions_hold(rule.get("conditions") or {}, tags):
        return False
    return not any(_like(p, arn) for p in rule.get("not_resources") or [])


@check("efs.in_backup_plan", needs=("efs.file_systems", "backup.selections"))
def in_backup_plan(ctx: Context) -> Iterable[Finding]:
    selections = ctx.data("backup.selections")
    unreadable = [s for s in selections if isinstance(s["rule"], Unreadable)]
    for fs in ctx.data("efs.file_systems"):
        plans = sorted(
            {
                s["plan"]
                for s in selections
                if not isinstance(s["rule"], Unreadable)
                and selects(s["rule"], fs["arn"], fs.get("tags") or {})
            }
        )
        if plans:
            yield ctx.ok(fs["arn"], "in backup plan " + ", ".join(plans))
        elif unreadable:
            reasons = "; ".join(sorted({s["rule"].reason for s in unreadable}))
            yield ctx.error(fs["arn"], f"could not read every backup selection: {reasons}")
        else:
            yield ctx.fail(fs["arn"], "in no backup plan")
