"""The one input every report format renders: the assessment with everything a format
may need beside it (the questionnaire, the check catalogue, milestones) and what is
computed from them once (findings per check, the improvement plan, the scores).

A format reads what it needs and ignores the rest; nothing here formats text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path

from srm_tui.milestones import Milestone, list_milestones
from srm_tui.model import Assessment, CheckMeta, CheckRecord, Question, Section
from srm_tui.report import content
from srm_tui.report.content import CheckGroup, CoverageRow, ParameterChange, PlanItem
from srm_tui.report.redaction import mask, redacted
from srm_tui.scoring import Summary, summarise


@dataclass(frozen=True)
class ReportInput:
    """What a report is made from. Build it with ``prepare`` (which masks the account
    id when asked) or directly in tests.

    - ``assessment``: the review (already masked when ``redact``);
    - ``sections``: the questionnaire the answers are read against;
    - ``milestones``: the assessment's milestones, oldest first;
    - ``checks``: the catalogue's metadata of every check this build knows (title,
      description, documentation link, IAM actions); ``None`` loads it on first use;
    - ``plan_only``: the improvement plan instead of the findings, for formats whose
      registry entry says ``offers_plan``;
    - ``redact``: the account ids in ``masked`` are masked in the output;
    - ``source``: the assessment's file, when there is one;
    - ``generated``: the report's date.
    """

    assessment: Assessment
    sections: Sequence[Section]
    milestones: Sequence[Milestone] = ()
    checks: Mapping[str, CheckMeta] | None = None
    plan_only: bool = False
    redact: bool = False
    masked: tuple[str, ...] = ()
    source: Path | None = None
    generated: datetime = field(default_factory=lambda: datetime.now(UTC).replace(microsecond=0))

    @cached_property
    def questions(self) -> dict[str, Question]:
        """Every question of ``sections`` by id, in questionnaire order."""
        return {q.id: q for s in self.sections for q in s.questions}

    @cached_property
    def check_meta(self) -> Mapping[str, CheckMeta]:
        """The catalogue's metadata by check id (empty when the checks are not part
        of this build)."""
        if self.checks is not None:
            return self.checks
        return _catalogue_checks()

    def record(self, check_id: str) -> CheckRecord:
        """The check's record as kept in the assessment (a stand-in when missing)."""
        return content.record_for(self.assessment, check_id)

    @cached_property
    def groups(self) -> list[CheckGroup]:
        """Findings grouped per check, worst severity first."""
        return content.check_groups(self.assessment)

    @cached_property
    def plan(self) -> list[PlanItem]:
        """Every high or medium risk and failing check, most urgent first."""
        return content.plan(self.assessment, self.sections, self.groups)

    @cached_property
    def parameter_changes(self) -> list[ParameterChange]:
        """The control parameters the scope sets to other than their defaults."""
        if not self.assessment.scope.parameters:
            return []  # without loading the catalogue
        return content.parameter_changes(self.assessment, self.check_meta)

    @cached_property
    def summary(self) -> Summary:
        """Answers and findings counted by risk, section, responsibility and status."""
        return summarise(self.assessment, self.sections)

    def coverage(self, key: str) -> list[CoverageRow]:
        """Each id of framework ``key`` with its status from checks and answers."""
        return content.coverage(self.assessment, self.sections, key, self.groups)


def prepare(
    assessment: Assessment,
    sections: Sequence[Section],
    *,
    path: str | Path | None = None,
    plan_only: bool = False,
    redact: bool = False,
    checks: Mapping[str, CheckMeta] | None = None,
    generated: datetime | None = None,
) -> ReportInput:
    """The input of a report of ``assessment``; ``path`` (its file) adds its
    milestones; ``redact`` masks the account id everywhere, milestone names included.
    The assessment given is never changed."""
    milestones: Sequence[Milestone] = list_milestones(path) if path is not None else []
    masked: tuple[str, ...] = ()
    if redact:
        account = assessment.scope.account_id
        masked = (account,) if account else ()
        assessment = redacted(assessment)
        milestones = [
            replace(m, name=mask(m.name, account), path=Path(mask(str(m.path), account)))
            for m in milestones
        ]
    extra = {"generated": generated} if generated is not None else {}
    return ReportInput(
        assessment,
        tuple(sections),
        tuple(milestones),
        checks,
        plan_only,
        redact,
        masked,
        Path(path) if path is not None else None,
        **extra,
    )


def _catalogue_checks() -> Mapping[str, CheckMeta]:
    from srm_tui import checklist

    return {meta.id: meta for meta in checklist.load().metas()}
