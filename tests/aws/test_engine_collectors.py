"""Collectors against botocore's Stubber with real response shapes: paging, the
credential report's asynchronous build, per-resource failures, throttling."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from botocore.exceptions import ClientError
from botocore.stub import Stubber

from srm_tui.aws.account_api import AccountApi
from srm_tui.aws.api import Api
from srm_tui.aws.errors import THROTTLED, CollectError
from srm_tui.aws.session import AwsSession
from srm_tui.collected import Unreadable

REGION = "us-east-1"


@pytest.fixture
def api(monkeypatch: pytest.MonkeyPatch) -> AccountApi:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "stub")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "stub")
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    session = AwsSession(endpoint_url="http://127.0.0.1:9")  # never reached: stubbed
    return AccountApi(session, "123456789012", "aws", (REGION, "eu-west-1"), REGION)


def stub(api: AccountApi, service: str, region: str = REGION) -> Stubber:
    stubber = Stubber(api.client(service, region))
    stubber.activate()
    return stubber


def test_credential_report_waits_until_it_is_built(api: AccountApi, monkeypatch) -> None:
    import srm_tui.aws.collect.iam as iam_collect

    monkeypatch.setattr(iam_collect.time, "sleep", lambda s: None)
    iam = stub(api, "iam")
    iam.add_response("generate_credential_report", {"State": "STARTED", "Description": "started"})
    iam.add_response("generate_credential_report", {"State": "COMPLETE"})
    content = b"user,arn,password_enabled\nalice,arn:aws:iam::123456789012:user/alice,true\n"
    iam.add_response(
        "get_credential_report",
        {"Content": content, "ReportFormat": "text/csv", "GeneratedTime": datetime.now(UTC)},
    )
    rows = api.run("iam.credential_report", "global")
    assert rows == [
        {"user": "alice", "arn": "arn:aws:iam::123456789012:user/alice", "password_enabled": "true"}
    ]
    iam.assert_no_pending_responses()


def test_authorization_details_follow_every_page(api: AccountApi) -> None:
    iam = stub(api, "iam")
    user = {"UserName": "a", "UserId": "AIDAEXAMPLE000000001", "Arn": "arn:aws:iam::123456789012:user/a",
            "Path": "/", "CreateDate": datetime(2024, 1, 1, tzinfo=UTC)}  # fmt: skip
    iam.add_response(
        "get_account_authorization_details",
        {"UserDetailList": [user], "IsTruncated": True, "Marker": "page-2"},
        {"Filter": ["User", "Role", "Group", "LocalManagedPolicy"]},
    )
    iam.add_response(
        "get_account_authorization_details",
        {"UserDetailList": [{**user, "UserName": "b", "Arn": "arn:aws:iam::123456789012:user/b"}],
         "IsTruncated": False},
        {"Filter": ["User", "Role", "Group", "LocalManagedPolicy"], "Marker": "page-2"},
    )  # fmt: skip
    result = api.run("iam.authorization_details", "global")
    assert [u["UserName"] for u in result["users"]] == ["a", "b"]
    iam.assert_no_pending_responses()


def test_throttling_after_retries_fails_the_collection(api: AccountApi) -> None:
    ec2 = stub(api, "ec2")
    ec2.add_client_error(
        "describe_security_groups", "RequestLimitExceeded", "Request limit exceeded."
    )
    with pytest.raises(CollectError) as caught:
        api.run("ec2.security_groups", REGION)
    assert caught.value.kind == THROTTLED
    # Remembered: asking again does not call AWS again (the stub has no answer left).
    with pytest.raises(CollectError) as again:
        api.run("ec2.security_groups", REGION)
    assert again.value.kind == THROTTLED


def test_one_bucket_denied_does_not_hide_the_others(api: AccountApi, monkeypatch) -> None:
    s3 = stub(api, "s3")
    created = datetime(2024, 1, 1, tzinfo=UTC)
    s3.add_response(
        "list_buckets",
        {"Buckets": [{"Name": n, "CreationDate": created, "BucketRegion": REGION} for n in ("open", "none", "secret")],
         "Owner": {"ID": "x"}},
    )  # fmt: skip
    results: dict[str, Any] = {}
    client = api.client("s3", REGION)

    def answer(params: dict[str, Any], **_: Any) -> None:
        results.setdefault("asked", []).append(params["Bucket"])

    client.meta.events.register("provide-client-params.s3.GetBucketPolicy", answer)
    responses = {
        "open": ("ok", {"Policy": '{"Statement": []}'}),
        "none": ("error", "NoSuchBucketPolicy"),
        "secret": ("error", "AccessDenied"),
    }
    # One at a time, so that the stubbed answers come in a known order.
    original = AccountApi.each
    monkeypatch.setattr(
        AccountApi, "each", lambda self, fn, items, workers=4: original(self, fn, items, 1)
    )
    for name in ("open", "none", "secret"):
        kind, value = responses[name]
        if kind == "ok":
            s3.add_response("get_bucket_policy", value, {"Bucket": name})
        else:
            s3.add_client_error("get_bucket_policy", value, "x", expected_params={"Bucket": name})
    policies = api.run("s3.bucket_policies", "global")
    assert policies["open"] == {"Statement": []}
    assert policies["none"] is None
    assert isinstance(policies["secret"], Unreadable)
    assert "access denied to s3:GetBucketPolicy" in policies["secret"].reason
    assert results["asked"] == ["open", "none", "secret"]


# Every bucket listing asks for pages: AWS refuses an unpaged one where the bucket quota
# is above 10,000.
PAGED = {"MaxBuckets": 10_000}


def _listing(names: tuple[str, ...]) -> dict[str, Any]:
    created = datetime(2024, 1, 1, tzinfo=UTC)
    return {"Buckets": [{"Name": n, "CreationDate": created} for n in names], "Owner": {"ID": "x"}}


def test_bucket_regions_come_from_filtered_listings_not_one_call_per_bucket(
    api: AccountApi,
) -> None:
    # An endpoint whose listing lacks BucketRegion: one filtered listing per scanned
    # region places the buckets; any GetBucketLocation would find no stubbed answer.
    s3 = stub(api, "s3")
    s3.add_response("list_buckets", _listing(("home", "away", "elsewhere")), PAGED)
    s3.add_response("list_buckets", _listing(("home",)), {"BucketRegion": REGION, **PAGED})
    s3.add_response("list_buckets", _listing(("away",)), {"BucketRegion": "eu-west-1", **PAGED})
    s3.add_response(
        "list_buckets", _listing(("elsewhere",)), {"BucketRegion": "ap-southeast-4", **PAGED}
    )
    found = api.run("s3.buckets", "global")
    assert {b["name"]: b["region"] for b in found} == {"home": REGION, "away": "eu-west-1"}
    s3.assert_no_pending_responses()


def test_an_ignored_region_filter_falls_back_to_each_bucket_location(api: AccountApi) -> None:
    s3 = stub(api, "s3")
    every = _listing(("home", "away"))
    s3.add_response("list_buckets", every, PAGED)
    for region in (REGION, "eu-west-1", "ap-southeast-4"):
        s3.add_response("list_buckets", every, {"BucketRegion": region, **PAGED})
    s3.add_response("get_bucket_location", {}, {"Bucket": "home"})
    s3.add_response("get_bucket_location", {"LocationConstraint": "EU"}, {"Bucket": "away"})
    found = api.run("s3.buckets", "global")
    assert {b["name"]: b["region"] for b in found} == {"home": REGION, "away": "eu-west-1"}
    s3.assert_no_pending_responses()


def test_a_detail_is_about_one_resource_and_a_service_failure_is_not(api: AccountApi) -> None:
    s3 = stub(api, "s3")
    answers = [
        ("NoSuchBucketPolicy", None),  # not configured: listed in missing
        ("AccessDenied", "access denied to s3:GetBucketPolicy"),  # refused: this bucket only
        ("NoSuchBucket", "failed: NoSuchBucket"),  # gone since listed
    ]
    for code, _ in answers:
        s3.add_client_error("get_bucket_policy", code, "x", expected_params={"Bucket": "b"})
    for _, expected in answers:
        found = api.detail(
            "s3", REGION, "get_bucket_policy", missing=("NoSuchBucketPolicy",), Bucket="b"
        )
        if expected is None:
            assert found is None
        else:
            assert isinstance(found, Unreadable) and expected in found.reason
    # Throttled after retries: the service, not the bucket; the collection fails.
    s3.add_client_error("get_bucket_policy", "SlowDown", "x", expected_params={"Bucket": "b"})
    with pytest.raises(ClientError):
        api.detail("s3", REGION, "get_bucket_policy", Bucket="b")


def test_the_engine_hands_collectors_the_one_api(api: AccountApi) -> None:
    assert isinstance(api, Api) and isinstance(api.bound("eu-west-1"), Api)
    assert api.bound("global").client("iam") is api.client("iam", REGION)


def test_missing_may_name_a_code_and_words_of_its_message(api: AccountApi) -> None:
    macie = stub(api, "macie2")
    macie.add_client_error("get_macie_session", "AccessDeniedException", "Macie is not enabled.")
    macie.add_client_error("get_macie_session", "AccessDeniedException", "not authorized")
    wanted = ("AccessDeniedException: not enabled",)
    assert api.call("macie2", REGION, "get_macie_session", missing=wanted) is None
    with pytest.raises(ClientError):
        api.call("macie2", REGION, "get_macie_session", missing=wanted)


def test_the_bucket_listing_asks_for_pages_and_follows_them(api: AccountApi) -> None:
    # An account with a bucket quota above 10,000 must be listed page by page.
    s3 = stub(api, "s3")
    created = datetime(2024, 1, 1, tzinfo=UTC)
    first = {
        "Buckets": [{"Name": "a", "CreationDate": created, "BucketRegion": REGION}],
        "ContinuationToken": "next",
    }
    second = {"Buckets": [{"Name": "b", "CreationDate": created, "BucketRegion": REGION}]}
    s3.add_response("list_buckets", first, PAGED)
    s3.add_response("list_buckets", second, {**PAGED, "ContinuationToken": "next"})
    found = api.run("s3.buckets", "global")
    assert [b["name"] for b in found] == ["a", "b"]
    s3.assert_no_pending_responses()


class _Raw:
    def __init__(self, body: bytes) -> None:
        self.body = body

    def stream(self, *args: Any, **kwargs: Any) -> Any:
        yield self.body


def answer_with(api: AccountApi, service: str, body: bytes) -> None:
    """Every call of ``service`` gets ``body`` back as a 200 answer (never sent)."""
    from botocore.awsrequest import AWSResponse

    def send(request: Any, **kwargs: Any) -> AWSResponse:
        return AWSResponse(request.url, 200, {"Content-Type": "text/xml"}, _Raw(body))

    api.client(service, REGION).meta.events.register("before-send", send)


def test_an_answer_that_is_not_well_formed_names_its_action(api: AccountApi) -> None:
    # A cut-off XML answer: botocore's parser error names no operation; the reason must.
    answer_with(api, "ec2", b"<DescribeClientVpnEndpointsResponse><clientVpnEndpointSet><item>")
    with pytest.raises(CollectError) as raised:
        api.run("ec2.client_vpn_endpoints", REGION)
    assert raised.value.reason == (
        "ec2:DescribeClientVpnEndpoints in us-east-1 gave an answer that cannot be read "
        "(not well-formed)"
    )
    # About one resource: that resource is unreadable, and says which call.
    found = api.detail(
        "ec2", REGION, "describe_image_attribute", ImageId="ami-1", Attribute="launchPermission"
    )
    assert isinstance(found, Unreadable)
    assert found.reason.startswith("ec2:DescribeImageAttribute in us-east-1 gave an answer")


@pytest.mark.parametrize(
    ("body", "what"),
    [(b"<ListOrganizationsFeaturesResponse><broken", "(not well-formed)"), (b"", "(empty)")],
)
def test_an_unreadable_answer_names_the_service_called(
    api: AccountApi, body: bytes, what: str
) -> None:
    # iam.root_access is an Organizations collector that also asks IAM: a bad IAM answer
    # is IAM's, not Organizations'.
    stub(api, "organizations").add_response(
        "describe_organization",
        {"Organization": {"Id": "o-example1", "MasterAccountId": "210987654321"}},
    )
    answer_with(api, "iam", body)
    with pytest.raises(CollectError) as raised:
        api.run("iam.root_access", "global")
    assert raised.value.reason == (
        f"iam:ListOrganizationsFeatures gave an answer that cannot be read {what}"
    )
