"""Who fixes a failing check, and by when: an owner and a due date per check, or per
resource of a check (a glob over its resources). Kept in the assessment apart from the
findings, so a rescan keeps them."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Sequence
from datetime import date

from srm_tui.errors import UsageError
from srm_tui.model import Assessment, Assignment


def assign(
    assessment: Assessment,
    check: str,
    *,
    owner: str | None = None,
    due: date | str | None = "",
    resource: str = "",
    known_checks: Iterable[str] | None = None,
) -> Assignment | None:
    """Set the owner and due date of ``check`` (or of its resources matching
    ``resource``); only the given fields change (``due=None`` clears the date). An
    assignment left with neither owner nor date is removed, and None returned.

    ``check`` must be known to ``known_checks`` or have findings in the assessment.
    """
    resource = resource.strip()
    known = set(known_checks or ()) | set(assessment.checks)
    known |= {f.check for f in assessment.findings}
    if check not in known:
        raise UsageError(f"no check {check!r}; 'srm-tui checks' lists the check ids.")
    current = find(assessment.assignments, check, resource)
    new = Assignment(
        check=check,
        owner=current.owner if current and owner is None else (owner or "").strip(),
        due=(current.due if current else None) if due == "" else due,  # type: ignore[arg-type]
        resource=resource,
        extra=current.extra if current else {},
    )
    assessment.assignments = [
        a for a in assessment.assignments if (a.check, a.resource) != (check, resource)
    ]
    if not new.owner and new.due is None:
        return None
    assessment.assignments.append(new)
    assessment.assignments.sort(key=lambda a: (a.check, a.resource))
    return new


def find(assignments: Sequence[Assignment], check: str, resource: str = "") -> Assignment | None:
    """The assignment of exactly ``check`` and ``resource`` (pattern), if any."""
    return next((a for a in assignments if (a.check, a.resource) == (check, resource)), None)


def for_resource(assignments: Sequence[Assignment], check: str, resource: str) -> Assignment | None:
    """Who fixes one failing resource: the first assignment of its check whose pattern
    matches it, else the check's own assignment."""
    whole = None
    for assignment in assignments:
        if assignment.check != check:
            continue
        if not assignment.resource:
            whole = assignment
        elif fnmatch.fnmatchcase(resource, assignment.resource):
            return assignment
    return whole
