"""API Gateway checks: REST API stages, and HTTP and WebSocket API stages and routes."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from srm_tui.checks import per_resource
from srm_tui.checks.context import Context, check
from srm_tui.model import Finding

_DEFAULT = "*/*"  # the method settings that apply to every method of a stage


def _method(path: str) -> str:
    # "~1pets~1{id}/GET" -> "GET /pets/{id}" (API Gateway escapes "/" as "~1").
    resource, _, verb = path.rpartition("/")
    return f"{verb} {resource.replace('~1', '/') or '/'}"


def rest_logging_gaps(stage: Mapping[str, Any], levels: Iterable[str]) -> list[str]:
    """Where a REST stage's execution logging level is not one of ``levels``: the
    stage default, then each method that overrides it."""
    allowed = set(levels)
    settings = stage["method_settings"]
    gaps = []
    default = (settings.get(_DEFAULT) or {}).get("logging_level", "OFF")
    if default not in allowed:
        gaps.append(f"stage default {default}")
    gaps += [
        f"{_method(path)} {s['logging_level']}"
        for path, s in sorted(settings.items())
        if path != _DEFAULT and s["logging_level"] not in allowed
    ]
    return gaps


def websocket_logging_gaps(stage: Mapping[str, Any], levels: Iterable[str]) -> list[str]:
    """As ``rest_logging_gaps``, for a WebSocket stage's default and route settings."""
    allowed = set(levels)
    gaps = []
    if stage["logging_level"] not in allowed:
        gaps.append(f"stage default {stage['logging_level']}")
    gaps += [
        f"route {route} {level}"
        for route, level in sorted(stage["route_logging_levels"].items())
        if level not in allowed
    ]
    return gaps


@check(
    "apigateway.execution_logging",
    needs=("apigateway.rest_stages", "apigateway.v2_apis"),
)
def execution_logging(ctx: Context) -> Iterable[Finding]:
    levels = tuple(ctx.param("logging_levels"))
    wanted = " or ".join(levels)

    def judge(stage: Mapping[str, Any], gaps: list[str]) -> Finding:
        if gaps:
            return ctx.fail(stage["arn"], f"execution logging not {wanted}: " + ", ".join(gaps))
        return ctx.ok(stage["arn"], f"execution logging {wanted} for every method")

    yield from per_resource.each(
        ctx,
        ctx.data("apigateway.rest_stages"),
        lambda stage: judge(stage, rest_logging_gaps(stage, levels)),
        fields=("stages", "method_settings"),
    )

    def websocket(api: Mapping[str, Any]) -> Iterator[Finding]:
        if api["protocol"] != "WEBSOCKET":
            return  # HTTP APIs have no execution logs; APIGateway.9 covers their access logs
        for stage in api["stages"]:
            yield judge(stage, websocket_logging_gaps(stage, levels))

    yield from per_resource.each(ctx, ctx.data("apigateway.v2_apis"), websocket)


def _rest_stages(ctx: Context, judge: per_resource.Judge, *fields: str) -> Iterator[Finding]:
    """``judge`` each REST API stage; only a refusal of ``fields`` (or of the API's
    stages) makes an error of it."""
    stages = ctx.data("apigateway.rest_stages")
    yield from per_resource.each(ctx, stages, judge, fields=("stages", *fields))


def _rest_stage_setting(ctx: Context, field: str, yes: str, no: str) -> Iterator[Finding]:
    yield from _rest_stages(
        ctx, lambda s: ctx.ok(s["arn"], yes) if s[field] else ctx.fail(s["arn"], no), field
    )


@check("apigateway.backend_certificate", needs=("apigateway.rest_stages",))
def backend_certificate(ctx: Context) -> Iterable[Finding]:
    def judge(stage: Mapping[str, Any]) -> Finding:
        types = stage["integration_types"]
        if types and all(kind == "AWS" for kind in types):
            # AWS Config (api-gw-ssl-enabled) is NOT_APPLICABLE where the integration
            # is an AWS service: there is no backend of the customer's to authenticate to.
            return ctx.na(stage["arn"], "every integration is an AWS service integration")
        if stage["client_certificate"]:
            return ctx.ok(
                stage["arn"], "a client certificate authenticates the stage to its backend"
            )
        return ctx.fail(stage["arn"], "no client certificate for backend authentication")

    return _rest_stages(ctx, judge, "client_certificate", "integration_types")


@check("apigateway.xray_tracing", needs=("apigateway.rest_stages",))
def xray_tracing(ctx: Context) -> Iterable[Finding]:
    return _rest_stage_setting(
        ctx, "tracing", "X-Ray active tracing enabled", "X-Ray active tracing disabled"
    )


@check("apigateway.waf_web_acl", needs=("apigateway.rest_stages",))
def waf_web_acl(ctx: Context) -> Iterable[Finding]:
    def judge(stage: Mapping[str, Any]) -> Finding:
        if stage["web_acl"]:
            return ctx.ok(stage["arn"], "web ACL " + stage["web_acl"])
        return ctx.fail(stage["arn"], "no AWS WAF web ACL is associated")

    return _rest_stages(ctx, judge, "web_acl")


@check("apigateway.cache_encrypted", needs=("apigateway.rest_stages",))
def cache_encrypted(ctx: Context) -> Iterable[Finding]:
    def judge(stage: Mapping[str, Any]) -> Finding:
        caching = {p: s for p, s in stage["method_settings"].items() if s["caching"]}
        if not caching:
            return ctx.na(stage["arn"], "no method caches responses")
        clear = [
            "every method" if p == _DEFAULT else _method(p)
            for p, s in sorted(caching.items())
            if not s["cache_encrypted"]
        ]
        if clear:
            return ctx.fail(stage["arn"], "cache data not encrypted for " + ", ".join(clear))
        return ctx.ok(stage["arn"], "cache data encrypted for every caching method")

    return _rest_stages(ctx, judge, "method_settings")


@check("apigateway.route_authorization", needs=("apigateway.v2_apis",))
def route_authorization(ctx: Context) -> Iterable[Finding]:
    accepted = tuple(ctx.param("authorization_types"))

    def judge(api: Mapping[str, Any]) -> Iterator[Finding]:
        for route in api["routes"]:
            kind = route["authorization_type"]
            label = f"{api['name']} {route['route_key']}: authorization {kind}"
            if kind in accepted:
                yield ctx.ok(route["arn"], label)
            else:
                yield ctx.fail(route["arn"], f"{label}, not one of {', '.join(accepted)}")

    return per_resource.each(ctx, ctx.data("apigateway.v2_apis"), judge)


@check("apigateway.v2_access_logging", needs=("apigateway.v2_apis",))
def v2_access_logging(ctx: Context) -> Iterable[Finding]:
    def judge(api: Mapping[str, Any]) -> Iterator[Finding]:
        for stage in api["stages"]:
            if stage["access_logs"]:
                yield ctx.ok(stage["arn"], "access logs have a destination")
            else:
                yield ctx.fail(stage["arn"], "access logging is not configured")

    return per_resource.each(ctx, ctx.data("apigateway.v2_apis"), judge)
