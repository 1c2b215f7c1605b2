"""Sessions share one reader of botocore's service models: an organization scan makes
a session per account, and accounts scanned side by side must not each parse a copy."""

from __future__ import annotations

from srm_tui.aws.session import AwsSession

ENDPOINT = "http://127.0.0.1:9"  # never called: clients are only built


def test_every_session_reads_the_same_parsed_service_models() -> None:
    first = AwsSession(endpoint_url=ENDPOINT).client("ec2", "us-east-1")
    second = AwsSession(endpoint_url=ENDPOINT).client("ec2", "eu-west-1")
    model = first.meta.service_model._service_description
    assert model is second.meta.service_model._service_description
    assert first.meta.region_name != second.meta.region_name  # still their own clients
