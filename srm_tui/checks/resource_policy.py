"""Resource-based policies: which statements let anyone in.

The one reading of "public" behind every check of a resource policy (S3 buckets, KMS
keys, Lambda functions, ECR repositories, SNS topics, SQS queues, Secrets Manager
secrets...). It follows the criteria AWS documents for IAM Access Analyzer's public
findings and for S3 Block Public Access: an ``Allow`` for any principal (``"*"``,
``{"AWS": "*"}``, a principal with a wildcard, or ``NotPrincipal``) is public unless
its condition restricts the caller to known parties, that is, a test that

- uses a positive operator (``StringEquals``, ``StringEqualsIgnoreCase``,
  ``StringLike``, ``ArnEquals``, ``ArnLike``, ``IpAddress``, alone or after
  ``ForAnyValue:``): a negated operator (``StringNotEquals``, ``ArnNotLike``,
  ``NotIpAddress``...) lets in everyone it does not name, ``...IfExists`` and
  ``ForAllValues:`` hold when the key is absent (an anonymous caller has no
  ``aws:PrincipalAccount``), and ``Null``/``Bool`` name nobody;
- on a key that identifies the caller or where it calls from (``NARROWING_KEYS``:
  the principal's or source's account, ARN, organization or organization path, user
  id, VPC, VPC endpoint, IP address, ``kms:CallerAccount``, the S3 access point);
- with values that each name a known party: no wildcard or policy variable where the
  party is named (``*``, ``arn:aws:iam::*:root``, ``o-*``, ``vpce-*`` name nobody),
  and IP ranges that belong to someone (none wider than /8 for IPv4 or /32 for IPv6,
  and together less than half the address space: ``0.0.0.0/0``, ``::/0`` or
  ``0.0.0.0/1`` with ``128.0.0.0/1`` are the whole internet).

A ``Deny`` for any principal whose condition holds for every outsider (only negated
tests of the same kind, e.g. ``StringNotEquals aws:PrincipalOrgID``) and that covers a
public ``Allow``'s actions and resources takes the ``Allow`` back: the usual "deny
outside my organization" guard. Anything this module cannot prove narrowed is public.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from srm_tui.collected import load_document

# Condition keys (lower case: keys are case-insensitive) that identify the caller, its
# organization, or the network or resource it calls from. ``aws:username`` is not one:
# user names repeat across accounts.
NARROWING_KEYS = frozenset(
    {
        "aws:principalaccount",
        "aws:principalarn",
        "aws:principalorgid",
        "aws:principalorgpaths",
        "aws:sourceaccount",
        "aws:sourcearn",
        "aws:sourceowner",
        "aws:sourceorgid",
        "aws:sourceorgpaths",
        "aws:sourcevpc",
        "aws:sourcevpce",
        "aws:sourceip",
        "aws:userid",
        "kms:calleraccount",
        "s3:dataaccesspointaccount",
        "s3:dataaccesspointarn",
    }
)

_SOURCE_ACCOUNT_KEYS = frozenset({"aws:sourceaccount", "aws:sourceowner"})
_ARN_KEYS = frozenset({"aws:principalarn", "aws:sourcearn", "s3:dataaccesspointarn"})
_PATH_KEYS = frozenset({"aws:principalorgpaths", "aws:sourceorgpaths"})
_POSITIVE = frozenset(
    {"stringequals", "stringequalsignorecase", "stringlike", "arnequals", "arnlike", "ipaddress"}
)
_NEGATED = frozenset(
    {
        "stringnotequals",
        "stringnotequalsignorecase",
        "stringnotlike",
        "arnnotequals",
        "arnnotlike",
        "notipaddress",
    }
)
# A block wider than these is no single organisation's (a /8 is 16 million addresses).
_WIDEST_PREFIX = {4: 8, 6: 32}
_SPACE = {4: 2**32, 6: 2**128}
# Comparing action and resource patterns costs length times length: beyond this a Deny
# is not trusted to cover an Allow (the Allow stays public).
_MAX_MATCH_WORK = 1_000_000


@dataclass(frozen=True, slots=True)
class _Test:
    """One ``operator: {key: values}`` entry of a condition."""

    qualifier: str  # "", "foranyvalue" or "forallvalues"
    operator: str  # lower case, without the qualifier and "IfExists"
    if_exists: bool
    key: str  # lower case
    values: tuple[Any, ...]


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def _tests(condition: Any) -> list[_Test] | None:
    """Every test of a condition block; None when it is not a mapping of mappings."""
    if not isinstance(condition, Mapping):
        return None
    found = []
    for operator, tests in condition.items():
        if not isinstance(tests, Mapping):
            return None
        qualifier, _, base = str(operator).lower().rpartition(":")
        if_exists = base.endswith("ifexists")
        base = base.removesuffix("ifexists")
        for key, values in tests.items():
            found.append(
                _Test(qualifier, base, if_exists, str(key).lower(), tuple(_as_list(values)))
            )
    return found


def _wild(text: str) -> bool:
    """True when ``text`` matches more than itself: a wildcard or a policy variable."""
    return "*" in text or "?" in text or "${" in text


def _fixed(text: str) -> bool:
    return bool(text) and not _wild(text)


def _names_a_party(key: str, value: Any) -> bool:
    """True when one condition value names a known account, organization, network..."""
    if isinstance(value, Mapping | list | tuple | bool) or value is None:
        return False
    text = str(value).strip()
    if key in _ARN_KEYS:
        # A wildcard after a fixed account still names that account's principals only;
        # an ARN without an account (an S3 bucket) must be fixed as a whole.
        parts = text.split(":")
        account = parts[4] if len(parts) > 5 else ""
        return _fixed(text) or (len(account) == 12 and account.isdigit())
    if key in _PATH_KEYS:
        org = text.split("/", 1)[0]
        return org.startswith("o-") and _fixed(org)
    if key == "aws:userid":
        # "AROAROLEID:*" names one role's sessions: unique ids never repeat.
        return _fixed(text.split(":", 1)[0])
    return _fixed(text)


def _ranges_belong_to_someone(values: Iterable[Any]) -> bool:
    """True when IP ranges are each an organisation's and together not the internet."""
    by_family: dict[int, list[Any]] = {4: [], 6: []}
    for value in values:
        if not isinstance(value, str):
            return False
        try:
            network = ipaddress.ip_network(value.strip(), strict=False)
        except ValueError:
            return False
        if network.prefixlen < _WIDEST_PREFIX[network.version]:
            return False
        by_family[network.version].append(network)
    for family, networks in by_family.items():
        covered = sum(n.num_addresses for n in ipaddress.collapse_addresses(networks))
        if covered * 2 >= _SPACE[family]:
            return False
    return True


def _values_name_parties(test: _Test) -> bool:
    if not test.values:
        return False
    if test.key == "aws:sourceip":
        return test.operator in ("ipaddress", "notipaddress") and _ranges_belong_to_someone(
            test.values
        )
    if test.operator in ("ipaddress", "notipaddress"):
        return False
    return all(_names_a_party(test.key, v) for v in test.values)


def _restricts(test: _Test, keys: frozenset[str]) -> bool:
    """True when this test, in an Allow, admits only the parties its values name."""
    return (
        test.operator in _POSITIVE
        and not test.if_exists
        and test.qualifier in ("", "foranyvalue")
        and test.key in keys
        and _values_name_parties(test)
    )


def _excludes_outsiders(test: _Test) -> bool:
    """True when this test, in a Deny, holds for every caller its values do not name
    (a missing key makes a negated test true, with or without IfExists)."""
    return (
        test.operator in _NEGATED
        and test.qualifier == ""
        and test.key in NARROWING_KEYS
        and _values_name_parties(test)
    )


def is_narrowed(condition: Any, keys: frozenset[str] = NARROWING_KEYS) -> bool:
    """True when the condition restricts the caller to known parties through one of
    ``keys`` (see the module docstring for what counts)."""
    tests = _tests(condition)
    return bool(tests) and any(_restricts(t, keys) for t in tests or ())


def is_wildcard_principal(principal: Any) -> bool:
    """True for ``"*"``, ``{"AWS": "*"}``, or any principal value with a wildcard."""
    if isinstance(principal, str):
        return "*" in principal
    if isinstance(principal, Mapping):
        return any(
            isinstance(v, str) and "*" in v for vs in principal.values() for v in _as_list(vs)
        )
    return False


def is_public_statement(statement: Any) -> bool:
    """An Allow for any principal (or with NotPrincipal) that no condition narrows.
    Judges the statement alone: ``public_grants`` also weighs the policy's Denies."""
    if not isinstance(statement, Mapping) or statement.get("Effect") != "Allow":
        return False
    open_principal = "NotPrincipal" in statement or is_wildcard_principal(
        statement.get("Principal")
    )
    return open_principal and not is_narrowed(statement.get("Condition"))


def statements(policy: Any) -> list[Mapping[str, Any]]:
    """The statements of a policy (a mapping, or its JSON text). None is no policy; a
    text that is not JSON, or JSON that is not an object, is a ValueError: a policy
    that cannot be read is never taken for a private one."""
    if policy is None:
        return []
    if isinstance(policy, str | bytes):
        text = policy.decode("utf-8", "replace") if isinstance(policy, bytes) else policy
        try:
            policy = load_document(text)
        except ValueError as exc:
            raise ValueError(f"the policy is not valid JSON ({exc})") from None
    if not isinstance(policy, Mapping):
        raise ValueError("the policy is not a JSON object")
    return [s for s in _as_list(policy.get("Statement")) if isinstance(s, Mapping)]


def _glob_covers(pattern: str, target: str) -> bool:
    """True when every string ``target`` stands for (its ``*`` standing for any text)
    matches ``pattern`` (``*`` any text, ``?`` one character); case-insensitive."""
    pattern, target = pattern.lower(), target.lower()
    if pattern == "*" or pattern == target:
        return True
    if len(pattern) * max(len(target), 1) > _MAX_MATCH_WORK:
        return False
    # Wildcard matching with one remembered star: linear passes, no backtracking blowup.
    p = t = 0
    star, mark = -1, 0
    while t < len(target):
        if p < len(pattern) and (
            pattern[p] == target[t] or (pattern[p] == "?" and target[t] != "*")
        ):
            p, t = p + 1, t + 1
        elif p < len(pattern) and pattern[p] == "*":
            star, mark = p, t
            p += 1
        elif star >= 0:
            p, mark = star + 1, mark + 1
            t = mark
        else:
            return False
    while p < len(pattern) and pattern[p] == "*":
        p += 1
    return p == len(pattern)


def _covers(deny: Mapping[str, Any], allow: Mapping[str, Any], field: str) -> bool:
    """True when the Deny's ``field`` (Action or Resource) takes in all of the Allow's."""
    if f"Not{field}" in deny:
        return False
    denied = [str(v) for v in _as_list(deny.get(field))]
    if "*" in denied:
        return True
    if f"Not{field}" in allow or field not in allow:
        return False
    allowed = [str(v) for v in _as_list(allow.get(field))]
    return bool(allowed) and all(any(_glob_covers(d, a) for d in denied) for a in allowed)


def _takes_back(deny: Mapping[str, Any], allow: Mapping[str, Any]) -> bool:
    """True when a Deny refuses everyone outside known parties whatever the Allow grants."""
    if deny.get("Effect") != "Deny" or "NotPrincipal" in deny:
        return False
    if not is_wildcard_principal(deny.get("Principal")):
        return False
    tests = _tests(deny.get("Condition"))
    if not tests or not all(_excludes_outsiders(t) for t in tests):
        return False
    return _covers(deny, allow, "Action") and _covers(deny, allow, "Resource")


def public_grants(policy: Any) -> list[tuple[int, Mapping[str, Any]]]:
    """(index, statement) of each Allow open to anyone that no condition narrows and no
    Deny of the same policy takes back. Raises ValueError for a policy that cannot be
    read (see ``statements``)."""
    found = statements(policy)
    denies = [s for s in found if s.get("Effect") == "Deny"]
    return [
        (index, statement)
        for index, statement in enumerate(found)
        if is_public_statement(statement) and not any(_takes_back(d, statement) for d in denies)
    ]


def _label(statement: Mapping[str, Any], index: int) -> str:
    sid = statement.get("Sid")
    actions = ", ".join(str(a) for a in _as_list(statement.get("Action"))) or "any action"
    return f"statement {sid or index + 1} allows {actions}"


def public_statements(policy: Any) -> list[str]:
    """Labels of the statements that let anyone in (``public_grants``); empty when the
    policy is not public."""
    return [_label(statement, index) for index, statement in public_grants(policy)]


def public_actions(policy: Any) -> list[str]:
    """The actions anyone may take under the policy, sorted ("any action" for a
    statement that names none, e.g. one with NotAction)."""
    found: set[str] = set()
    for _, statement in public_grants(policy):
        found.update(str(a) for a in _as_list(statement.get("Action")) or ["any action"])
    return sorted(found)


def service_statements_without_source(policy: Any, services: Iterable[str]) -> list[str]:
    """Labels of Allow statements granting one of ``services`` (service principals such
    as ``s3.amazonaws.com``) with no source account condition: bucket ARNs carry no
    account, so without it any account's resource of that service could use the grant."""
    wanted = set(services)
    found = []
    for index, statement in enumerate(statements(policy)):
        principal = statement.get("Principal")
        if statement.get("Effect") != "Allow" or not isinstance(principal, Mapping):
            continue
        if not wanted & set(_as_list(principal.get("Service"))):
            continue
        if not is_narrowed(statement.get("Condition"), _SOURCE_ACCOUNT_KEYS):
            found.append(_label(statement, index))
    return found
