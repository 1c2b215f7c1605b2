"""CloudFront checks: access logs, encryption to viewers and origins, certificates, web
ACLs, origin failover and how origins are reached (origin access control, buckets that
still exist)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from srm_tui.checks.context import Context, check
from srm_tui.model import Finding

Judge = Callable[[dict[str, Any]], tuple[bool | None, str]]


def _each(ctx: Context, judge: Judge) -> Iterable[Finding]:
    """One finding per distribution; a judge answering None means the control does not
    apply to that distribution (its detail says why)."""
    for dist in ctx.data("cloudfront.distributions"):
        passed, detail = judge(dist)
        if passed is None:
            yield ctx.na(dist["arn"], detail)
        else:
            yield (ctx.ok if passed else ctx.fail)(dist["arn"], detail)


def _origins(dist: dict[str, Any], *kinds: str) -> list[dict[str, Any]]:
    return [o for o in dist.get("origins") or [] if o.get("kind") in kinds]


@check("cloudfront.access_logging", needs=("cloudfront.distributions",))
def access_logging(ctx: Context) -> Iterable[Finding]:
    for dist in ctx.data("cloudfront.distributions"):
        if dist["standard_logging"]:
            yield ctx.ok(dist["arn"], "standard logging to S3 on")
        elif dist["log_delivery"]:
            yield ctx.ok(dist["arn"], "access logs sent through CloudWatch log delivery")
        else:
            yield ctx.fail(dist["arn"], "no access logging")


def _root_object(dist: dict[str, Any]) -> tuple[bool | None, str]:
    if not _origins(dist, "s3"):
        return None, "no S3 origin: the control applies to distributions with S3 origins"
    if dist.get("default_root_object"):
        return True, f"default root object {dist['default_root_object']}"
    return False, "S3 origin without a default root object"


@check("cloudfront.default_root_object", needs=("cloudfront.distributions",))
def default_root_object(ctx: Context) -> Iterable[Finding]:
    return _each(ctx, _root_object)


def _viewer_https(dist: dict[str, Any]) -> tuple[bool, str]:
    if "allow-all" in dist.get("viewer_protocols", []):
        return False, "a cache behavior allows plain HTTP (viewer protocol policy allow-all)"
    return True, "every cache behavior requires or redirects to HTTPS"


@check("cloudfront.viewer_https", needs=("cloudfront.distributions",))
def viewer_https(ctx: Context) -> Iterable[Finding]:
    return _each(ctx, _viewer_https)


def _failover(dist: dict[str, Any]) -> tuple[bool, str]:
    if any(count >= 2 for count in dist.get("origin_groups") or []):
        return True, "an origin group with two or more origins"
    return False, "no origin group with two or more origins"


@check("cloudfront.origin_failover", needs=("cloudfront.distributions",))
def origin_failover(ctx: Context) -> Iterable[Finding]:
    return _each(ctx, _failover)


@check("cloudfront.waf", needs=("cloudfront.distributions",))
def waf(ctx: Context) -> Iterable[Finding]:
    return _each(
        ctx,
        lambda d: (
            (True, "associated with a web ACL")
            if d.get("web_acl")
            else (False, "no AWS WAF web ACL")
        ),
    )


def _custom_certificate(dist: dict[str, Any]) -> tuple[bool | None, str]:
    if dist.get("tenant_only"):
        # AWS Config (cloudfront-custom-ssl-certificate): multi-tenant distributions are
        # not applicable; each tenant brings its own certificate.
        return None, "multi-tenant distribution: its tenants bring their certificates"
    if dist["certificate"]["default"]:
        return False, "uses the default *.cloudfront.net certificate"
    return True, "uses a custom SSL/TLS certificate"


@check("cloudfront.custom_certificate", needs=("cloudfront.distributions",))
def custom_certificate(ctx: Context) -> Iterable[Finding]:
    return _each(ctx, _custom_certificate)


def _sni(dist: dict[str, Any]) -> tuple[bool, str]:
    cert = dist["certificate"]
    if cert["default"]:
        return True, "default certificate: no dedicated IP addresses"
    if cert["ssl_support_method"] == "vip":
        return False, "custom certificate served from dedicated IP addresses, not SNI"
    return True, f"custom certificate served with {cert['ssl_support_method'] or 'SNI'}"


@check("cloudfront.sni", needs=("cloudfront.distributions",))
def sni(ctx: Context) -> Iterable[Finding]:
    return _each(ctx, _sni)


def _custom_origins(dist: dict[str, Any]) -> list[dict[str, Any]]:
    """The origins with a custom origin configuration, whatever their domain: AWS Config
    judges CloudFront.9 and .10 on that configuration, so a bucket's REST endpoint set up
    as a custom origin counts."""
    return [o for o in dist.get("origins") or [] if o.get("custom")]


def _origin_https(dist: dict[str, Any]) -> tuple[bool | None, str]:
    custom = _custom_origins(dist)
    if not custom:
        return None, "no custom origin"
    allow_all = "allow-all" in dist.get("viewer_protocols", [])
    bad = [
        o["id"]
        for o in custom
        if o["protocol_policy"] == "http-only"
        or (o["protocol_policy"] == "match-viewer" and allow_all)
    ]
    if bad:
        return False, "origins reached over plain HTTP: " + ", ".join(bad)
    return True, "custom origins are reached over HTTPS"


@check("cloudfront.origin_https", needs=("cloudfront.distributions",))
def origin_https(ctx: Context) -> Iterable[Finding]:
    return _each(ctx, _origin_https)


def _origin_ssl(dist: dict[str, Any]) -> tuple[bool | None, str]:
    custom = _custom_origins(dist)
    if not custom:
        return None, "no custom origin"
    bad = [o["id"] for o in custom if "SSLv3" in (o.get("ssl_protocols") or [])]
    if bad:
        return False, "SSLv3 allowed towards origins: " + ", ".join(bad)
    return True, "no custom origin allows SSLv3"


@check("cloudfront.origin_ssl_protocols", needs=("cloudfront.distributions",))
def origin_ssl_protocols(ctx: Context) -> Iterable[Finding]:
    return _each(ctx, _origin_ssl)


def _buckets_exist(dist: dict[str, Any]) -> tuple[bool | None, str]:
    s3 = [o for o in _origins(dist, "s3") if o.get("bucket")]
    if not s3:
        return None, "no S3 bucket origin"
    missing = sorted({o["bucket"] for o in s3 if o.get("bucket_exists") is False})
    if missing:
        return False, "origin bucket does not exist (anyone could create it): " + ", ".join(missing)
    return True, "every origin bucket exists"


@check("cloudfront.s3_origin_exists", needs=("cloudfront.distributions",))
def s3_origin_exists(ctx: Context) -> Iterable[Finding]:
    return _each(ctx, _buckets_exist)


def _oac(kind: str, label: str) -> Judge:
    def judge(dist: dict[str, Any]) -> tuple[bool | None, str]:
        origins = _origins(dist, kind)
        if not origins:
            return None, f"no {label} origin"
        bad = [o["id"] for o in origins if not o.get("oac")]
        if bad:
            return False, f"{label} origins without origin access control: " + ", ".join(bad)
        return True, f"every {label} origin uses origin access control"

    return judge


@check("cloudfront.s3_origin_access_control", needs=("cloudfront.distributions",))
def s3_origin_access_control(ctx: Context) -> Iterable[Finding]:
    return _each(ctx, _oac("s3", "S3"))


@check("cloudfront.lambda_url_origin_access_control", needs=("cloudfront.distributions",))
def lambda_url_origin_access_control(ctx: Context) -> Iterable[Finding]:
    return _each(ctx, _oac("lambda_url", "Lambda function URL"))


@check("cloudfront.tls_security_policy", needs=("cloudfront.distributions",))
def tls_security_policy(ctx: Context) -> Iterable[Finding]:
    allowed = [str(p) for p in ctx.param("security_policies")]

    def judge(dist: dict[str, Any]) -> tuple[bool | None, str]:
        cert = dist["certificate"]
        if cert["default"] or cert["ssl_support_method"] != "sni-only":
            return None, "the control applies to custom certificates served with SNI"
        policy = cert["minimum_protocol_version"]
        if policy in allowed:
            return True, f"security policy {policy}"
        return False, f"security policy {policy or 'unset'}, not one of {', '.join(allowed)}"

    return _each(ctx, judge)
