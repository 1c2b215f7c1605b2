"""Which regions a scan covers."""

from __future__ import annotations

import re

from srm_tui.aws.errors import classify
from srm_tui.aws.session import AwsSession
from srm_tui.errors import SrmError, UsageError

_REGION = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d{1,2}$")
ENABLED = ("opt-in-not-required", "opted-in")


def check_names(regions: tuple[str, ...]) -> None:
    """A region name that cannot exist is bad usage (exit 2)."""
    for region in regions:
        if not _REGION.match(region):
            raise UsageError(f"{region!r} is not an AWS region name (e.g. eu-west-1).")


def enabled_regions(session: AwsSession, home: str) -> tuple[list[str], list[str]]:
    """(enabled regions, opt-in regions not enabled) from ec2:DescribeRegions."""
    try:
        answer = session.client("ec2", home).describe_regions(AllRegions=True)
    except Exception as exc:
        reason = classify(exc, "ec2", home).reason
        raise SrmError(f"Cannot list the account's regions for --all-regions: {reason}.") from None
    enabled, skipped = [], []
    for item in answer.get("Regions", []):
        name = item.get("RegionName", "")
        (enabled if item.get("OptInStatus", ENABLED[0]) in ENABLED else skipped).append(name)
    return sorted(enabled), sorted(skipped)
