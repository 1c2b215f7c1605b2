"""The one input every report format renders: the assessment with everything a format
may need beside it (the questionnaire, the check catalogue, milestones) and what is
computed from them once (findings per check, the improvement plan, the scores, which
failures are accepted, which evidence changed, which answers the scan or an imported
failure contradicts or are due for re-confirmation).

A format reads what it needs and ignores the rest; nothing here formats text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from functools import cached_property
from pathlib import Path

from srm_tui import attestation, contradictions
from srm_tui import evidence as evidence_files
from srm_tui.acceptances import Index, decided_on
from srm_tui.contradictions import ImportedFailure
from srm_tui.evidence import State
from srm_tui.milestones import SUFFIX as MILESTONES
from srm_tui.milestones import Milestone, list_milestones
from srm_tui.model import Answer, Assessment, CheckMeta, CheckRecord, Question, Section
from srm_tui.organization import files
from srm_tui.report import content
from srm_tui.report.content import CheckGroup, CoverageRow, ParameterChange, PlanItem
from srm_tui.report.redaction import mask, redacted
from srm_tui.scoring import Summary, effective_answer, summarise


@dataclass(frozen=True)
class ReportInput:
    """What a report is made from. Build it with ``prepare`` (which masks the account
    id when asked) or directly in tests.

    - ``assessment``: the review (already masked when ``redact``); for an organization
      review, with every account's findings, each carrying its ``account_id``;
    - ``sections``: the questionnaire the answers are read against;
    - ``milestones``: the assessment's milestones, oldest first;
    - ``checks``: the catalogue's metadata of every check this build knows (title,
      description, documentation link, IAM actions); ``None`` loads it on first use;
    - ``plan_only``: the improvement plan instead of the findings, for formats whose
      registry entry says ``offers_plan``;
    - ``redact``: the account ids in ``masked`` are masked in the output;
    - ``source``: the assessment's file, when there is one (evidence files are found
      relative to its folder);
    - ``generated``: the report's date: acceptances, due dates and re-confirmations
      are read as of this day.
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
    #: The assessment before its account ids were masked (``redact``): where evidence
    #: files really are.
    unmasked: Assessment | None = None

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

    @property
    def today(self) -> date:
        """The day the report is made, in UTC."""
        return self.generated.astimezone(UTC).date()

    @cached_property
    def acceptances(self) -> Index:
        """The assessment's acceptances as of ``today``; in a redacted report, what
        covers each finding is decided before its account ids were masked."""
        if self.unmasked is not None and self.unmasked is not self.assessment:
            return decided_on(self.unmasked, self.assessment, self.today)
        return Index.of(self.assessment, self.today)

    @cached_property
    def groups(self) -> list[CheckGroup]:
        """Findings grouped per check, worst severity first, accepted failures marked."""
        return content.check_groups(self.assessment, self.acceptances)

    @cached_property
    def plan(self) -> list[PlanItem]:
        """Every high or medium risk and failing check not accepted, most urgent first."""
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
        return summarise(self.assessment, self.sections, self.today, index=self.acceptances)

    @cached_property
    def failing_checks(self) -> set[str]:
        """The checks with a failing finding (accepted or not)."""
        return contradictions.failing_checks(self.assessment.findings)

    @cached_property
    def _failing_by_account(self) -> dict[str, set[str]]:
        return contradictions.failing_by_account(self.assessment)

    def failing_for(self, question: Question) -> set[str]:
        """The failing checks that can contradict the review's answer to ``question``
        (in an organization review, only where no account or OU answers it otherwise)."""
        if self.assessment.organization is None or not self.assessment.overrides:
            return self.failing_checks
        return contradictions.failing_for(self.assessment, question, self._failing_by_account)

    def override_contradictions(self, question: Question | None, target: str) -> tuple[str, ...]:
        """The failing checks that contradict the answer account or OU ``target`` gives
        to ``question`` in an organization review, in the accounts where it holds."""
        if question is None:
            return ()
        answer = effective_answer(self.assessment, question, target)
        return self.contradictions(question, answer, target) if answer is not None else ()

    @cached_property
    def override_answers(self) -> list[tuple[Question, str, Answer]]:
        """An organization review's answered answers for one account or OU, as
        (question, account or OU, the answer that holds there), by question then target."""
        a = self.assessment
        if a.organization is None:
            return []
        found = []
        for qid in sorted(a.overrides):
            question = self.questions.get(qid)
            for target in sorted(a.overrides[qid]) if question is not None else ():
                answer = effective_answer(a, question, target)
                if answer is not None and answer.is_answered:
                    found.append((question, target, answer))
        return found

    def contradictions(
        self, question: Question | None, answer: Answer, target: str = ""
    ) -> tuple[str, ...]:
        """The failing checks that contradict ``answer`` (none for a retired question);
        with ``target``, the answer an organization review gives for that account or
        OU, judged by the failures of the accounts where it holds."""
        if question is None:
            return ()
        if not target:
            return contradictions.of_answer(question, answer, self.failing_for(question))
        failing = contradictions.failing_for(
            self.assessment, question, self._failing_by_account, target
        )
        return contradictions.of_answer(question, answer, failing)

    @cached_property
    def contradicted(self) -> list[tuple[Question, tuple[str, ...]]]:
        """Every contradicted answer and its checks, in questionnaire order."""
        return contradictions.all_of(self.assessment, self.sections)

    @cached_property
    def _imported_by_account(self) -> dict[str, list[ImportedFailure]]:
        return contradictions.imported_by_account(self.assessment)

    def imported_contradictions(
        self, question: Question | None, answer: Answer | None, target: str = ""
    ) -> tuple[ImportedFailure, ...]:
        """The imported failures that contradict ``answer``, judged like
        ``contradictions`` (with ``target``: that account's or OU's answer)."""
        if question is None or not self._imported_by_account:
            return ()
        imported = contradictions.imported_for(
            self.assessment, question, self._imported_by_account, target or None
        )
        return contradictions.imported_of_answer(question, answer, imported)

    def override_imported_contradictions(
        self, question: Question | None, target: str
    ) -> tuple[ImportedFailure, ...]:
        """The imported failures that contradict the answer account or OU ``target``
        gives to ``question``, in the accounts where it holds."""
        if question is None:
            return ()
        answer = effective_answer(self.assessment, question, target)
        return self.imported_contradictions(question, answer, target)

    @cached_property
    def imported_contradicted(self) -> list[tuple[Question, tuple[ImportedFailure, ...]]]:
        """Every answer an imported failure contradicts, with those failures."""
        return contradictions.all_imported(
            self.assessment, self.sections, self._imported_by_account
        )

    def review_due(self, question: Question | None, answer: Answer) -> date | None:
        """The day ``answer`` falls due for re-confirmation (None: never)."""
        if question is None:
            return None
        return attestation.review_due(answer, attestation.review_every(question, self.sections))

    @cached_property
    def due_answers(self) -> list[tuple[Question, Answer, date]]:
        """The answers due for re-confirmation today, with the day each fell due."""
        return attestation.due_answers(self.assessment, self.sections, self.today)

    @cached_property
    def to_confirm(self) -> list[Answer]:
        """The answers carried forward and not confirmed yet."""
        return attestation.to_confirm(self.assessment)

    @cached_property
    def _evidence_states(self) -> dict[tuple[str, int], State]:
        return {}

    @property
    def evidence_folder(self) -> Path | None:
        """The folder evidence files are kept relative to: the assessment's. A
        milestone lies in ``FILE.toml.milestones/``, and its evidence is that of the
        assessment beside that folder."""
        if self.source is None:
            return None
        folder = self.source.parent
        if self.assessment.milestone is not None and folder.name.endswith(MILESTONES):
            return folder.parent
        return folder

    def evidence_state(self, question_id: str, index: int) -> State:
        """Whether evidence entry ``index`` of an answer still matches its record: its
        file is looked at once per report, under its real (unmasked) path."""
        key = (question_id, index)
        states = self._evidence_states
        if key not in states:
            answer = (self.unmasked or self.assessment).answers.get(question_id)
            entries = answer.evidence if answer is not None else ()
            base = self.evidence_folder
            states[key] = (
                evidence_files.check(entries[index], base)
                if index < len(entries)
                else State.UNCHECKED
            )
        return states[key]

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
    milestones and, for an organization review, its accounts' findings; ``redact``
    masks the account ids everywhere, milestone names included. The assessment given
    is never changed."""
    milestones: Sequence[Milestone] = list_milestones(path) if path is not None else []
    # An organization review's findings live in one file per account: every format
    # gets them all, each with its account.
    assessment = files.merged(assessment, path)
    masked: tuple[str, ...] = ()
    unmasked = assessment
    if redact:
        account = assessment.scope.account_id
        others = sorted(assessment.organization.accounts) if assessment.organization else []
        masked = tuple(dict.fromkeys(a for a in (account, *others) if a))
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
        unmasked=unmasked,
    )


def _catalogue_checks() -> Mapping[str, CheckMeta]:
    from srm_tui import checklist

    return {meta.id: meta for meta in checklist.load().metas()}
