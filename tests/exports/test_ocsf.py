"""report --format ocsf: every event validates as an OCSF Compliance Finding with
py-ocsf-models, one per finding and per answered question, accepted risks suppressed,
evidence as evidences."""

from __future__ import annotations

import json

import pytest

from srm_tui.model import Status
from srm_tui.report import ocsf

models = pytest.importorskip(
    "py_ocsf_models.events.findings.compliance_finding",
    reason="py-ocsf-models comes with the test extra: pip install -e '.[test]'",
)
from py_ocsf_models.objects.cloud import Cloud  # noqa: E402

ComplianceFinding = models.ComplianceFinding


def _events(report):
    return json.loads(ocsf.render(report))


def test_every_event_is_a_valid_compliance_finding(trusted_report):
    events = _events(trusted_report)
    fields = set(ComplianceFinding.model_fields) | {"cloud"}
    for event in events:
        parsed = ComplianceFinding.model_validate(event)
        assert parsed.class_uid == 2003 and parsed.type_uid == 200301
        # No key the model would silently drop: a misspelt field fails here.
        assert set(event) <= fields, set(event) - fields
        Cloud.model_validate(event["cloud"])
        assert event["cloud"]["account"]["uid"] == trusted_report.assessment.scope.account_id


def test_one_event_per_finding_and_per_answered_question(trusted_report):
    a = trusted_report.assessment
    events = _events(trusted_report)
    answered = [q for q in trusted_report.questions if q in a.answers and a.answers[q].is_answered]
    assert len(events) == len(a.findings) + len(answered)
    controls = [e["compliance"]["control"] for e in events]
    assert set(answered) <= set(controls)
    root = next(e for e in events if e["compliance"]["control"] == "iam.root_mfa")
    assert root["compliance"]["status"] == "Fail" and root["compliance"]["status_id"] == 3
    assert root["resources"][0]["uid"].endswith(":root")
    assert any(r.startswith("cis-aws-7.0:") for r in root["compliance"]["requirements"])
    errored = next(e for e in events if e["compliance"]["control"] == "guardduty.enabled")
    assert errored["compliance"]["status_id"] == 0  # could not check: neither pass nor fail


def test_accepted_risks_are_suppressed_with_their_acceptance(trusted_report):
    events = _events(trusted_report)
    sg = [e for e in events if e["compliance"]["control"] == "ec2.sg_admin_ports_ipv4"]
    failing = next(e for e in sg if e["status_code"] == Status.FAIL.value.upper())
    assert failing["status"] == "Suppressed" and failing["status_id"] == 3
    assert failing["unmapped"]["exception"]["owner"] == "Platform team"
    assert "bastion" in failing["comment"]
    # The finding stays a failure of the control; only the finding is suppressed.
    assert failing["compliance"]["status"] == "Fail"
    others = [e for e in events if e["status"] == "Suppressed"]
    assert others == [failing]


def test_answers_carry_risk_and_evidence(trusted_report):
    events = {e["compliance"]["control"]: e for e in _events(trusted_report)}
    plan = events["s_ir_plan"]
    files = [ev for ev in plan["evidences"] if ev["data"]["kind"] == "file"]
    assert files[0]["data"]["sha256"] and len(files[0]["data"]["sha256"]) == 64
    assert files[0]["data"]["state"] == "unchanged"
    links = [ev for ev in plan["evidences"] if ev["data"]["kind"] == "link"]
    assert links[0]["url"]["url_string"] == "https://wiki.example.com/ir-plan"
    contacts = events["s_ir_contacts"]  # "None of these": the highest risk
    assert contacts["compliance"]["status"] == "Fail" and contacts["severity"] == "High"
    awareness = events["s_tr_awareness"]
    assert awareness["compliance"]["status"] == "Not applicable"
    assert "Business priorities" in awareness["message"]
