"""report --format oscal-catalog: the OSCAL catalog that defines every control id the
assessment results and the POA&M use, loaded with compliance-trestle's Catalog model:
checks grouped by service, questions by section, each with its statement, guidance,
severity or choices, responsibility and framework mappings."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from oscal_controls import defined_controls as controls
from oscal_controls import referenced_controls

from srm_tui.model import Finding, Status
from srm_tui.report import oscal, oscal_catalog, oscal_poam
from srm_tui.report.inputs import ReportInput

trestle_catalog = pytest.importorskip(
    "trestle.oscal.catalog",
    reason="compliance-trestle comes with the test extra: pip install -e '.[test]'",
)


def catalog(report: ReportInput) -> dict[str, Any]:
    return json.loads(oscal_catalog.render(report))["catalog"]


def unresolved(report: ReportInput, document: dict[str, Any] | None = None) -> set[str]:
    """The control ids of the results and the POA&M that the catalog does not define."""
    defined = set(controls(document if document is not None else catalog(report)))
    pointed = referenced_controls(json.loads(oscal.render(report)))
    pointed |= referenced_controls(json.loads(oscal_poam.render(report)))
    return pointed - defined


@pytest.fixture
def review(org_report: ReportInput) -> ReportInput:
    """The organization sample with a finding of a check the file holds no record of,
    and a check whose id is no OSCAL token (the documents spell it as one)."""
    a = org_report.assessment
    root = a.checks["iam.root_mfa"]
    odd = replace(root, id="iam.root mfa|2", title="Root MFA, again")
    findings = [
        *a.findings,
        Finding("ecr.unrecorded", "us-east-1", "repo", Status.FAIL, "no record"),
        Finding(odd.id, "global", "root", Status.FAIL),
    ]
    changed = replace(a, findings=findings, checks={**a.checks, odd.id: odd})
    return replace(org_report, assessment=changed)


def test_every_control_the_results_and_the_poam_name_is_defined(review):
    report = review
    pointed = referenced_controls(json.loads(oscal.render(report)))
    poam = referenced_controls(json.loads(oscal_poam.render(report)))
    # Checks and questions, from both documents, the odd id as a token.
    assert {"iam.root_mfa", "s_ir_contacts", "ecr.unrecorded", "iam.root_mfa_2"} <= pointed
    assert poam and {"iam.root_mfa", "s_ir_contacts"} <= poam
    assert unresolved(report) == set()
    # A control missing from the catalog is noticed.
    document = catalog(report)
    for group in document["groups"]:
        group["controls"] = [c for c in group["controls"] if c["id"] != "s_ir_contacts"]
    assert unresolved(report, document) == {"s_ir_contacts"}


def test_the_catalog_loads_with_the_oscal_model_and_is_stable(review, tmp_path: Path):
    report = review
    text = oscal_catalog.render(report)
    path = tmp_path / "catalog.json"
    path.write_text(text, "utf-8")
    loaded = trestle_catalog.Catalog.oscal_read(path)
    assert oscal_catalog.render(report) == text  # the same review, the same file
    doc = json.loads(text)["catalog"]
    assert [g.id for g in loaded.groups] == [g["id"] for g in doc["groups"]]
    groups = {g["id"]: [c["id"] for c in g["controls"]] for g in doc["groups"]}
    assert sorted(groups["service-iam"]) == ["iam.root_mfa", "iam.root_mfa_2", "iam.support_role"]
    assert groups["service-ecr"] == ["ecr.unrecorded"]
    assert groups["section-incident_response"] == ["s_ir_plan", "s_ir_contacts", "s_ir_logs"]
    assert groups["section-training"] == ["s_tr_awareness", "s_tr_phishing", "s_tr_cloud"]
    # Every check the file holds, scanned or not, and every question of the questionnaire.
    defined = {c for ids in groups.values() for c in ids}
    assert set(report.assessment.checks) - {"iam.root mfa|2"} <= defined
    assert set(report.questions) <= defined


def _props(node: dict[str, Any]) -> set[tuple[str, str]]:
    return {(p["name"], p["value"]) for p in node.get("props", [])}


def _part(control: dict[str, Any], name: str) -> dict[str, Any]:
    return next(p for p in control["parts"] if p["name"] == name)


def test_a_check_is_a_control_with_its_statement_guidance_and_mappings(trusted_report):
    from srm_tui.model import CheckMeta

    record = trusted_report.assessment.checks["iam.root_mfa"]
    meta = CheckMeta(
        record.id, record.title, "iam", record.severity, record.responsibility, "global",
        record.frameworks, record.remediation, ("iam:GetAccountSummary",),
        description="The root user signs in with a second factor.",
        url="https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-user.html",
    )  # fmt: skip
    report = replace(trusted_report, checks={record.id: meta})
    control = controls(catalog(report))["iam.root_mfa"]
    assert control["title"] == "Root user has MFA"
    props = _props(control)
    assert {("severity", "critical"), ("responsibility", "customer"), ("scope", "global")} <= props
    assert {("framework-id", "cis-aws-7.0 2.4"), ("framework-id", "aws-fsbp IAM.9")} <= props
    assert _part(control, "statement")["prose"] == "The root user signs in with a second factor."
    assert _part(control, "guidance")["prose"] == "Enable MFA on the root user."
    assert control["links"][0]["href"].startswith("https://docs.aws.amazon.com/IAM/")
    # Without the catalogue's metadata the record still says what is checked.
    bare = controls(catalog(trusted_report))["iam.root_mfa"]
    assert "Root user has MFA" in _part(bare, "statement")["prose"]


def test_a_question_is_a_control_with_its_choices_and_their_risk(trusted_report):
    control = controls(catalog(trusted_report))["s_ir_plan"]
    assert control["title"] == "Is incident response planned?"
    assert _part(control, "statement")["prose"] == "Is incident response planned?"
    props = _props(control)
    assert {("responsibility", "shared"), ("section", "incident_response")} <= props
    assert {("framework-id", "nist-csf-2.0 RS.MA"), ("framework-id", "iso-27017 CLD.6.3.1")} <= (
        props
    )
    guidance = _part(control, "guidance")
    choices = {p["title"]: _props(p) for p in guidance["parts"]}
    # The sample's rules: every practice is no risk, practice 1 alone medium, else high.
    assert ("risk-if-only-choice", "medium") in choices[
        "Practice 1 of Is incident response planned?"
    ]
    assert ("risk-if-only-choice", "high") in choices["Practice 2 of Is incident response planned?"]
    assert ("risk-if-only-choice", "high") in choices["None of these"]
    assert ("choice", "s_ir_plan_no") in choices["None of these"]
    improvements = [p["prose"] for p in guidance["parts"]]
    assert "Do practice 1 for s_ir_plan." in improvements
    rules = [v for n, v in _props(guidance) if n == "risk-rule"]
    assert "medium: s_ir_plan_p1" in rules and "high: default" in rules


def test_the_results_say_where_their_controls_are_defined(trusted_report):
    doc = json.loads(oscal.render(trusted_report))["assessment-results"]
    plan = doc["back-matter"]["resources"][0]
    assert doc["import-ap"]["href"] == f"#{plan['uuid']}"
    assert "--format oscal-catalog" in plan["description"]
    assert ("catalog-format", "oscal-catalog") in _props(plan)
