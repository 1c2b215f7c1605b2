"""Hostile text in the exchange formats: whatever an imported file or a user's notes
hold (terminal escapes, bidirectional characters, HTML, very long text, escapes of
characters that are not Unicode), the import keeps it safely and every export is
valid JSON that py-ocsf-models and compliance-trestle accept."""

from __future__ import annotations

import json

import pytest
from test_imports import FIXTURE, review  # noqa: F401  (the review fixture)

from srm_tui import store

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
