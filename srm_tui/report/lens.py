"""The questionnaires as an AWS Well-Architected custom lens (schemaVersion 2021-11-01).

The WA Tool accepts at most 10 pillars of 20 questions each, so sections become
pillars only while they fit: with more than ten sections, sections are grouped by the
Well-Architected pillar they declare, a group too large for one pillar is split into
parts (named after the sections they hold), and if that still makes more than ten
pillars the sections are packed in review order, whole where possible, else filling
every pillar.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from srm_tui import __version__
from srm_tui.errors import SrmError
from srm_tui.model import Question, Risk, Section

SCHEMA_VERSION = "2021-11-01"
MAX_PILLARS = 10
MAX_QUESTIONS = 20  # per pillar
MAX_CHOICES = 15  # per question
MAX_RULES = 3  # per question, one of them "default"
MAX_BYTES = 500 * 1024
ID = re.compile(r"^[A-Za-z0-9_]{3,128}$")
#: Text limits of the lens format, in characters.
LIMITS = {
    "lens_name": 128,
    "lens_description": 2048,
    "pillar_name": 128,
    "question_title": 128,
    "question_description": 2048,
    "choice_title": 128,
    "display_text": 1024,
}
RISK = {Risk.HIGH: "HIGH_RISK", Risk.MEDIUM: "MEDIUM_RISK", Risk.NONE: "NO_RISK"}
PILLAR_NAMES = {
    "security": "Security",
    "reliability": "Reliability",
    "operationalExcellence": "Operational excellence",
    "performance": "Performance efficiency",
    "costOptimization": "Cost optimization",
    "sustainability": "Sustainability",
}
NAME = "Shared Responsibility Model review"
DESCRIPTION = (
    "The customer's side of the AWS Shared Responsibility Model: the practices no API "
    "can show (incident response, training, contingency plans, data classification and "
    "more), exported from srm-tui {version}."
)


class LensError(SrmError):
    """The questionnaires cannot be expressed within the lens limits."""


@dataclass(frozen=True, slots=True)
class Pillar:
    """A pillar of the lens: its id, name and questions."""

    id: str
    name: str
    questions: tuple[Question, ...]


def _fit(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _pillar_id(base: str) -> str:
    ident = re.sub(r"[^A-Za-z0-9_]", "_", base)[:120]
    return ident if len(ident) >= 3 else f"{ident}___"[:3]


def _pack(sections: Sequence[Section], whole: bool = True) -> list[tuple[Question, ...]]:
    """Questions in order into pillars of at most 20. With ``whole``, a section that no
    longer fits starts a new pillar (a section larger than a pillar is still split);
    without, every pillar is filled to the limit."""
    pillars: list[tuple[Question, ...]] = []
    current: list[Question] = []
    for section in sections:
        questions = list(section.questions)
        if whole and current and len(current) + len(questions) > MAX_QUESTIONS:
            pillars.append(tuple(current))
            current = []
        while questions:
            room = MAX_QUESTIONS - len(current)
            current += questions[:room]
            questions = questions[room:]
            if len(current) == MAX_QUESTIONS:
                pillars.append(tuple(current))
                current = []
    if current:
        pillars.append(tuple(current))
    return pillars


def _named(
    base_id: str, name: str, parts: list[tuple[Question, ...]], titles: dict[str, str]
) -> list[Pillar]:
    """Pillars for ``parts``: one part keeps ``name``; several are named after the
    sections they hold when that fits, else numbered."""
    limit = LIMITS["pillar_name"]
    if len(parts) == 1:
        return [Pillar(_pillar_id(base_id), _fit(name, limit), parts[0])]
    result = []
    used: set[str] = set()
    for n, part in enumerate(parts, 1):
        label = "; ".join(dict.fromkeys(titles.get(q.section, q.section) for q in part))
        if len(label) > limit or label in used:
            label = _fit(f"{name} (part {n} of {len(parts)})", limit)
        used.add(label)
        result.append(Pillar(_pillar_id(f"{base_id}_{n}"), label, part))
    return result


def pillars(sections: Sequence[Section]) -> list[Pillar]:
    """How the sections map to pillars (see the module docstring)."""
    sections = [s for s in sections if s.questions]
    titles = {s.id: s.title for s in sections}
    total = sum(len(s.questions) for s in sections)
    if total > MAX_PILLARS * MAX_QUESTIONS:
        raise LensError(
            f"the questionnaires hold {total} questions; a Well-Architected lens holds at most "
            f"{MAX_PILLARS * MAX_QUESTIONS} ({MAX_PILLARS} pillars of {MAX_QUESTIONS})"
        )
    # Each attempt keeps more of the sections' shape than the next; the first that
    # fits in ten pillars wins. The last always fits, given the total checked above.
    if len(sections) <= MAX_PILLARS:
        result = [p for s in sections for p in _named(s.id, s.title, _pack([s]), titles)]
        if len(result) <= MAX_PILLARS:
            return result
    groups: dict[str, list[Section]] = {}
    for section in sections:
        groups.setdefault(section.pillar, []).append(section)
    result = []
    for key, members in groups.items():
        name = PILLAR_NAMES.get(key, key.replace("_", " ").capitalize())
        if len(members) == 1:
            name = members[0].title
        result += _named(key, name, _pack(members), titles)
    if len(result) <= MAX_PILLARS:
        return result
    for whole in (True, False):
        packed = _pack(sections, whole)
        if len(packed) <= MAX_PILLARS:
            break
    return _named("srm_part", "Shared responsibility", packed, titles)


def _resource(text: str, url: str) -> dict[str, str]:
    resource = {"displayText": _fit(text, LIMITS["display_text"])}
    if url:
        resource["url"] = url
    return resource


def _question(question: Question) -> dict[str, Any]:
    choices = []
    for choice in question.choices[:MAX_CHOICES]:
        item: dict[str, Any] = {
            "id": choice.id,
            "title": _fit(choice.title, LIMITS["choice_title"]),
        }
        helpful = choice.help or (
            choice.title if len(choice.title) > LIMITS["choice_title"] else ""
        )
        if helpful:
            item["helpfulResource"] = _resource(helpful, "")
        if not choice.is_none:
            item["improvementPlan"] = _resource(
                choice.improvement or f"Adopt this practice: {choice.title}", question.url
            )
        choices.append(item)
    rules = [
        {"condition": rule.condition.strip(), "risk": RISK.get(rule.risk, "HIGH_RISK")}
        for rule in question.risk_rules
        if rule.condition.strip() != "default"
    ][: MAX_RULES - 1]
    default = next(
        (r.risk for r in question.risk_rules if r.condition.strip() == "default"), Risk.HIGH
    )
    rules.append({"condition": "default", "risk": RISK.get(default, "HIGH_RISK")})
    result: dict[str, Any] = {
        "id": question.id,
        "title": _fit(question.title, LIMITS["question_title"]),
        "description": _fit(question.help or question.title, LIMITS["question_description"]),
    }
    if question.url:
        result["helpfulResource"] = _resource(question.title, question.url)
    result["choices"] = choices
    result["riskRules"] = rules
    return result


def build(sections: Sequence[Section], name: str = NAME) -> dict[str, Any]:
    """The lens as a JSON-ready dict."""
    return {
        "schemaVersion": SCHEMA_VERSION,
        "name": _fit(name, LIMITS["lens_name"]),
        "description": _fit(DESCRIPTION.format(version=__version__), LIMITS["lens_description"]),
        "pillars": [
            {"id": p.id, "name": p.name, "questions": [_question(q) for q in p.questions]}
            for p in pillars(sections)
        ],
    }


def render(sections: Sequence[Section], name: str = NAME) -> str:
    """The lens as JSON text; LensError when it breaks a limit of the WA Tool."""
    lens = build(sections, name)
    text = json.dumps(lens, indent=2, ensure_ascii=False) + "\n"
    problems = problems_in(lens, len(text.encode("utf-8")))
    if problems:
        raise LensError("the lens would be refused by the Well-Architected Tool: " + problems[0])
    return text


def problems_in(lens: dict[str, Any], size: int | None = None) -> list[str]:
    """Every way ``lens`` breaks the WA Tool's limits (empty when it fits)."""
    problems = []
    if lens.get("schemaVersion") != SCHEMA_VERSION:
        problems.append("schemaVersion must be " + SCHEMA_VERSION)
    if size is None:
        size = len(json.dumps(lens, ensure_ascii=False).encode("utf-8"))
    if size > MAX_BYTES:
        problems.append(f"{size} bytes; at most {MAX_BYTES}")
    if len(lens.get("name", "")) > LIMITS["lens_name"] or not lens.get("name"):
        problems.append("lens name empty or too long")
    if len(lens.get("description", "")) > LIMITS["lens_description"]:
        problems.append("lens description too long")
    pillar_list = lens.get("pillars", [])
    if not 1 <= len(pillar_list) <= MAX_PILLARS:
        problems.append(f"{len(pillar_list)} pillars; 1 to {MAX_PILLARS} allowed")
    seen: set[str] = set()

    def ident(value: Any, what: str) -> None:
        if not isinstance(value, str) or not ID.match(value):
            problems.append(f"{what} id {value!r} is not 3-128 letters, digits or '_'")
        elif value in seen:
            problems.append(f"{what} id {value!r} is used twice")
        else:
            seen.add(value)

    for pillar in pillar_list:
        ident(pillar.get("id"), "pillar")
        if not pillar.get("name") or len(pillar["name"]) > LIMITS["pillar_name"]:
            problems.append(f"pillar {pillar.get('id')}: name empty or too long")
        questions = pillar.get("questions", [])
        if not 1 <= len(questions) <= MAX_QUESTIONS:
            problems.append(f"pillar {pillar.get('id')}: {len(questions)} questions")
        for question in questions:
            qid = question.get("id")
            ident(qid, "question")
            if not question.get("title") or len(question["title"]) > LIMITS["question_title"]:
                problems.append(f"question {qid}: title empty or too long")
            if len(question.get("description", "")) > LIMITS["question_description"]:
                problems.append(f"question {qid}: description too long")
            choices = question.get("choices", [])
            if not 1 <= len(choices) <= MAX_CHOICES:
                problems.append(f"question {qid}: {len(choices)} choices")
            choice_ids = set()
            for choice in choices:
                cid = choice.get("id")
                ident(cid, "choice")
                choice_ids.add(cid)
                if not choice.get("title") or len(choice["title"]) > LIMITS["choice_title"]:
                    problems.append(f"choice {cid}: title empty or too long")
                plan = choice.get("improvementPlan")
                if not str(cid).endswith("_no") and not (plan and plan.get("displayText")):
                    problems.append(f"choice {cid}: no improvement plan")
                for key in ("improvementPlan", "helpfulResource"):
                    text = (choice.get(key) or {}).get("displayText", "")
                    if len(text) > LIMITS["display_text"]:
                        problems.append(f"choice {cid}: {key} too long")
            rules = question.get("riskRules", [])
            if not 1 <= len(rules) <= MAX_RULES:
                problems.append(f"question {qid}: {len(rules)} risk rules")
            if sum(1 for r in rules if r.get("condition") == "default") != 1:
                problems.append(f"question {qid}: needs exactly one default risk rule")
            for rule in rules:
                if rule.get("risk") not in RISK.values():
                    problems.append(f"question {qid}: unknown risk {rule.get('risk')!r}")
                names = set(re.findall(r"[A-Za-z0-9_]+", rule.get("condition", ""))) - {"default"}
                if names - choice_ids:
                    problems.append(
                        f"question {qid}: rule names unknown choices {sorted(names - choice_ids)}"
                    )
    return problems
