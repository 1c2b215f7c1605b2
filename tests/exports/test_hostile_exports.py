"""Hostile text in the exchange formats: whatever an imported file or a user's notes
hold (terminal escapes, bidirectional characters, HTML, very long text, escapes of
characters that are not Unicode), the import keeps it safely and every export is
valid JSON that py-ocsf-models and compliance-trestle accept."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import pytest
from json_text import held
from test_imports import FIXTURE, review  # noqa: F401  (the review fixture)

from srm_tui import acceptances, store
from srm_tui.model import Evidence, Finding, Status
from srm_tui.report import ocsf, oscal, oscal_catalog, oscal_poam

ComplianceFinding = pytest.importorskip(
    "py_ocsf_models.events.findings.compliance_finding",
    reason="py-ocsf-models comes with the test extra: pip install -e '.[test]'",
).ComplianceFinding
trestle_ar = pytest.importorskip(
    "trestle.oscal.assessment_results",
    reason="compliance-trestle comes with the test extra: pip install -e '.[test]'",
)

# "\udcff" is valid JSON (RFC 8259 section 7 allows any \\u escape) but a lone
# surrogate is no Unicode character: no UTF-8 file or JSON encoder can write it.
LONE_SURROGATE = "\\udcff"


def test_an_escaped_lone_surrogate_in_an_imported_file_is_replaced(run_cli, review, tmp_path):  # noqa: F811
    events = json.loads(FIXTURE.read_text("utf-8"))
    text = json.dumps(events)
    for field in ('"title": "', '"status_detail": "', '"event_code": "'):
        text = text.replace(field, field + LONE_SURROGATE + " \\u001b[2J\\u202e ")
    hostile = tmp_path / "hostile.ocsf.json"
    hostile.write_text(text, "utf-8")
    result = run_cli("import", review, "--prowler", hostile)
    assert result.code == 0, result.err
    kept = store.load(review).imports["prowler"].findings
    assert kept and all("\ufffd" in f.title and "\ufffd" in f.check for f in kept)
    for fmt, name in (("ocsf", "out.ocsf.json"), ("oscal", "out.oscal.json")):
        out = tmp_path / name
        assert run_cli("report", review, "--format", fmt, "-o", out).code == 0
        assert "\\u001b" not in out.read_text("utf-8") and "\u202e" not in out.read_text("utf-8")
    for event in json.loads((tmp_path / "out.ocsf.json").read_text("utf-8")):
        ComplianceFinding.model_validate(event)
    trestle_ar.AssessmentResults.oscal_read(tmp_path / "out.oscal.json")


# Terminal escapes, a bidirectional override, HTML and Markdown, line breaks, spaces at
# either end and a very long text: in names, notes, evidence, resources, acceptances.
EVIL = (
    "  \x1b]0;pwned\x07\x1b[2J<script>alert(1)</script> **bold** [x](javascript:1)"
    "\u202eevil\u202c\n\nsecond line\t\r\n" + "long " * 3000
)


def _hostile_report(trusted_report):
    a = trusted_report.assessment
    a.findings.append(Finding("iam.root_mfa", "us-east-1", EVIL, Status.FAIL, EVIL))
    for qid, answer in list(a.answers.items()):
        evil = Evidence.link(EVIL, note=EVIL, by=EVIL)
        a.answers[qid] = replace(
            answer, notes=EVIL, attested_by=EVIL, owner=EVIL, evidence=[*answer.evidence, evil]
        )
    acceptances.accept(
        a,
        "iam.root_mfa",
        reason=EVIL,
        owner=EVIL,
        approved_by=EVIL,
        expires=date(2026, 12, 31),
        on=date(2026, 9, 10),
    )
    return trusted_report


def _references_resolve(document: dict) -> None:
    """Every UUID a document points at (actors, parties, observations, risks,
    subjects) is defined in it."""
    defined: set[str] = set()
    pointed: set[str] = set()

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "uuid":
                    defined.add(value)
                elif key.endswith("-uuid"):
                    pointed.add(value)
                elif key == "party-uuids":
                    pointed.update(value)
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(document)
    assert pointed <= defined, pointed - defined


def test_hostile_text_still_gives_oscal_that_loads_and_resolves(trusted_report, tmp_path):
    """OSCAL titles are markup-line (one line), names and property values strings
    matching ``^\\S(.*\\S)?$``: whatever a person's name or a resource holds, both
    documents load with compliance-trestle, and every person an observation or task
    names is a party of the metadata."""
    from trestle.oscal.catalog import Catalog
    from trestle.oscal.poam import PlanOfActionAndMilestones

    report = _hostile_report(trusted_report)
    for module, model, name in (
        (oscal, trestle_ar.AssessmentResults, "ar.json"),
        (oscal_poam, PlanOfActionAndMilestones, "poam.json"),
        (oscal_catalog, Catalog, "catalog.json"),
    ):
        text = module.render(report)
        # JSON writes an escape as \\u001b: look at the strings the document holds.
        assert not set(held(text)) & {"\x1b", "\x07", "\u202e"}
        path = tmp_path / name
        path.write_text(text, "utf-8")
        model.oscal_read(path)
        _references_resolve(json.loads(text))


def _hostile_sections(sections):
    """The sample questionnaire with hostile text in every field a person writes:
    section title and description, question title, help and link, choice titles and
    improvements, and a question id that is no OSCAL token."""
    made = []
    for section in sections:
        questions = []
        for question in section.questions:
            choices = tuple(
                replace(c, title=EVIL + c.title, improvement=EVIL, help=EVIL)
                for c in question.choices
            )
            questions.append(replace(question, title=EVIL, help=EVIL, url=EVIL, choices=choices))
        made.append(replace(section, title=EVIL, description=EVIL, questions=tuple(questions)))
    first = made[0].questions[0]
    odd = replace(first, id="s ir\x1b[2J|plan")
    made[0] = replace(made[0], questions=(odd, *made[0].questions[1:]))
    return tuple(made)


def test_a_hostile_questionnaire_gives_a_clean_catalog_that_loads(trusted_report, tmp_path):
    """A user's questionnaire (--questionnaires DIR) is outside text: terminal escapes,
    markup and huge strings in its titles come out as in the other OSCAL documents
    (cleaned, titles on one line), the catalog loads with compliance-trestle, and every
    control id of the results is still defined in it."""
    from trestle.oscal.catalog import Catalog

    from srm_tui.model import Answer

    sections = _hostile_sections(trusted_report.sections)
    report = replace(_hostile_report(trusted_report), sections=sections)
    odd = sections[0].questions[0]
    report.assessment.answers[odd.id] = Answer(odd.id, odd.section, selected=(odd.choices[0].id,))
    text = oscal_catalog.render(report)
    shown = held(text)  # JSON writes an escape as \\u001b: its strings hold it
    assert "pwned" in shown  # the hostile text is there
    assert not set(shown) & {"\x1b", "\x07", "\u202e", "\r"}
    path = tmp_path / "catalog.json"
    path.write_text(text, "utf-8")
    Catalog.oscal_read(path)
    doc = json.loads(text)["catalog"]
    controls = [c for g in doc["groups"] for c in g["controls"]]
    titles = [g["title"] for g in doc["groups"]] + [c["title"] for c in controls]
    assert all("\n" not in t and t == t.strip() for t in titles)
    assert any("<script>" in t for t in titles)  # kept, as text: JSON needs no escaping
    results = json.loads(oscal.render(report))["assessment-results"]["results"][0]
    targets = {f["target"]["target-id"] for f in results["findings"]}
    assert oscal_catalog.token(odd.id) in targets
    assert targets <= {c["id"] for c in controls}


def test_hostile_text_still_gives_valid_ocsf(trusted_report):
    text = ocsf.render(_hostile_report(trusted_report))
    shown = held(text)
    assert "pwned" in shown  # the hostile text is there, cleaned
    assert not set(shown) & {"\x1b", "\x07", "\u202e"}
    for event in json.loads(text):
        ComplianceFinding.model_validate(event)
