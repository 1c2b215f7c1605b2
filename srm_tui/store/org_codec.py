"""The organization review's part of the assessment file: ``[organization]``, one
``[accounts."ID"]`` table per account and ``[overrides.QUESTION."TARGET"]`` answers for
one account or one OU. Read with the same strict reader as the rest of the file; the
findings of each account live in its own file (``srm_tui.organization.files``).

Account ids and OU ids become file names and filters, so a key that is not one is
refused when the file is read (naming the line), never used.
"""

from __future__ import annotations

import reprlib
from typing import Any, Protocol

from srm_tui.model import (
    AccountState,
    OrgAccount,
    Organization,
    Override,
    Reason,
    ScanStatus,
    is_account_id,
    is_parent_id,
)
from srm_tui.toml_reader import TomlReader, Where

ORGANIZATION_KEYS = {
    "id", "management_account", "role_name", "external_id", "round", "round_started",
    "round_finished",
}  # fmt: skip
ACCOUNT_KEYS = {
    "name", "ou_id", "ou_name", "ou_path", "ou_names", "status", "state", "scanned", "round",
    "api_calls", "scan_status", "findings", "failures", "error",
}  # fmt: skip
OVERRIDE_KEYS = {"selected", "applicable", "reason", "notes", "answered"}


class Keeper(Protocol):
    """What the main decoder offers: the entries of a table this version does not know."""

    def unread(self, table: dict[str, Any], known: set[str], where: Where) -> dict[str, Any]: ...


# --- reading -------------------------------------------------------------------------


def read_organization(r: TomlReader, keeper: Keeper, data: dict[str, Any]) -> Organization | None:
    """The ``[organization]`` and ``[accounts]`` tables, or None for a single account."""
    if "organization" not in data:
        if "accounts" in data:
            r.problem(("accounts",), "[accounts] belongs to an [organization]: it has none")
        return None
    table = r.table(data, "organization", ())
    where: Where = ("organization",)
    org_id = r.value(table, "id", str, "", where)
    management = r.value(table, "management_account", str, "", where)
    if management and not is_account_id(management):
        r.problem((*where, "management_account"), "'management_account' must be 12 digits")
    accounts = r.table(data, "accounts", ())
    return Organization(
        id=org_id,
        management_account=management,
        role_name=r.value(table, "role_name", str, "", where),
        external_id=r.value(table, "external_id", bool, False, where),
        round=_count(r, table, "round", where),
        round_started=r.moment(table, "round_started", where),
        round_finished=r.moment(table, "round_finished", where),
        accounts={key: _account(r, keeper, key, raw) for key, raw in accounts.items()},
        extra=keeper.unread(table, ORGANIZATION_KEYS, where),
    )


def _count(r: TomlReader, table: dict[str, Any], key: str, where: Where) -> int:
    value: int = r.value(table, key, int, 0, where)
    if value < 0:
        r.problem((*where, key), f"'{key}' must not be negative")
    return value


def _account(r: TomlReader, keeper: Keeper, key: str, raw: Any) -> OrgAccount:
    where: Where = ("accounts", key)
    if not is_account_id(key):
        r.problem(where, f"account {reprlib.repr(key)} is not an AWS account id (12 digits)")
    if not isinstance(raw, dict):
        r.problem(where, f"account {key} must be a table")
    ou_path = r.strings(raw, "ou_path", where)
    for ou in ou_path:
        if not is_parent_id(ou):
            r.problem((*where, "ou_path"), f"{reprlib.repr(ou)} is not an OU or root id")
    return OrgAccount(
        account_id=key,
        name=r.value(raw, "name", str, "", where),
        ou_id=r.value(raw, "ou_id", str, "", where),
        ou_name=r.value(raw, "ou_name", str, "", where),
        ou_path=ou_path,
        ou_names=r.strings(raw, "ou_names", where),
        status=r.value(raw, "status", str, "", where),
        state=r.enum(AccountState, raw, "state", AccountState.NOT_SCANNED, where, "account state"),
        scanned=r.moment(raw, "scanned", where),
        round=_count(r, raw, "round", where),
        api_calls=_count(r, raw, "api_calls", where),
        scan_status=r.enum(ScanStatus, raw, "scan_status", ScanStatus.NEVER, where, "scan status"),
        findings=_counts(r, raw, "findings", where),
        failures=_counts(r, raw, "failures", where),
        error=r.value(raw, "error", str, "", where),
        extra=keeper.unread(raw, ACCOUNT_KEYS, where),
    )


def _counts(r: TomlReader, table: dict[str, Any], key: str, where: Where) -> dict[str, int]:
    counts = r.table(table, key, where)
    return {name: _count(r, counts, name, (*where, key)) for name in counts}


def read_overrides(
    r: TomlReader, keeper: Keeper, data: dict[str, Any]
) -> dict[str, dict[str, Override]]:
    """The ``[overrides]`` table: question id -> target id -> Override."""
    result: dict[str, dict[str, Override]] = {}
    for qid, targets in r.table(data, "overrides", ()).items():
        where: Where = ("overrides", qid)
        if not isinstance(targets, dict):
            r.problem(where, f"overrides of {qid!r} must be a table")
        result[qid] = {
            target: _override(r, keeper, qid, target, raw) for target, raw in targets.items()
        }
    return result


def _override(r: TomlReader, keeper: Keeper, qid: str, target: str, raw: Any) -> Override:
    where: Where = ("overrides", qid, target)
    if not (is_account_id(target) or is_parent_id(target)):
        r.problem(where, f"{reprlib.repr(target)} is not an account, OU or root id")
    if not isinstance(raw, dict):
        r.problem(where, f"the override of {qid!r} for {target} must be a table")
    reason = raw.get("reason")
    return Override(
        question=qid,
        target=target,
        selected=r.strings(raw, "selected", where),
        applicable=r.value(raw, "applicable", bool, True, where),
        reason=r.enum(Reason, raw, "reason", Reason.OTHER, where, "reason") if reason else None,
        notes=r.value(raw, "notes", str, "", where),
        answered=r.moment(raw, "answered", where),
        extra=keeper.unread(raw, OVERRIDE_KEYS, where),
    )


# --- writing -------------------------------------------------------------------------


def organization_tables(org: Organization) -> dict[str, Any]:
    """``{"organization": ..., "accounts": ...}`` for tomli_w, in a stable order."""
    # Only what is set: a file that names no more than an id keeps naming no more.
    head: dict[str, Any] = {"id": org.id}
    if org.management_account:
        head["management_account"] = org.management_account
    if org.role_name:
        head["role_name"] = org.role_name
    if org.external_id:
        head["external_id"] = True
    if org.round:
        head["round"] = org.round
    if org.round_started is not None:
        head["round_started"] = org.round_started
    if org.round_finished is not None:
        head["round_finished"] = org.round_finished
    head.update(org.extra)
    if not org.accounts:
        return {"organization": head}
    accounts = {
        account_id: _account_table(org.accounts[account_id]) for account_id in sorted(org.accounts)
    }
    return {"organization": head, "accounts": accounts}


def _account_table(account: OrgAccount) -> dict[str, Any]:
    table: dict[str, Any] = {
        "name": account.name,
        "ou_id": account.ou_id,
        "ou_name": account.ou_name,
        "ou_path": list(account.ou_path),
        "ou_names": list(account.ou_names),
        "status": account.status,
        "state": account.state.value,
    }
    if account.scanned is not None:
        table["scanned"] = account.scanned
    table["round"] = account.round
    table["api_calls"] = account.api_calls
    table["scan_status"] = account.scan_status.value
    if account.findings:
        table["findings"] = dict(sorted(account.findings.items()))
    if account.failures:
        table["failures"] = dict(sorted(account.failures.items()))
    if account.error:
        table["error"] = account.error
    table.update(account.extra)
    return table


def overrides_table(overrides: dict[str, dict[str, Override]]) -> dict[str, Any]:
    """``[overrides]`` for tomli_w: sorted by question, then target."""
    result: dict[str, Any] = {}
    for qid in sorted(overrides):
        targets = overrides[qid]
        if targets:
            result[qid] = {t: _override_table(targets[t]) for t in sorted(targets)}
    return result


def _override_table(override: Override) -> dict[str, Any]:
    table: dict[str, Any] = {
        "selected": list(override.selected),
        "applicable": override.applicable,
    }
    if override.reason is not None:
        table["reason"] = override.reason.value
    if override.notes:
        table["notes"] = override.notes
    if override.answered is not None:
        table["answered"] = override.answered
    table.update(override.extra)
    return table
