"""Which regions a scan covers."""

from __future__ import annotations

import functools
import re

from srm_tui.aws.errors import classify
from srm_tui.aws.session import AwsSession
from srm_tui.errors import SrmError, UsageError

_REGION = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d{1,2}$")
ENABLED = ("opt-in-not-required", "opted-in")


@functools.cache
def known_regions() -> frozenset[str]:
    """Every region of every partition in botocore's data (empty if it cannot be read:
    then only the shape of a name is checked)."""
    try:
        import botocore.loaders

        data = botocore.loaders.create_loader().load_data("partitions")
        return frozenset(
            name
            for partition in data.get("partitions", [])
            for name in partition.get("regions", {})
            if _REGION.match(name)
        )
    except Exception:  # a damaged botocore install must not stop a scan
        return frozenset()


def unknown(regions: tuple[str, ...] | list[str]) -> list[str]:
    """The names that are not AWS regions: a wrong shape, or no partition has them."""
    known = known_regions()
    return [r for r in regions if not _REGION.match(r) or (known and r not in known)]


def check_names(regions: tuple[str, ...]) -> None:
    """A region that does not exist is bad usage (exit 2), before any call to AWS."""
    for region in unknown(regions):
        if not _REGION.match(region):
            # --checks and --accounts take commas; --region is repeated instead.
            several = "; repeat --region for several" if "," in region else ""
            raise UsageError(f"{region!r} is not an AWS region name (e.g. eu-west-1){several}.")
        raise UsageError(
            f"{region!r} is not an AWS region (a region newer than this installation "
            "needs a newer boto3; 'aws ec2 describe-regions' lists the real ones)."
        )


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
