"""Reading resource-based policies: which statements let anyone in.

Used by the checks of KMS key policies, Lambda function policies and ECR repository
policies (CIS 2.21: no ``"Principal": "*"`` without a condition that narrows it).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

# Condition keys that tie a wildcard principal to known accounts, organisations,
# networks or sources; a statement with one of them is not open to the world.
NARROWING_KEYS = frozenset(
    {
        "aws:sourceaccount",
        "aws:sourcearn",
        "aws:sourceowner",
        "aws:sourceorgid",
        "aws:sourceorgpaths",
        "aws:principalaccount",
        "aws:principalarn",
        "aws:principalorgid",
        "aws:principalorgpaths",
        "aws:sourcevpc",
        "aws:sourcevpce",
        "aws:sourceip",
        "aws:userid",
        "aws:username",
        "kms:calleraccount",
    }
)

_SOURCE_ACCOUNT_KEYS = frozenset({"aws:sourceaccount", "aws:sourceowner"})


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def _statements(policy: Any) -> list[Mapping[str, Any]]:
    if not isinstance(policy, Mapping):
        return []
    return [s for s in _as_list(policy.get("Statement")) if isinstance(s, Mapping)]


def is_wildcard_principal(principal: Any) -> bool:
    """True for ``"*"``, ``{"AWS": "*"}`` or a list that contains ``"*"``."""
    if principal == "*":
        return True
    if isinstance(principal, Mapping):
        return any("*" in _as_list(v) for v in principal.values())
    return False


def is_narrowed(condition: Any, keys: frozenset[str] = NARROWING_KEYS) -> bool:
    """True when the condition pins one of ``keys`` to values other than ``*``."""
    if not isinstance(condition, Mapping):
        return False
    for operator, tests in condition.items():
        if not isinstance(tests, Mapping):
            continue
        # A test that passes when the key is absent narrows nothing.
        if str(operator).endswith("IfExists"):
            continue
        for key, values in tests.items():
            if str(key).lower() in keys and all(str(v) not in ("*", "") for v in _as_list(values)):
                return True
    return False


def _label(statement: Mapping[str, Any], index: int) -> str:
    sid = statement.get("Sid")
    actions = ", ".join(str(a) for a in _as_list(statement.get("Action"))) or "any action"
    return f"statement {sid or index + 1} allows {actions}"


def public_statements(policy: Any) -> list[str]:
    """Labels of the Allow statements open to anyone: a wildcard principal (or an Allow
    with NotPrincipal) and no narrowing condition. Empty when none is public."""
    found = []
    for index, statement in enumerate(_statements(policy)):
        if statement.get("Effect") != "Allow":
            continue
        open_principal = is_wildcard_principal(statement.get("Principal")) or (
            "NotPrincipal" in statement
        )
        if open_principal and not is_narrowed(statement.get("Condition")):
            found.append(_label(statement, index))
    return found


def service_statements_without_source(policy: Any, services: Iterable[str]) -> list[str]:
    """Labels of Allow statements granting one of ``services`` (service principals such
    as ``s3.amazonaws.com``) with no source account condition: bucket ARNs carry no
    account, so without it any account's resource of that service could use the grant."""
    wanted = set(services)
    found = []
    for index, statement in enumerate(_statements(policy)):
        principal = statement.get("Principal")
        if statement.get("Effect") != "Allow" or not isinstance(principal, Mapping):
            continue
        if not wanted & set(_as_list(principal.get("Service"))):
            continue
        if not is_narrowed(statement.get("Condition"), _SOURCE_ACCOUNT_KEYS):
            found.append(_label(statement, index))
    return found
