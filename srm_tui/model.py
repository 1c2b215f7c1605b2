"""The domain model: checks, findings, questions, answers and the assessment.

Plain dataclasses only: no I/O, no user interface, no AWS client.
"""

from __future__ import annotations

import re
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


def today() -> date:
    """Today's date in UTC: the calendar every expiry and due date is read in."""
    return now().date()


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
    #: The account the resource lives in; "" in an account's own findings, where the
    #: assessment's scope names it (reports fill it in).
    account_id: str = ""


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


class EvidenceKind(StrEnum):
    """What an evidence entry points at."""

    FILE = "file"
    LINK = "link"


@dataclass(frozen=True, slots=True)
class Evidence:
    """Proof attached to an answer: a file (never copied, recorded by its path, size
    and SHA-256 so that a later change shows) or a link.

    ``kind`` is ``file`` or ``link`` (a kind a later version adds is kept as read and
    shown as a link); ``ref`` is the link's address or the file's path, relative to the
    assessment's folder when the file lies inside it.
    """

    kind: str
    ref: str
    size: int | None = None
    sha256: str = ""
    added: datetime | None = None
    by: str = ""
    note: str = ""
    #: Keys of the entry this version does not know, kept as read.
    extra: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def link(cls, ref: str, **fields: Any) -> Evidence:
        """A link entry."""
        return cls(EvidenceKind.LINK.value, ref, **fields)

    @property
    def is_file(self) -> bool:
        return self.kind == EvidenceKind.FILE


@dataclass(slots=True)
class Answer:
    """What the reviewer said about one question."""

    question: str
    section: str
    selected: tuple[str, ...] = ()
    applicable: bool = True
    reason: Reason | None = None
    notes: str = ""
    evidence: tuple[Evidence, ...] = ()
    owner: str = ""
    due: date | None = None
    answered: datetime | None = None
    risk: Risk = Risk.UNANSWERED  # as computed when saved; kept for retired questions
    #: Who gave or last confirmed the answer, and when (re-confirmation counts from it).
    attested_by: str = ""
    attested: datetime | None = None
    #: The earlier review this answer was carried forward from; it stays "to confirm"
    #: until someone attests it in this review.
    carried_from: str = ""
    #: Keys this version does not know, kept as read.
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def is_answered(self) -> bool:
        """True when the reviewer chose something or said it does not apply."""
        return bool(self.selected) or not self.applicable

    @property
    def to_confirm(self) -> bool:
        """Carried forward from an earlier review and not confirmed in this one yet."""
        return bool(self.carried_from) and self.attested is None

    @property
    def links(self) -> tuple[str, ...]:
        """The ``ref`` of every evidence entry, in order."""
        return tuple(e.ref for e in self.evidence)


# --- accepted risks and the plan for failing checks ----------------------------------

#: How long an accepted risk may run unless the assessment says otherwise: a year.
DEFAULT_MAX_ACCEPTANCE_DAYS = 365


@dataclass(frozen=True, slots=True)
class Acceptance:
    """An accepted risk: a rule that marks the matching failing findings as accepted
    until it expires. The findings stay ``fail``; a rescan keeps the rule.

    ``resource`` is a glob over resource ids and ARNs (``*`` every resource); an empty
    ``account`` matches every account. ``expires`` is the last day it holds.
    """

    id: str
    check: str
    reason: str
    owner: str
    expires: date
    resource: str = "*"
    account: str = ""
    approved_by: str = ""
    created: datetime | None = None
    #: Keys this version does not know, kept as read.
    extra: Mapping[str, Any] = field(default_factory=dict)

    def expired(self, today: date) -> bool:
        """True once ``expires`` has passed (it holds through its last day)."""
        return self.expires < today


@dataclass(frozen=True, slots=True)
class Assignment:
    """Who fixes a failing check, or the resources of it matching ``resource`` (a
    glob; empty means all of them), and by when."""

    check: str
    owner: str = ""
    due: date | None = None
    resource: str = ""
    #: Keys this version does not know, kept as read.
    extra: Mapping[str, Any] = field(default_factory=dict)


# --- findings imported from other tools ---------------------------------------------

#: Who produced a finding: srm-tui's own checks, or an import.
OWN_SOURCE = "srm-tui"


@dataclass(frozen=True, slots=True)
class ImportedFinding:
    """One result another tool reported (Prowler, Security Hub), as imported: its own
    check id, its framework ids (srm-tui's keys), and its verdict. It never replaces a
    finding of srm-tui's own checks: ``imports.combine`` sets the two side by side."""

    source: str  # "prowler", "security-hub"
    check: str  # the producer's own check or control id
    title: str
    region: str
    resource: str
    status: Status
    severity: Severity
    frameworks: Frameworks = field(default_factory=dict)
    detail: str = ""
    #: The account the producer reported it for ("" when unknown); an organization
    #: review sets each imported finding against that account's own findings.
    account_id: str = ""


@dataclass(frozen=True, slots=True)
class ImportedSet:
    """The last import of one source: where it came from, when, for which account, and
    what it held. A re-import of the same source replaces it whole."""

    source: str
    origin: str  # the file's name, or "GetFindings" and the regions asked
    imported: datetime
    account_id: str
    findings: tuple[ImportedFinding, ...] = ()
    skipped: int = 0  # results without a verdict (MANUAL, archived, no compliance status)
    # Results their producer was told to set aside: muted by Prowler's mutelist,
    # suppressed in Security Hub's workflow. Neither producer counts them; nor does srm-tui.
    muted: int = 0

    def accounts(self) -> list[str]:
        """Every account the import holds findings of, sorted (an organization-wide
        import holds several; its ``account_id`` is then "")."""
        found = {f.account_id for f in self.findings if f.account_id}
        if self.account_id:
            found.add(self.account_id)
        return sorted(found)


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
    #: Workload properties, shown on the report's cover.
    environment: str = ""  # e.g. production, staging
    review_owner: str = ""  # who owns the review on the customer's side
    signed_off_by: str = ""
    signed_off: date | None = None
    #: Control parameters this review sets instead of the controls' defaults:
    #: check id -> parameter -> value (``[scope.parameters."iam.unused_credentials"]``).
    parameters: dict[str, dict[str, Parameter]] = field(default_factory=dict)


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
        return f"{what}{where}; any other findings are from earlier scans"


@dataclass(frozen=True, slots=True)
class MilestoneInfo:
    """What makes an assessment a milestone: its name and when it was taken."""

    name: str
    created: datetime | None = None


#: What AWS's ids look like: an account (12 digits), an organization, an OU, a root.
ACCOUNT_ID = re.compile(r"[0-9]{12}")
ORGANIZATION_ID = re.compile(r"o-[a-z0-9]{10,32}")
OU_ID = re.compile(r"ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}")
ROOT_ID = re.compile(r"r-[0-9a-z]{4,32}")


def is_account_id(text: str) -> bool:
    """Whether ``text`` is an AWS account id (twelve digits, nothing else)."""
    return ACCOUNT_ID.fullmatch(text) is not None


def is_parent_id(text: str) -> bool:
    """Whether ``text`` is an organizational unit's or a root's id."""
    return OU_ID.fullmatch(text) is not None or ROOT_ID.fullmatch(text) is not None


class AccountState(StrEnum):
    """Where an account of an organization review stands (AWS's own status, such as
    ``ACTIVE`` or ``SUSPENDED``, is kept apart in ``OrgAccount.status``)."""

    PENDING = "pending"  # to be scanned in the current round
    DONE = "done"  # scanned; its findings are in its own file
    FAILED = "failed"  # could not be scanned (role not assumed, calls denied): error findings
    SKIPPED = "skipped"  # not ACTIVE in the organization: not scanned
    NOT_SCANNED = "not_scanned"  # listed, but no scan has selected it yet
    REMOVED = "removed"  # no longer in the organization; what was found is kept

    @property
    def label(self) -> str:
        """How every report and front end names it: ``Not scanned``."""
        return self.value.replace("_", " ").capitalize()


@dataclass(slots=True)
class OrgAccount:
    """One account of an organization review, as the assessment keeps it: who it is,
    where it sits, and how its last scan went. Its findings live in its own file."""

    account_id: str
    name: str = ""
    ou_id: str = ""  # the organizational unit (or root) it sits in
    ou_name: str = ""
    ou_path: tuple[str, ...] = ()  # OU ids from the root down to ``ou_id``, for nested filters
    ou_names: tuple[str, ...] = ()  # their names, in the same order
    status: str = ""  # as AWS Organizations says: ACTIVE, SUSPENDED, PENDING_CLOSURE
    state: AccountState = AccountState.NOT_SCANNED
    scanned: datetime | None = None  # when its last scan finished
    round: int = 0  # the round of its last scan
    api_calls: int = 0
    scan_status: ScanStatus = ScanStatus.NEVER
    #: Findings of the last scan by status, and failures by severity.
    findings: dict[str, int] = field(default_factory=dict)
    failures: dict[str, int] = field(default_factory=dict)
    error: str = ""  # why it could not be scanned
    #: Keys this version does not know, kept as read.
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def ou_label(self) -> str:
        """``Root/Workloads/Sandbox``, or the OU's id when no name is known."""
        return "/".join(self.ou_names) or self.ou_name or self.ou_id


@dataclass(slots=True)
class Organization:
    """What makes an assessment an organization review: the organization, how its
    members are reached, the scan rounds, and every account."""

    id: str = ""
    management_account: str = ""
    role_name: str = ""
    #: Whether the members were reached with an external id; the id itself is never
    #: kept (it guards the role the way a shared secret would).
    external_id: bool = False
    round: int = 0  # the current scan round; a new one starts with --rescan
    round_started: datetime | None = None
    round_finished: datetime | None = None  # None while the round is under way
    accounts: dict[str, OrgAccount] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Override:
    """A different answer to one question for one account or one OU (and the OUs
    under it): "does not apply to the sandbox OU"."""

    question: str
    target: str  # an account id (12 digits) or an OU id (``ou-...``) or a root (``r-...``)
    selected: tuple[str, ...] = ()
    applicable: bool = True
    reason: Reason | None = None
    notes: str = ""
    answered: datetime | None = None
    extra: dict[str, Any] = field(default_factory=dict)


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
    acceptances: list[Acceptance] = field(default_factory=list)
    assignments: list[Assignment] = field(default_factory=list)
    #: The longest an acceptance may run, in days from the day it is made.
    max_acceptance_days: int = DEFAULT_MAX_ACCEPTANCE_DAYS
    #: The last import of each other tool's findings, by source.
    imports: dict[str, ImportedSet] = field(default_factory=dict)
    #: Set for an organization review; its accounts' findings are in their own files.
    organization: Organization | None = None
    #: Per-account or per-OU answers: question id -> target id -> Override.
    overrides: dict[str, dict[str, Override]] = field(default_factory=dict)
    #: Entries this version does not know, kept as read so that nothing is lost.
    extra: dict[str, Any] = field(default_factory=dict)

    def answer_for(self, question: Question) -> Answer:
        """The answer to ``question``, or a fresh unanswered one (not stored)."""
        return self.answers.get(question.id) or Answer(question.id, question.section)
