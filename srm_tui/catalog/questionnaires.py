"""Questionnaire files: load them into Sections and report every problem by file and line.

A file holds one section::

    [section]
    id = "incident_response"
    title = "Incident response"
    description = "..."
    pillar = "security"        # optional: the Well-Architected pillar it belongs to
    order = 60                 # optional: position in the review
    review_every = 365         # optional: days before an answer is due for re-confirmation

    [[questions]]
    id = "ir_plan"
    title = "..."
    help = "Markdown ..."
    url = "https://docs.aws.amazon.com/..."   # optional
    responsibility = "shared"
    frameworks = { "nist-csf-2.0" = ["RS.MA"], "iso-27017" = ["16.1.1"] }
    checks = ["account.security_contact"]      # optional: evidence from automatic checks
    applies_when = ["eks"]                    # optional: only when these services are in use
    multiple = true                           # optional: several practices may be chosen
    review_every = 180                        # optional: overrides the section's

    [[questions.choices]]
    id = "ir_plan_written"
    title = "..."
    improvement = "What to do when this practice is missing."
    checks = ["account.security_contact"]     # optional: checks whose failure contradicts it

    [[questions.choices]]
    id = "ir_plan_no"
    title = "None of these"

    [[questions.risk_rules]]
    condition = "ir_plan_written && ir_plan_tested"
    risk = "none"
    [[questions.risk_rules]]
    condition = "default"
    risk = "high"

A choice's ``checks`` must also be among the question's ``checks``, so that the evidence
shown beside the question includes every check that can contradict an answer.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from srm_tui import files, rules
from srm_tui.catalog import frameworks, rule_proof
from srm_tui.errors import InputFileError
from srm_tui.model import Choice, Question, Responsibility, Risk, RiskRule, Section
from srm_tui.toml_reader import Problem, TomlReader

ID = re.compile(r"^[A-Za-z0-9_]{3,128}$")
SERVICE = re.compile(r"^[a-z0-9-]{2,40}$")
MAX_CHOICES = 15
MAX_RULES = 3
MAX_LIST = 100  # entries in a question's checks or applies_when, or a choice's checks
#: ``review_every`` bounds, in days: a day at least, ten years at most.
REVIEW_DAYS = (1, 3660)
RULE_RISKS = {"high": Risk.HIGH, "medium": Risk.MEDIUM, "none": Risk.NONE}
MAX_FILE = 4 * 1024 * 1024  # the largest shipped section is about 30 KB


@dataclass(slots=True)
class Catalog:
    """Every section and question, in review order."""

    sections: tuple[Section, ...] = ()
    problems: list[Problem] = field(default_factory=list)

    @property
    def questions(self) -> tuple[Question, ...]:
        """Every question of every section, in order."""
        return tuple(q for s in self.sections for q in s.questions)

    def question(self, question_id: str) -> Question | None:
        """The question with this id, or None."""
        return next((q for q in self.questions if q.id == question_id), None)

    def section(self, section_id: str) -> Section | None:
        """The section with this id, or None."""
        return next((s for s in self.sections if s.id == section_id), None)

    def review_every(self, question: Question) -> int | None:
        """Days after which an answer to ``question`` is due again: its own setting, else
        its section's, else None (never)."""
        if question.review_every is not None:
            return question.review_every
        section = self.section(question.section)
        return section.review_every if section is not None else None


def default_dir() -> Path:
    """The shipped questionnaires: inside the installed package, else the source tree."""
    package = Path(__file__).resolve().parent.parent
    for candidate in (package / "questionnaires", package.parent / "questionnaires"):
        if candidate.is_dir():
            return candidate
    return package / "questionnaires"


class _Lines:
    """Where things are in one questionnaire file (the shared reader finds the lines)."""

    def __init__(self, reader: TomlReader) -> None:
        self.reader = reader

    def question(self, index: int) -> int:
        """The line of question ``index``'s ``[[questions]]`` header."""
        return self.reader.line(("questions", index))

    def within(self, index: int, needle: str, after: str = "") -> int:
        """The first line of question ``index`` containing ``needle``; with ``after``,
        the first one below the line containing ``after``."""
        if not after:
            return self.reader.line(("questions", index), needle)
        start, end = self.reader.span(("questions", index))
        lines = self.reader.lines
        start = next((i for i in range(start, end) if after in lines[i]), start)
        return next((i + 1 for i in range(start, end) if needle in lines[i]), start + 1)

    def anywhere(self, needle: str) -> int:
        """The first line of the file containing ``needle``."""
        return self.reader.line((), needle)


class _FileLoader:
    def __init__(self, path: Path, text: str, known_checks: set[str] | None) -> None:
        self.path = path
        self.name = str(path)
        self.reader = TomlReader(text, path, collect=True)
        self.lines = _Lines(self.reader)
        self.known_checks = known_checks
        self.problems = self.reader.problems

    def problem(self, line: int, message: str) -> None:
        self.reader.fail(line, message)

    def load(self) -> Section | None:
        data = self.reader.parse()
        if data is None:
            return None
        head = data.get("section")
        if not isinstance(head, dict):
            self.problem(1, "no [section] table: not a questionnaire file")
            return None
        section_id = head.get("id")
        head_line = self.lines.anywhere("[section]")
        if not isinstance(section_id, str) or not ID.match(section_id):
            self.problem(head_line, "section id must be 3-128 letters, digits or '_'")
            section_id = str(section_id)
        title = head.get("title")
        if not isinstance(title, str) or not title.strip():
            self.problem(head_line, "section has no title")
            title = section_id
        order = self.reader.value(head, "order", int, 100, ("section",), needle="order")
        review_every = self.review_days(head.get("review_every"), head_line)
        raw_questions = data.get("questions")
        if not isinstance(raw_questions, list) or not raw_questions:
            self.problem(head_line, "section has no [[questions]]")
            raw_questions = []
        questions = []
        for index, raw in enumerate(raw_questions):
            question = self.question(index, raw, section_id)
            if question is not None:
                questions.append(question)
        return Section(
            id=section_id,
            title=title,
            description=str(head.get("description", "")),
            questions=tuple(questions),
            pillar=str(head.get("pillar", "security")),
            order=order,
            source=self.name,
            review_every=review_every,
        )

    def review_days(self, value: Any, line: int) -> int | None:
        """A ``review_every`` value: None when absent, else whole days within bounds."""
        if value is None:
            return None
        low, high = REVIEW_DAYS
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.problem(line, f"review_every must be a whole number of days from {low} to {high}")
            return None
        return value

    def string(self, index: int, raw: dict[str, Any], key: str, required: bool = True) -> str:
        if key not in raw:
            if required:
                self.problem(self.lines.question(index), f"question has no {key}")
            return ""
        value: str = self.reader.value(raw, key, str, "", ("questions", index), needle=key)
        return value

    def string_list(self, index: int, raw: dict[str, Any], key: str) -> tuple[str, ...]:
        return self.reader.strings(raw, key, ("questions", index), needle=key)

    def capped(self, index: int, key: str, values: tuple[str, ...]) -> tuple[str, ...]:
        """``values``, or none with a problem when the list is longer than MAX_LIST: each
        entry is looked up in the file, so a list of thousands would cost their square."""
        if len(values) <= MAX_LIST:
            return values
        self.problem(
            self.lines.question(index), f"{key} lists {len(values)} entries; at most {MAX_LIST}"
        )
        return ()

    def question(self, index: int, raw: Any, section_id: str) -> Question | None:
        line = self.lines.question(index)
        if not isinstance(raw, dict):
            self.problem(line, "a question must be a table")
            return None
        qid = raw.get("id")
        if not isinstance(qid, str) or not ID.match(qid):
            self.problem(line, f"question id {qid!r} must be 3-128 letters, digits or '_'")
            return None
        title = self.string(index, raw, "title")
        if len(title) > 128:
            self.problem(self.lines.within(index, "title"), "title is longer than 128 characters")
        help_text = self.string(index, raw, "help", required=False)
        url = self.string(index, raw, "url", required=False)
        responsibility = raw.get("responsibility")
        try:
            owner = Responsibility(responsibility)
        except ValueError:
            self.problem(
                self.lines.within(index, "responsibility") if responsibility else line,
                f"responsibility must be one of aws, shared, customer (got {responsibility!r})",
            )
            owner = Responsibility.CUSTOMER
        refs = self.frameworks(index, raw.get("frameworks", {}))
        checks = self.capped(index, "checks", self.string_list(index, raw, "checks"))
        if self.known_checks is not None:
            for check in checks:
                if check not in self.known_checks:
                    self.problem(self.lines.within(index, check), f"unknown check {check!r}")
        applies = self.capped(index, "applies_when", self.string_list(index, raw, "applies_when"))
        for service in applies:
            if not SERVICE.match(service):
                self.problem(
                    self.lines.within(index, service),
                    f"applies_when names {service!r}: use a service name such as 'eks'",
                )
        multiple = self.reader.value(raw, "multiple", bool, True, ("questions", index), "multiple")
        choices = self.choices(index, raw.get("choices"))
        for choice in choices:
            for check in choice.checks:
                if check not in checks:
                    self.problem(
                        self.lines.within(index, f'"{choice.id}"'),
                        f"choice {choice.id!r} names check {check!r}, which the question's "
                        "checks do not list",
                    )
        review_every = (
            self.review_days(raw["review_every"], self.lines.within(index, "review_every"))
            if "review_every" in raw
            else None
        )
        risk_rules = self.risk_rules(index, raw.get("risk_rules"), choices)
        question = Question(
            id=qid,
            section=section_id,
            title=title,
            help=help_text,
            responsibility=owner,
            frameworks=refs,
            choices=choices,
            risk_rules=risk_rules,
            checks=checks,
            applies_when=applies,
            multiple=multiple,
            url=url,
            review_every=review_every,
        )
        # Over the choice limit the question is already wrong: no semantic pass.
        complete = len(risk_rules) == len(raw.get("risk_rules") or [])
        if choices and risk_rules and complete and len(raw.get("choices")) <= MAX_CHOICES:
            for message in semantic_problems(question):
                self.problem(self.lines.within(index, "risk_rules"), message)
        return question

    def frameworks(self, index: int, raw: Any) -> dict[str, tuple[str, ...]]:
        result, problems = frameworks.read_table(raw)
        for needle, message in problems:
            self.problem(self.lines.within(index, needle), message)
        return result

    def choices(self, index: int, raw: Any) -> tuple[Choice, ...]:
        line = self.lines.question(index)
        if not isinstance(raw, list) or not raw:
            self.problem(line, "question has no choices")
            return ()
        if len(raw) > MAX_CHOICES:
            self.problem(line, f"question has {len(raw)} choices; at most {MAX_CHOICES}")
        seen: set[str] = set()
        result = []
        for item in raw:
            if not isinstance(item, dict):
                self.problem(line, "a choice must be a table")
                continue
            cid = item.get("id")
            if not isinstance(cid, str) or not ID.match(cid):
                self.problem(line, f"choice id {cid!r} must be 3-128 letters, digits or '_'")
                continue
            cline = self.lines.within(index, f'"{cid}"')
            if cid in seen:
                self.problem(cline, f"duplicate choice id {cid!r}")
                continue
            seen.add(cid)
            title = item.get("title")
            if not isinstance(title, str) or not title.strip():
                self.problem(cline, f"choice {cid!r} has no title")
                title = cid
            improvement = item.get("improvement", "")
            if not isinstance(improvement, str):
                self.problem(cline, f"choice {cid!r}: improvement must be a string")
                improvement = ""
            if not cid.endswith("_no") and not improvement.strip():
                self.problem(cline, f"choice {cid!r} has no improvement text")
            checks = self.choice_checks(index, cid, item.get("checks", []))
            result.append(Choice(cid, title, improvement, str(item.get("help", "")), checks))
        nones = [c for c in result if c.is_none]
        if len(nones) > 1:
            self.problem(line, "more than one 'None of these' choice (id ending in _no)")
        if result and len(result) - len(nones) < 1:
            self.problem(line, "question has no practice to choose")
        return tuple(result)

    def choice_checks(self, index: int, cid: str, raw: Any) -> tuple[str, ...]:
        """A choice's ``checks``: ids of registered checks; never on "None of these"."""
        cline = self.lines.within(index, f'"{cid}"')
        if not isinstance(raw, list) or not all(isinstance(c, str) for c in raw):
            self.problem(cline, f"choice {cid!r}: checks must be a list of strings")
            return ()
        if len(raw) > MAX_LIST:
            self.problem(cline, f"choice {cid!r} lists {len(raw)} checks; at most {MAX_LIST}")
            return ()
        if raw and cid.endswith("_no"):
            self.problem(cline, f"choice {cid!r} is 'None of these': no check can contradict it")
            return ()
        if len(set(raw)) != len(raw):
            self.problem(cline, f"choice {cid!r} names a check twice")
        if self.known_checks is not None:
            for check in raw:
                if check not in self.known_checks:
                    self.problem(
                        self.lines.within(index, f'"{check}"', after=f'"{cid}"'),
                        f"choice {cid!r} names unknown check {check!r}",
                    )
        return tuple(dict.fromkeys(raw))

    def risk_rules(self, index: int, raw: Any, choices: Sequence[Choice]) -> tuple[RiskRule, ...]:
        line = self.lines.question(index)
        if not isinstance(raw, list) or not raw:
            self.problem(line, "question has no risk_rules")
            return ()
        if len(raw) > MAX_RULES:
            self.problem(line, f"{len(raw)} risk rules; at most {MAX_RULES} (with default)")
        ids = {c.id for c in choices}
        result = []
        for position, item in enumerate(raw):
            if not isinstance(item, dict):
                self.problem(line, "a risk rule must be a table with condition and risk")
                continue
            condition = item.get("condition")
            risk = item.get("risk")
            if not isinstance(condition, str):
                self.problem(line, "a risk rule has no condition")
                continue
            # A condition too long to parse is found by its start and named by it.
            rline = self.lines.within(index, condition[:200]) if condition else line
            if risk not in RULE_RISKS:
                self.problem(rline, f"risk must be high, medium or none (got {risk!r})")
                continue
            try:
                node = rules.parse(condition)
            except rules.RuleError as exc:
                shown = condition if len(condition) <= 80 else condition[:77] + "..."
                self.problem(rline, f"condition {shown!r}: {exc}")
                continue
            for name in sorted(rules.names(node) - ids):
                self.problem(rline, f"condition names unknown choice {name!r}")
            if isinstance(node, rules.Default) and position != len(raw) - 1:
                self.problem(
                    rline, "'default' must be the last rule: the ones after it never apply"
                )
            result.append(RiskRule(condition, RULE_RISKS[risk]))
        if result and result[-1].condition.strip() != "default":
            self.problem(line, "risk rules have no 'default' rule at the end")
        return tuple(result)


def selections(question: Question) -> Iterable[frozenset[str]]:
    """Every answer a reviewer can give: each non-empty set of practices (one at a time
    for a single-choice question), and "None of these" alone. There are 2**n of them
    for n practices: for tests and reports over small questions, never the validator."""
    practices = [c.id for c in question.practices]
    if question.multiple:
        for size in range(1, len(practices) + 1):
            for combo in itertools.combinations(practices, size):
                yield frozenset(combo)
    else:
        for practice in practices:
            yield frozenset((practice,))
    none = question.none_choice
    if none is not None:
        yield frozenset((none.id,))


def decide(question: Question, selected: frozenset[str]) -> tuple[int, Risk]:
    """The index and risk of the first of ``question``'s rules that holds for
    ``selected`` (``rules.decide``, the loop scoring uses too)."""
    return rules.decide(question.risk_rules, selected)


def semantic_problems(question: Question) -> list[str]:
    """What is wrong with a question's rules as a whole (see ``rule_proof``): "None of
    these" must give the highest risk, adding a practice must never raise the risk,
    every rule must apply to some answer. Polynomial in the question's size."""
    return rule_proof.semantic_problems(question)


def load_file(
    path: Path, known_checks: set[str] | None = None
) -> tuple[Section | None, list[Problem]]:
    """One questionnaire file as a Section, with the problems found in it."""
    section, problems, _ = _load_file(path, known_checks)
    return section, problems


def _load_file(
    path: Path, known_checks: set[str] | None
) -> tuple[Section | None, list[Problem], _Lines | None]:
    try:
        text = files.read_bytes(path, MAX_FILE)[0].decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, [Problem(str(path), 1, f"not UTF-8 text ({exc.reason})")], None
    except InputFileError as exc:
        return None, [Problem(str(path), 1, exc.reason)], None
    loader = _FileLoader(path, text, known_checks)
    section = loader.load()
    return section, loader.problems, loader.lines


def not_a_folder(path: Path) -> str:
    """Why ``path``, which is not a folder, cannot be read as a folder of sections: a
    file named in its place ('validate section.toml') is told so, not called missing."""
    if path.exists():
        return "is a file, not a folder: name the folder that holds the questionnaire files"
    return "no such folder"


def load(dirs: Sequence[Path] | None = None, known_checks: set[str] | None = None) -> Catalog:
    """Every section in ``dirs`` (default: the shipped questionnaires), in review order.

    Problems are collected, not raised; a section with problems is still loaded so the
    rest of the catalogue stays usable.
    """
    dirs = list(dirs) if dirs else [default_dir()]
    catalog = Catalog()
    sections: list[Section] = []
    seen_sections: dict[str, str] = {}
    seen_questions: dict[str, str] = {}
    seen_choices: dict[str, str] = {}
    for folder in dirs:
        if not folder.is_dir():
            catalog.problems.append(Problem(str(folder), 1, not_a_folder(folder)))
            continue
        for path in sorted(folder.glob("*.toml")):
            section, problems, text_lines = _load_file(path, known_checks)
            catalog.problems.extend(problems)
            if section is None or text_lines is None:
                continue
            if section.id in seen_sections:
                catalog.problems.append(
                    Problem(
                        str(path),
                        text_lines.anywhere("[section]"),
                        f"duplicate section id {section.id!r} (also in {seen_sections[section.id]})",
                    )
                )
                continue
            seen_sections[section.id] = str(path)
            kept = []
            for index, question in enumerate(section.questions):
                if question.id in seen_questions:
                    catalog.problems.append(
                        Problem(
                            str(path),
                            text_lines.within(index, f'"{question.id}"'),
                            f"duplicate question id {question.id!r} "
                            f"(also in {seen_questions[question.id]})",
                        )
                    )
                    continue
                seen_questions[question.id] = str(path)
                for choice in question.choices:
                    # Choice ids are global in a Well-Architected lens.
                    if choice.id in seen_choices:
                        catalog.problems.append(
                            Problem(
                                str(path),
                                text_lines.anywhere(f'"{choice.id}"'),
                                f"choice id {choice.id!r} is already used "
                                f"(in {seen_choices.get(choice.id, str(path))})",
                            )
                        )
                    seen_choices[choice.id] = str(path)
                kept.append(question)
            sections.append(_replace_questions(section, tuple(kept)))
    sections.sort(key=lambda s: (s.order, s.id))
    catalog.sections = tuple(sections)
    catalog.problems.sort(key=lambda p: (p.path, p.line))
    return catalog


def _replace_questions(section: Section, questions: tuple[Question, ...]) -> Section:
    return Section(
        section.id,
        section.title,
        section.description,
        questions,
        section.pillar,
        section.order,
        section.source,
        section.review_every,
    )
