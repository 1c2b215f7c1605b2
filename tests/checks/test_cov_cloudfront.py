"""CloudFront controls over hand-made distributions, and the collector against the
emulator with S3's HeadBucket answers stubbed (404: no such bucket; 403: someone else's)."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.stub import Stubber
from moto import mock_aws

from srm_tui.aws.session import AwsSession
from srm_tui.demo.seeds.cloudfront import _config, _custom, _s3
from srm_tui.model import Status
from tests.checks.engine_helpers import REGION, collect, run

P, F, NA = Status.PASS, Status.FAIL, Status.NOT_APPLICABLE


def origin(kind: str, ident: str = "o", **extra: Any) -> dict[str, Any]:
    # Custom, website and function URL origins come with a CustomOriginConfig.
    custom = kind in ("custom", "s3_website", "lambda_url")
    return {"id": ident, "domain": f"{ident}.example", "kind": kind, "bucket": "", "oac": False,
            "custom": custom, "protocol_policy": "", "ssl_protocols": [], **extra}  # fmt: skip


def dist(name: str, **extra: Any) -> dict[str, Any]:
    base = {
        "id": name, "arn": f"arn:aws:cloudfront::123456789012:distribution/{name}",
        "domain": f"{name}.cloudfront.net", "standard_logging": False, "log_delivery": False,
        "default_root_object": "", "viewer_protocols": ["redirect-to-https"],
        "certificate": {"default": True, "ssl_support_method": "", "minimum_protocol_version": ""},
        "web_acl": "", "origins": [origin("s3", bucket="b", bucket_exists=True)],
        "origin_groups": [],
    }  # fmt: skip
    base.update(extra)
    return base


def outcome(check_id: str, *dists: dict[str, Any], **parameters: Any) -> dict[str, Status]:
    found = run(check_id, {"cloudfront.distributions": list(dists)}, parameters=parameters)
    return {f.resource.rsplit("/", 1)[-1]: f.status for f in found}


CUSTOM_CERT = {"default": False, "ssl_support_method": "sni-only",
               "minimum_protocol_version": "TLSv1.2_2021"}  # fmt: skip


@pytest.mark.parametrize(
    ("check_id", "good", "bad", "other"),
    [
        ("cloudfront.default_root_object", {"default_root_object": "index.html"}, {},
         {"origins": [origin("custom")]}),
        ("cloudfront.viewer_https", {}, {"viewer_protocols": ["https-only", "allow-all"]}, None),
        ("cloudfront.origin_failover", {"origin_groups": [2]}, {"origin_groups": [1]}, None),
        ("cloudfront.waf", {"web_acl": "arn:aws:wafv2:us-east-1:1:global/webacl/x/y"}, {}, None),
        ("cloudfront.custom_certificate", {"certificate": CUSTOM_CERT}, {}, None),
        ("cloudfront.sni", {"certificate": CUSTOM_CERT},
         {"certificate": {**CUSTOM_CERT, "ssl_support_method": "vip"}}, None),
        ("cloudfront.origin_https",
         {"origins": [origin("custom", protocol_policy="https-only")]},
         {"origins": [origin("custom", protocol_policy="http-only")]}, {}),
        ("cloudfront.origin_ssl_protocols",
         {"origins": [origin("custom", ssl_protocols=["TLSv1.2"])]},
         {"origins": [origin("s3_website", ssl_protocols=["SSLv3", "TLSv1"])]}, {}),
        ("cloudfront.s3_origin_exists", {},
         {"origins": [origin("s3", bucket="gone", bucket_exists=False)]},
         {"origins": [origin("s3_website")]}),
        ("cloudfront.s3_origin_access_control", {"origins": [origin("s3", oac=True)]}, {},
         {"origins": [origin("custom")]}),
        ("cloudfront.lambda_url_origin_access_control",
         {"origins": [origin("lambda_url", oac=True)]},
         {"origins": [origin("lambda_url")]}, {}),
        ("cloudfront.tls_security_policy", {"certificate": CUSTOM_CERT},
         {"certificate": {**CUSTOM_CERT, "minimum_protocol_version": "TLSv1.1_2016"}}, {}),
    ],
)  # fmt: skip
def test_each_control_passes_fails_and_says_when_it_does_not_apply(check_id, good, bad, other):
    dists = [dist("good", **good), dist("bad", **bad)]
    if other is not None:
        dists.append(dist("other", **other))
    expected = {"good": P, "bad": F}
    if other is not None:
        expected["other"] = NA
    assert outcome(check_id, *dists) == expected


def test_origin_https_fails_match_viewer_only_where_viewers_may_use_http():
    matching = [origin("custom", protocol_policy="match-viewer")]
    assert outcome(
        "cloudfront.origin_https",
        dist("strict", origins=matching),
        dist("lax", origins=matching, viewer_protocols=["redirect-to-https", "allow-all"]),
    ) == {"strict": P, "lax": F}


def test_tls_policy_takes_the_scopes_list():
    old = dist("old", certificate={**CUSTOM_CERT, "minimum_protocol_version": "TLSv1.2_2019"})
    assert outcome("cloudfront.tls_security_policy", old) == {"old": F}
    widened = outcome(
        "cloudfront.tls_security_policy", old, security_policies=["TLSv1.2_2019", "TLSv1.2_2021"]
    )
    assert widened == {"old": P}
    vip = dist("vip", certificate={**CUSTOM_CERT, "ssl_support_method": "vip"})
    assert outcome("cloudfront.tls_security_policy", vip) == {"vip": NA}


def test_collector_reads_origins_and_asks_s3_only_about_buckets_outside_the_account():
    with mock_aws():
        boto = boto3.Session(region_name=REGION)
        cloudfront = boto.client("cloudfront")
        origins = [
            _s3("own", "own-bucket"),
            _s3("elsewhere", "partner-bucket"),
            _s3("gone", "deleted-bucket"),
            _custom(
                "site", "own-bucket.s3-website-us-east-1.amazonaws.com", "http-only", ["TLSv1"]
            ),
            _custom("fn", "abc123.lambda-url.eu-west-1.on.aws", "https-only", ["TLSv1.2"]),
        ]
        cloudfront.create_distribution(DistributionConfig=_config("mix", True, origins=origins))
        session = AwsSession()  # the emulator for CloudFront and logs, S3 stubbed
        stub = Stubber(session.client("s3", REGION))
        stub.add_response("list_buckets", {"Buckets": [{"Name": "own-bucket"}]}, {})
        stub.add_client_error("head_bucket", "404", "Not Found", 404,
                              expected_params={"Bucket": "deleted-bucket"})  # fmt: skip
        stub.add_client_error("head_bucket", "403", "Forbidden", 403,
                              expected_params={"Bucket": "partner-bucket"})  # fmt: skip
        with stub:
            (found,) = collect("cloudfront.distributions", "global", session=session)
        stub.assert_no_pending_responses()
    kinds = {o["id"]: (o["kind"], o["bucket"], o.get("bucket_exists")) for o in found["origins"]}
    assert kinds == {
        "own": ("s3", "own-bucket", True),
        "elsewhere": ("s3", "partner-bucket", True),
        "gone": ("s3", "deleted-bucket", False),
        "site": ("s3_website", "", None),
        "fn": ("lambda_url", "", None),
    }
    (missing,) = run("cloudfront.s3_origin_exists", {"cloudfront.distributions": [found]})
    assert missing.status is F and "deleted-bucket" in missing.detail
    assert "partner-bucket" not in missing.detail
    (plain,) = run("cloudfront.origin_https", {"cloudfront.distributions": [found]})
    assert plain.status is F and "site" in plain.detail
