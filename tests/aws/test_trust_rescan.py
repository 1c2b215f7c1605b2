"""Accepted risks across rescans (moto in-process): an acceptance is a rule, not a flag
on a finding, so it survives a rescan, covers a resource that fails the same way later,
keeps ``--fail-on`` quiet until it expires, and counts again after."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto import mock_aws

from srm_tui import store
from srm_tui.model import Acceptance, Status, today

CHECK = "s3.bucket_public_policy"
REGION = "us-east-1"


@pytest.fixture
def account(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """An emulated account with one public web-site bucket and one private bucket."""
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    with mock_aws():
        s3 = boto3.client("s3", region_name=REGION)
        public(s3, "demo-public-website")
        s3.create_bucket(Bucket="demo-private-data")
        yield s3


def public(s3: Any, name: str) -> None:
    s3.create_bucket(Bucket=name)
    s3.put_bucket_policy(
        Bucket=name,
        Policy=json.dumps({"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
            "Resource": f"arn:aws:s3:::{name}/*"}]}),
    )  # fmt: skip


def scan(run_cli: Any, path: Path, *more: str) -> Any:
    return run_cli("scan", path, "--region", REGION, "--checks", CHECK, *more)


def failing(path: Path) -> list[str]:
    return sorted(f.resource for f in store.load(path).findings if f.status is Status.FAIL)


def test_an_acceptance_survives_rescans_and_covers_new_matching_resources(
    account, run_cli, tmp_path
) -> None:
    path = tmp_path / "review.toml"
    result = scan(run_cli, path, "--fail-on", "critical")
    assert result.code == 3, result.err
    assert failing(path) == ["arn:aws:s3:::demo-public-website"]
    expires = (today() + timedelta(days=90)).isoformat()
    accepted = run_cli("accept", path, CHECK, "--resource", "arn:aws:s3:::demo-public-*",
                       "--reason", "public web sites", "--owner", "Web team", "--expires", expires)  # fmt: skip
    assert accepted.code == 0, accepted.err

    # Rescan: the rule is still there and --fail-on no longer counts the accepted failure.
    assert scan(run_cli, path, "--fail-on", "critical").code == 0
    assert store.load(path).acceptances[0].resource == "arn:aws:s3:::demo-public-*"

    # A new public bucket that matches the pattern is covered without a new acceptance;
    # one that does not match still fails the run.
    public(account, "demo-public-assets")
    assert scan(run_cli, path, "--fail-on", "critical").code == 0
    assert "arn:aws:s3:::demo-public-assets" in failing(path)
    report = json.loads(run_cli("report", path, "--format", "json").out)
    assets = next(f for f in report["findings"] if f["resource"].endswith("demo-public-assets"))
    assert assets["status"] == "fail"
    assert assets["exception"]["id"] == "A1" and assets["exception"]["expired"] is False
    assert report["summary"]["accepted"] == len(failing(path))
    assert report["summary"]["findings"].get("fail", 0) == 0

    # Once expired (the file edited as if time had passed), the failures count again.
    with store.open_assessment(path) as opened:
        a = opened.assessment
        a.acceptances = [replace(x, expires=today() - timedelta(days=1)) for x in a.acceptances]
        opened.save()
    assert scan(run_cli, path, "--fail-on", "critical").code == 3
    report = json.loads(run_cli("report", path, "--format", "json").out)
    assert report["summary"]["accepted"] == 0
    assert report["summary"]["expired_exceptions"] == len(failing(path))
    listed = run_cli("accepted", path)
    assert "EXPIRED" in listed.out


def test_a_public_bucket_outside_the_pattern_still_fails_the_run(account, run_cli, tmp_path):
    path = tmp_path / "review.toml"
    scan(run_cli, path)
    expires = (today() + timedelta(days=30)).isoformat()
    assert run_cli("accept", path, CHECK, "--resource", "arn:aws:s3:::demo-public-*",
                   "--reason", "web", "--owner", "o", "--expires", expires).code == 0  # fmt: skip
    public(account, "finance-exports")
    assert scan(run_cli, path, "--fail-on", "critical").code == 3
    report = json.loads(run_cli("report", path, "--format", "json").out)
    exceptions = {
        f["resource"]: f["exception"] for f in report["findings"] if f["status"] == "fail"
    }
    assert exceptions["arn:aws:s3:::finance-exports"] is None
    assert exceptions["arn:aws:s3:::demo-public-website"]["id"] == "A1"


def test_an_acceptance_out_of_policy_keeps_fail_on_failing_until_renewed(
    account, run_cli, tmp_path
) -> None:
    # A hand-edited rule without an owner breaks the file's own policy: it covers
    # nothing, so the run still fails and says why; a renewal through accept holds.
    path = tmp_path / "review.toml"
    assert scan(run_cli, path, "--fail-on", "critical").code == 3
    with store.open_assessment(path) as opened:
        opened.assessment.acceptances.append(
            Acceptance("A1", CHECK, reason="public web sites", owner="",
                       expires=today() + timedelta(days=90))
        )  # fmt: skip
        opened.save()
    result = scan(run_cli, path, "--fail-on", "critical")
    assert result.code == 3, result.err
    assert "A1: no owner" in result.err and "cover" in result.err
    assert store.load(path).acceptances[0].owner == ""  # kept as written
    renewed = run_cli("accept", path, CHECK, "--reason", "public web sites",
                      "--owner", "Web team", "--expires", (today() + timedelta(days=30)).isoformat())  # fmt: skip
    assert renewed.code == 0, renewed.err
    assert "covers 1 failing finding now" in renewed.out
    assert scan(run_cli, path, "--fail-on", "critical").code == 0
