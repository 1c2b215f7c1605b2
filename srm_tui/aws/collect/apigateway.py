"""API Gateway: REST API stages (execution logging, caching, client certificate, tracing,
web ACL) and HTTP/WebSocket API stages and routes."""

from __future__ import annotations

from typing import Any

from srm_tui.aws.api import Api
from srm_tui.aws.collect.paging import detail_pages
from srm_tui.aws.collectors import collector
from srm_tui.collected import Unreadable


def _method_settings(raw: dict[str, Any]) -> dict[str, dict[str, Any]]:
    # "*/*" is the stage's default; other keys ("~1pets/GET") override one method.
    return {
        path: {
            "logging_level": str(setting.get("loggingLevel") or "OFF"),
            "caching": bool(setting.get("cachingEnabled")),
            "cache_encrypted": bool(setting.get("cacheDataEncrypted")),
        }
        for path, setting in (raw or {}).items()
        if isinstance(setting, dict)
    }


def _integration_types(api: Api, api_id: str) -> list[str] | Unreadable:
    """The integration types of the REST API's methods (AWS, AWS_PROXY, HTTP,
    HTTP_PROXY, MOCK), or Unreadable."""
    resources = detail_pages(
        api, "apigateway", None, "get_resources", "items",
        token_in="position", token_out="position", restApiId=api_id, embed=["methods"],
    )  # fmt: skip
    if isinstance(resources, Unreadable):
        return resources
    return sorted(
        {
            str((method.get("methodIntegration") or {}).get("type", ""))
            for resource in resources
            for method in (resource.get("resourceMethods") or {}).values()
            if isinstance(method, dict) and method.get("methodIntegration")
        }
    )


@collector(
    "apigateway.rest_stages",
    service="apigateway",
    api_calls=("apigateway:GET",),
    in_use=bool,
)
def rest_stages(api: Api, region: str) -> list[dict[str, Any]]:
    """Each stage of each REST API: API id and name, stage name and ARN, the method
    settings (default "*/*" and per-method overrides: logging level, caching, cache
    encryption), whether a client certificate is set, X-Ray tracing, the web ACL, and
    the API's integration types (or Unreadable). A REST API whose stages cannot be read
    gives one entry with ``stages`` Unreadable."""
    found: list[dict[str, Any]] = []
    for rest_api in api.pages("apigateway", None, "get_rest_apis", "items"):
        api_id = rest_api["id"]
        answer = api.detail("apigateway", None, "get_stages", restApiId=api_id)
        if isinstance(answer, Unreadable):
            found.append(
                {
                    "api_id": api_id,
                    "api_name": rest_api.get("name", ""),
                    "arn": f"arn:{api.partition}:apigateway:{region}::/restapis/{api_id}",
                    "stages": answer,
                }
            )
            continue
        stages = answer.get("item") or []
        integrations = _integration_types(api, api_id) if stages else []
        for stage in stages:
            name = stage.get("stageName", "")
            found.append(
                {
                    "api_id": api_id,
                    "api_name": rest_api.get("name", ""),
                    "stage": name,
                    "arn": f"arn:{api.partition}:apigateway:{region}::/restapis/{api_id}"
                    f"/stages/{name}",
                    "method_settings": _method_settings(stage.get("methodSettings")),
                    "client_certificate": bool(stage.get("clientCertificateId")),
                    "tracing": bool(stage.get("tracingEnabled")),
                    "web_acl": stage.get("webAclArn", ""),
                    "integration_types": integrations,
                }
            )
    return found


def _v2_stage(api: Api, region: str, api_id: str, stage: dict[str, Any]) -> dict[str, Any]:
    name = stage.get("StageName", "")
    route_levels = {
        key: str(setting.get("LoggingLevel") or "OFF")
        for key, setting in (stage.get("RouteSettings") or {}).items()
        if isinstance(setting, dict) and "LoggingLevel" in setting
    }
    return {
        "stage": name,
        "arn": f"arn:{api.partition}:apigateway:{region}::/apis/{api_id}/stages/{name}",
        "access_logs": bool((stage.get("AccessLogSettings") or {}).get("DestinationArn")),
        "logging_level": str(
            (stage.get("DefaultRouteSettings") or {}).get("LoggingLevel") or "OFF"
        ),
        "route_logging_levels": route_levels,
    }


def _v2_api(api: Api, region: str, raw: dict[str, Any]) -> dict[str, Any]:
    api_id = raw["ApiId"]
    entry: dict[str, Any] = {
        "api_id": api_id,
        "name": raw.get("Name", ""),
        "protocol": raw.get("ProtocolType", ""),
        "arn": f"arn:{api.partition}:apigateway:{region}::/apis/{api_id}",
    }
    stages = detail_pages(api, "apigatewayv2", None, "get_stages", "Items", ApiId=api_id)
    if isinstance(stages, Unreadable):
        return {**entry, "stages": stages, "routes": stages}
    routes = detail_pages(api, "apigatewayv2", None, "get_routes", "Items", ApiId=api_id)
    if isinstance(routes, Unreadable):
        return {**entry, "stages": routes, "routes": routes}
    entry["stages"] = [_v2_stage(api, region, api_id, s) for s in stages]
    entry["routes"] = [
        {
            "route_key": route.get("RouteKey", ""),
            "arn": f"arn:{api.partition}:apigateway:{region}::/apis/{api_id}"
            f"/routes/{route.get('RouteId', '')}",
            "authorization_type": str(route.get("AuthorizationType") or "NONE"),
        }
        for route in routes
    ]
    return entry


@collector(
    "apigateway.v2_apis",
    service="apigatewayv2",
    api_calls=("apigateway:GET",),
    in_use=bool,
)
def v2_apis(api: Api, region: str) -> list[dict[str, Any]]:
    """Each HTTP or WebSocket API: id, name, protocol (HTTP or WEBSOCKET), ARN, its
    stages (name, ARN, access logging, default and per-route logging levels) and its
    routes (route key, ARN, authorization type). Stages and routes are Unreadable when
    AWS refused them for that API."""
    listed = api.pages("apigatewayv2", None, "get_apis", "Items")
    return api.each(lambda raw: _v2_api(api, region, raw), listed)
