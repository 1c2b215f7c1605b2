"""Load balancer checks: access logs, HTTPS and TLS policies, header and desync
protection, deletion protection and zone spread, for Application, Network, Gateway and
Classic Load Balancers (AWS FSBP ELB.1-ELB.18)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from srm_tui.checks.context import Context, check
from srm_tui.collected import Unreadable
from srm_tui.model import Finding

V2 = "elbv2.load_balancers"
LISTENERS = "elbv2.listeners"
CLASSIC = "elb.classic_load_balancers"

# ELB.12 and ELB.14: the modes AWS accepts ("not customizable").
SAFE_DESYNC = ("defensive", "strictest")
# What AWS applies when the attribute is not set.
DEFAULT_DESYNC = "defensive"
# ELB.8: the one predefined policy AWS accepts for Classic Load Balancers.
CLASSIC_TLS_POLICY = "ELBSecurityPolicy-TLS-1-2-2017-01"
# ELB.17: the recommended policies AWS lists ("not customizable").
RECOMMENDED_TLS_POLICIES = (
    "ELBSecurityPolicy-TLS13-1-2-2021-06",
    "ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04",
    "ELBSecurityPolicy-TLS13-1-3-2021-06",
    "ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04",
    "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
    "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-2023-04",
)
SECURE_CLASSIC = ("HTTPS", "SSL")


def _none_here(ctx: Context, what: str) -> Finding:
    return ctx.na(ctx.account_arn("elasticloadbalancing"), f"no {what} in this region")


@check("elb.access_logging", needs=(V2, CLASSIC))
def access_logging(ctx: Context) -> Iterable[Finding]:
    for lb in ctx.data(V2):
        if lb["access_logs"] is None:
            continue  # network and gateway load balancers: not web front ends
        if isinstance(lb["access_logs"], Unreadable):
            yield ctx.error(lb["arn"], lb["access_logs"].reason)
        elif lb["access_logs"]:
            yield ctx.ok(lb["arn"], "access logs on")
        else:
            yield ctx.fail(lb["arn"], "access logs off")
    for lb in ctx.data(CLASSIC):
        attributes = lb["attributes"]
        if isinstance(attributes, Unreadable):
            yield ctx.error(lb["arn"], attributes.reason)
        elif attributes["access_logs"]:
            yield ctx.ok(lb["arn"], "access logs on (classic)")
        else:
            yield ctx.fail(lb["arn"], "access logs off (classic)")


def _judge_attributes(
    ctx: Context,
    items: list[dict[str, Any]],
    judge: Callable[[dict[str, Any]], tuple[bool, str]],
    what: str,
) -> Iterable[Finding]:
    """One finding per load balancer: ``judge`` reads its attributes (an error where
    they could not be read)."""
    for lb in items:
        attributes = lb["attributes"]
        if isinstance(attributes, Unreadable):
            yield ctx.error(lb["arn"], attributes.reason)
            continue
        passed, detail = judge(attributes)
        yield ctx.ok(lb["arn"], detail) if passed else ctx.fail(lb["arn"], detail)
    if not items:
        yield _none_here(ctx, what)


def _v2_attribute(
    ctx: Context,
    types: tuple[str, ...],
    judge: Callable[[dict[str, str]], tuple[bool, str]],
    what: str,
) -> Iterable[Finding]:
    """One finding per load balancer of ``types``."""
    items = [lb for lb in ctx.data(V2) if lb["type"] in types]
    return _judge_attributes(ctx, items, judge, what)


@check("elb.alb_drop_invalid_headers", needs=(V2,))
def alb_drop_invalid_headers(ctx: Context) -> Iterable[Finding]:
    def judge(attributes: dict[str, str]) -> tuple[bool, str]:
        # AWS's default when the attribute is absent is false.
        value = attributes.get("routing.http.drop_invalid_header_fields.enabled", "false")
        if value == "true":
            return True, "drops invalid HTTP header fields"
        return False, "keeps invalid HTTP header fields"

    return _v2_attribute(ctx, ("application",), judge, "Application Load Balancers")


@check("elb.alb_desync_mode", needs=(V2,))
def alb_desync_mode(ctx: Context) -> Iterable[Finding]:
    def judge(attributes: dict[str, str]) -> tuple[bool, str]:
        mode = attributes.get("routing.http.desync_mitigation_mode") or DEFAULT_DESYNC
        return mode in SAFE_DESYNC, f"desync mitigation mode {mode}"

    return _v2_attribute(ctx, ("application",), judge, "Application Load Balancers")


@check("elb.deletion_protection", needs=(V2,))
def deletion_protection(ctx: Context) -> Iterable[Finding]:
    def judge(attributes: dict[str, str]) -> tuple[bool, str]:
        if attributes.get("deletion_protection.enabled") == "true":
            return True, "deletion protection on"
        return False, "deletion protection off"

    return _v2_attribute(
        ctx, ("application", "network", "gateway"), judge, "Application, Network or Gateway "
        "Load Balancers",
    )  # fmt: skip


def _min_zones(ctx: Context, items: list[dict[str, Any]], what: str) -> Iterable[Finding]:
    wanted = int(ctx.param("min_availability_zones"))
    for lb in items:
        zones = lb.get("zones") or []
        detail = f"{len(zones)} Availability Zone(s): {', '.join(zones) or 'none'}"
        if len(zones) >= wanted:
            yield ctx.ok(lb["arn"], detail)
        else:
            yield ctx.fail(lb["arn"], f"{detail}; at least {wanted} wanted")
    if not items:
        yield _none_here(ctx, what)


@check("elb.multi_az", needs=(V2,))
def multi_az(ctx: Context) -> Iterable[Finding]:
    return _min_zones(ctx, ctx.data(V2), "Application, Network or Gateway Load Balancers")


@check("elb.clb_multi_az", needs=(CLASSIC,))
def clb_multi_az(ctx: Context) -> Iterable[Finding]:
    return _min_zones(ctx, ctx.data(CLASSIC), "Classic Load Balancers")


def _listeners(
    ctx: Context, types: tuple[str, ...]
) -> Iterable[tuple[dict[str, Any], list[dict[str, Any]] | Unreadable]]:
    for entry in ctx.data(LISTENERS):
        if entry["type"] in types:
            yield entry, entry["listeners"]


def _redirects_to_https(listener: dict[str, Any]) -> bool:
    return any(
        a.get("type") == "redirect" and str(a.get("protocol", "")).upper() == "HTTPS"
        for a in listener.get("default_actions") or []
    )


@check("elb.alb_https_redirect", needs=(LISTENERS,))
def alb_https_redirect(ctx: Context) -> Iterable[Finding]:
    seen = False
    for lb, listeners in _listeners(ctx, ("application",)):
        seen = True
        if isinstance(listeners, Unreadable):
            yield ctx.error(lb["lb_arn"], listeners.reason)
            continue
        plain = [item for item in listeners if item.get("protocol") == "HTTP"]
        missing = [str(item.get("port")) for item in plain if not _redirects_to_https(item)]
        if missing:
            yield ctx.fail(lb["lb_arn"], "HTTP listener(s) on port " + ", ".join(missing)
                           + " do not redirect to HTTPS")  # fmt: skip
        elif plain:
            yield ctx.ok(lb["lb_arn"], "every HTTP listener redirects to HTTPS")
        else:
            yield ctx.ok(lb["lb_arn"], "no HTTP listener")
    if not seen:
        yield _none_here(ctx, "Application Load Balancers")


# ELB.17 and ELB.18 judge each listener of these load balancer types; the protocol that
# encrypts is the one AWS names for the type.
_SECURE_PROTOCOL = {"application": "HTTPS", "network": "TLS"}


def _per_listener(
    ctx: Context,
    judge: Callable[[str, dict[str, Any]], tuple[bool, str] | None],
    what: str,
) -> Iterable[Finding]:
    """One finding per listener of an Application or Network Load Balancer: ``judge``
    gets the protocol that encrypts on that type and the listener, and answers (passed,
    detail) or None to skip it. A load balancer whose listeners could not be read is one
    error."""
    seen = False
    for lb, listeners in _listeners(ctx, tuple(_SECURE_PROTOCOL)):
        if isinstance(listeners, Unreadable):
            seen = True
            yield ctx.error(lb["lb_arn"], listeners.reason)
            continue
        for item in listeners:
            verdict = judge(_SECURE_PROTOCOL[lb["type"]], item)
            if verdict is None:
                continue
            seen = True
            passed, detail = verdict
            detail = f"{lb['name']} port {item.get('port')}: {detail}"
            yield ctx.ok(item["arn"], detail) if passed else ctx.fail(item["arn"], detail)
    if not seen:
        yield _none_here(ctx, what)


@check("elb.listener_encryption", needs=(LISTENERS,))
def listener_encryption(ctx: Context) -> Iterable[Finding]:
    def judge(wanted: str, item: dict[str, Any]) -> tuple[bool, str]:
        protocol = item.get("protocol", "")
        return protocol == wanted, protocol if protocol == wanted else f"{protocol}, not {wanted}"

    return _per_listener(ctx, judge, "Application or Network Load Balancer listeners")


@check("elb.listener_tls_policy", needs=(LISTENERS,))
def listener_tls_policy(ctx: Context) -> Iterable[Finding]:
    def judge(wanted: str, item: dict[str, Any]) -> tuple[bool, str] | None:
        if item.get("protocol") != wanted:
            return None  # only HTTPS (ALB) and TLS (NLB) listeners negotiate TLS
        policy = item.get("ssl_policy") or "none"
        if policy in RECOMMENDED_TLS_POLICIES:
            return True, policy
        return False, f"{policy} is not a recommended policy"

    return _per_listener(ctx, judge, "HTTPS or TLS listeners")


def _classic_attribute(
    ctx: Context, judge: Callable[[dict[str, Any]], tuple[bool, str]]
) -> Iterable[Finding]:
    return _judge_attributes(ctx, ctx.data(CLASSIC), judge, "Classic Load Balancers")


@check("elb.clb_connection_draining", needs=(CLASSIC,))
def clb_connection_draining(ctx: Context) -> Iterable[Finding]:
    return _classic_attribute(
        ctx,
        lambda a: (
            a["connection_draining"],
            f"connection draining {_on(a['connection_draining'])}",
        ),
    )


@check("elb.clb_cross_zone", needs=(CLASSIC,))
def clb_cross_zone(ctx: Context) -> Iterable[Finding]:
    return _classic_attribute(
        ctx, lambda a: (a["cross_zone"], f"cross-zone load balancing {_on(a['cross_zone'])}")
    )


@check("elb.clb_desync_mode", needs=(CLASSIC,))
def clb_desync_mode(ctx: Context) -> Iterable[Finding]:
    def judge(attributes: dict[str, Any]) -> tuple[bool, str]:
        mode = attributes.get("desync_mode") or DEFAULT_DESYNC
        return mode in SAFE_DESYNC, f"desync mitigation mode {mode}"

    return _classic_attribute(ctx, judge)


def _on(value: bool) -> str:
    return "on" if value else "off"


@check("elb.clb_secure_listeners", needs=(CLASSIC,))
def clb_secure_listeners(ctx: Context) -> Iterable[Finding]:
    items = ctx.data(CLASSIC)
    for lb in items:
        listeners = lb.get("listeners") or []
        plain = [f"{item['protocol']}:{item['port']}" for item in listeners
                 if item["protocol"] not in SECURE_CLASSIC]  # fmt: skip
        if not listeners:
            yield ctx.na(lb["arn"], "no listener")
        elif plain:
            yield ctx.fail(lb["arn"], "listeners without HTTPS or SSL: " + ", ".join(plain))
        else:
            yield ctx.ok(lb["arn"], "every listener uses HTTPS or SSL")
    if not items:
        yield _none_here(ctx, "Classic Load Balancers")


def _secure_classic(ctx: Context) -> list[tuple[dict[str, Any], list[dict[str, Any]]]]:
    """Each Classic Load Balancer that has HTTPS or SSL listeners, with those listeners."""
    found = []
    for lb in ctx.data(CLASSIC):
        secure = [item for item in lb.get("listeners") or [] if item["protocol"] in SECURE_CLASSIC]
        if secure:
            found.append((lb, secure))
    return found


@check("elb.clb_acm_certificate", needs=(CLASSIC,))
def clb_acm_certificate(ctx: Context) -> Iterable[Finding]:
    found = _secure_classic(ctx)
    for lb, secure in found:
        other = [str(item["port"]) for item in secure if ":acm:" not in str(item["certificate"])]
        if other:
            yield ctx.fail(lb["arn"], "listener(s) on port " + ", ".join(other)
                           + " use a certificate not issued or imported by ACM")  # fmt: skip
        else:
            yield ctx.ok(lb["arn"], "every HTTPS/SSL listener uses an ACM certificate")
    if not found:
        yield _none_here(ctx, "Classic Load Balancers with HTTPS or SSL listeners")


@check("elb.clb_ssl_policy", needs=(CLASSIC,))
def clb_ssl_policy(ctx: Context) -> Iterable[Finding]:
    found = _secure_classic(ctx)
    for lb, secure in found:
        policies = lb.get("ssl_policies")
        if isinstance(policies, Unreadable):
            yield ctx.error(lb["arn"], policies.reason)
            continue
        weak = []
        for item in secure:
            used = [policies[name] for name in item["policies"] if name in (policies or {})]
            if CLASSIC_TLS_POLICY not in used:
                weak.append(f"{item['port']} ({', '.join(p or 'custom' for p in used) or 'none'})")
        if weak:
            yield ctx.fail(
                lb["arn"], f"listener(s) not on {CLASSIC_TLS_POLICY}: " + ", ".join(weak)
            )
        else:
            yield ctx.ok(lb["arn"], f"every HTTPS/SSL listener uses {CLASSIC_TLS_POLICY}")
    if not found:
        yield _none_here(ctx, "Classic Load Balancers with HTTPS or SSL listeners")
