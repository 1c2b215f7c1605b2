"""Organization reviews written as files, without AWS: the review with its accounts and
each account's findings in its own file, as ``scan --organization`` leaves them. Shared
by the import, diff and milestone tests of organization reviews."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from srm_tui import store
from srm_tui.model import (
    AccountState,
    Assessment,
    CheckRecord,
    Finding,
    OrgAccount,
    Organization,
    Scope,
)
from srm_tui.organization import files

ORG_ID = "o-abcdefghij"


def scanned_account(account_id: str, **fields: object) -> OrgAccount:
    """An active account whose scan is done (its name is its id unless given)."""
    fields = {"name": account_id, "status": "ACTIVE", "state": AccountState.DONE, **fields}
    return OrgAccount(account_id, **fields)  # type: ignore[arg-type]


def account_findings(
    name: str, account_id: str, record: CheckRecord, findings: Sequence[Finding], regions=()
) -> Assessment:
    """What one account's scan found: its file's contents."""
    return Assessment(
        name,
        scope=Scope(account_id=account_id, regions=tuple(regions)),
        checks={record.id: record},
        findings=list(findings),
    )


def write_org_review(
    path: Path,
    record: CheckRecord,
    accounts: Mapping[str, OrgAccount],
    findings: Mapping[str, Sequence[Finding]],
    *,
    management: str,
    name: str = "org",
    regions: Sequence[str] = (),
    scope_account: str = "",
) -> Path:
    """An organization review at ``path`` of ``accounts``, with one check, and each
    account's ``findings`` (account id -> findings) in its own file."""
    review = Assessment(
        name,
        scope=Scope(account_id=scope_account, regions=tuple(regions)),
        checks={record.id: record},
        organization=Organization(ORG_ID, management, accounts=dict(accounts)),
    )
    store.save(review, path)
    for account_id, found in findings.items():
        files.save_account(path, account_findings(name, account_id, record, found, regions))
    return path
