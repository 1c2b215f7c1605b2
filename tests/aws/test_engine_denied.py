"""A principal denied some services: `error` findings there, naming the denied IAM
action, and true results everywhere else (moto's IAM enforcement)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from srm_tui.demo import demo_account
from srm_tui.demo.server import SeedSession
from srm_tui.model import Assessment, ScanStatus, Status
from srm_tui.scan import ScanOptions, scan

_POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Action": "*", "Resource": "*"},
        {"Effect": "Deny", "Action": "ec2:*", "Resource": "*"},
        {"Effect": "Deny", "Action": "s3:GetBucketPolicy", "Resource": "*"},
    ],
}


@pytest.fixture(scope="module")
def denied_scan() -> Iterator[Assessment]:
    from moto import settings
    from moto.core.authorization import ActionAuthenticatorMixin

    with demo_account() as demo:
        iam = SeedSession(demo.endpoint_url).client("iam")
        iam.create_user(UserName="auditor")
        iam.put_user_policy(
            UserName="auditor", PolicyName="partial", PolicyDocument=json.dumps(_POLICY)
        )
        key = iam.create_access_key(UserName="auditor")["AccessKey"]
        saved = settings.INITIAL_NO_AUTH_ACTION_COUNT
        settings.INITIAL_NO_AUTH_ACTION_COUNT = 0
        ActionAuthenticatorMixin.request_count = 0
        patch = pytest.MonkeyPatch()
        patch.setenv("AWS_ACCESS_KEY_ID", key["AccessKeyId"])
        patch.setenv("AWS_SECRET_ACCESS_KEY", key["SecretAccessKey"])
        try:
            assessment = Assessment("denied")
            scan(assessment, ScanOptions(regions=demo.regions, endpoint_url=demo.endpoint_url))
            yield assessment
        finally:
            patch.undo()
            settings.INITIAL_NO_AUTH_ACTION_COUNT = saved
            ActionAuthenticatorMixin.request_count = 0


def statuses(assessment: Assessment, check_id: str) -> list[Any]:
    return [f for f in assessment.findings if f.check == check_id]


def test_denied_service_gives_errors_naming_the_action(denied_scan: Assessment) -> None:
    groups = statuses(denied_scan, "ec2.sg_admin_ports_ipv4")
    assert [f.status for f in groups] == [Status.ERROR, Status.ERROR]
    assert {f.region for f in groups} == {"us-east-1", "eu-west-1"}
    assert all("access denied to ec2:DescribeSecurityGroups" in f.detail for f in groups)
    assert all(f.status is Status.ERROR for f in denied_scan.findings if f.check.startswith("ec2."))


def test_one_denied_detail_errs_per_bucket_and_spares_the_rest(denied_scan: Assessment) -> None:
    tls = statuses(denied_scan, "s3.bucket_tls_only")
    assert tls and all(f.status is Status.ERROR for f in tls)
    assert all("s3:GetBucketPolicy" in f.detail for f in tls)
    assert all(f.resource.startswith("arn:aws:s3:::") for f in tls)
    versioning = {f.status for f in statuses(denied_scan, "s3.bucket_versioning")}
    assert versioning == {Status.PASS, Status.FAIL}


def test_allowed_services_give_true_results(denied_scan: Assessment) -> None:
    assert {f.status for f in statuses(denied_scan, "iam.user_mfa")} == {Status.PASS, Status.FAIL}
    assert {f.status for f in statuses(denied_scan, "config.enabled")} == {Status.PASS, Status.FAIL}
    assert denied_scan.scan.status is ScanStatus.PARTIAL
    assert any("ec2:DescribeSecurityGroups" in e for e in denied_scan.scan.errors)
