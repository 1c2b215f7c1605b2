"""Shared helpers for the service check tests: a minimal Api, running collectors and
checks without the scan engine."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import boto3

from srm_tui.aws.collectors import COLLECTORS
from srm_tui.checks.registry import CHECKS, Context, load_all
from srm_tui.model import Finding, Status

ACCOUNT = "123456789012"
REGIONS = ("us-east-1", "eu-west-1")


class FakeApi:
    """What collectors need from the engine's Api: ``client(name)`` for one region,
    ``account_id`` and ``partition``."""

    def __init__(self, region: str, session: Any = None, clients: Mapping[str, Any] | None = None):
        self.region = region
        self.session = session or boto3.Session(
            region_name=region, aws_access_key_id="testing", aws_secret_access_key="testing"
        )
        self.clients = dict(clients or {})
        self.account_id = ACCOUNT
        self.partition = "aws"

    def client(self, name: str, region: str | None = None) -> Any:
        if region and region != self.region:
            return self.session.client(name, region_name=region)
        if name not in self.clients:
            self.clients[name] = self.session.client(name, region_name=self.region)
        return self.clients[name]

    # The engine's Api offers these too; some of its collectors use them.
    def call(self, service: str, region: str | None, operation: str, **params: Any) -> Any:
        return getattr(self.client(service, region), operation)(**params)

    def pages(self, service: str, region: str | None, operation: str, key: str, **params: Any):
        found: list[Any] = []
        for page in self.client(service, region).get_paginator(operation).paginate(**params):
            found.extend(page.get(key, []))
        return found


def engine_api(region: str) -> Any:
    """The scan engine's own Api for ``region`` (inside ``mock_aws``: the emulator)."""
    from srm_tui.aws.api import Api
    from srm_tui.aws.session import AwsSession

    return Api(AwsSession(), ACCOUNT, "aws", REGIONS, REGIONS[0]).bound(region)


def collect(names: Iterable[str], region: str, session: Any = None) -> dict[str, Any]:
    """Run the named collectors for one region, with the minimal FakeApi."""
    load_all()
    api = FakeApi(region, session)
    return {name: COLLECTORS[name].fn(api, region) for name in names}


def run(check_id: str, data: Mapping[str, Any], region: str = "us-east-1") -> list[Finding]:
    """Evaluate one check over already collected data."""
    check = load_all()[check_id]
    ctx = Context(check_id, region, ACCOUNT, data, regions=REGIONS)
    return list(check.fn(ctx))


def run_collected(check_id: str, region: str, session: Any = None) -> list[Finding]:
    """Collect what a check needs in ``region`` and evaluate it."""
    check = load_all()[check_id]
    return run(check_id, collect(check.needs, region, session), region)


def statuses(findings: Iterable[Finding]) -> dict[str, Status]:
    """Resource -> status."""
    return {f.resource: f.status for f in findings}


def by_suffix(findings: Iterable[Finding], suffix: str) -> Finding:
    """The one finding whose resource ends with ``suffix``."""
    found = [f for f in findings if f.resource.endswith(suffix)]
    assert len(found) == 1, (suffix, [f.resource for f in findings])
    return found[0]


__all__ = [
    "CHECKS",
    "REGIONS",
    "FakeApi",
    "by_suffix",
    "collect",
    "engine_api",
    "run",
    "run_collected",
    "statuses",
]
