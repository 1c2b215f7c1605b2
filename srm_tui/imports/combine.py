"""How imported findings sit beside srm-tui's own: each is mapped to the own checks
that cite the same control (an AWS FSBP id first, a CIS v7.0 id otherwise) and, for
the same resource, set against their verdict.

- the own check has a verdict on the resource: the import **corroborates** it (same
  verdict) or **disagrees** (pass against fail): the own verdict counts, never the
  import's, and a disagreement is flagged for a person to look at;
- the own check could not tell (``error``) or found the control not applicable: the
  own result still stands; the import is shown beside it;
- no own finding on that control and resource: the import **counts** on its own, with
  its source named.

So nothing is counted twice for the same control and resource, and srm-tui's verdict
is never overridden silently.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from srm_tui.model import Assessment, ImportedFinding, Status

#: The framework keys an imported finding is mapped through, the most precise first.
MAPPED_BY = ("aws-fsbp", "cis-aws-7.0")


class Agreement(StrEnum):
    """Where an imported finding stands against srm-tui's own."""

    COUNTS = "counts"  # no own finding on that control and resource
    CORROBORATES = "corroborates"
    DISAGREES = "disagrees"
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


def place(assessment: Assessment) -> list[Placed]:
    """Every imported finding, mapped and set against the own findings."""
    index = _checks_by_control(assessment)
    own: dict[tuple[str, str], list[Status]] = defaultdict(list)
    for f in assessment.findings:
        for key in resource_keys(f.resource):
            own[(f.check, key)].append(f.status)
    placed = []
    for source in sorted(assessment.imports):
        for found in assessment.imports[source].findings:
            checks = mapped_checks(found, index)
            keys = resource_keys(found.resource)
            verdict = _verdict(s for c in checks for k in keys for s in own.get((c, k), ()))
            placed.append(Placed(found, checks, verdict, _agreement(found.status, verdict)))
    return placed


def _agreement(theirs: Status, own: Status | None) -> Agreement:
    if own is None:
        return Agreement.COUNTS
    if own in (Status.ERROR, Status.NOT_APPLICABLE):
        return Agreement.OWN_UNDECIDED
    if theirs in (Status.PASS, Status.FAIL) and theirs is not own:
        return Agreement.DISAGREES
    return Agreement.CORROBORATES


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
