"""Each account's findings in its own file beside the assessment:
``FILE.toml.accounts/ACCOUNT_ID.toml``, an ordinary schema-2 assessment with
``[scope] account_id`` set, written through ``srm_tui.files`` like every other file
(atomic, 0600, in a 0700 folder, never over a file its owner made read-only) and read
one at a time, so that no caller needs every account's findings at once.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from srm_tui import files
from srm_tui.errors import SrmError
from srm_tui.model import Assessment, OrgAccount, Organization, is_account_id
from srm_tui.store import codec
from srm_tui.store.handle import load

SUFFIX = ".accounts"


def folder(path: str | Path) -> Path:
    """``FILE.toml.accounts``: where the accounts of the review at ``path`` are kept."""
    path = Path(path)
    return path.with_name(path.name + SUFFIX)


def account_file(path: str | Path, account_id: str) -> Path:
    """``FILE.toml.accounts/ACCOUNT_ID.toml``; an id that is not twelve digits never
    becomes a file name (SrmError)."""
    if not is_account_id(account_id):
        raise SrmError(f"{account_id!r} is not an AWS account id: no file is named after it.")
    return folder(path) / f"{account_id}.toml"


def load_account(path: str | Path, account_id: str) -> Assessment | None:
    """The findings file of one account, or None when it has none yet. A broken file is
    InputFileError naming it (and the line)."""
    found = account_file(path, account_id)
    if not found.exists():
        return None
    return load(found)


def save_account(path: str | Path, assessment: Assessment) -> Path:
    """Write one account's findings file now (atomic, 0600, folder 0700); returns it."""
    target = account_file(path, assessment.scope.account_id)
    files.private_folder(target.parent, tighten=True)
    codec.stamp(assessment)
    files.write_private(target, codec.dumps(assessment).encode("utf-8"))
    return target


def clean_folder(path: str | Path) -> None:
    """Remove what killed writes left in the accounts folder."""
    files.clean_temporaries(folder(path))


def each_account(
    path: str | Path, organization: Organization, *, with_findings: bool = True
) -> Iterator[tuple[OrgAccount, Assessment | None]]:
    """Every account of ``organization`` (sorted by id) with its findings file, read one
    at a time (None when it has none). Accounts no longer in the organization come
    too: what was found there is kept."""
    for account_id in sorted(organization.accounts):
        account = organization.accounts[account_id]
        yield account, load_account(path, account_id) if with_findings else None


def merged(assessment: Assessment, path: str | Path | None) -> Assessment:
    """A copy of the organization review ``assessment`` holding every account's findings,
    each with its ``account_id``, and every check record; read one account file at a
    time. A single-account review is returned as it is."""
    organization = assessment.organization
    if organization is None or path is None:
        return assessment
    result = copy.copy(assessment)
    result.findings = []
    result.checks = dict(assessment.checks)
    for account, found in each_account(path, organization):
        if found is None:
            continue
        for check_id, record in found.checks.items():
            result.checks.setdefault(check_id, record)
        result.findings.extend(replace(f, account_id=account.account_id) for f in found.findings)
    return result
