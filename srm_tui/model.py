"""The domain model: checks, findings, questions, answers and the assessment.

Plain dataclasses only: no I/O, no user interface, no AWS client.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

#: A framework key (``cis-aws-7.0``) mapped to the ids it cites (``("2.10",)``).
Frameworks = Mapping[str, tuple[str, ...]]

FRAMEWORK_KEYS = ("cis-aws-7.0", "aws-fsbp", "nist-csf-2.0", "iso-27017", "aws-wa-security")


class Responsibility(StrEnum):
    """Who owns a control."""

    AWS = "aws"
    SHARED = "shared"
    CUSTOMER = "customer"

    @property
    def label(self) -> str:
        """How every report and front end names it: ``AWS (inherited)``."""
        return _RESPONSIBILITY_LABEL[self]

    @property
    def short_label(self) -> str:
        """The name in a crowded grid (the responsibility matrix): ``AWS``."""
        return "AWS" if self is Responsibility.AWS else self.label


_RESPONSIBILITY_LABEL = {
    Responsibility.AWS: "AWS (inherited)",
    Responsibility.SHARED: "Shared",
    Responsibility.CUSTOMER: "Customer",
}


class Severity(StrEnum):
    """How bad a failing check is."""

    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"

    @property
    def rank(self) -> int:
        """Higher is worse: critical is 4, info is 0."""
        return _SEVERITY_RANK[self]

    @property
    def label(self) -> str:
        """How every report and front end names it: ``Critical``."""
        return self.value.capitalize()


_SEVERITY_RANK = {
    Severity.CRITICAL: 4,
    Severity.HIGH: 3,
    Severity.MEDIUM: 2,
    Severity.LOW: 1,
    Severity.INFO: 0,
}


class Status(StrEnum):
    """The outcome of a check for one resource."""

    PASS = "pass"
    FAIL = "fail"
    ERROR = "error"
    NOT_APPLICABLE = "not_applicable"

    @property
    def label(self) -> str:
        """How every report and front end names it: ``Fail``, ``Could not check``."""
        return _STATUS_LABEL[self]


_STATUS_LABEL = {
    Status.PASS: "Pass",
    Status.FAIL: "Fail",
    Status.ERROR: "Could not check",
    Status.NOT_APPLICABLE: "Not applicable",
}


class Risk(StrEnum):
    """The risk an answer leaves."""

    HIGH = "high"
    MEDIUM = "medium"
    NONE = "none"
    UNANSWERED = "unanswered"
    NOT_APPLICABLE = "not_applicable"

    @property
    def rank(self) -> int:
        """Higher is worse; only high, medium and none are comparable risks."""
        return _RISK_RANK[self]

    @property
    def label(self) -> str:
        """How every report and front end names it: ``High risk``, ``Does not apply``."""
        return _RISK_LABEL[self]


_RISK_RANK = {
    Risk.HIGH: 2,
    Risk.MEDIUM: 1,
    Risk.NONE: 0,
    Risk.UNANSWERED: -1,
    Risk.NOT_APPLICABLE: -2,
}
_RISK_LABEL = {
    Risk.HIGH: "High risk",
    Risk.MEDIUM: "Medium risk",
    Risk.NONE: "No risk",
    Risk.UNANSWERED: "Unanswered",
    Risk.NOT_APPLICABLE: "Does not apply",
}


class Reason(StrEnum):
    """Why a question does not apply (the Well-Architected reasons)."""

    OUT_OF_SCOPE = "out_of_scope"
    BUSINESS_PRIORITIES = "business_priorities"
    ARCHITECTURE_CONSTRAINTS = "architecture_constraints"
    OTHER = "other"

    @property
    def label(self) -> str:
        """How every report and front end names it: ``Out of scope`` (the wording of
        the Well-Architected Tool)."""
        return _REASON_LABEL[self]


_REASON_LABEL = {
    Reason.OUT_OF_SCOPE: "Out of scope",
    Reason.BUSINESS_PRIORITIES: "Business priorities",
    Reason.ARCHITECTURE_CONSTRAINTS: "Architecture constraints",
    Reason.OTHER: "Other",
}


class ScanStatus(StrEnum):
    """How the last scan ended."""

    NEVER = "never"
    COMPLETE = "complete"
    PARTIAL = "partial"
    CANCELLED = "cancelled"
    FAILED = "failed"


def now() -> datetime:
    """The current time in UTC, to the second."""
    return datetime.now(UTC).replace(microsecond=0)


# --- checks and findings -------------------------------------------------------------


#: A control parameter's value: a number, a word, a switch or a list of words.
Parameter = int | float | str | bool | tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CheckMeta:
    """What an automatic check tests and what it needs."""

    id: str
    title: str
    service: str
    severity: Severity
    responsibility: Responsibility
    scope: str  # "global" or "regional"
    frameworks: Frameworks
    remediation: str
    api_calls: tuple[str, ...]
    description: str = ""
    url: str = ""
    #: The control's parameters and their defaults (e.g. ``(("max_age_days", 90),)``),
    #: as the control's published definition sets them; a scope may override them.
    parameters: tuple[tuple[str, Parameter], ...] = ()

    def parameter_defaults(self) -> dict[str, Parameter]:
        """The parameters as a dictionary."""
        return dict(self.parameters)


@dataclass(frozen=True, slots=True)
class Finding:
    """One result of one check for one resource (or account/region setting)."""

    check: str
    region: str  # "global" for account-wide settings
    resource: str  # ARN where one exists, else the identifier
    status: Status
    detail: str = ""


@dataclass(frozen=True, slots=True)
class CheckRecord:
    """A check's metadata as kept in an assessment, so findings of a check that the
    current catalogue no longer has still have a title and a severity."""

    id: str
    title: str
    service: str
    severity: Severity
    responsibility: Responsibility
    frameworks: Frameworks = field(default_factory=dict)
    remediation: str = ""
    #: Keys of the check's table in the file that this version does not know, kept as
    #: read (a rescan writes a fresh record).
    extra: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def from_meta(cls, meta: CheckMeta) -> CheckRecord:
        """The record of a catalogue check."""
        return cls(
            meta.id,
            meta.title,
            meta.service,
            meta.severity,
            meta.responsibility,
            dict(meta.frameworks),
            meta.remediation,
        )


# --- questions and answers -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Choice:
    """One practice a question offers, or "None of these" (id ending ``_no``)."""

    id: str
    title: str
    improvement: str = ""
    help: str = ""
    #: Checks whose failure contradicts this choice (a claim an API can test).
    checks: tuple[str, ...] = ()

    @property
    def is_none(self) -> bool:
        """True for the "None of these" choice."""
        return self.id.endswith("_no")


@dataclass(frozen=True, slots=True)
class RiskRule:
    """``condition -> risk``; the condition is kept as written, parsed by ``rules``."""

    condition: str
    risk: Risk


@dataclass(frozen=True, slots=True)
class Question:
    """One questionnaire item."""

    id: str
    section: str
    title: str
    help: str
    responsibility: Responsibility
    frameworks: Frameworks
    choices: tuple[Choice, ...]
    risk_rules: tuple[RiskRule, ...]
    checks: tuple[str, ...] = ()
    applies_when: tuple[str, ...] = ()  # services; empty means always
    multiple: bool = True
    url: str = ""
    #: Days after which an answer is due for re-confirmation (None: the section's, or never).
    review_every: int | None = None

    @property
    def none_choice(self) -> Choice | None:
        """The "None of these" choice, if the question has one."""
        return next((c for c in self.choices if c.is_none), None)

    @property
    def practices(self) -> tuple[Choice, ...]:
        """Every choice except "None of these"."""
        return tuple(c for c in self.choices if not c.is_none)

    def choice(self, choice_id: str) -> Choice | None:
        """The choice with this id, or None."""
        return next((c for c in self.choices if c.id == choice_id), None)


@dataclass(frozen=True, slots=True)
class Section:
    """A group of questions (one questionnaire file)."""

    id: str
    title: str
    description: str
    questions: tuple[Question, ...]
    pillar: str = "security"
    order: int = 100
    source: str = ""  # file the section came from
    #: Days after which an answer in this section is due for re-confirmation.
    review_every: int | None = None


@dataclass(slots=True)
class Answer:
    """What the reviewer said about one question."""

    question: str
    section: str
    selected: tuple[str, ...] = ()
    applicable: bool = True
    reason: Reason | None = None
    notes: str = ""
    evidence: tuple[str, ...] = ()
    owner: str = ""
    due: date | None = None
    answered: datetime | None = None
    risk: Risk = Risk.UNANSWERED  # as computed when saved; kept for retired questions
    #: Keys this version does not know, kept as read.
    extra: dict[str, Any] = field(default_factory=dict)
    #: What the file says about an evidence link beyond its address (its kind, keys a
    #: later version added), by address, kept as read.
    evidence_extra: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def is_answered(self) -> bool:
        """True when the reviewer chose something or said it does not apply."""
        return bool(self.selected) or not self.applicable


# --- the assessment ------------------------------------------------------------------


@dataclass(slots=True)
class Scope:
    """What the assessment covers."""

    account_id: str = ""
    regions: tuple[str, ...] = ()
    all_regions: bool = False
    profile: str = ""
    endpoint_url: str = ""
    demo: bool = False
    frameworks: tuple[str, ...] = FRAMEWORK_KEYS
    services: tuple[str, ...] = ()  # services found in use by the last scan


@dataclass(slots=True)
class ScanInfo:
    """How the last scan went."""

    status: ScanStatus = ScanStatus.NEVER
    started: datetime | None = None
    finished: datetime | None = None
    api_calls: int = 0
    errors: tuple[str, ...] = ()
    calls: dict[str, int] = field(default_factory=dict)  # "service:Operation" -> count
    # What the last scan was limited to: check ids or service prefixes (empty: every
    # check) and the regions it read. A scan of a subset replaces only that subset's
    # findings; the others are kept from earlier scans.
    checks: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    subset: bool = False  # it left findings of earlier scans in place

    def covered(self) -> str:
        """What the last scan covered, in words ("" for a whole scan)."""
        if not self.subset:
            return ""
        what = f"only the checks {', '.join(self.checks)}" if self.checks else "every check"
        where = f" in {', '.join(self.regions)}" if self.regions else ""
        return f"{what}{where}; other findings are from earlier scans"


@dataclass(frozen=True, slots=True)
class MilestoneInfo:
    """What makes an assessment a milestone: its name and when it was taken."""

    name: str
    created: datetime | None = None


@dataclass(slots=True)
class Assessment:
    """One review of one scope: findings, answers and what they were made with."""

    name: str
    created: datetime = field(default_factory=now)
    updated: datetime = field(default_factory=now)
    tool_version: str = ""
    assessor: str = ""  # who ran the review
    milestone: MilestoneInfo | None = None  # set in a milestone, None in a live assessment
    scope: Scope = field(default_factory=Scope)
    scan: ScanInfo = field(default_factory=ScanInfo)
    checks: dict[str, CheckRecord] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    answers: dict[str, Answer] = field(default_factory=dict)
    #: Entries this version does not know, kept as read so that nothing is lost.
    extra: dict[str, Any] = field(default_factory=dict)

    def answer_for(self, question: Question) -> Answer:
        """The answer to ``question``, or a fresh unanswered one (not stored)."""
        return self.answers.get(question.id) or Answer(question.id, question.section)
