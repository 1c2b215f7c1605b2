"""What several check modules read alike: dates, policy documents, CIDR ranges."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any

from srm_tui.checks import resource_policy


def parse_date(value: Any) -> datetime | None:
    """A credential-report or API date, or None for "N/A", "no_information"..."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if not isinstance(value, str) or not value[:1].isdigit():
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def days_since(value: Any, now: datetime | None = None) -> int | None:
    """Whole days since a date, or None when there is no date."""
    when = parse_date(value)
    if when is None:
        return None
    return ((now or datetime.now(UTC)) - when).days


def as_list(value: Any) -> list[Any]:
    """A policy field that may be one value or a list, as a list."""
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def statements(document: Any) -> Iterator[dict[str, Any]]:
    """The statements of a policy document (a dict, or JSON text)."""
    if isinstance(document, str):
        import json
        from urllib.parse import unquote

        try:
            document = json.loads(unquote(document) if document.startswith("%") else document)
        except ValueError:
            return
    if not isinstance(document, dict):
        return
    for stmt in as_list(document.get("Statement")):
        if isinstance(stmt, dict):
            yield stmt


def is_public_principal(principal: Any) -> bool:
    """True for any principal at all (``resource_policy.is_wildcard_principal``)."""
    return resource_policy.is_wildcard_principal(principal)


def is_public_statement(stmt: dict[str, Any]) -> bool:
    """An Allow for any principal that no condition narrows to known parties: the one
    reading of ``resource_policy.is_public_statement``, kept here for its callers."""
    return resource_policy.is_public_statement(stmt)


def allows_everything(stmt: dict[str, Any]) -> bool:
    """An Allow of Action ``*`` on Resource ``*``."""
    return (
        stmt.get("Effect") == "Allow"
        and "*" in as_list(stmt.get("Action"))
        and "*" in as_list(stmt.get("Resource"))
    )


def covers_port(
    rule_from: Any, rule_to: Any, protocol: Any, port: int, *, udp: bool = False
) -> bool:
    """True when a rule's protocol and port range take in TCP ``port`` (or, with
    ``udp``, UDP ``port`` as well)."""
    if str(protocol) in ("-1", "all"):
        return True
    wanted = ("tcp", "6", "udp", "17") if udp else ("tcp", "6")
    if str(protocol).lower() not in wanted:
        return False
    if rule_from is None or rule_to is None:
        return True
    return int(rule_from) <= port <= int(rule_to)


def is_anywhere(cidr: str) -> bool:
    """0.0.0.0/0 or ::/0."""
    return cidr in ("0.0.0.0/0", "::/0")


def prefix_length(cidr: str) -> int | None:
    """The prefix length of a CIDR block, or None when it is not one."""
    try:
        return ipaddress.ip_network(cidr, strict=False).prefixlen
    except ValueError:
        return None


def cidr_within(inner: str, outers: Iterable[str]) -> bool:
    """True when ``inner`` fits inside one of ``outers``."""
    try:
        net = ipaddress.ip_network(inner, strict=False)
    except ValueError:
        return False
    for outer in outers:
        try:
            other = ipaddress.ip_network(outer, strict=False)
        except ValueError:
            continue
        if net.version == other.version and net.subnet_of(other):  # type: ignore[arg-type]
            return True
    return False
