"""Edge cases of the load balancer, CloudFront, AWS WAF and API Gateway checks where
an account's set-up differs from the demo: each builds the case (emulated AWS or hand-made
collected data) and asserts the verdict the control's published definition gives."""

from __future__ import annotations

import boto3
from botocore.stub import Stubber
from moto import mock_aws

from srm_tui.aws.session import AwsSession
from srm_tui.collected import Unreadable
from srm_tui.demo.seeds.cloudfront import _config, _custom
from srm_tui.model import Status
from tests.checks.engine_helpers import REGION, collect, run

P, F, NA = Status.PASS, Status.FAIL, Status.NOT_APPLICABLE


def _distributions(*configs: dict) -> list[dict]:
    """What the CloudFront collector gives for distributions created in the emulator."""
    cloudfront = boto3.client("cloudfront", region_name=REGION)
    for config in configs:
        cloudfront.create_distribution(DistributionConfig=config)
    return collect("cloudfront.distributions", "global", session=AwsSession())


# --- CloudFront.9 and .10: a bucket's REST endpoint set up as a custom origin ----------


def test_bucket_endpoint_as_custom_origin_is_judged_as_a_custom_origin():
    # AWS Config (cloudfront-traffic-to-origin-encrypted, cloudfront-no-deprecated-ssl-
    # protocols) reads the origin's CustomOriginConfig: an S3 domain does not exempt it.
    with mock_aws():
        bucket_as_custom = _custom(
            "bucket", "media-bucket.s3.us-east-1.amazonaws.com", "http-only", ["SSLv3"]
        )
        found = _distributions(_config("plain", True, origins=[bucket_as_custom]))
    data = {"cloudfront.distributions": found}
    (https,) = run("cloudfront.origin_https", data)
    assert https.status is F and "bucket" in https.detail
    (ssl,) = run("cloudfront.origin_ssl_protocols", data)
    assert ssl.status is F and "bucket" in ssl.detail


def test_bucket_endpoint_as_custom_origin_is_no_s3_origin():
    # CloudFront.1 (S3 origins, "doesn't apply to ... custom origins"), .12 (the
    # S3OriginConfig of a distribution) and .13 (the S3 origin type) go by origin type.
    with mock_aws():
        bucket_as_custom = _custom(
            "bucket", "media-bucket.s3.us-east-1.amazonaws.com", "https-only", ["TLSv1.2"]
        )
        # The emulator has no such bucket: HeadBucket would answer 404 if it were asked.
        found = _distributions(_config("plain", True, origins=[bucket_as_custom]))
    (origin,) = found[0]["origins"]
    assert (origin["kind"], origin["bucket"]) == ("custom", "")
    data = {"cloudfront.distributions": found}
    for check_id in (
        "cloudfront.default_root_object",
        "cloudfront.s3_origin_exists",
        "cloudfront.s3_origin_access_control",
    ):
        (finding,) = run(check_id, data)
        assert finding.status is NA, check_id


# --- CloudFront.5: a log delivery source that delivers nowhere ---------------------


def test_log_delivery_source_without_a_delivery_is_no_logging():
    # CloudWatch log delivery sends a distribution's access logs only once a delivery
    # links its delivery source to a destination; a bare source logs nothing.
    with mock_aws():
        cloudfront = boto3.client("cloudfront", region_name=REGION)
        arn = cloudfront.create_distribution(DistributionConfig=_config("bare", False))[
            "Distribution"
        ]["ARN"]
        logs = boto3.client("logs", region_name="us-east-1")
        logs.put_delivery_source(name="bare-access", resourceArn=arn, logType="ACCESS_LOGS")
        before = collect("cloudfront.distributions", "global", session=AwsSession())
        destination = logs.put_delivery_destination(
            name="to-s3",
            deliveryDestinationConfiguration={"destinationResourceArn": "arn:aws:s3:::logs"},
        )["deliveryDestination"]["arn"]
        logs.create_delivery(deliverySourceName="bare-access", deliveryDestinationArn=destination)
        after = collect("cloudfront.distributions", "global", session=AwsSession())
    (unsent,) = run("cloudfront.access_logging", {"cloudfront.distributions": before})
    assert unsent.status is F
    (sent,) = run("cloudfront.access_logging", {"cloudfront.distributions": after})
    assert sent.status is P


# --- CloudFront.7: multi-tenant distributions --------------------------------------


def _without_metadata(answer: dict) -> dict:
    return {k: v for k, v in answer.items() if k != "ResponseMetadata"}


def test_multi_tenant_distribution_is_not_applicable_to_the_custom_certificate_control():
    # AWS Config (cloudfront-custom-ssl-certificate): "Multi-tenant distributions are not
    # applicable" - their tenants bring the certificates. The emulator has no connection
    # mode, so its own answers are replayed with ConnectionMode added.
    with mock_aws():
        cloudfront = boto3.client("cloudfront", region_name=REGION)
        ident = cloudfront.create_distribution(DistributionConfig=_config("saas", True))[
            "Distribution"
        ]["Id"]
        listing = _without_metadata(cloudfront.list_distributions())
        config = _without_metadata(cloudfront.get_distribution_config(Id=ident))
        # AWS always answers Staging; the emulator leaves it out.
        listing["DistributionList"]["Items"][0].update(ConnectionMode="tenant-only", Staging=False)
        config["DistributionConfig"]["ConnectionMode"] = "tenant-only"
        session = AwsSession()
        stub = Stubber(session.client("cloudfront", REGION))
        stub.add_response("list_distributions", listing, {})
        stub.add_response("get_distribution_config", config, {"Id": ident})
        with stub:
            found = collect("cloudfront.distributions", "global", session=session)
        stub.assert_no_pending_responses()
    (finding,) = run("cloudfront.custom_certificate", {"cloudfront.distributions": found})
    assert finding.status is NA
    # A direct distribution with the default certificate still fails.
    direct = [{**found[0], "tenant_only": False}]
    (finding,) = run("cloudfront.custom_certificate", {"cloudfront.distributions": direct})
    assert finding.status is F


# --- WAF.12: a rule group without rules --------------------------------------------


def test_rule_group_without_rules_is_not_applicable_to_the_metrics_control():
    # AWS Config (wafv2-rulegroup-logging-enabled): "If there are no AWS WAF rules in the
    # AWS WAFV2 rule group ... the rule returns NOT_APPLICABLE", whatever the group's own
    # visibility setting.
    with mock_aws():
        wafv2 = boto3.client("wafv2", region_name=REGION)
        for name, metrics in (("empty-quiet", False), ("empty-loud", True)):
            wafv2.create_rule_group(
                Name=name, Scope="REGIONAL", Capacity=10, Rules=[],
                VisibilityConfig={"SampledRequestsEnabled": False,
                                  "CloudWatchMetricsEnabled": metrics, "MetricName": name},
            )  # fmt: skip
        found = collect("wafv2.regional", session=AwsSession())
    data = {"wafv2.regional": found, "wafv2.cloudfront": {"web_acls": [], "rule_groups": []}}
    findings = run("waf.rule_group_metrics", data, regions=(REGION,))
    assert {f.resource.split("/")[-2]: f.status for f in findings} == {
        "empty-quiet": NA,
        "empty-loud": NA,
    }


# --- APIGateway.2: stages whose integrations are all AWS service integrations ------


def _rest_api(client, name: str, *kinds: str) -> str:
    """A REST API with one method per integration type in ``kinds``, deployed to prod."""
    api = client.create_rest_api(name=name)["id"]
    root = client.get_resources(restApiId=api)["items"][0]["id"]
    for verb, kind in zip(("GET", "POST"), kinds, strict=False):
        client.put_method(restApiId=api, resourceId=root, httpMethod=verb, authorizationType="NONE")
        client.put_integration(
            restApiId=api, resourceId=root, httpMethod=verb, type=kind, integrationHttpMethod="POST",
            uri="arn:aws:apigateway:us-east-1:sqs:path/123456789012/orders"
            if kind == "AWS" else "https://backend.example.com/orders",
        )  # fmt: skip
    client.create_deployment(restApiId=api, stageName="prod")
    return api


def test_stage_with_only_aws_service_integrations_needs_no_client_certificate():
    # AWS Config (api-gw-ssl-enabled): NOT_APPLICABLE when the integration type is AWS -
    # there is no backend of the customer's for a client certificate to authenticate to.
    with mock_aws():
        client = boto3.client("apigateway", region_name=REGION)
        queue = _rest_api(client, "to-sqs", "AWS")
        mixed = _rest_api(client, "mixed", "AWS", "HTTP")
        found = collect("apigateway.rest_stages", session=AwsSession())
    data = {"apigateway.rest_stages": found}
    verdicts = {
        f.resource.split("/")[-3]: f.status for f in run("apigateway.backend_certificate", data)
    }
    assert verdicts == {queue: NA, mixed: F}


def test_refused_integrations_spoil_only_the_client_certificate_control():
    stage = {
        "api_id": "a1", "api_name": "orders", "stage": "prod",
        "arn": "arn:aws:apigateway:us-east-1::/restapis/a1/stages/prod",
        "method_settings": {}, "client_certificate": False, "tracing": True,
        "web_acl": "arn:aws:wafv2:us-east-1:123456789012:regional/webacl/edge/0a1b",
        "integration_types": Unreadable("not authorized"),
    }  # fmt: skip
    data = {"apigateway.rest_stages": [stage]}
    assert [f.status for f in run("apigateway.backend_certificate", data)] == [Status.ERROR]
    assert [f.status for f in run("apigateway.xray_tracing", data)] == [P]
    assert [f.status for f in run("apigateway.waf_web_acl", data)] == [P]
