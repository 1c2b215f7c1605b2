"""Collectors of the application, messaging and edge services where the emulator lacks the
API or a field (WAF Classic, CodeBuild report groups, OpenSearch service software, an API
Gateway stage's client certificate), and their refusals: botocore's Stubber with the
response shapes of the service models. The emulated happy paths run in test_svc_demo."""

from __future__ import annotations

import pytest

from srm_tui.aws.actions import iam_action, is_read_only
from srm_tui.aws.collect.codebuild import has_sign_in
from srm_tui.aws.collect.paging import token_pages
from srm_tui.collected import Unreadable
from srm_tui.model import Status
from tests.checks.engine_helpers import ACCOUNT, REGION, by_suffix, collect, run, stubbed

# --- WAF Classic -------------------------------------------------------------------------


def test_waf_classic_global_counts_rules_and_reads_logging():
    session, stub = stubbed("waf")
    acl_arn = f"arn:aws:waf::{ACCOUNT}:webacl/acl-1"
    stub.add_response("list_web_acls", {"WebACLs": [{"WebACLId": "acl-1", "Name": "edge"}]})
    stub.add_response(
        "get_web_acl",
        {
            "WebACL": {
                "WebACLId": "acl-1",
                "DefaultAction": {"Type": "ALLOW"},
                "Rules": [
                    {"Priority": 1, "RuleId": "r-1", "Action": {"Type": "BLOCK"}, "Type": "REGULAR"}
                ],
                "WebACLArn": acl_arn,
            }
        },
        {"WebACLId": "acl-1"},
    )
    stub.add_client_error(
        "get_logging_configuration", "WAFNonexistentItemException", "no logging", 400
    )
    stub.add_response("list_rules", {"Rules": [{"RuleId": "r-1", "Name": "ip-block"}]})
    stub.add_response(
        "get_rule",
        {"Rule": {"RuleId": "r-1", "Predicates": []}},
        {"RuleId": "r-1"},
    )
    stub.add_response("list_rule_groups", {"RuleGroups": [{"RuleGroupId": "g-1", "Name": "g"}]})
    stub.add_client_error(
        "list_activated_rules_in_rule_group", "AccessDeniedException", "not authorized", 403
    )
    with stub:
        data = collect("waf.classic_global", session=session)
    stub.assert_no_pending_responses()
    assert data["web_acls"] == [{"name": "edge", "arn": acl_arn, "rules": 1, "logging": False}]
    assert data["rules"][0]["arn"] == f"arn:aws:waf::{ACCOUNT}:rule/r-1"
    assert isinstance(data["rule_groups"][0]["rules"], Unreadable)
    found = {c: run(c, {"waf.classic_global": data}) for c in (
        "waf.classic_global_logging", "waf.classic_global_web_acl_rules",
        "waf.classic_global_rule_conditions", "waf.classic_global_rule_group_rules")}  # fmt: skip
    assert [f.status for f in found["waf.classic_global_logging"]] == [Status.FAIL]
    assert [f.status for f in found["waf.classic_global_web_acl_rules"]] == [Status.PASS]
    assert [f.status for f in found["waf.classic_global_rule_conditions"]] == [Status.FAIL]
    assert [f.status for f in found["waf.classic_global_rule_group_rules"]] == [Status.ERROR]


def test_waf_classic_regional_follows_markers_and_names_the_region():
    session, stub = stubbed("waf-regional")
    stub.add_response("list_web_acls", {"WebACLs": []}, {"Limit": 100})
    stub.add_response("list_rules", {"Rules": [], "NextMarker": "m2"}, {"Limit": 100})
    stub.add_response(
        "list_rules",
        {"Rules": [{"RuleId": "r-9", "Name": "late"}]},
        {"Limit": 100, "NextMarker": "m2"},
    )
    stub.add_response(
        "get_rule",
        {"Rule": {"RuleId": "r-9", "Predicates": [
            {"Negated": False, "Type": "IPMatch", "DataId": "ips"}]}},
    )  # fmt: skip
    stub.add_response("list_rule_groups", {"RuleGroups": []}, {"Limit": 100})
    with stub:
        data = collect("waf.classic_regional", session=session)
    stub.assert_no_pending_responses()
    assert data["rules"] == [
        {
            "name": "late",
            "arn": f"arn:aws:waf-regional:{REGION}:{ACCOUNT}:rule/r-9",
            "conditions": 1,
        }
    ]


def test_waf_classic_denied_listing_fails_the_collection():
    from botocore.exceptions import ClientError

    session, stub = stubbed("waf")
    stub.add_client_error("list_web_acls", "AccessDeniedException", "not authorized", 403)
    with stub, pytest.raises(ClientError):
        collect("waf.classic_global", session=session)


# --- CodeBuild ----------------------------------------------------------------------------


def test_codebuild_report_groups():
    session, stub = stubbed("codebuild")
    arns = [f"arn:aws:codebuild:{REGION}:{ACCOUNT}:report-group/{n}" for n in ("unit", "lint")]
    stub.add_response("list_report_groups", {"reportGroups": arns})
    stub.add_response(
        "batch_get_report_groups",
        {
            "reportGroups": [
                {"arn": arns[0], "name": "unit", "type": "TEST",
                 "exportConfig": {"exportConfigType": "S3", "s3Destination": {
                     "bucket": "reports", "encryptionDisabled": True}}},
                {"arn": arns[1], "name": "lint", "type": "TEST",
                 "exportConfig": {"exportConfigType": "NO_EXPORT"}},
            ],
        },
        {"reportGroupArns": arns},
    )  # fmt: skip
    with stub:
        groups = collect("codebuild.report_groups", session=session)
    findings = run("codebuild.report_export_encrypted", {"codebuild.report_groups": groups})
    assert [f.status for f in findings] == [Status.FAIL, Status.NOT_APPLICABLE]


def test_codebuild_never_keeps_a_source_url_or_variable_value():
    session, stub = stubbed("codebuild")
    stub.add_response("list_projects", {"projects": ["legacy"]})
    stub.add_response(
        "batch_get_projects",
        {
            "projects": [{
                "name": "legacy",
                "arn": f"arn:aws:codebuild:{REGION}:{ACCOUNT}:project/legacy",
                "source": {"type": "BITBUCKET",
                           "location": "https://x-token-auth:tok-4f2a9@bitbucket.org/e/r.git"},
                "environment": {
                    "type": "LINUX_CONTAINER", "image": "aws/codebuild/standard:7.0",
                    "computeType": "BUILD_GENERAL1_SMALL",
                    "environmentVariables": [{"name": "AWS_ACCESS_KEY_ID",
                                              "value": "AKIAIOSFODNN7EXAMPLE"}],
                },
            }],
        },
    )  # fmt: skip
    with stub:
        projects = collect("codebuild.projects", session=session)
    assert "tok-4f2a9" not in repr(projects) and "AKIAIOSFODNN7EXAMPLE" not in repr(projects)
    (project,) = projects
    # Unset settings take CodeBuild's defaults: CloudWatch logs on, S3 logs off, plaintext.
    assert (project["cloudwatch_logs"], project["s3_logs"]) == ("ENABLED", "DISABLED")
    assert project["variables"] == [{"name": "AWS_ACCESS_KEY_ID", "type": "PLAINTEXT"}]
    data = {"codebuild.projects": projects}
    assert run("codebuild.source_url_credentials", data)[0].status is Status.FAIL
    assert run("codebuild.env_aws_credentials", data)[0].status is Status.FAIL


@pytest.mark.parametrize(
    ("location", "leaks"),
    [
        ("https://bitbucket.org/team/repo.git", False),
        ("https://user:app-password@bitbucket.org/team/repo.git", True),
        ("https://x-token-auth:token@bitbucket.org/team/repo.git", True),
        ("https://bitbucket.org/team/repo.git?ref=a@b", False),
        ("git@bitbucket.org:team/repo.git", False),  # the SSH user, no credential
        ("https://someone@bitbucket.org/team/repo.git", True),
        (None, False),
    ],
)
def test_sign_in_in_repository_urls(location, leaks):
    assert has_sign_in(location) is leaks


# --- OpenSearch, API Gateway ------------------------------------------------------------


def test_opensearch_software_update_waiting():
    session, stub = stubbed("opensearch")
    stub.add_response("list_domain_names", {"DomainNames": [{"DomainName": "search"}]})
    stub.add_response(
        "describe_domains",
        {
            "DomainStatusList": [{
                "DomainId": f"{ACCOUNT}/search", "DomainName": "search",
                "ARN": f"arn:aws:es:{REGION}:{ACCOUNT}:domain/search",
                "ClusterConfig": {"InstanceCount": 2, "ZoneAwarenessEnabled": True},
                "ServiceSoftwareOptions": {"CurrentVersion": "OpenSearch_2_19_R20250101",
                                           "NewVersion": "OpenSearch_2_19_R20251101",
                                           "UpdateAvailable": True, "UpdateStatus": "ELIGIBLE"},
            }]
        },
        {"DomainNames": ["search"]},
    )  # fmt: skip
    with stub:
        domains = collect("opensearch.domains", session=session)
    assert domains[0]["update_available"] is True and domains[0]["instance_count"] == 2
    data = {"opensearch.domains": domains}
    assert run("opensearch.software_update", data)[0].status is Status.FAIL
    assert run("opensearch.three_data_nodes", data)[0].status is Status.FAIL


def test_api_gateway_client_certificate_and_refused_stages():
    session, stub = stubbed("apigateway")
    stub.add_response(
        "get_rest_apis", {"items": [{"id": "a1", "name": "orders"}, {"id": "b2", "name": "hr"}]}
    )
    stub.add_response(
        "get_stages",
        {"item": [{"stageName": "prod", "clientCertificateId": "cert-1",
                   "methodSettings": {"*/*": {"loggingLevel": "ERROR"}}}]},
        {"restApiId": "a1"},
    )  # fmt: skip
    stub.add_response(
        "get_resources",
        {"items": [{"id": "r1", "path": "/", "resourceMethods": {
            "GET": {"httpMethod": "GET", "methodIntegration": {"type": "HTTP"}}}}]},
        {"restApiId": "a1", "embed": ["methods"]},
    )  # fmt: skip
    stub.add_client_error("get_stages", "AccessDeniedException", "not authorized", 403)
    with stub:
        stages = collect("apigateway.rest_stages", session=session)
    assert isinstance(stages[1]["stages"], Unreadable)
    findings = run("apigateway.backend_certificate", {"apigateway.rest_stages": stages})
    assert by_suffix(findings, "/restapis/a1/stages/prod").status is Status.PASS
    assert by_suffix(findings, "/restapis/b2").status is Status.ERROR


def test_http_api_routes_follow_next_tokens():
    session, stub = stubbed("apigatewayv2")
    stub.add_response("get_apis", {"Items": [{"ApiId": "h1", "Name": "http", "ProtocolType": "HTTP",
                                              "RouteSelectionExpression": "x"}]})  # fmt: skip
    stub.add_response("get_stages", {"Items": []}, {"ApiId": "h1"})
    stub.add_response(
        "get_routes",
        {"Items": [{"RouteKey": "GET /a", "RouteId": "r1", "AuthorizationType": "JWT"}],
         "NextToken": "t2"},
        {"ApiId": "h1"},
    )  # fmt: skip
    stub.add_response(
        "get_routes",
        {"Items": [{"RouteKey": "GET /b", "RouteId": "r2"}]},
        {"ApiId": "h1", "NextToken": "t2"},
    )
    with stub:
        (api,) = collect("apigateway.v2_apis", session=session)
    stub.assert_no_pending_responses()
    assert [(r["route_key"], r["authorization_type"]) for r in api["routes"]] == [
        ("GET /a", "JWT"), ("GET /b", "NONE"),
    ]  # fmt: skip


def test_api_gateway_reads_are_the_get_action():
    assert iam_action("apigateway", "GetStages") == "apigateway:GET"
    assert iam_action("apigatewayv2", "GetRoutes") == "apigateway:GET"
    assert is_read_only("apigateway:GET")
    assert not is_read_only(iam_action("apigateway", "DeleteStage"))


# --- SQS, SNS: one refused resource ------------------------------------------------------


def _one_queue(answer: dict | None) -> list:
    """The queues collected when one queue's attributes answer ``answer`` (None: denied).
    One queue per stub: stubbed answers come in order, and details run a few at a time."""
    session, stub = stubbed("sqs")
    stub.add_response(
        "list_queues", {"QueueUrls": [f"https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/q"]}
    )
    if answer is None:
        stub.add_client_error("get_queue_attributes", "AccessDenied", "not authorized", 403)
    else:
        stub.add_response("get_queue_attributes", {"Attributes": answer})
    with stub:
        return collect("sqs.queues", session=session)


def test_sqs_refused_queue_and_unreadable_policy():
    garbled = _one_queue({"QueueArn": f"arn:aws:sqs:{REGION}:{ACCOUNT}:q",
                          "SqsManagedSseEnabled": "true", "Policy": "{not json"})  # fmt: skip
    assert isinstance(garbled[0]["policy"], Unreadable)
    data = {"sqs.queues": garbled}
    # The encryption settings were read: only the policy check cannot judge the queue.
    assert [f.status for f in run("sqs.encrypted", data)] == [Status.PASS]
    assert [f.status for f in run("sqs.public_policy", data)] == [Status.ERROR]
    refused = {"sqs.queues": _one_queue(None)}
    assert [f.status for f in run("sqs.encrypted", refused)] == [Status.ERROR]
    assert refused["sqs.queues"][0]["arn"] == f"arn:aws:sqs:{REGION}:{ACCOUNT}:q"


# --- paging helper ----------------------------------------------------------------------


class _PagedApi:
    """Answers ``call`` from a list of pages keyed by the token asked for."""

    def __init__(self, pages: dict) -> None:
        self.pages = pages
        self.requests: list[dict] = []

    def call(self, service, region, operation, **params):
        self.requests.append(params)
        return self.pages[params.get("NextMarker")]


def test_token_pages_follows_markers_and_stops():
    api = _PagedApi({None: {"Items": [1], "NextMarker": "b"}, "b": {"Items": [2, 3]}})
    items = token_pages(api, "waf", None, "list_x", "Items",
                        token_in="NextMarker", token_out="NextMarker", Limit=100)  # fmt: skip
    assert items == [1, 2, 3]
    assert api.requests == [{"Limit": 100}, {"Limit": 100, "NextMarker": "b"}]
