"""The questionnaire as plain terminal prompts (questionary), one question at a time.

Every answer is saved as soon as it is given; Ctrl-C or Ctrl-D at any prompt stops,
keeping all of them. Opening, saving and the recent list are the workbench's. Besides
the unanswered questions it asks again those carried forward from an earlier review and
those due for re-confirmation, and says when the scan (or a failure imported from another
tool) contradicts an answer.
"""

from __future__ import annotations

import shutil
import sys
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TextIO

from srm_tui import attestation, contradictions
from srm_tui.model import Question, Reason, Section, today
from srm_tui.review import in_scope, to_review
from srm_tui.sanitize import clean
from srm_tui.scoring import risk_of
from srm_tui.workbench import Workbench

SKIP = "__skip__"
NOT_APPLICABLE = "__not_applicable__"


@dataclass(frozen=True, slots=True)
class Option:
    """One entry of a prompt's list: what is shown and what is returned."""

    title: str
    value: str
    checked: bool = False


class Prompter(Protocol):
    """What the plain mode asks; questionary in real use, canned answers in tests.

    Each method raises KeyboardInterrupt when the user presses Ctrl-C, EOFError at
    Ctrl-D (or when the input ends).
    """

    def checkbox(
        self, message: str, options: Sequence[Option], validate: Callable[[list[str]], Any]
    ) -> list[str]: ...

    def select(self, message: str, options: Sequence[Option], default: str | None) -> str: ...

    def text(self, message: str, default: str) -> str: ...


class QuestionaryPrompter:
    """The real prompts."""

    def __init__(self) -> None:
        import questionary

        self.q = questionary

    def checkbox(
        self, message: str, options: Sequence[Option], validate: Callable[[list[str]], Any]
    ) -> list[str]:
        choices = [self.q.Choice(o.title, value=o.value, checked=o.checked) for o in options]
        question = self.q.checkbox(
            message,
            choices=choices,
            validate=validate,
            instruction="(space ticks, enter confirms; tick nothing to skip)",
        )
        return list(_ask(question))

    def select(self, message: str, options: Sequence[Option], default: str | None) -> str:
        choices = [self.q.Choice(o.title, value=o.value) for o in options]
        chosen = next((c for c in choices if c.value == default), None)
        return str(_ask(self.q.select(message, choices=choices, default=chosen)))

    def text(self, message: str, default: str) -> str:
        return str(_ask(self.q.text(message, default=default)))


def _ask(question: Any) -> Any:
    """Ask a questionary question. Ctrl-C raises KeyboardInterrupt and Ctrl-D EOFError,
    at every prompt: questionary's lists would otherwise ignore Ctrl-D."""
    from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings

    stop = KeyBindings()

    @stop.add("c-d", eager=True)
    def _end_of_input(event: Any) -> None:
        event.app.exit(exception=EOFError, style="class:aborting")

    application = question.application
    application.key_bindings = merge_key_bindings([stop, application.key_bindings])
    result = question.unsafe_ask()
    if result is None:
        raise KeyboardInterrupt
    return result


def reflow(text: str, width: int) -> str:
    """Markdown help as plain paragraphs fitted to the terminal's width."""
    paragraphs = [" ".join(p.split()) for p in text.strip().split("\n\n")]
    return "\n\n".join(textwrap.fill(p, width) for p in paragraphs if p)


def _exclusive(question: Question) -> Callable[[list[str]], Any]:
    none = question.none_choice

    def validate(values: list[str]) -> bool | str:
        if none is not None and none.id in values and len(values) > 1:
            return f"'{none.title}' cannot be combined with other choices"
        return True

    return validate


class PlainSession:
    """Walks questions with a Prompter and saves after every answer."""

    def __init__(
        self,
        bench: Workbench,
        sections: Sequence[Section],
        prompter: Prompter,
        out: TextIO = sys.stdout,
    ) -> None:
        self.bench = bench
        self.assessment = bench.assessment
        self.path = bench.path
        self.sections = sections
        self.prompter = prompter
        self.out = out
        self.saved = 0

    @property
    def width(self) -> int:
        return max(40, min(shutil.get_terminal_size((100, 24)).columns, 120) - 2)

    def listed(self, question: Question, with_extra: bool = False) -> list[Option]:
        """Print every choice in full, wrapped and numbered, and return options whose
        titles fit on one line of the prompt (prompts cannot wrap)."""
        current = self.assessment.answers.get(question.id)
        ticked = set(current.selected) if current else set()
        options = []
        for number, choice in enumerate(question.choices, 1):
            label = f"{number}. {choice.title}"
            self.say(
                textwrap.fill(label, self.width, initial_indent="  ", subsequent_indent="     ")
            )
            short = textwrap.shorten(label, self.width - 6, placeholder="…")
            options.append(Option(short, choice.id, choice.id in ticked))
        return options

    def say(self, text: str = "") -> None:
        self.out.write(clean(text) + "\n")
        self.out.flush()

    def questions(self, section_id: str | None, revisit: bool) -> list[Question]:
        chosen = in_scope(self.assessment, self.sections)
        if section_id:
            chosen = [q for q in chosen if q.section == section_id]
        return chosen if revisit else to_review(self.assessment, chosen, self.sections)

    def run(self, section_id: str | None = None, revisit: bool = False) -> int:
        """Ask every chosen question; returns how many answers were saved."""
        todo = self.questions(section_id, revisit)
        # Numbered as the wizard numbers them: the place among every question in scope.
        everything = in_scope(self.assessment, self.sections)
        place = {q.id: number for number, q in enumerate(everything, 1)}
        total = len(everything)
        if not todo:
            self.say(
                "Every question in scope is answered and confirmed. Use --all to revisit them."
            )
            return 0
        titles = {s.id: s.title for s in self.sections}
        current_section = None
        for question in todo:
            if question.section != current_section:
                current_section = question.section
                self.say()
                self.say(f"== {titles.get(current_section, current_section)} ==")
            self.say()
            number = place[question.id]
            self.bench.visit(question.id)
            self.say(f"[Question {number} of {total}] {question.title}")
            if question.help.strip():
                self.say(reflow(question.help, self.width))
            if question.url:
                self.say(f"More: {question.url}")
            for line in self.standing(question):
                self.say(line)
            self.ask(question)
        self.say()
        self.say(f"Done: {self.saved} answers saved in {self.path}.")
        return self.saved

    def standing(self, question: Question) -> list[str]:
        """What to know before answering again: carried forward, due for
        re-confirmation, contradicted by the scan."""
        answer = self.assessment.answers.get(question.id)
        if answer is None or not answer.is_answered:
            return []
        lines = []
        if answer.to_confirm:
            lines.append(
                f"Carried forward from {answer.carried_from}: to confirm. Keep the ticks "
                "to confirm it, or change them."
            )
        due = attestation.review_due(answer, attestation.review_every(question, self.sections))
        if due is not None and due <= today():
            who = f" by {answer.attested_by}" if answer.attested_by else ""
            lines.append(f"Due for re-confirmation since {due.isoformat()} (last given{who}).")
        lines += self.contradicted(question)
        return lines

    def contradicted(self, question: Question) -> list[str]:
        """One line per selected choice that a failing check contradicts, or one for a
        "does not apply" that a failing linked check disproves; then the same for the
        failures imported from other tools, said as imported."""
        a = self.assessment
        failing = contradictions.failing_for(a, question, contradictions.failing_by_account(a))
        return self._by_scan(question, failing) + self._by_import(question)

    def _by_scan(self, question: Question, failing: set[str]) -> list[str]:
        answer = self.assessment.answers.get(question.id)
        if against := contradictions.not_applying(question, answer, failing):
            return [f"Contradicted by the scan: {contradictions.not_applying_said(against)}."]
        found = contradictions.by_choice(question, answer, failing)
        return [
            f"Contradicted by the scan: '{question.choice(choice_id).title}' "  # type: ignore[union-attr]
            f"but {', '.join(checks)} {'fails' if len(checks) == 1 else 'fail'}."
            for choice_id, checks in found.items()
        ]

    def _by_import(self, question: Question) -> list[str]:
        a = self.assessment
        imported = contradictions.imported_for(a, question, contradictions.imported_by_account(a))
        answer = a.answers.get(question.id)
        if found := contradictions.imported_not_applying(question, answer, imported):
            said = contradictions.imported_not_applying_said(found, clean)
            return [f"{contradictions.imported_lead(found).capitalize()}: {said}."]
        return [
            f"{contradictions.imported_lead(found).capitalize()}: "
            f"'{question.choice(choice_id).title}' but "  # type: ignore[union-attr]
            f"{contradictions.imported_named(found, clean)} "
            f"{'fails' if len(found) == 1 else 'fail'}."
            for choice_id, found in contradictions.imported_by_choice(
                question, answer, imported
            ).items()
        ]

    def ask(self, question: Question) -> None:
        answer = self.assessment.answers.get(question.id)
        current = set(answer.selected) if answer else set()
        options = self.listed(question)
        if question.multiple:
            selected = self.prompter.checkbox(
                "Which of these do you do?", options, _exclusive(question)
            )
        else:
            options.append(Option("(Does not apply to us)", NOT_APPLICABLE))
            options.append(Option("(Skip for now)", SKIP))
            default = next(iter(current), None)
            value = self.prompter.select("Which one fits best?", options, default)
            selected = [] if value in (SKIP, NOT_APPLICABLE) else [value]
            if value == NOT_APPLICABLE:
                self.not_applicable(question)
                return
        if not selected:
            value = self.prompter.select(
                "Nothing ticked. Does this question apply to you?",
                [
                    Option("It applies: skip it for now", SKIP),
                    Option("It does not apply to us", NOT_APPLICABLE),
                ],
                SKIP,
            )
            if value == NOT_APPLICABLE:
                self.not_applicable(question)
            else:
                self.say("Skipped.")
            return
        notes = self.notes(question)
        self.bench.answer(question, selected=selected, applicable=True, notes=notes)
        self.save(question)

    def not_applicable(self, question: Question) -> None:
        answer = self.assessment.answers.get(question.id)
        default = answer.reason.value if answer and answer.reason else Reason.OUT_OF_SCOPE.value
        reason = self.prompter.select(
            "Why does it not apply?",
            [Option(r.label, r.value) for r in Reason],
            default,
        )
        notes = self.notes(question)
        self.bench.answer(question, applicable=False, reason=Reason(reason), notes=notes)
        self.save(question)

    def notes(self, question: Question) -> str:
        answer = self.assessment.answers.get(question.id)
        current = answer.notes if answer else ""
        if "\n" in current:
            text = self.prompter.text(
                "Notes (Enter keeps the current multi-line notes; type to replace, '-' clears):",
                "",
            )
            return current if not text else ("" if text.strip() == "-" else text)
        text = self.prompter.text("Notes (optional; Enter to skip):", current)
        return "" if text.strip() == "-" else text.strip()

    def save(self, question: Question) -> None:
        self.bench.save()
        self.saved += 1
        risk = risk_of(question, self.assessment.answers[question.id])
        self.say(f"Saved ({risk.label.lower()}).")
        for line in self.contradicted(question):
            self.say(line)


def run(
    path: Path,
    sections: Sequence[Section],
    prompter: Prompter | None = None,
    section_id: str | None = None,
    revisit: bool = False,
    out: TextIO = sys.stdout,
    data_dir: Path | None = None,
) -> int:
    """Create or resume ``path`` and ask its questions. Returns the exit code.

    A file that may not be changed (no write bit, a milestone, open in another srm-tui)
    raises its reason (SrmError, exit 1) before any question is asked.
    """
    with Workbench.open(path, sections, data_dir=data_dir) as bench:
        return _run_open(bench, sections, prompter, section_id, revisit, out)


def _run_open(
    bench: Workbench,
    sections: Sequence[Section],
    prompter: Prompter | None,
    section_id: str | None,
    revisit: bool,
    out: TextIO,
) -> int:
    path = clean(str(bench.path))
    if bench.new:
        bench.save()  # fail early on an unwritable folder
        out.write(f"Created {path}.\n")
    else:
        out.write(f"Resuming {path}.\n")
    session = PlainSession(bench, sections, prompter or QuestionaryPrompter(), out)
    try:
        session.run(section_id, revisit)
    except (KeyboardInterrupt, EOFError):  # Ctrl-C, or Ctrl-D: the same way out
        answered = sum(1 for a in bench.assessment.answers.values() if a.is_answered)
        out.write(
            f"\nStopped. Every answer given so far is saved ({answered} in {path}).\n"
            f"Run 'srm-tui answer {path}' to continue where you left off.\n"
        )
        out.flush()
        return 130
    return 0
