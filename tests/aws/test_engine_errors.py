"""Why a collection failed, in one sentence; the ledger; IAM action names."""

from __future__ import annotations

import threading

import pytest
from botocore.exceptions import ClientError, EndpointConnectionError

from srm_tui.aws.actions import iam_action, is_read_only
from srm_tui.aws.errors import DENIED, NOT_ENABLED, THROTTLED, UNREACHABLE, UNSUPPORTED, classify
from srm_tui.aws.ledger import Ledger
from srm_tui.aws.session import AwsSession, Cancelled, client_config, is_local

HTML_500 = "<!doctype html>\n<html lang=en>\n<title>500 Internal Server Error</title>"


def client_error(code: str, message: str, operation: str, status: int = 400) -> ClientError:
    return ClientError(
        {
            "Error": {"Code": code, "Message": message},
            "ResponseMetadata": {"HTTPStatusCode": status},
        },
        operation,
    )


def test_access_denied_names_the_action_from_the_message() -> None:
    exc = client_error(
        "AccessDenied",
        "User: arn:aws:iam::1:user/x is not authorized to perform: s3:GetBucketPolicy on resource",
        "GetBucketPolicy",
        403,
    )
    error = classify(exc, "s3", "eu-west-1")
    assert error.kind == DENIED and error.action == "s3:GetBucketPolicy"
    assert error.reason == "access denied to s3:GetBucketPolicy in eu-west-1"


def test_access_denied_without_a_message_names_the_operation_as_an_action() -> None:
    error = classify(
        client_error("UnauthorizedOperation", "", "DescribeSecurityGroups"), "ec2", "us-east-1"
    )
    assert error.kind == DENIED and "ec2:DescribeSecurityGroups" in error.reason
    listing = classify(client_error("AccessDenied", "Access Denied", "ListBuckets"), "s3", "global")
    assert listing.reason == "access denied to s3:ListAllMyBuckets"


def test_throttling_after_retries() -> None:
    error = classify(
        client_error("ThrottlingException", "Rate exceeded", "DescribeTrails"),
        "cloudtrail",
        "us-east-1",
    )
    assert error.kind == THROTTLED and "after retries" in error.reason


@pytest.mark.parametrize(
    "exc",
    [
        client_error("500", HTML_500, "DescribeInstancePatchStates", 500),
        client_error("404", "<!doctype html><title>404 Not Found</title>", "ListAnalyzers", 404),
        client_error("NotImplemented", "not yet", "DescribeInstancePatchStates", 501),
        NotImplementedError("The describe_instance_patch_states action has not been implemented"),
    ],
)
def test_what_an_endpoint_lacks_is_not_supported(exc: Exception) -> None:
    error = classify(exc, "ssm", "us-east-1")
    assert error.kind == UNSUPPORTED and "not supported by this endpoint" in error.reason


def test_a_region_not_enabled_and_an_unreachable_one() -> None:
    error = classify(
        client_error("UnrecognizedClientException", "bad token", "DescribeVpcs"), "ec2", "ap-east-1"
    )
    assert error.kind == NOT_ENABLED and "ap-east-1" in error.reason
    gone = classify(EndpointConnectionError(endpoint_url="https://ec2.x"), "ec2", "me-south-1")
    assert gone.kind == UNREACHABLE and "me-south-1" in gone.reason


def test_failure_messages_never_carry_a_secret() -> None:
    message = "bad value wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY in request"
    error = classify(client_error("ValidationError", message, "GetThing"), "iam", "global")
    assert "EXAMPLEKEY" not in error.reason and "[redacted]" in error.reason


def test_iam_action_names() -> None:
    assert iam_action("s3", "ListBuckets") == "s3:ListAllMyBuckets"
    assert iam_action("s3", "GetBucketEncryption") == "s3:GetEncryptionConfiguration"
    assert iam_action("s3", "GetPublicAccessBlock") == "s3:GetBucketPublicAccessBlock"
    assert iam_action("s3control", "GetPublicAccessBlock") == "s3:GetAccountPublicAccessBlock"
    assert iam_action("efs", "DescribeFileSystems") == "elasticfilesystem:DescribeFileSystems"
    assert iam_action("ec2", "DescribeVpcs") == "ec2:DescribeVpcs"
    assert is_read_only("iam:GenerateCredentialReport") and not is_read_only("s3:PutBucketPolicy")


def test_the_ledger_counts_from_many_threads() -> None:
    ledger = Ledger()

    def work(n: int) -> None:
        for i in range(500):
            ledger.record("ec2", "DescribeVpcs", "us-east-1", {"page": i, "thread": n})

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    ledger.record("ec2", "DescribeVpcs", "us-east-1", {"page": 0, "thread": 0})
    assert ledger.total == 2001
    assert ledger.by_operation() == {"ec2:DescribeVpcs": 2001}
    assert len(ledger.repeated()) == 1
    assert ledger.actions() == {"ec2:DescribeVpcs"}


def test_retries_depend_on_the_endpoint() -> None:
    assert is_local("http://127.0.0.1:5000") and is_local("http://localhost:4566")
    assert not is_local(None) and not is_local("https://ec2.eu-west-1.amazonaws.com")
    assert client_config("http://127.0.0.1:5000", 10).retries["total_max_attempts"] == 1
    real = client_config(None, 40)
    assert real.retries["mode"] == "adaptive" and real.max_pool_connections == 40


def test_identical_calls_share_one_answer_and_a_failed_one_is_not_shared() -> None:
    from srm_tui.aws.session import ResponseCache

    cache = ResponseCache()
    key = ("lambda", "ListFunctions", "us-east-1", "{}")
    assert cache.claim(key) is None  # the first caller makes the call
    answers: list[object] = []
    waiter = threading.Thread(target=lambda: answers.append(cache.claim(key)))
    waiter.start()
    cache.settle(key, {"Functions": [{"FunctionName": "f"}]})
    waiter.join(timeout=5)
    assert answers == [{"Functions": [{"FunctionName": "f"}]}]
    answers[0]["Functions"].clear()  # type: ignore[index]
    assert cache.claim(key) == {"Functions": [{"FunctionName": "f"}]}  # a copy each time

    failed = ("ec2", "DescribeVpcs", "us-east-1", "{}")
    assert cache.claim(failed) is None
    cache.settle(failed, None)
    assert cache.claim(failed) is None  # the next caller tries again itself


def test_a_cancelled_scan_asking_who_it_is_is_cancelled_not_a_failed_identity() -> None:
    """Cancelled while reaching an account (a member's identity), the scan stops as
    cancelled: the account stays to be scanned, it is not failed."""
    stop = threading.Event()
    stop.set()
    session = AwsSession(endpoint_url="http://127.0.0.1:9", cancel=stop)
    with pytest.raises(Cancelled):
        session.identity("us-east-1")
