"""OSCAL out: the controls an assessment reviews as an OSCAL 1.1 **catalog** (JSON), so
that a GRC tool reading the assessment results or the POA&M can resolve each control
id to its title, statement, guidance and framework mappings.

Every check the assessment knows (its check records, and a stand-in for a finding
whose check has no record) is a control in a group per AWS service; every question of
the questionnaire the report gets is a control in a group per section. A control's id
is the one the other OSCAL documents use for that check or question (``token``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from srm_tui.model import CheckRecord, Choice, Question, Section
from srm_tui.report.inputs import ReportInput
from srm_tui.report.oscal_parts import framework_props, href, line, metadata, prop, token, uid
from srm_tui.report.text import clean
from srm_tui.rules import decide
from srm_tui.scoring import normalise


def _part(part_id: str, name: str, prose: str, **more: Any) -> dict[str, Any]:
    """An OSCAL part; what is empty is left out (OSCAL wants no empty lists)."""
    made: dict[str, Any] = {"id": part_id, "name": name, "prose": prose, **more}
    return {k: v for k, v in made.items() if v}


def _control(
    cid: str, kind: str, title: str, props: list[Any], parts: list[Any], url: str
) -> dict[str, Any]:
    """A control of ``kind`` (check or question): its title (the id when it has none),
    properties and parts, and a link to ``url`` when there is one."""
    control: dict[str, Any] = {
        "id": cid,
        "class": kind,
        "title": line(title) if title.strip() else cid,
        "props": props,
        "parts": parts,
    }
    if url.strip():
        control["links"] = [{"href": href(url), "rel": "reference"}]
    return control


def check_records(report: ReportInput) -> Iterator[CheckRecord]:
    """Every check the assessment knows, by service then id: its records, and the
    stand-in the other documents use for a finding's check without one."""
    a = report.assessment
    ids = set(a.checks) | {f.check for f in a.findings}
    records = [report.record(cid) for cid in ids]
    yield from sorted(records, key=lambda r: (r.service, r.id))


def check_control(report: ReportInput, record: CheckRecord) -> dict[str, Any]:
    """A check as a control: what it verifies, how to fix a failure, its mappings."""
    cid = token(record.id)
    meta = report.check_meta.get(record.id)
    verifies = clean(meta.description) if meta is not None and meta.description else ""
    remediation = clean(record.remediation) or (clean(meta.remediation) if meta else "")
    return _control(
        cid,
        "check",
        record.title,
        [
            prop("check", record.id),
            prop("service", record.service),
            prop("severity", record.severity.value),
            prop("responsibility", record.responsibility.value),
            *([prop("scope", meta.scope)] if meta is not None and meta.scope else []),
            *framework_props(record.frameworks),
        ],
        [
            _part(
                f"{cid}_smt", "statement", verifies or f"The check verifies: {clean(record.title)}"
            ),
            _part(
                f"{cid}_gdn",
                "guidance",
                remediation or "No remediation is recorded for this check.",
            ),
        ],
        meta.url if meta is not None else "",
    )


def _choice(cid: str, number: int, question: Question, choice: Choice) -> dict[str, Any]:
    """One choice of a question: what to do about it, and the risk an answer that
    picks only this choice leaves."""
    alone = decide(question.risk_rules, frozenset(normalise(question, (choice.id,))))[1]
    if choice.is_none:
        prose = "None of the practices is in place."
    else:
        prose = clean(choice.improvement) or f"Adopt this practice: {clean(choice.title)}"
    return _part(
        f"{cid}_gdn.{number}",
        "item",
        prose,
        title=line(choice.title),
        props=[prop("choice", choice.id), prop("risk-if-only-choice", alone.value)],
    )


def question_control(question: Question) -> dict[str, Any]:
    """A question as a control: the question, its choices with their risk, the risk
    rules an answer is scored by, its mappings."""
    cid = token(question.id)
    choices = [_choice(cid, n, question, c) for n, c in enumerate(question.choices, 1)]
    rules = [prop("risk-rule", f"{r.risk.value}: {r.condition}") for r in question.risk_rules]
    guidance = _part(
        f"{cid}_gdn",
        "guidance",
        clean(question.help) or "Pick every practice in place; the risk rules score the answer.",
        props=rules,
        parts=choices,
    )
    return _control(
        cid,
        "question",
        question.title,
        [
            prop("question", question.id),
            prop("section", question.section),
            prop("responsibility", question.responsibility.value),
            *framework_props(question.frameworks),
        ],
        [_part(f"{cid}_smt", "statement", clean(question.title) or cid), guidance],
        question.url,
    )


class _Ids:
    """Control ids handed out so far: two ids that make the same token would define one
    control twice, so the first keeps it (the other documents cannot tell them apart)."""

    def __init__(self) -> None:
        self.seen: set[str] = set()

    def fresh(self, control: dict[str, Any]) -> bool:
        if control["id"] in self.seen:
            return False
        self.seen.add(control["id"])
        return True


def _check_groups(report: ReportInput, ids: _Ids) -> list[dict[str, Any]]:
    by_service: dict[str, list[dict[str, Any]]] = {}
    for record in check_records(report):
        control = check_control(report, record)
        if ids.fresh(control):
            by_service.setdefault(record.service, []).append(control)
    return [
        {
            "id": token(f"service-{service}"),
            "class": "service",
            "title": line(f"AWS {service} checks"),
            "props": [prop("service", service)],
            "controls": controls,
        }
        for service, controls in by_service.items()
    ]


def _question_groups(sections: list[Section], ids: _Ids) -> list[dict[str, Any]]:
    groups = []
    for section in sections:
        controls = [c for c in map(question_control, section.questions) if ids.fresh(c)]
        if not controls:
            continue
        group: dict[str, Any] = {
            "id": token(f"section-{section.id}"),
            "class": "section",
            "title": line(section.title) if section.title.strip() else line(section.id),
            "props": [prop("section", section.id), prop("pillar", section.pillar)],
            "controls": controls,
        }
        if section.description.strip():
            group["parts"] = [
                {"name": "overview", "prose": clean(section.description)},
            ]
        groups.append(group)
    return groups


def build(report: ReportInput) -> dict[str, Any]:
    """The catalog as a JSON-ready dict."""
    a = report.assessment
    ids = _Ids()
    groups = _check_groups(report, ids) + _question_groups(list(report.sections), ids)
    # Group ids are tokens of free text too: two sections named alike stay apart.
    seen: set[str] = set()
    for group in groups:
        base, n = group["id"], 1
        while group["id"] in seen:
            n += 1
            group["id"] = f"{base}-{n}"
        seen.add(group["id"])
    catalog: dict[str, Any] = {
        "uuid": uid(report, "catalog"),
        "metadata": metadata(report, f"{a.name}: checks and questions reviewed", ()),
    }
    if groups:
        catalog["groups"] = groups
    return {"catalog": catalog}


def render(report: ReportInput) -> str:
    """The catalog as OSCAL JSON."""
    return json.dumps(build(report), indent=2, ensure_ascii=False) + "\n"
