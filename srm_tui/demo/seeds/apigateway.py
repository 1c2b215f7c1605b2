"""Demo seed: per region, a well-kept REST API and a neglected one, and an HTTP API and a
WebSocket API with one protected and one open route."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

_LOG_GROUP = "arn:aws:logs:{region}:{account}:log-group:/demo/api-access"


def _rest_api(client: Any, name: str, stage: str) -> tuple[str, str]:
    api = client.create_rest_api(name=name)["id"]
    root = client.get_resources(restApiId=api)["items"][0]["id"]
    client.put_method(restApiId=api, resourceId=root, httpMethod="GET", authorizationType="NONE")
    client.put_integration(restApiId=api, resourceId=root, httpMethod="GET", type="MOCK")
    client.create_deployment(restApiId=api, stageName=stage)
    return api, stage


def _settings(client: Any, api: str, stage: str, level: str, encrypted: bool) -> None:
    client.update_stage(
        restApiId=api,
        stageName=stage,
        patchOperations=[
            {"op": "replace", "path": "/*/*/logging/loglevel", "value": level},
            {"op": "replace", "path": "/*/*/caching/enabled", "value": "true"},
            {
                "op": "replace",
                "path": "/*/*/caching/dataEncrypted",
                "value": str(encrypted).lower(),
            },
            {"op": "replace", "path": "/tracingEnabled", "value": str(encrypted).lower()},
        ],
    )


def _web_acl(session: Any, region: str, name: str) -> str:
    visibility = {"SampledRequestsEnabled": True, "CloudWatchMetricsEnabled": True}
    return session.client("wafv2", region_name=region).create_web_acl(
        Name=name,
        Scope="REGIONAL",
        DefaultAction={"Allow": {}},
        VisibilityConfig={**visibility, "MetricName": name},
        Rules=[
            {
                "Name": "common-rules",
                "Priority": 0,
                "Statement": {
                    "ManagedRuleGroupStatement": {
                        "VendorName": "AWS",
                        "Name": "AWSManagedRulesCommonRuleSet",
                    }
                },
                "OverrideAction": {"None": {}},
                "VisibilityConfig": {**visibility, "MetricName": "common-rules"},
            }
        ],
    )["Summary"]["ARN"]


def _v2(client: Any, region: str, account: str, n: int) -> None:
    http = client.create_api(Name=f"orders-http-{n}", ProtocolType="HTTP")["ApiId"]
    client.create_route(ApiId=http, RouteKey="GET /orders", AuthorizationType="AWS_IAM")
    client.create_route(ApiId=http, RouteKey="GET /health", AuthorizationType="NONE")
    client.create_stage(
        ApiId=http,
        StageName="$default",
        AccessLogSettings={
            "DestinationArn": _LOG_GROUP.format(region=region, account=account),
            "Format": "$context.requestId $context.identity.sourceIp $context.status",
        },
    )
    chat = client.create_api(
        Name=f"chat-{n}", ProtocolType="WEBSOCKET", RouteSelectionExpression="$request.body.action"
    )["ApiId"]
    client.create_route(ApiId=chat, RouteKey="$connect", AuthorizationType="AWS_IAM")
    client.create_stage(ApiId=chat, StageName="prod", DefaultRouteSettings={"LoggingLevel": "OFF"})


def seed(session: Any, regions: Sequence[str], scale: int = 1) -> None:
    """In the first region, per ``scale``: ``orders-api-N`` (INFO execution logging, encrypted
    cache, X-Ray, a WAF web ACL), ``legacy-api-N`` (none of these), ``orders-http-N``
    (access logs; one IAM-authorized route, one open) and ``chat-N`` (WebSocket, no
    execution or access logs)."""
    account = session.client("sts", region_name=regions[0]).get_caller_identity()["Account"]
    # One region shows both sides; the demo's other region stays empty, which is cheaper.
    for region in regions[:1]:
        client = session.client("apigateway", region_name=region)
        for n in range(scale):
            api, stage = _rest_api(client, f"orders-api-{n}", "prod")
            _settings(client, api, stage, "INFO", encrypted=True)
            session.client("wafv2", region_name=region).associate_web_acl(
                WebACLArn=_web_acl(session, region, f"orders-api-protection-{n}"),
                ResourceArn=f"arn:aws:apigateway:{region}::/restapis/{api}/stages/{stage}",
            )
            legacy, test = _rest_api(client, f"legacy-api-{n}", "test")
            _settings(client, legacy, test, "OFF", encrypted=False)
            _v2(session.client("apigatewayv2", region_name=region), region, account, n)
