"""EC2 instances, as the SSM checks need them.

Shape: the instance dicts of ``ec2:DescribeInstances`` (reservations flattened).
"""

from __future__ import annotations

from typing import Any

from srm_tui.aws.collectors import collector


@collector("ec2.instances", service="ec2", api_calls=("ec2:DescribeInstances",))
def instances(api: Any, region: str) -> list[dict[str, Any]]:
    """Every instance of the region, as DescribeInstances returns it."""
    found: list[dict[str, Any]] = []
    for page in api.client("ec2").get_paginator("describe_instances").paginate():
        for reservation in page.get("Reservations") or []:
            found.extend(reservation.get("Instances") or [])
    return found
