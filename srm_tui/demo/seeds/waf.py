"""Demo seed: AWS WAF (WAFv2) web ACLs and rule groups, kept and neglected.

The emulator has no WAF Classic, so its checks report errors in the demo."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def _visibility(name: str, metrics: bool = True) -> dict[str, Any]:
    return {"SampledRequestsEnabled": True, "CloudWatchMetricsEnabled": metrics, "MetricName": name}


def _rule(name: str, metrics: bool) -> dict[str, Any]:
    return {
        "Name": name,
        "Priority": 0,
        "Action": {"Block": {}},
        "Statement": {"GeoMatchStatement": {"CountryCodes": ["KP"]}},
        "VisibilityConfig": _visibility(name, metrics),
    }


def seed(session: Any, regions: Sequence[str], scale: int = 1) -> None:
    """In the first region, per ``scale``: web ACLs ``edge-N`` (one rule) and ``empty-N`` (none),
    and rule groups ``geo-block-N`` (metrics on) and ``quiet-N`` (a rule without
    metrics)."""
    # One region shows both sides; the demo's other region stays empty, which is cheaper.
    for region in regions[:1]:
        client = session.client("wafv2", region_name=region)
        for n in range(scale):
            client.create_web_acl(
                Name=f"edge-{n}", Scope="REGIONAL", DefaultAction={"Allow": {}},
                VisibilityConfig=_visibility(f"edge-{n}"), Rules=[_rule("geo-block", True)],
            )  # fmt: skip
            client.create_web_acl(
                Name=f"empty-{n}", Scope="REGIONAL", DefaultAction={"Allow": {}},
                VisibilityConfig=_visibility(f"empty-{n}"), Rules=[],
            )  # fmt: skip
            for name, metrics in ((f"geo-block-{n}", True), (f"quiet-{n}", False)):
                client.create_rule_group(
                    Name=name, Scope="REGIONAL", Capacity=10,
                    VisibilityConfig=_visibility(name), Rules=[_rule("geo", metrics)],
                )  # fmt: skip
