"""Which accounts a scan covers, and which round it belongs to.

The organization's listing is merged into the review (new accounts appear, accounts
that left are marked ``removed``, names and OUs follow AWS). The filters
(``--accounts``, ``--exclude-accounts``, ``--ou`` with every OU below it) choose the
accounts; only ACTIVE ones are scanned, the others are ``skipped`` with their status.

Rounds make a scan resumable: a round ends once every chosen account has been
scanned. Run again, an unfinished round continues with the accounts it has not done;
a finished one (or ``--rescan``) starts the next round. ``--accounts`` rescans the
accounts named even when the round had done them, and leaves every other account as
it was.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from srm_tui.aws.organization import Listing
from srm_tui.errors import UsageError
from srm_tui.model import (
    AccountState,
    OrgAccount,
    Organization,
    is_account_id,
    is_parent_id,
)

ACTIVE = "ACTIVE"
#: States that count as "done in this round".
FINISHED = (AccountState.DONE, AccountState.FAILED)


@dataclass(frozen=True, slots=True)
class AccountFilter:
    """``--accounts``, ``--exclude-accounts`` and ``--ou`` (an OU takes in the OUs
    nested below it); empty means every account."""

    accounts: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    ous: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for account_id in (*self.accounts, *self.exclude):
            if not is_account_id(account_id):
                raise UsageError(f"{account_id!r} is not an AWS account id (12 digits).")
        for ou in self.ous:
            if not is_parent_id(ou):
                raise UsageError(f"{ou!r} is not an OU id (ou-...) or a root id (r-...).")

    @property
    def explicit(self) -> bool:
        """Whether accounts were named one by one (they are rescanned whatever the round)."""
        return bool(self.accounts)

    def matches(self, account: OrgAccount) -> bool:
        """Whether ``account`` is chosen."""
        if self.accounts and account.account_id not in self.accounts:
            return False
        if account.account_id in self.exclude:
            return False
        return not self.ous or any(ou in account.ou_path for ou in self.ous)

    def unknown(self, organization: Organization) -> list[str]:
        """The accounts and OUs named that the organization does not have. An account
        that left it cannot be scanned any more: naming it in ``--accounts`` is an
        error too (excluding it is harmless)."""
        accounts = organization.accounts
        known_ous = {ou for a in accounts.values() for ou in a.ou_path}
        missing = [
            a
            for a in self.accounts
            if a not in accounts or accounts[a].state is AccountState.REMOVED
        ]
        missing += [a for a in self.exclude if a not in accounts]
        return missing + [ou for ou in self.ous if ou not in known_ous]


def merge_listing(organization: Organization, listing: Listing) -> None:
    """Bring the review's accounts up to date with what AWS lists now."""
    organization.id = listing.id or organization.id
    organization.management_account = listing.management_account or organization.management_account
    listed = {a.account_id: a for a in listing.accounts}
    for account_id, found in listed.items():
        account = organization.accounts.get(account_id)
        if account is None:
            account = organization.accounts[account_id] = OrgAccount(account_id)
        account.name = found.name
        account.ou_id = found.ou_id
        account.ou_name = found.ou_name
        account.ou_path = found.ou_path
        account.ou_names = found.ou_names
        account.status = found.status
        if account.state is AccountState.REMOVED:
            account.state = AccountState.DONE if account.scanned else AccountState.NOT_SCANNED
    for account_id, account in organization.accounts.items():
        if account_id not in listed:
            account.state = AccountState.REMOVED


@dataclass(slots=True)
class Round:
    """What this run scans: the round, whether it continues an unfinished one, the
    accounts to scan, and the chosen accounts that are not ACTIVE."""

    number: int
    resumed: bool
    to_scan: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    already_done: list[str] = field(default_factory=list)


def chosen(organization: Organization, selection: AccountFilter) -> list[OrgAccount]:
    """The accounts the filters choose, still in the organization, by id."""
    return [
        organization.accounts[account_id]
        for account_id in sorted(organization.accounts)
        if organization.accounts[account_id].state is not AccountState.REMOVED
        and selection.matches(organization.accounts[account_id])
    ]


def plan_round(
    organization: Organization, selection: AccountFilter, rescan: bool, when: datetime
) -> Round:
    """Start or continue a round and mark its accounts ``pending``; the accounts not
    chosen keep their state and their findings."""
    accounts = chosen(organization, selection)
    unfinished = organization.round > 0 and organization.round_finished is None
    resumed = unfinished and not rescan
    if not resumed:
        organization.round += 1
        organization.round_started = when
        organization.round_finished = None
    plan = Round(organization.round, resumed)
    for account in accounts:
        if account.status != ACTIVE:
            account.state = AccountState.SKIPPED
            plan.skipped.append(account.account_id)
            continue
        done = account.round == organization.round and account.state in FINISHED
        if done and resumed and not selection.explicit:
            plan.already_done.append(account.account_id)
            continue
        account.state = AccountState.PENDING
        plan.to_scan.append(account.account_id)
    return plan


def round_finished(organization: Organization, accounts: Iterable[OrgAccount]) -> bool:
    """Whether every ACTIVE account among ``accounts`` is done in the current round."""
    return all(
        a.round == organization.round and a.state in FINISHED
        for a in accounts
        if a.status == ACTIVE
    )


def finish_round(organization: Organization, when: datetime) -> None:
    """End the current round. An account still ``pending`` was left out by the run
    that finished it (it moved out of the OUs named, or other accounts were named):
    it goes back to what its last scan left, not "to be scanned" in a round that is over."""
    organization.round_finished = when
    for account in organization.accounts.values():
        if account.state is AccountState.PENDING:
            if account.error:
                account.state = AccountState.FAILED
            elif account.scanned:
                account.state = AccountState.DONE
            else:
                account.state = AccountState.NOT_SCANNED
