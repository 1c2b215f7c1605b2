"""AWS Certificate Manager checks: certificates renewed in time, RSA keys long enough
(AWS FSBP ACM.1, ACM.2)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime

from srm_tui.checks._common import parse_date
from srm_tui.checks.context import Context, check
from srm_tui.model import Finding

CERTS = "acm.certificates"
# The key size in a KeyAlgorithm: AWS answers "RSA-2048" although its API model lists
# "RSA_2048"; both spellings are read.
_RSA_BITS = re.compile(r"^RSA[-_](\d+)$", re.IGNORECASE)


def _none_here(ctx: Context) -> Finding:
    return ctx.na(ctx.account_arn("acm"), "no ACM certificates in this region")


@check("acm.certificate_renewal", needs=(CERTS,))
def certificate_renewal(ctx: Context) -> Iterable[Finding]:
    window = int(ctx.param("days_to_expiration"))
    now = datetime.now(UTC)
    items = ctx.data(CERTS)
    for cert in items:
        expires = parse_date(cert.get("not_after"))
        label = f"{cert.get('domain', '')} ({cert.get('type', '').lower() or 'certificate'})"
        if expires is None:
            yield ctx.na(cert["arn"], f"{label}: not issued, no expiry date")
            continue
        days = (expires - now).days
        if expires <= now:
            yield ctx.fail(cert["arn"], f"{label}: expired {-days} day(s) ago")
        elif days < window:
            yield ctx.fail(cert["arn"], f"{label}: expires in {days} day(s), within {window}")
        else:
            yield ctx.ok(cert["arn"], f"{label}: expires in {days} days")
    if not items:
        yield _none_here(ctx)


@check("acm.rsa_key_length", needs=(CERTS,))
def rsa_key_length(ctx: Context) -> Iterable[Finding]:
    items = ctx.data(CERTS)
    for cert in items:
        algorithm = str(cert.get("key_algorithm", ""))
        label = cert.get("domain", "")
        if not algorithm.upper().startswith("RSA"):
            yield ctx.na(cert["arn"], f"{label}: {algorithm or 'unknown'} key, not RSA")
            continue
        match = _RSA_BITS.match(algorithm.strip())
        bits = int(match.group(1)) if match else 0
        if bits >= 2048:
            yield ctx.ok(cert["arn"], f"{label}: RSA {bits}-bit key")
        else:
            yield ctx.fail(cert["arn"], f"{label}: RSA key of {bits or 'unknown'} bits, under 2048")
    if not items:
        yield _none_here(ctx)
