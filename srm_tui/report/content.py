"""What every report format shows, computed once: the improvement plan, framework
coverage and findings grouped per check. No formatting here."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from operator import attrgetter

from srm_tui.catalog import frameworks as framework_refs
from srm_tui.model import (
    Assessment,
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

    @property
    def sort_key(self) -> tuple[int, date, int, str]:
        return (-self.priority, self.due or date.max, 0 if self.kind == "question" else 1, self.id)


def plan(
    assessment: Assessment,
    sections: Sequence[Section],
    groups: Sequence[CheckGroup] | None = None,
) -> list[PlanItem]:
    """Every high or medium risk and every failing check, most urgent first.

    A check cited by a question inherits that answer's owner and due date, so that a
    plan agreed in the questionnaire also covers the evidence behind it.
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
    for group in check_groups(assessment) if groups is None else groups:
        if not group.failed:
            continue
        record = group.record
        owner, due = ownership.get(record.id, ("", None))
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
                len(group.failed),
            )
        )
    items.sort(key=lambda item: item.sort_key)
    return items


def top(items: Sequence[PlanItem], count: int = 10) -> list[PlanItem]:
    """The ``count`` most urgent plan items (the plan is already in order)."""
    return list(items[:count])


# --- findings per check --------------------------------------------------------------


@dataclass(slots=True)
class CheckGroup:
    """The findings of one check, split by status."""

    record: CheckRecord
    failed: list[Finding] = field(default_factory=list)
    passed: list[Finding] = field(default_factory=list)
    errors: list[Finding] = field(default_factory=list)
    not_applicable: list[Finding] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.failed) + len(self.passed) + len(self.errors) + len(self.not_applicable)


def record_for(assessment: Assessment, check_id: str) -> CheckRecord:
    """The check's record, or a stand-in when the file lacks one."""
    return assessment.checks.get(check_id) or CheckRecord(
        check_id, check_id, check_id.split(".")[0], Severity.MEDIUM, Responsibility.CUSTOMER
    )


def check_groups(assessment: Assessment) -> list[CheckGroup]:
    """Findings grouped per check: worst severity first, then service, then check id.
    Resources inside a group are sorted by region and resource."""
    groups: dict[str, CheckGroup] = {}
    for finding in assessment.findings:
        group = groups.get(finding.check)
        if group is None:
            group = groups[finding.check] = CheckGroup(record_for(assessment, finding.check))
        if finding.status is Status.FAIL:
            group.failed.append(finding)
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
    by_place = attrgetter("region", "resource")  # in C: this sort sees every finding
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
