"""What every report format shows, computed once: the improvement plan, framework
coverage and findings grouped per check (with the acceptances that cover failures).
No formatting here."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from operator import attrgetter

from srm_tui import assignments as assigned
from srm_tui.acceptances import Covered, Index
from srm_tui.catalog import frameworks as framework_refs
from srm_tui.model import (
    Assessment,
    Assignment,
    CheckMeta,
    CheckRecord,
    Finding,
    Parameter,
    Question,
    Responsibility,
    Risk,
    Section,
    Severity,
    Status,
)
from srm_tui.scoring import missing_practices, risk_of

#: How urgent a plan item is: a critical failing check first, then high risks and
#: high-severity failures side by side, and so on down.
RISK_PRIORITY = {Risk.HIGH: 3, Risk.MEDIUM: 2}
PRIORITY_LABEL = {4: "critical", 3: "high", 2: "medium", 1: "low", 0: "info"}


@dataclass(frozen=True, slots=True)
class PlanItem:
    """One thing to fix: a question left at risk or a check that failed."""

    kind: str  # "question" or "check"
    id: str
    title: str
    where: str  # the section's title, or the check's service
    responsibility: Responsibility
    level: str  # "high"/"medium" risk, or the check's severity
    priority: int  # 4 (critical) .. 0 (info)
    owner: str = ""
    due: date | None = None
    actions: tuple[str, ...] = ()  # improvement texts, or the check's remediation
    resources: int = 0  # failing resources of a check
    #: For a check: the resource pattern of the assignment this item covers ("" when
    #: the item is the check's other failing resources).
    resource: str = ""

    @property
    def sort_key(self) -> tuple[int, date, int, str, str]:
        kind = 0 if self.kind == "question" else 1
        return (-self.priority, self.due or date.max, kind, self.id, self.resource)

    def overdue(self, on: date) -> bool:
        """True when its due date has passed on day ``on``."""
        return self.due is not None and self.due < on

    def status(self, on: date) -> str:
        """``overdue`` or ``open`` on day ``on`` (what the CSV plan's status says)."""
        return "overdue" if self.overdue(on) else "open"


def plan(
    assessment: Assessment,
    sections: Sequence[Section],
    groups: Sequence[CheckGroup] | None = None,
) -> list[PlanItem]:
    """Every high or medium risk and every failing check, most urgent first.

    A failing check gets the owner and due date assigned to it; resources with their
    own assignment (a pattern) are an item of their own. A check with no assignment
    inherits the owner and due date of an answer citing it, so that a plan agreed in
    the questionnaire also covers the evidence behind it. Failures under an acceptance
    in force are not in the plan (``groups`` says which; expired ones are).
    """
    items: list[PlanItem] = []
    ownership: dict[str, tuple[str, date | None]] = {}
    for section in sections:
        for question in section.questions:
            answer = assessment.answers.get(question.id)
            if answer is None:
                continue
            if answer.owner or answer.due:
                for cid in question.checks:
                    ownership.setdefault(cid, (answer.owner, answer.due))
            risk = risk_of(question, answer)
            if risk not in RISK_PRIORITY:
                continue
            actions = tuple(
                f"{title}: {improvement}" if improvement else title
                for title, improvement in missing_practices(question, answer)
            )
            items.append(
                PlanItem(
                    "question",
                    question.id,
                    question.title,
                    section.title,
                    question.responsibility,
                    risk.value,
                    RISK_PRIORITY[risk],
                    answer.owner,
                    answer.due,
                    actions,
                )
            )
    if groups is None:
        groups = check_groups(assessment, Index.of(assessment))
    for group in groups:
        failing = group.open
        if not failing:
            continue
        record = group.record
        # Resources split by the assignment that covers them ("": the check's own).
        split: dict[str, tuple[Assignment | None, int]] = {}
        for finding in failing:
            found = assigned.for_resource(assessment.assignments, record.id, finding.resource)
            pattern = found.resource if found is not None else ""
            split[pattern] = (found if pattern else None, split.get(pattern, (None, 0))[1] + 1)
        whole = assigned.find(assessment.assignments, record.id)
        for assignment, count in split.values():
            if assignment is not None:
                owner, due, pattern = assignment.owner, assignment.due, assignment.resource
            elif whole is not None:
                owner, due, pattern = whole.owner, whole.due, ""
            else:
                (owner, due), pattern = ownership.get(record.id, ("", None)), ""
            items.append(
                PlanItem(
                    "check",
                    record.id,
                    record.title,
                    record.service,
                    record.responsibility,
                    record.severity.value,
                    record.severity.rank,
                    owner,
                    due,
                    (record.remediation,) if record.remediation else (),
                    count,
                    pattern,
                )
            )
    items.sort(key=lambda item: item.sort_key)
    return items


def by_owner(items: Sequence[PlanItem]) -> list[tuple[str, list[PlanItem]]]:
    """The plan grouped by owner (by name, the items nobody owns last), each owner's
    items by due date (undated last), then by urgency."""
    groups: dict[str, list[PlanItem]] = defaultdict(list)
    for item in items:
        groups[item.owner.strip()].append(item)
    ordered = sorted(groups.items(), key=lambda kv: (not kv[0], kv[0].lower()))
    return [
        (owner, sorted(members, key=lambda i: (i.due or date.max, *i.sort_key)))
        for owner, members in ordered
    ]


def top(items: Sequence[PlanItem], count: int = 10) -> list[PlanItem]:
    """The ``count`` most urgent plan items (the plan is already in order)."""
    return list(items[:count])


# --- findings per check --------------------------------------------------------------


@dataclass(slots=True)
class CheckGroup:
    """The findings of one check, split by status; ``covered`` holds the acceptance of
    each failing resource an acceptance (in force or expired) matches, by (region,
    resource)."""

    record: CheckRecord
    failed: list[Finding] = field(default_factory=list)
    passed: list[Finding] = field(default_factory=list)
    errors: list[Finding] = field(default_factory=list)
    not_applicable: list[Finding] = field(default_factory=list)
    covered: dict[tuple[str, str, str], Covered] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return len(self.failed) + len(self.passed) + len(self.errors) + len(self.not_applicable)

    def exception(self, finding: Finding) -> Covered | None:
        """The acceptance covering a failing finding of this check, if any."""
        return (
            self.covered.get((finding.account_id, finding.region, finding.resource))
            if self.covered
            else None
        )

    @property
    def accepted(self) -> list[Finding]:
        """The failing findings under an acceptance in force."""
        return [f for f in self.failed if (c := self.exception(f)) and c.in_force]

    @property
    def open(self) -> list[Finding]:
        """The failing findings no acceptance in force covers (those under an expired or
        out-of-policy one included)."""
        if not self.covered:
            return self.failed
        return [f for f in self.failed if not ((c := self.exception(f)) and c.in_force)]


def record_for(assessment: Assessment, check_id: str) -> CheckRecord:
    """The check's record, or a stand-in when the file lacks one."""
    return assessment.checks.get(check_id) or CheckRecord(
        check_id, check_id, check_id.split(".")[0], Severity.MEDIUM, Responsibility.CUSTOMER
    )


def check_groups(assessment: Assessment, index: Index | None = None) -> list[CheckGroup]:
    """Findings grouped per check: worst severity first, then service, then check id.
    Resources inside a group are sorted by account, region and resource. ``index`` (the
    assessment's acceptances on a given day) marks the failures they cover."""
    groups: dict[str, CheckGroup] = {}
    for finding in assessment.findings:
        group = groups.get(finding.check)
        if group is None:
            group = groups[finding.check] = CheckGroup(record_for(assessment, finding.check))
        if finding.status is Status.FAIL:
            group.failed.append(finding)
            covered = index.covering(finding) if index else None
            if covered is not None:
                group.covered[(finding.account_id, finding.region, finding.resource)] = covered
        elif finding.status is Status.PASS:
            group.passed.append(finding)
        elif finding.status is Status.ERROR:
            group.errors.append(finding)
        else:
            group.not_applicable.append(finding)
    for cid, record in assessment.checks.items():
        groups.setdefault(cid, CheckGroup(record))
    ordered = sorted(
        groups.values(),
        key=lambda g: (-g.record.severity.rank, g.record.service, g.record.id),
    )
    # In C: this sort sees every finding. The account is "" in a single account's review.
    by_place = attrgetter("account_id", "region", "resource")
    for group in ordered:
        for bucket in (group.failed, group.passed, group.errors, group.not_applicable):
            bucket.sort(key=by_place)
    return ordered


# --- framework coverage --------------------------------------------------------------


class Coverage(StrEnum):
    """The status of one framework id in this assessment."""

    FAIL = "fail"
    RISK = "risk"
    PASS = "pass"
    NOT_COVERED = "not covered"


@dataclass(frozen=True, slots=True)
class CoverageRow:
    """One framework id, its status and what decided it."""

    id: str
    title: str
    status: Coverage
    checks: tuple[str, ...] = ()
    questions: tuple[str, ...] = ()


def coverage(
    assessment: Assessment,
    sections: Sequence[Section],
    key: str,
    groups: Sequence[CheckGroup] | None = None,
) -> list[CoverageRow]:
    """Each id of framework ``key`` with its status from checks and answers.

    ``fail`` when a citing check failed, else ``risk`` when a citing answer leaves a
    high or medium risk, else ``pass`` when a citing check passed or a citing answer
    leaves no risk, else ``not covered`` (nothing cites it, or nothing citing it has
    a result yet). A NIST CSF subcategory counts for its category.
    """
    refs = framework_refs.references(key) if _known_framework(key) else ()
    by_id = {g.record.id: g for g in (check_groups(assessment) if groups is None else groups)}
    marks: dict[str, Counter[Coverage]] = defaultdict(Counter)
    cited_checks: dict[str, list[str]] = defaultdict(list)
    cited_questions: dict[str, list[str]] = defaultdict(list)
    for cid, group in by_id.items():
        for ident in group.record.frameworks.get(key, ()):
            row = _row_id(key, ident)
            cited_checks[row].append(cid)
            if group.failed:
                marks[row][Coverage.FAIL] += 1
            elif group.passed:
                marks[row][Coverage.PASS] += 1
    for question in _questions(sections):
        idents = question.frameworks.get(key, ())
        if not idents:
            continue
        risk = risk_of(question, assessment.answers.get(question.id))
        for ident in idents:
            row = _row_id(key, ident)
            cited_questions[row].append(question.id)
            if risk in RISK_PRIORITY:
                marks[row][Coverage.RISK] += 1
            elif risk is Risk.NONE:
                marks[row][Coverage.PASS] += 1
    rows = []
    seen = set()
    ordered_ids = [(ref.id, ref.title) for ref in refs]
    known = {ident for ident, _ in ordered_ids}
    extra = sorted((set(cited_checks) | set(cited_questions)) - known)
    for ident, title in ordered_ids + [(i, _title(key, i)) for i in extra]:
        if ident in seen:
            continue
        seen.add(ident)
        counts = marks.get(ident, Counter())
        status = next(
            (s for s in (Coverage.FAIL, Coverage.RISK, Coverage.PASS) if counts[s]),
            Coverage.NOT_COVERED,
        )
        rows.append(
            CoverageRow(
                ident,
                title,
                status,
                tuple(sorted(set(cited_checks.get(ident, ())))),
                tuple(dict.fromkeys(cited_questions.get(ident, ()))),
            )
        )
    return rows


def _questions(sections: Sequence[Section]) -> list[Question]:
    return [q for s in sections for q in s.questions]


def _row_id(key: str, ident: str) -> str:
    if key == "nist-csf-2.0" and "-" in ident:
        return ident.split("-", 1)[0]
    return ident


def _known_framework(key: str) -> bool:
    return key in set(framework_refs.keys())


def _title(key: str, ident: str) -> str:
    ref = framework_refs.lookup(key, ident) if _known_framework(key) else None
    return ref.title if ref else ""


def framework_name(key: str) -> str:
    """The full name of a framework key (the key itself when unknown)."""
    return framework_refs.NAMES.get(key, key)


def action_owners(assessment: Assessment) -> list[str]:
    """The distinct owners named in answers, in alphabetical order."""
    return sorted({a.owner.strip() for a in assessment.answers.values() if a.owner.strip()})


def set_assessor(assessment: Assessment, name: str) -> None:
    """Record who ran the review (``assessor`` in the file's ``[assessment]`` table)."""
    assessment.assessor = name.strip()


def assessor(assessment: Assessment) -> str:
    """Who ran the review, if set."""
    return assessment.assessor


@dataclass(frozen=True, slots=True)
class ParameterChange:
    """A control parameter the review's scope sets to other than the control's default."""

    check: str
    name: str
    value: Parameter
    default: Parameter | None  # None: the catalogue does not know the check


def parameter_changes(
    assessment: Assessment, checks: Mapping[str, CheckMeta]
) -> list[ParameterChange]:
    """Each parameter of ``[scope.parameters]`` whose value differs from the control's
    default, sorted by check and name."""
    changes = []
    for check_id, values in sorted(assessment.scope.parameters.items()):
        meta = checks.get(check_id)
        defaults = meta.parameter_defaults() if meta is not None else {}
        for name, value in sorted(values.items()):
            default = defaults.get(name)
            if value != default:
                changes.append(ParameterChange(check_id, name, value, default))
    return changes


def parameter_text(value: Parameter) -> str:
    """A parameter's value as the check texts write it: ``90``, ``true``, ``a, b``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple):
        return ", ".join(value)
    return str(value)
