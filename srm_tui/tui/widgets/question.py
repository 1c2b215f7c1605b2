"""One question: its help, choices, "does not apply", notes, evidence, owner, due date;
and its standing: contradicted by the scan (or an imported failure), carried forward, due
for re-confirmation,
evidence files that changed since they were attached."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from markdown_it import MarkdownIt
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import (
    Button,
    Checkbox,
    Collapsible,
    Input,
    Label,
    Markdown,
    Select,
    Static,
    TextArea,
)

from srm_tui import attestation
from srm_tui import evidence as evidence_files
from srm_tui.contradictions import (
    ImportedFailure,
    imported_not_applying,
    imported_not_applying_said,
    not_applying,
    not_applying_said,
)
from srm_tui.errors import SrmError
from srm_tui.evidence import State
from srm_tui.model import Answer, CheckRecord, Finding, Question, Reason, Risk, Status, today
from srm_tui.scoring import risk_of
from srm_tui.tui.messages import AnswerEdited
from srm_tui.tui.screens.trust import EvidenceChoice, EvidenceDialog, example_date
from srm_tui.tui.text import clean, plain
from srm_tui.tui.widgets.choices import ChoiceList
from srm_tui.tui.widgets.marks import Tick

REASONS = [(reason.label, reason.value) for reason in Reason]
RISK_STYLE = {
    Risk.HIGH: "bold white on red",
    Risk.MEDIUM: "bold black on yellow",
    Risk.NONE: "bold white on green",
    Risk.UNANSWERED: "bold",
    Risk.NOT_APPLICABLE: "italic",
}
MAX_EVIDENCE_LINES = 5


def help_parser() -> MarkdownIt:
    """Markdown for a question's help: emphasis, lists, code and tables, but no link,
    image or raw HTML. Questionnaires are files a reviewer may be handed; nothing in
    one may open an address on a click."""
    return (
        MarkdownIt("commonmark")
        .enable(["table", "strikethrough"])
        .disable(["link", "autolink", "image", "html_inline", "html_block"])
    )


EVIDENCE_MARK = {
    State.UNCHANGED: ("✓ ", "green"),
    State.CHANGED: ("✗ ", "bold red"),
    State.VANISHED: ("✗ ", "bold red"),
    State.UNREADABLE: ("? ", "bold yellow"),
    State.UNCHECKED: ("· ", "dim"),
}


@dataclass(frozen=True, slots=True)
class Standing:
    """What the scan and the calendar say about the answers: the checks failing now
    (where the answer on screen holds), the days an answer to this question holds, the assessment's folder (where evidence
    files are found) and who attaches evidence."""

    failing: frozenset[str] = frozenset()
    #: The failures imported from other tools that count, where the answer holds.
    imported: tuple[ImportedFailure, ...] = ()
    review_every: int | None = None
    folder: Path | None = None
    attester: str = ""


def split_links(text: str) -> list[str]:
    """Evidence links typed one per line, or separated by commas or spaces."""
    return [part for part in re.split(r"[\s,]+", text) if part]


def keepable_links(text: str) -> tuple[list[str], str]:
    """The links typed that may be kept, and why one may not ("" when all may): a link
    holding credentials stays on screen for the user to mend, never in the file."""
    kept, problem = [], ""
    for link in split_links(text):
        if said := evidence_files.credential_problem(link):
            problem = problem or said
        else:
            kept.append(link)
    return kept, problem


class QuestionView(Vertical):
    """Edits one answer; every change is posted as AnswerEdited. Read-only, it shows the
    answer and takes no edit: text fields are locked, choices can be browsed.

    Questions come from questionnaire files and answers from assessment files: every
    text is cleaned before it is shown, and compared cleaned, so that showing an answer
    never counts as changing it.
    """

    def __init__(
        self,
        question: Question,
        answer: Answer,
        position: str,
        section_title: str,
        evidence: Sequence[tuple[CheckRecord | None, str, list[Finding]]],
        compact: bool = False,
        read_only: bool = False,
        standing: Standing | None = None,
    ) -> None:
        super().__init__(id="question-view")
        self.question = question
        self.answer = answer
        self.position = position
        self.section_title = section_title
        self.evidence = evidence
        self.compact = compact  # a short terminal: help starts folded
        self.read_only = read_only
        self.standing = standing or Standing()

    def compose(self) -> ComposeResult:
        q, a = self.question, self.answer
        locked = self.read_only
        yield Static(plain(q.title, style="bold"), id="q-title")
        yield Static(self._meta(), id="q-meta")
        with Horizontal(id="q-standing-row"):
            yield Static(self._standing(), id="q-standing")
            yield Button("Confirm", id="q-confirm", compact=True)
        with Collapsible(title="Why this matters (help)", id="q-help-box", collapsed=self.compact):
            if q.help.strip():
                yield Markdown(
                    clean(q.help.strip()), id="q-help", parser_factory=help_parser,
                    open_links=False,
                )  # fmt: skip
            refs = "; ".join(f"{k} {', '.join(v)}" for k, v in q.frameworks.items())
            if refs:
                yield Static(plain(f"Frameworks: {refs}", style="dim"), id="q-refs")
            if q.url:
                yield Static(plain(f"More: {q.url}", style="dim"), id="q-url")
        hint = "space ticks, several allowed" if q.multiple else "space picks one"
        hint += "; enter: next question"
        yield Label(f"Which are true? ({hint})", classes="field")
        # The scan's evidence right beside the choices it bears on (below them on a
        # narrow terminal), not under the rest of the form.
        with Horizontal(id="q-choice-row"):
            yield ChoiceList(
                q,
                a.selected,
                id="q-choices",
                failing=self.standing.failing,
                imported=self.standing.imported,
            )
            if self.evidence:
                with Vertical(id="q-evidence-box"):
                    yield Label("Automatic evidence (from the scan)", classes="field")
                    yield Static(self._evidence_text(), id="q-evidence")
        self._choices_disabled = not a.applicable
        with Horizontal(id="q-na-row"):
            yield Tick(
                "Does not apply:", not a.applicable, id="q-na", compact=True, disabled=locked
            )
            yield Select(
                REASONS,
                value=(a.reason or Reason.OUT_OF_SCOPE).value,
                allow_blank=False,
                id="q-reason",
                disabled=a.applicable or locked,
                compact=True,
            )
        yield Label("Notes (Markdown; Tab leaves the box)", classes="field")
        yield TextArea(
            clean(a.notes), id="q-notes", tab_behavior="focus", soft_wrap=True, read_only=locked
        )
        yield Label("Evidence links (URLs or document names, separated by spaces)", classes="field")
        yield Input(
            self._links_shown(),
            placeholder="e.g. https://wiki.example.com/ir-plan",
            id="q-links",
            disabled=locked,
        )
        problem = Static("", id="q-links-problem", classes="problem")
        problem.display = False  # shown while a link typed may not be kept
        yield problem
        with Horizontal(id="q-files-row"):
            yield Static(self._files(), id="q-files")
            yield Button("Attach file or link…", id="q-attach", compact=True)
        with Horizontal(id="q-owner-row"):
            with Vertical():
                yield Label("Owner", classes="field")
                yield Input(
                    clean(a.owner), placeholder="e.g. the platform team", id="q-owner",
                    disabled=locked,
                )  # fmt: skip
            with Vertical():
                yield Label("Due date", classes="field")
                yield Input(
                    a.due.isoformat() if a.due else "", placeholder="YYYY-MM-DD", id="q-due",
                    disabled=locked,
                )  # fmt: skip
        yield Static("", id="q-due-problem")

    def _links_shown(self) -> str:
        return clean(" ".join(self.answer.links))

    def _meta(self) -> Text:
        risk = risk_of(self.question, self.answer)
        text = Text()
        text.append(f" {risk.label.upper()} ", style=RISK_STYLE[risk])
        text.append(clean(f"  {self.position} · {self.section_title}"), style="dim")
        text.append(f" · owner: {self.question.responsibility.label}", style="dim")
        return text

    def _standing(self) -> Text:
        """Carried forward, due for re-confirmation: what asks for a confirmation; and
        a "does not apply" that a failing linked check disproves."""
        a = self.answer
        text = Text()
        if not a.is_answered:
            return text
        if against := not_applying(self.question, a, set(self.standing.failing)):
            text.append(" CONTRADICTED ", style="bold white on red")
            text.append(clean(f" {not_applying_said(against)}"), style="red")
        if found := imported_not_applying(self.question, a, self.standing.imported):
            if text:
                text.append("\n")
            text.append(" CONTRADICTED ", style="bold white on red")
            text.append(" " + imported_not_applying_said(found, clean), style="red")
        if a.to_confirm:
            if text:
                text.append("\n")
            text.append(" TO CONFIRM ", style="bold black on yellow")
            text.append(f" carried forward from {a.carried_from}", style="yellow")
        due = attestation.review_due(a, self.standing.review_every)
        if due is not None and due <= today():
            if text:
                text.append("\n")
            text.append(" DUE AGAIN ", style="bold black on yellow")
            text.append(f" due for re-confirmation since {due.isoformat()}", style="yellow")
        if not text and a.attested is not None and due is not None:
            # Only where the answer must be confirmed again is its date worth a line.
            who = f"{a.attested_by}, " if a.attested_by else ""
            text.append(f"Given by {who}{a.attested:%Y-%m-%d}; re-confirm by {due}", style="dim")
        return text

    def _needs_confirming(self) -> bool:
        a = self.answer
        due = attestation.review_due(a, self.standing.review_every)
        return a.is_answered and (a.to_confirm or (due is not None and due <= today()))

    def _files(self) -> Text:
        """The evidence files, each with whether it still matches what was recorded."""
        text = Text()
        for entry in self.answer.evidence:
            if not entry.is_file:
                continue
            state = evidence_files.check(entry, self.standing.folder)
            mark, style = EVIDENCE_MARK[state]
            text.append(mark, style=style)
            text.append(entry.ref)
            size = f"{entry.size:,} bytes, " if entry.size is not None else ""
            text.append(f" ({size}sha256 {entry.sha256[:12]}…)", style="dim")
            if state.alarming:
                text.append(f" {state.label}", style="bold red")
            text.append("\n")
        text.rstrip()
        return text or Text("No evidence file attached.", style="dim")

    def _evidence_text(self) -> Text:
        text = Text()
        for record, check_id, findings in self.evidence:
            title = clean(record.title if record else check_id)
            failed = [f for f in findings if f.status is Status.FAIL]
            passed = sum(1 for f in findings if f.status is Status.PASS)
            errors = sum(1 for f in findings if f.status is Status.ERROR)
            if not findings:
                text.append("○ ", style="dim")
                text.append(f"{title}: not scanned yet\n", style="dim")
                continue
            mark, style = (
                ("✗ ", "red") if failed else (("? ", "yellow") if errors else ("✓ ", "green"))
            )
            text.append(mark, style=style)
            text.append(f"{title}: ")
            text.append(f"{len(failed)} failed", style="red" if failed else "")
            text.append(f", {passed} passed")
            if errors:
                text.append(f", {errors} could not be checked", style="yellow")
            text.append("\n")
            for f in failed[:MAX_EVIDENCE_LINES]:
                detail = f": {f.detail}" if f.detail else ""
                text.append(clean(f"    {f.resource} ({f.region}){detail}\n"), style="dim")
            if len(failed) > MAX_EVIDENCE_LINES:
                text.append(
                    f"    and {len(failed) - MAX_EVIDENCE_LINES} more (see Findings)\n", style="dim"
                )
        text.rstrip()
        return text

    def on_mount(self) -> None:
        self.query_one("#q-choices", ChoiceList).set_applicable(not self._choices_disabled)
        self._show_standing()

    def _show_standing(self) -> None:
        standing = self._standing()
        self.query_one("#q-standing", Static).update(standing)
        self.query_one("#q-confirm", Button).display = self._needs_confirming()
        # No empty line under the title when there is nothing to say.
        self.query_one("#q-standing-row").display = bool(standing)

    def refresh_meta(self) -> None:
        self.query_one("#q-meta", Static).update(self._meta())
        self._show_standing()
        self.query_one("#q-files", Static).update(self._files())
        links = self.query_one("#q-links", Input)
        if keepable_links(links.value)[0] != list(self.answer.links):
            with links.prevent(Input.Changed):
                links.value = " ".join(self.answer.links)

    # --- standing and evidence files ------------------------------------------------

    @on(Button.Pressed, "#q-confirm")
    def _confirm_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self._edit()  # an edit with no change attests the answer as it stands

    @on(Button.Pressed, "#q-attach")
    def _attach_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.app.push_screen(EvidenceDialog(self.question.title, apply=self._attach_now))

    def _attach_now(self, choice: EvidenceChoice) -> str:
        """Record the file (its hash now) or the link; the sentence of a refusal."""
        by = self.standing.attester
        try:
            if evidence_files.is_link(choice.target):
                entry = evidence_files.link(choice.target, by=by, note=choice.note)
            else:
                entry = evidence_files.attach_file(
                    choice.target, base=self.standing.folder, by=by, note=choice.note
                )
        except SrmError as exc:
            return str(exc)
        kept = [e for e in self.answer.evidence if e.ref != entry.ref]
        self._edit(evidence=[*kept, entry])
        return ""

    def _edit(self, typing: bool = False, **changes: object) -> None:
        self.post_message(AnswerEdited(self.question, dict(changes), typing))

    # --- choices --------------------------------------------------------------------

    @on(ChoiceList.Changed, "#q-choices")
    def _choices_changed(self, event: ChoiceList.Changed) -> None:
        event.stop()
        if event.selected != tuple(self.answer.selected):
            self._edit(selected=event.selected)

    # --- does not apply -------------------------------------------------------------

    @on(Checkbox.Changed, "#q-na")
    def _na_changed(self, event: Checkbox.Changed) -> None:
        event.stop()
        applicable = not event.value
        self.query_one("#q-reason", Select).disabled = applicable
        self.query_one("#q-choices", ChoiceList).set_applicable(applicable)
        if applicable != self.answer.applicable:
            reason = Reason(str(self.query_one("#q-reason", Select).value))
            self._edit(applicable=applicable, reason=reason)

    @on(Select.Changed, "#q-reason")
    def _reason_changed(self, event: Select.Changed) -> None:
        event.stop()
        if self.answer.applicable or event.value is Select.NULL:
            return
        reason = Reason(str(event.value))
        if reason != self.answer.reason:
            self._edit(reason=reason)

    # --- text -----------------------------------------------------------------------

    @on(TextArea.Changed, "#q-notes")
    def _notes_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        if event.text_area.text != clean(self.answer.notes):
            self._edit(typing=True, notes=event.text_area.text)

    @on(Input.Changed, "#q-links")
    def _links_changed(self, event: Input.Changed) -> None:
        event.stop()
        links, problem = keepable_links(event.value)
        shown = self.query_one("#q-links-problem", Static)
        shown.update(Text(f"Not kept: {problem}", style="bold") if problem else "")
        shown.display = bool(problem)
        if links != split_links(self._links_shown()):
            self._edit(typing=True, evidence=links)

    @on(Input.Changed, "#q-owner")
    def _owner_changed(self, event: Input.Changed) -> None:
        event.stop()
        if event.value.strip() != clean(self.answer.owner):
            self._edit(typing=True, owner=event.value)

    @on(Input.Changed, "#q-due")
    def _due_changed(self, event: Input.Changed) -> None:
        event.stop()
        problem = self.query_one("#q-due-problem", Static)
        value = event.value.strip()
        if not value:
            due = None
        else:
            try:
                due = date.fromisoformat(value)
            except ValueError:
                if len(value) >= 10:
                    problem.update(
                        f"A due date looks like {example_date().isoformat()}; not saved "
                        "until it does."
                    )
                event.input.add_class("invalid")
                return
        problem.update("")
        event.input.remove_class("invalid")
        if due != self.answer.due:
            self._edit(typing=True, due=due)
