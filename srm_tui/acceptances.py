"""Accepted risks: rules kept in the assessment that mark matching failing findings as
accepted until they expire.

An acceptance is never a flag on a finding: it matches findings by check, resource
pattern (a glob) and account, so it survives every rescan and covers a new resource that
fails the same way. A covered finding stays ``fail``; it counts as accepted, not failed,
until the acceptance expires, and as failed again afterwards.

``today`` is a parameter wherever time matters, so that tests (and a report dated
another day) decide expiry without touching the clock.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from srm_tui.errors import UsageError
from srm_tui.model import Acceptance, Assessment, Finding, Status, now, today

_ACCOUNT = re.compile(r"\d{12}")
_ID = re.compile(r"A(\d+)")


@dataclass(frozen=True, slots=True)
class Covered:
    """The acceptance that covers one failing finding (its ``exception``), and whether
    it has expired on the day asked about."""

    acceptance: Acceptance
    expired: bool


def accept(
    assessment: Assessment,
    check: str,
    *,
    reason: str,
    owner: str,
    expires: date,
    resource: str = "*",
    account: str = "",
    approved_by: str = "",
    known_checks: Iterable[str] | None = None,
    on: date | None = None,
) -> Acceptance:
    """Add an acceptance to ``assessment`` and return it.

    Reason, owner and expiry are required; the expiry may be neither in the past nor
    more than ``assessment.max_acceptance_days`` after ``on`` (today). ``check`` must be
    a check of ``known_checks`` or one the assessment has findings of (an imported
    check). Any problem is a UsageError saying which.
    """
    day = on or today()
    reason, owner, approved_by = reason.strip(), owner.strip(), approved_by.strip()
    resource, account = (resource or "*").strip(), account.strip()
    if not reason:
        raise UsageError("an accepted risk needs a reason (--reason).")
    if not owner:
        raise UsageError("an accepted risk needs an owner (--owner).")
    if expires < day:
        raise UsageError(f"the expiry {expires.isoformat()} is in the past.")
    limit = day + timedelta(days=assessment.max_acceptance_days)
    if expires > limit:
        raise UsageError(
            f"the expiry {expires.isoformat()} is beyond the longest an acceptance may run "
            f"({assessment.max_acceptance_days} days, so {limit.isoformat()} at the latest)."
        )
    if account and not _ACCOUNT.fullmatch(account):
        raise UsageError(f"{account!r} is not an AWS account id (twelve digits).")
    known = set(known_checks or ()) | set(assessment.checks)
    known |= {f.check for f in assessment.findings}
    # Another tool's check, as imported: acceptances cover those too.
    known |= {f.check for imported in assessment.imports.values() for f in imported.findings}
    if check not in known:
        raise UsageError(f"no check {check!r}; 'srm-tui checks' lists the check ids.")
    acceptance = Acceptance(
        id=next_id(assessment.acceptances),
        check=check,
        reason=reason,
        owner=owner,
        expires=expires,
        resource=resource,
        account=account,
        approved_by=approved_by,
        created=now(),
    )
    assessment.acceptances.append(acceptance)
    return acceptance


def next_id(acceptances: Sequence[Acceptance]) -> str:
    """``A1``, ``A2``...: one more than the highest id in use."""
    numbers = [int(m.group(1)) for a in acceptances if (m := _ID.fullmatch(a.id))]
    return f"A{max(numbers, default=0) + 1}"


def revoke(assessment: Assessment, acceptance_id: str) -> Acceptance:
    """Remove the acceptance with this id and return it; UsageError when none has it."""
    for index, acceptance in enumerate(assessment.acceptances):
        if acceptance.id == acceptance_id:
            return assessment.acceptances.pop(index)
    known = ", ".join(a.id for a in assessment.acceptances) or "none"
    raise UsageError(f"no accepted risk {acceptance_id!r}; the ids are: {known}.")


def matches(acceptance: Acceptance, finding: Finding, account: str) -> bool:
    """Whether ``acceptance`` covers ``finding`` (of ``account``), whatever its status."""
    return (
        acceptance.check == finding.check
        and (not acceptance.account or acceptance.account == account)
        and fnmatch.fnmatchcase(finding.resource, acceptance.resource)
    )


class Index:
    """The acceptances of one assessment, ready to be asked about many findings.

    ``covering`` picks, among the acceptances that match a failing finding, one still in
    force when there is one (the one running longest), else the expired one that ran
    longest.
    """

    def __init__(self, acceptances: Iterable[Acceptance], account: str, on: date) -> None:
        self.account = account
        self.on = on
        self._by_check: dict[str, list[Acceptance]] = {}
        for acceptance in acceptances:
            self._by_check.setdefault(acceptance.check, []).append(acceptance)
        for rules in self._by_check.values():
            rules.sort(key=lambda a: a.expires, reverse=True)

    @classmethod
    def of(cls, assessment: Assessment, on: date | None = None) -> Index:
        """The index of ``assessment``'s acceptances on day ``on`` (today)."""
        return cls(assessment.acceptances, assessment.scope.account_id, on or today())

    def __bool__(self) -> bool:
        return bool(self._by_check)

    def covering(self, finding: Finding) -> Covered | None:
        """The exception of a failing finding, None for any other finding."""
        if finding.status is not Status.FAIL:
            return None
        rules = self._by_check.get(finding.check)
        if not rules:
            return None
        for acceptance in rules:  # longest running first: an active one wins
            # An organization review's findings carry their account; one account's
            # review has it in its scope.
            if matches(acceptance, finding, finding.account_id or self.account):
                return Covered(acceptance, acceptance.expired(self.on))
        return None

    def accepted(self, finding: Finding) -> bool:
        """True when the finding fails under an acceptance still in force."""
        covered = self.covering(finding)
        return covered is not None and not covered.expired


class _DecidedOn(Index):
    """The index of a copy whose findings and acceptances were rewritten (a redacted
    report's, account ids masked): which acceptance covers a finding is decided on the
    original's values, and answered with the copy's acceptance."""

    def __init__(self, original: Assessment, copy: Assessment, on: date) -> None:
        super().__init__(copy.acceptances, copy.scope.account_id, on)
        self._original = Index.of(original, on)
        self._findings = {id(c): o for c, o in zip(copy.findings, original.findings, strict=True)}
        self._copies = {
            id(o): c for o, c in zip(original.acceptances, copy.acceptances, strict=True)
        }

    def covering(self, finding: Finding) -> Covered | None:
        original = self._findings.get(id(finding))
        if original is None:  # not one of the copy's findings: read it as it is
            return super().covering(finding)
        covered = self._original.covering(original)
        if covered is None:
            return None
        return Covered(self._copies[id(covered.acceptance)], covered.expired)


def decided_on(original: Assessment, copy: Assessment, on: date) -> Index:
    """The index of ``copy``, a copy of ``original`` with the same findings and
    acceptances in the same order but their text rewritten (masked): each finding is
    covered by what covers it in ``original``. Masking can make two resources of two
    accounts read alike, or a pattern miss what it matched, so the copy's own text
    cannot decide."""
    if len(copy.findings) != len(original.findings) or len(copy.acceptances) != len(
        original.acceptances
    ):
        raise ValueError("the copy does not have the original's findings and acceptances")
    return _DecidedOn(original, copy, on)


def active(assessment: Assessment, on: date | None = None) -> list[Acceptance]:
    """The acceptances in force on ``on`` (today), in the order they were made."""
    day = on or today()
    return [a for a in assessment.acceptances if not a.expired(day)]


def expired(assessment: Assessment, on: date | None = None) -> list[Acceptance]:
    """The acceptances that have expired by ``on`` (today)."""
    day = on or today()
    return [a for a in assessment.acceptances if a.expired(day)]


def covered_counts(
    assessment: Assessment, on: date | None = None, index: Index | None = None
) -> dict[str, int]:
    """How many failing findings each acceptance covers, by acceptance id (``index``:
    the assessment's acceptances as already read, else as of ``on``)."""
    index = index if index is not None else Index.of(assessment, on)
    counts = {a.id: 0 for a in assessment.acceptances}
    if not index:
        return counts
    for finding in assessment.findings:
        covered = index.covering(finding)
        if covered is not None:
            counts[covered.acceptance.id] += 1
    return counts
