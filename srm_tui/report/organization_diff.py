"""What changed across an organization between two reviews of it (or a review and one
of its milestones): accounts added to or removed from the organization, and each
account's progress (failing findings before and now, fixed, newly failing).

Both assessments come with their accounts' findings merged in (each finding carries
its ``account_id``); ``diff.compare`` has already matched the findings one by one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from srm_tui.model import AccountState, Assessment, Finding, OrgAccount, Status


@dataclass(frozen=True, slots=True)
class AccountProgress:
    """One account between the two reviews."""

    account_id: str
    name: str
    ou: str
    change: str  # "added", "removed" or "" (in both)
    old_failing: int
    new_failing: int
    old_errors: int
    new_errors: int
    fixed: int
    new_failures: int

    @property
    def changed(self) -> bool:
        return bool(
            self.change
            or self.fixed
            or self.new_failures
            or (self.old_failing, self.old_errors) != (self.new_failing, self.new_errors)
        )


@dataclass(slots=True)
class OrganizationChange:
    """The organization's side of a comparison."""

    old_id: str
    new_id: str
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    accounts: list[AccountProgress] = field(default_factory=list)


def _members(assessment: Assessment) -> dict[str, OrgAccount]:
    """The accounts that belong to the organization in ``assessment`` (an account kept
    after it left is not a member any more)."""
    org = assessment.organization
    if org is None:
        account = assessment.scope.account_id
        return {account: OrgAccount(account)} if account else {}
    return {a: acc for a, acc in org.accounts.items() if acc.state is not AccountState.REMOVED}


def _count(findings: Iterable[Finding], status: Status) -> Counter[str]:
    return Counter(f.account_id for f in findings if f.status is status)


class Located(Protocol):
    """A finding's change as ``diff.compare`` matched it: only its account matters here
    (a protocol, so that this module need not import the diff that calls it)."""

    account_id: str


def organization_change(
    old: Assessment, new: Assessment, fixed: Iterable[Located], new_failures: Iterable[Located]
) -> OrganizationChange:
    """Accounts added and removed, and every account's progress, worst news first;
    ``fixed`` and ``new_failures`` are the diff's matched findings."""
    before, after = _members(old), _members(new)
    result = OrganizationChange(
        old.organization.id if old.organization is not None else "",
        new.organization.id if new.organization is not None else "",
        added=sorted(set(after) - set(before)),
        removed=sorted(set(before) - set(after)),
    )
    old_failing, new_failing = _count(old.findings, Status.FAIL), _count(new.findings, Status.FAIL)
    old_errors, new_errors = _count(old.findings, Status.ERROR), _count(new.findings, Status.ERROR)
    fixed_by = Counter(c.account_id for c in fixed)
    newly = Counter(c.account_id for c in new_failures)
    known = {**before, **after}
    for account_id in sorted(known):
        account = after.get(account_id) or before[account_id]
        change = (
            "added" if account_id in result.added
            else "removed" if account_id in result.removed
            else ""
        )  # fmt: skip
        result.accounts.append(
            AccountProgress(
                account_id,
                account.name,
                account.ou_label,
                change,
                old_failing[account_id],
                new_failing[account_id],
                old_errors[account_id],
                new_errors[account_id],
                fixed_by[account_id],
                newly[account_id],
            )
        )
    # Added and removed accounts first, then the most newly failing, then the most fixed.
    result.accounts.sort(key=lambda p: (not p.change, -p.new_failures, -p.fixed, p.account_id))
    return result
