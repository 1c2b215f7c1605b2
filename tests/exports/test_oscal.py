"""report --format oscal and oscal-poam: both documents load with compliance-trestle's
OSCAL models (which forbid any field OSCAL does not define) and say what the review
says: TEST, INTERVIEW and EXAMINE observations, findings per control, open and
deviation-approved risks, the plan's owners and deadlines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from srm_tui.report import oscal, oscal_poam

trestle_ar = pytest.importorskip(
    "trestle.oscal.assessment_results",
    reason="compliance-trestle comes with the test extra: pip install -e '.[test]'",
)
from trestle.oscal.poam import PlanOfActionAndMilestones  # noqa: E402


def _read(model, text: str, folder: Path, name: str):
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return model.oscal_read(path)


def test_assessment_results_load_with_the_oscal_models(trusted_report, tmp_path):
    text = oscal.render(trusted_report)
    loaded = _read(trestle_ar.AssessmentResults, text, tmp_path, "ar.json")
    result = loaded.results[0]
    methods = {m for o in result.observations for m in o.methods}
    assert methods == {"TEST", "INTERVIEW", "EXAMINE"}
    # Exporting twice gives the same document (stable UUIDs).
    assert oscal.render(trusted_report) == text


def test_observations_findings_and_risks_say_what_the_review_says(trusted_report):
    doc = json.loads(oscal.render(trusted_report))["assessment-results"]
    result = doc["results"][0]
    by_uuid = {o["uuid"]: o for o in result["observations"]}
    findings = {f["target"]["target-id"]: f for f in result["findings"]}
    root = findings["iam.root_mfa"]
    assert root["target"]["status"]["state"] == "not-satisfied"
    test = by_uuid[root["related-observations"][0]["observation-uuid"]]
    assert test["methods"] == ["TEST"]
    assert test["subjects"][0]["title"].endswith(":root")
    assert findings["cloudtrail.enabled"]["target"]["status"]["state"] == "satisfied"
    # Could not check: an observation, but no finding either way.
    assert "guardduty.enabled" not in findings
    assert findings["s_ir_logs"]["target"]["status"]["state"] == "satisfied"
    assert findings["s_ir_contacts"]["target"]["status"]["state"] == "not-satisfied"
    risks = {r["uuid"]: r for r in result["risks"]}
    statuses = sorted(
        risks[r["risk-uuid"]]["status"]
        for r in findings["ec2.sg_admin_ports_ipv4"]["related-risks"]
    )
    assert statuses == ["deviation-approved"]  # its only failure is accepted
    accepted = next(r for r in risks.values() if r["status"] == "deviation-approved")
    assert accepted["deadline"].startswith("2026-12-31")
    assert accepted["risk-log"]["entries"][0]["status-change"] == "deviation-approved"
    assert "bastion" in accepted["statement"]
    contacts = risks[findings["s_ir_contacts"]["related-risks"][0]["risk-uuid"]]
    assert contacts["status"] == "open" and contacts["deadline"].startswith("2026-10-15")


def test_evidence_is_examined_with_its_hash(trusted_report):
    doc = json.loads(oscal.render(trusted_report))["assessment-results"]
    examined = [o for o in doc["results"][0]["observations"] if o["methods"] == ["EXAMINE"]]
    assert len(examined) == 2  # the link and the file of the incident response plan
    resources = {r["uuid"]: r for r in doc["back-matter"]["resources"]}
    hashed = [
        resources[o["relevant-evidence"][0]["href"][1:]]["rlinks"][0].get("hashes")
        for o in examined
    ]
    values = [h[0]["value"] for h in hashed if h]
    assert len(values) == 1 and len(values[0]) == 64


def test_the_poam_loads_and_carries_owners_and_deadlines(trusted_report, tmp_path):
    text = oscal_poam.render(trusted_report)
    loaded = _read(PlanOfActionAndMilestones, text, tmp_path, "poam.json")
    plan = trusted_report.plan
    assert len(loaded.poam_items) == len(plan)
    doc = json.loads(text)["plan-of-action-and-milestones"]
    parties = {p["uuid"]: p["name"] for p in doc["metadata"]["parties"]}
    risks = {r["uuid"]: r for r in doc["risks"]}
    contacts = next(i for i in doc["poam-items"] if i["title"].startswith("Can people be reached"))
    risk = risks[contacts["related-risks"][0]["risk-uuid"]]
    assert risk["deadline"].startswith("2026-10-15")
    task = risk["remediations"][0]["tasks"][0]
    assert parties[task["responsible-roles"][0]["party-uuids"][0]] == "Sam"
    # An accepted failure is not in the plan; the open root MFA failure is.
    titles = " ".join(i["title"] for i in doc["poam-items"])
    assert "root" in titles.lower()
