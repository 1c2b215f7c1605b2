"""Imported findings in the Markdown, HTML and OSCAL reports: per import how many
count, corroborate and disagree, every disagreement listed (with its account in an
organization review), the tool as the origin of its OSCAL observations (valid for
compliance-trestle), and another tool's hostile text kept as text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_imports import FIXTURE, PASSING_IMDS, own_assessment
from test_org_imports import BUCKET as SHARED_BUCKET
from test_org_imports import LEFT, RIGHT, _finding
from test_security_hub import BUCKET, asff_finding
from test_security_hub import own as own_with_bucket

from srm_tui import store
from srm_tui.imports import apply, asff, prowler
from srm_tui.report import formats

trestle_ar = pytest.importorskip(
    "trestle.oscal.assessment_results",
    reason="compliance-trestle comes with the test extra: pip install -e '.[test]'",
)

HOSTILE_TITLE = "<script>alert(1)</script> [click](http://evil.example) | broken"
HOSTILE_CHECK = "S3.5\n# Injected heading\n| a | b |"


def _with_prowler():
    a = own_assessment()
    apply.record(a, prowler.read(FIXTURE), str(FIXTURE))
    return a


def _section(markdown: str) -> str:
    start = markdown.index("## Findings of other tools")
    end = markdown.find("\n## ", start + 1)
    return markdown[start : end if end > 0 else None]


def test_markdown_counts_each_import_and_lists_its_disagreements():
    section = _section(formats.report(_with_prowler(), (), "markdown"))
    # 38 imported: 30 count on their own, 5 corroborate, 1 disagrees, 2 beside.
    assert "| prowler | demo-account.ocsf.json |" in section
    assert "| 38 | 30 | 5 | 1 | 2 | 0 |" in section
    assert "### Where prowler disagrees with srm-tui" in section
    row = next(line for line in section.splitlines() if PASSING_IMDS in line)
    assert "| pass |" in row and "| fail |" in row and "ec2.imdsv2\\_tokens" in row
    assert "### Failing findings of prowler that count on their own" in section


def test_a_review_without_imports_has_no_such_section():
    assert "Findings of other tools" not in formats.report(own_assessment(), (), "markdown")


def _hostile(tmp_path: Path):
    a = own_with_bucket()
    path = tmp_path / "hostile.json"
    found = asff_finding(1, "S3.8", "FAILED", BUCKET)  # disagrees with srm-tui's pass
    found["Compliance"]["SecurityControlId"] = "S3.8"
    counted = asff_finding(2, "S3.5", "FAILED", "[x](http://evil.example)|<b>x</b>")
    counted["Compliance"]["SecurityControlId"] = HOSTILE_CHECK
    counted["Title"] = HOSTILE_TITLE
    path.write_text(json.dumps([found, counted]))
    apply.record(a, asff.read(path), str(path))
    return a


def test_hostile_text_of_an_import_stays_text(tmp_path):
    a = _hostile(tmp_path)
    section = _section(formats.report(a, (), "markdown"))
    assert "# Injected heading" not in section.replace("\\#", "")
    tables = [line for line in section.splitlines() if line.startswith("|")]
    widths = {line.count("|") - line.count("\\|") for line in tables}
    # Every row of each table has its header's cells: nothing split a row.
    assert len(widths) <= 3
    page = formats.report(a, (), "html")
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert 'href="http://evil.example"' not in page and "<b>x</b>" not in page
    assert "Where security-hub disagrees with srm-tui" in page


def test_oscal_observations_name_the_tool_as_their_origin(tmp_path):
    a = _with_prowler()
    text = formats.report(a, (), "oscal")
    path = tmp_path / "ar.json"
    path.write_text(text, encoding="utf-8")
    trestle_ar.AssessmentResults.oscal_read(path)  # valid OSCAL
    result = json.loads(text)["assessment-results"]["results"][0]
    assets = result["local-definitions"]["assessment-assets"]
    tools = {c["uuid"]: c["title"] for c in assets["components"]}
    assert "Prowler" in tools.values()
    imported = [
        o
        for o in result["observations"]
        if tools.get(o["origins"][0]["actors"][0]["actor-uuid"]) == "Prowler"
    ]
    assert len({o["uuid"] for o in imported}) == len(imported) > 0
    subjects = [s for o in imported for s in o["subjects"]]
    assert len(subjects) == 38
    agreements = {
        (s["title"], p["value"]) for s in subjects for p in s["props"] if p["name"] == "agreement"
    }
    assert (PASSING_IMDS, "disagrees") in agreements
    # The imported results stay observations: srm-tui's own checks make the findings.
    assert all(not f["target"]["target-id"].startswith("ec2_") for f in result["findings"])


def test_oscal_with_hostile_imported_text_still_validates(tmp_path):
    path = tmp_path / "ar.json"
    path.write_text(formats.report(_hostile(tmp_path), (), "oscal"), encoding="utf-8")
    trestle_ar.AssessmentResults.oscal_read(path)


def test_an_organization_review_names_each_disagreements_account(run_cli, tmp_path):
    from test_org_imports import review as make_review

    review = make_review.__wrapped__(tmp_path)  # the fixture's organization review
    path = tmp_path / "org-findings.json"
    path.write_text(json.dumps([_finding(1, LEFT), _finding(2, RIGHT)]))
    assert run_cli("import", review, "--asff", path).code == 0
    section = _section(formats.report(store.load(review), (), "markdown", path=review))
    assert "(2 accounts)" in section and "| Account |" in section
    disagreeing = [line for line in section.splitlines() if SHARED_BUCKET in line]
    assert len(disagreeing) == 1 and f"| {LEFT} |" in disagreeing[0]


def test_the_wizards_report_tab_lists_the_imports_part(tmp_path):
    from srm_tui.tui.widgets.report import render_report, split_report

    review = tmp_path / "review.toml"
    store.save(_with_prowler(), review)
    parts = split_report(render_report(store.load(review), (), "markdown", review))
    titles = [title for _, title, _ in parts]
    assert "Findings of other tools" in titles
    assert "Where prowler disagrees with srm-tui" in titles


def test_ocsf_events_of_an_organization_name_each_findings_account(run_cli, tmp_path):
    from py_ocsf_models.events.findings.compliance_finding import ComplianceFinding
    from test_org_imports import review as make_review

    review = make_review.__wrapped__(tmp_path)
    path = tmp_path / "org-findings.json"
    # S3.5: no srm-tui check cites it, so both count on their own.
    found = [_finding(1, LEFT), _finding(2, RIGHT)]
    for f in found:
        f["Compliance"]["SecurityControlId"] = "S3.5"
    path.write_text(json.dumps(found))
    assert run_cli("import", review, "--asff", path).code == 0
    events = json.loads(formats.report(store.load(review), (), "ocsf", path=review))
    for event in events:
        ComplianceFinding.model_validate(event)
    imported = [e for e in events if e["unmapped"].get("source") == "security-hub"]
    assert sorted(e["cloud"]["account"]["uid"] for e in imported) == [LEFT, RIGHT]
    own = {e["cloud"]["account"]["uid"] for e in events if e["unmapped"].get("source") == "srm-tui"}
    assert own == {LEFT, RIGHT}


def test_imported_findings_name_the_questions_they_bear_on():
    from srm_tui.catalog import questionnaires
    from srm_tui.commands.common import known_check_ids

    catalog = questionnaires.load([questionnaires.default_dir()], known_checks=known_check_ids())
    # The questions citing AWS FSBP EC2.1 (public snapshots), whatever their ids.
    citing = [
        q.id
        for s in catalog.sections
        for q in s.questions
        if "EC2.1" in q.frameworks.get("aws-fsbp", ())
    ]
    assert citing
    report = json.loads(formats.report(_with_prowler(), catalog.sections, "json"))
    snapshot = next(f for f in report["findings"] if f["check"] == "ec2_ebs_public_snapshot")
    assert snapshot["source"] == "prowler" and set(citing) <= set(snapshot["questions"])
    disagreement = report["imports"][0]["disagreements"][0]
    # Mapped through the srm-tui check it disagrees with: the questions it is evidence of.
    evidence_of = [
        q.id for s in catalog.sections for q in s.questions if "ec2.imdsv2_tokens" in q.checks
    ]
    assert set(evidence_of) <= set(disagreement["questions"])
    section = _section(formats.report(_with_prowler(), catalog.sections, "markdown"))
    row = next(line for line in section.splitlines() if "ec2\\_ebs\\_public\\_snapshot" in line)
    assert citing[0].replace("_", "\\_") in row
