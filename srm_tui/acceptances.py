"""Accepted risks: rules kept in the assessment that mark matching failing findings as
accepted until they expire.

An acceptance is never a flag on a finding: it matches findings by check, resource
pattern (a glob) and account, so it survives every rescan and covers a new resource that
fails the same way. A covered finding stays ``fail``; it counts as accepted, not failed,
until the acceptance expires, and as failed again afterwards.

An acceptance that breaks the assessment's own policy (no owner, no reason, or running
longer than ``max_acceptance_days``: a hand-edited or a colleague's file) is **out of
policy**: kept in the file as written, shown with its flaw, but it covers nothing. One
rule decides it, ``flaw``; everything else asks ``standing`` or an ``Index``.

``today`` is a parameter wherever time matters, so that tests (and a report dated
another day) decide expiry without touching the clock.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, timedelta

from srm_tui.errors import UsageError
from srm_tui.model import (
    Acceptance,
    Assessment,
    Finding,
    Status,
    now,
    today,
)

_ACCOUNT = re.compile(r"\d{12}")
_ID = re.compile(r"A(\d+)")


#: The states an acceptance is shown in, on the day asked about.
IN_FORCE = "in force"
EXPIRED = "expired"
OUT_OF_POLICY = "out of policy"


@dataclass(frozen=True, slots=True)
class Covered:
    """An acceptance as read on one day: the one that covers a failing finding (its
    ``exception``), whether it has expired, and its ``flaw`` when it breaks the
    assessment's policy (then it covers nothing, expired or not)."""

    acceptance: Acceptance
    expired: bool
    flaw: str | None = None

    @property
    def in_force(self) -> bool:
        """True when the acceptance holds: neither expired nor out of policy."""
        return not self.expired and self.flaw is None

    @property
    def state(self) -> str:
        """``in force``, ``expired`` or ``out of policy`` (which wins over expired: such
        an acceptance never held)."""
        if self.flaw is not None:
            return OUT_OF_POLICY
        return EXPIRED if self.expired else IN_FORCE


def flaw(acceptance: Acceptance, max_days: int, on: date) -> str | None:
    """How ``acceptance`` breaks the policy ``accept`` enforces, in a few words (``no
    owner``, ``no reason``, ``runs 400 days, longer than the 365 the assessment
    allows``), or None when it keeps it.

    Its term runs from the day it was made (``created``) to ``expires``; without
    ``created`` (written by hand) from ``on``, the day asked about.
    """
    flaws = []
    if not acceptance.owner.strip():
        flaws.append("no owner")
    if not acceptance.reason.strip():
        flaws.append("no reason")
    created = acceptance.created
    start = created.astimezone(UTC).date() if created is not None else on
    days = (acceptance.expires - start).days
    if days > max_days:
        counted = "" if created is not None else " from today"
        flaws.append(f"runs {days} days{counted}, longer than the {max_days} the assessment allows")
    return "; ".join(flaws) or None


def standing(acceptance: Acceptance, max_days: int, on: date) -> Covered:
    """``acceptance`` as read on day ``on`` under a policy of ``max_days``."""
    return Covered(acceptance, acceptance.expired(on), flaw(acceptance, max_days, on))


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
    org = assessment.organization
    if account and org is not None and account not in org.accounts:
        # A mistyped id would be kept as an acceptance that covers nothing.
        raise UsageError(
            f"{account} is not an account of organization {org.id}; 'srm-tui accounts FILE' "
            "lists them."
        )
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
    force when there is one (the one running longest), else the expired or out-of-policy
    one that runs longest. ``max_days`` is the assessment's ``max_acceptance_days``.
    """

    def __init__(
        self,
        acceptances: Iterable[Acceptance],
        account: str,
        on: date,
        max_days: int,
    ) -> None:
        self.account = account
        self.on = on
        self.max_days = max_days
        self._by_check: dict[str, list[Covered]] = {}
        for acceptance in acceptances:
            read = standing(acceptance, max_days, on)
            self._by_check.setdefault(acceptance.check, []).append(read)
        for rules in self._by_check.values():
            # In force first, so that a renewal wins over the rule it replaces.
            rules.sort(key=lambda c: (not c.in_force, -c.acceptance.expires.toordinal()))

    @classmethod
    def of(cls, assessment: Assessment, on: date | None = None) -> Index:
        """The index of ``assessment``'s acceptances on day ``on`` (today)."""
        return cls(
            assessment.acceptances,
            assessment.scope.account_id,
            on or today(),
            assessment.max_acceptance_days,
        )

    def standing(self, acceptance: Acceptance) -> Covered:
        """``acceptance`` as this index reads it: on its day, under its policy."""
        return standing(acceptance, self.max_days, self.on)

    def __bool__(self) -> bool:
        return bool(self._by_check)

    def covering(self, finding: Finding) -> Covered | None:
        """The exception of a failing finding, None for any other finding."""
        if finding.status is not Status.FAIL:
            return None
        rules = self._by_check.get(finding.check)
        if not rules:
            return None
        for covered in rules:  # in force first, then longest running
            # An organization review's findings carry their account; one account's
            # review has it in its scope.
            if matches(covered.acceptance, finding, finding.account_id or self.account):
                return covered
        return None

    def accepted(self, finding: Finding) -> bool:
        """True when the finding fails under an acceptance in force (not expired, not
        out of policy)."""
        covered = self.covering(finding)
        return covered is not None and covered.in_force


class _DecidedOn(Index):
    """The index of a copy whose findings and acceptances were rewritten (a redacted
    report's, account ids masked): which acceptance covers a finding is decided on the
    original's values, and answered with the copy's acceptance."""

    def __init__(self, original: Assessment, copy: Assessment, on: date) -> None:
        super().__init__(copy.acceptances, copy.scope.account_id, on, original.max_acceptance_days)
        self._original = Index.of(original, on)
        self._findings = {id(c): o for c, o in zip(copy.findings, original.findings, strict=True)}
        self._copies = {
            id(o): c for o, c in zip(original.acceptances, copy.acceptances, strict=True)
        }
        self._originals = {
            id(c): o for o, c in zip(original.acceptances, copy.acceptances, strict=True)
        }

    def covering(self, finding: Finding) -> Covered | None:
        original = self._findings.get(id(finding))
        if original is None:  # not one of the copy's findings: read it as it is
            return super().covering(finding)
        covered = self._original.covering(original)
        if covered is None:
            return None
        return replace(covered, acceptance=self._copies[id(covered.acceptance)])

    def standing(self, acceptance: Acceptance) -> Covered:
        # Read on the original's fields: masking must not make a flaw.
        original = self._originals.get(id(acceptance))
        if original is None:
            return super().standing(acceptance)
        return replace(super().standing(original), acceptance=acceptance)


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


def standings(assessment: Assessment, on: date | None = None) -> list[Covered]:
    """Every acceptance of ``assessment`` as read on ``on`` (today), in file order."""
    day = on or today()
    return [standing(a, assessment.max_acceptance_days, day) for a in assessment.acceptances]


def active(assessment: Assessment, on: date | None = None) -> list[Acceptance]:
    """The acceptances in force on ``on`` (today), in the order they were made."""
    return [c.acceptance for c in standings(assessment, on) if c.in_force]


def expired(assessment: Assessment, on: date | None = None) -> list[Acceptance]:
    """The acceptances that have expired by ``on`` (today) and kept the policy (one that
    broke it is listed by ``out_of_policy``)."""
    return [c.acceptance for c in standings(assessment, on) if c.state == EXPIRED]


def out_of_policy(assessment: Assessment, on: date | None = None) -> list[Covered]:
    """The acceptances that break the assessment's policy, each with its flaw."""
    return [c for c in standings(assessment, on) if c.flaw is not None]


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
