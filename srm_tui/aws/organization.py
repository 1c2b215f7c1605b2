"""The organization as AWS Organizations lists it: its id, its management account, and
every account with its status and the OU it sits in.

The tree is walked from the root: per root or OU one ``ListAccountsForParent`` and one
``ListOrganizationalUnitsForParent`` (plus their next pages), so every account comes
with its OU path without one ``ListParents`` call per account: 1 + 2 x (OUs + 1) calls
for the whole organization, however many accounts it has.

Every answer is treated as hostile: an account id that is not twelve digits, or an OU
id of the wrong shape, is left out; names are cleaned of control characters; a tree
that loops is walked once.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from srm_tui.aws.errors import classify
from srm_tui.aws.session import AwsSession, Identity
from srm_tui.errors import SrmError
from srm_tui.model import is_account_id, is_parent_id
from srm_tui.sanitize import clean

#: What the organization part of a scan calls, for the policy (all read-only).
ACTIONS = (
    "organizations:DescribeOrganization",
    "organizations:ListRoots",
    "organizations:ListOrganizationalUnitsForParent",
    "organizations:ListAccountsForParent",
)
_NAME_LIMIT = 128  # AWS allows 50 for an account and 128 for an OU
_NOT_IN_USE = "AWSOrganizationsNotInUseException"
_DENIED = {"AccessDeniedException", "AccessDenied"}


@dataclass(frozen=True, slots=True)
class ListedAccount:
    """One account as the organization lists it."""

    account_id: str
    name: str
    status: str  # State: PENDING_ACTIVATION, ACTIVE, SUSPENDED, PENDING_CLOSURE, CLOSED
    ou_id: str  # the OU or root it sits in
    ou_name: str
    ou_path: tuple[str, ...]  # ids from the root down to ou_id
    ou_names: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Listing:
    """The organization: its id, its management account and its accounts."""

    id: str
    management_account: str
    accounts: tuple[ListedAccount, ...]
    api_calls: int = 0


def read_organization(session: AwsSession, region: str, caller: Identity) -> Listing:
    """List the organization ``caller`` belongs to. The caller must be its management
    account or a delegated administrator; anything else is SrmError, one sentence."""
    client = session.client("organizations", region)
    before = session.ledger.total
    try:
        described = client.describe_organization().get("Organization") or {}
    except (ClientError, BotoCoreError) as exc:
        raise _refusal(exc, caller, "", "") from None
    org_id = clean(str(described.get("Id", "")))[:64]
    management = str(described.get("MasterAccountId", ""))
    if not is_account_id(management):
        management = ""
    try:
        accounts = _walk(client)
    except (ClientError, BotoCoreError) as exc:
        raise _refusal(exc, caller, org_id, management) from None
    return Listing(org_id, management, accounts, session.ledger.total - before)


def _refusal(exc: BaseException, caller: Identity, org_id: str, management: str) -> SrmError:
    code = exc.response.get("Error", {}).get("Code", "") if isinstance(exc, ClientError) else ""
    account = caller.account_id
    if code == _NOT_IN_USE:
        return SrmError(
            f"Account {account} is not in an AWS Organization: scan it without --organization."
        )
    if code in _DENIED and management and management != account:
        return SrmError(
            f"Account {account} is a member of organization {org_id or 'unknown'} but neither "
            f"its management account ({management}) nor a delegated administrator, so it "
            "cannot list the accounts: scan with credentials of the management account or "
            "of a delegated administrator."
        )
    if code in _DENIED:
        return SrmError(
            f"{caller.arn} may not list the organization's accounts ({classify(exc, 'organizations', '').reason}): "
            "give it organizations:List* and organizations:Describe* (see 'srm-tui policy')."
        )
    reason = classify(exc, "organizations", "").reason.rstrip(".")  # AWS's own ends in one
    return SrmError(f"Could not list the organization's accounts: {reason}.")


def _walk(client: Any) -> tuple[ListedAccount, ...]:
    roots = _pages(client, "list_roots", "Roots")
    queue: deque[tuple[str, tuple[str, ...], tuple[str, ...]]] = deque()
    seen: set[str] = set()
    for root in roots:
        root_id = str(root.get("Id", ""))
        if is_parent_id(root_id):
            queue.append((root_id, (root_id,), (_name(root, "Root"),)))
    found: dict[str, ListedAccount] = {}
    while queue:
        parent, path, names = queue.popleft()
        if parent in seen:
            continue  # an answer that loops is walked once
        seen.add(parent)
        for item in _pages(client, "list_accounts_for_parent", "Accounts", ParentId=parent):
            account_id = str(item.get("Id", ""))
            if not is_account_id(account_id) or account_id in found:
                continue
            found[account_id] = ListedAccount(
                account_id=account_id,
                name=_name(item, ""),
                status=_status(item),
                ou_id=parent,
                ou_name=names[-1],
                ou_path=path,
                ou_names=names,
            )
        for unit in _pages(
            client, "list_organizational_units_for_parent", "OrganizationalUnits", ParentId=parent
        ):
            unit_id = str(unit.get("Id", ""))
            if is_parent_id(unit_id) and unit_id not in seen:
                queue.append((unit_id, (*path, unit_id), (*names, _name(unit, unit_id))))
    return tuple(sorted(found.values(), key=lambda a: a.account_id))


def _pages(client: Any, operation: str, key: str, **params: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for page in client.get_paginator(operation).paginate(**params):
        items.extend(i for i in page.get(key) or [] if isinstance(i, dict))
    return items


def _status(item: dict[str, Any]) -> str:
    # AWS retired Status (September 2026) for State, which tells more (an account not
    # yet activated, an account closed rather than suspended); where both are given,
    # State is the one to trust. Status is read only from an answer without State.
    return clean(str(item.get("State", "") or item.get("Status", "")))[:32]


def _name(item: dict[str, Any], default: str) -> str:
    name = item.get("Name")
    return clean(name)[:_NAME_LIMIT] if isinstance(name, str) and name else default
