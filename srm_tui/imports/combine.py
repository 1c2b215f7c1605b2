"""How imported findings sit beside srm-tui's own: each is mapped to the own checks
that cite the same control (an AWS FSBP id first, a CIS v7.0 id otherwise) and, for
the same resource, set against their verdict.

- the own check has a verdict on the resource: the import **corroborates** it (same
  verdict) or **disagrees** (pass against fail): the own verdict counts, never the
  import's, and a disagreement is flagged for a person to look at;
- the own check could not tell (``error``) or found the control not applicable: the
  own result still stands; the import is shown beside it;
- the own check judged the control in that region but names no such resource (the
  two tools name resources differently, or srm-tui left it out by the control's
  definition): the import is shown **beside** it, not counted;
- no own check covers that control there: the import **counts** on its own, with its
  source named.

An account- or region-wide setting is matched whatever the two tools call it (the own
check's one finding there is ``...:account``, ``...:root`` or the account id).

In an organization review (its accounts' findings merged in, each with its
``account_id``) an imported finding is set only against its own account's findings.

So nothing is counted twice for the same control and resource, and srm-tui's verdict
is never overridden silently.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from srm_tui.model import Assessment, ImportedFinding, Question, Status

#: The framework keys an imported finding is mapped through, the most precise first.
MAPPED_BY = ("aws-fsbp", "cis-aws-7.0")

#: How each source's producer is named to a reader.
SOURCE_NAMES = {"prowler": "Prowler", "security-hub": "AWS Security Hub"}


class Agreement(StrEnum):
    """Where an imported finding stands against srm-tui's own."""

    COUNTS = "counts"  # no own finding on that control and resource
    CORROBORATES = "corroborates"
    DISAGREES = "disagrees"
    BESIDE = "beside"  # the own check judged that control there, under other resource names
    OWN_UNDECIDED = "own_undecided"  # the own check could not tell, or found it not applicable


@dataclass(frozen=True, slots=True)
class Placed:
    """An imported finding, the own checks it maps to and where it stands."""

    finding: ImportedFinding
    checks: tuple[str, ...]
    own: Status | None
    agreement: Agreement


def resource_keys(resource: str) -> set[str]:
    """The forms a resource may be named in: as given, and an ARN's resource id
    (``sg-1`` for ``arn:aws:ec2:...:security-group/sg-1``, the bucket for an S3 ARN)."""
    keys = {resource}
    if resource.startswith("arn:"):
        tail = resource.rsplit("/", 1)[-1] if "/" in resource else resource.rsplit(":", 1)[-1]
        if tail:
            keys.add(tail)
    return keys


def _checks_by_control(assessment: Assessment) -> dict[tuple[str, str], set[str]]:
    index: dict[tuple[str, str], set[str]] = defaultdict(set)
    for record in assessment.checks.values():
        for key in MAPPED_BY:
            for ident in record.frameworks.get(key, ()):
                index[(key, ident)].add(record.id)
    return index


def mapped_checks(
    finding: ImportedFinding, index: dict[tuple[str, str], set[str]]
) -> tuple[str, ...]:
    """The own checks citing the imported finding's controls (FSBP first, then CIS)."""
    for key in MAPPED_BY:
        found: set[str] = set()
        for ident in finding.frameworks.get(key, ()):
            found |= index.get((key, ident), set())
        if found:
            return tuple(sorted(found))
    return ()


def _verdict(statuses: Iterable[Status]) -> Status | None:
    seen = set(statuses)
    for status in (Status.FAIL, Status.PASS, Status.ERROR, Status.NOT_APPLICABLE):
        if status in seen:
            return status
    return None


def _account_level(resource: str) -> bool:
    """An account- or region-wide setting, however the producer names it."""
    return resource.endswith((":account", ":root")) or (resource.isdigit() and len(resource) == 12)


class _OwnIndex:
    """srm-tui's own findings by (account, check, resource name) and by (account,
    check, region); the account is "" outside an organization review."""

    def __init__(self, assessment: Assessment) -> None:
        self.by_account = assessment.organization is not None
        self.by_resource: dict[tuple[str, str, str], list[Status]] = defaultdict(list)
        self.by_region: dict[tuple[str, str, str], list[tuple[str, Status]]] = defaultdict(list)
        for f in assessment.findings:
            account = f.account_id if self.by_account else ""
            for key in resource_keys(f.resource):
                self.by_resource[(account, f.check, key)].append(f.status)
            self.by_region[(account, f.check, f.region)].append((f.resource, f.status))

    def verdict(
        self, checks: tuple[str, ...], found: ImportedFinding
    ) -> tuple[Status | None, bool]:
        """The own verdict on the imported finding's resource, and whether a mapped own
        check looked at that region at all."""
        account = found.account_id if self.by_account else ""
        keys = resource_keys(found.resource)
        statuses = [
            s for c in checks for k in keys for s in self.by_resource.get((account, c, k), ())
        ]
        if statuses:
            return _verdict(statuses), True
        seen = [
            r
            for c in checks
            for region in (found.region, "global")
            for r in self.by_region.get((account, c, region), ())
        ]
        # A setting of the whole account or region (one own finding there): the two
        # tools name it differently, yet they judge the same thing.
        if len(seen) == 1 and _account_level(seen[0][0]):
            return seen[0][1], True
        return None, bool(seen)


def place(assessment: Assessment) -> list[Placed]:
    """Every imported finding, mapped and set against the own findings (of an
    organization review: pass it with its accounts' findings merged in)."""
    index = _checks_by_control(assessment)
    own = _OwnIndex(assessment)
    placed = []
    for source in sorted(assessment.imports):
        for found in assessment.imports[source].findings:
            checks = mapped_checks(found, index)
            verdict, looked = own.verdict(checks, found) if checks else (None, False)
            agreement = _agreement(found.status, verdict)
            if agreement is Agreement.COUNTS and looked:
                agreement = Agreement.BESIDE
            placed.append(Placed(found, checks, verdict, agreement))
    return placed


def _agreement(theirs: Status, own: Status | None) -> Agreement:
    if own is None:
        return Agreement.COUNTS
    if own in (Status.ERROR, Status.NOT_APPLICABLE):
        return Agreement.OWN_UNDECIDED
    if theirs in (Status.PASS, Status.FAIL) and theirs is not own:
        return Agreement.DISAGREES
    return Agreement.CORROBORATES


class QuestionIndex:
    """The questions an imported finding bears on: those citing one of its controls
    (an AWS FSBP or CIS v7.0 id) and those whose evidence is one of the srm-tui checks
    it maps to; in questionnaire order."""

    def __init__(self, questions: Iterable[Question]) -> None:
        self.order: dict[str, int] = {}
        self.by_control: dict[tuple[str, str], set[str]] = defaultdict(set)
        self.by_check: dict[str, set[str]] = defaultdict(set)
        for q in questions:
            self.order.setdefault(q.id, len(self.order))
            for key in MAPPED_BY:
                for ident in q.frameworks.get(key, ()):
                    self.by_control[(key, ident)].add(q.id)
            for check in q.checks:
                self.by_check[check].add(q.id)

    def of(self, placed: Placed) -> tuple[str, ...]:
        found: set[str] = set()
        for key in MAPPED_BY:
            for ident in placed.finding.frameworks.get(key, ()):
                found |= self.by_control.get((key, ident), set())
        for check in placed.checks:
            found |= self.by_check.get(check, set())
        return tuple(sorted(found, key=self.order.__getitem__))


def counts_as_failure(placed: Placed) -> bool:
    """An imported failure that counts on its own, as the review counts it: no own
    verdict on that control and resource (a disagreement or an own check that could
    not tell leaves srm-tui's result standing)."""
    return placed.agreement is Agreement.COUNTS and placed.finding.status is Status.FAIL


def counted_imports(assessment: Assessment) -> list[ImportedFinding]:
    """The imported findings that count on their own (no own finding covers them)."""
    if not assessment.imports:
        return []
    return [p.finding for p in place(assessment) if p.agreement is Agreement.COUNTS]


def disagreements(assessment: Assessment) -> list[Placed]:
    """The imported findings whose verdict contradicts srm-tui's own."""
    if not assessment.imports:
        return []
    return [p for p in place(assessment) if p.agreement is Agreement.DISAGREES]
