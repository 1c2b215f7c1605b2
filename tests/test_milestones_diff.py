"""Milestones (immutable snapshots) and the comparison of two assessments."""

from __future__ import annotations

import json
import os
import stat
from dataclasses import replace

import pytest
import report_samples as samples

from srm_tui import milestones, store
from srm_tui.errors import InputFileError, UsageError
from srm_tui.model import Finding, Risk, Status
from srm_tui.report import diff, diff_report
from srm_tui.review import refresh_risks

# --- milestones ------------------------------------------------------------------------


def saved(tmp_path, name="review.toml"):
    path = tmp_path / name
    store.save(samples.assessment(), path)
    return path


def test_milestone_created_listed_loaded(tmp_path):
    path = saved(tmp_path)
    made = milestones.create(path, "2026-q3")
    assert made.path == tmp_path / "review.toml.milestones" / "2026-q3.toml"
    assert stat.S_IMODE(os.stat(made.path).st_mode) == 0o400
    assert stat.S_IMODE(os.stat(made.path.parent).st_mode) == 0o700
    milestones.create(path, "2026-q4")
    listed = milestones.list_milestones(path)
    assert [m.name for m in listed] == ["2026-q3", "2026-q4"]
    assert listed[0].created is not None
    snapshot = milestones.load_milestone(path, "2026-q3")
    assert milestones.milestone_name(snapshot) == "2026-q3"
    assert snapshot.answers.keys() == samples.assessment().answers.keys()
    assert len(snapshot.findings) == len(samples.assessment().findings)


def test_a_milestone_has_no_milestones_of_its_own(tmp_path, run_cli):
    # 'milestone review.toml.milestones/q3.toml x' wrote a folder of milestones inside
    # the milestones folder, which srm-tui otherwise never writes into.
    path = saved(tmp_path)
    made = milestones.create(path, "q3")
    result = run_cli("milestone", made.path, "again")
    assert result.code == 2 and "is a milestone already" in result.err
    assert sorted(p.name for p in made.path.parent.iterdir()) == ["q3.toml"]


def test_milestone_is_never_overwritten(tmp_path):
    path = saved(tmp_path)
    made = milestones.create(path, "q3")
    before = made.path.read_bytes()
    a = store.load(path)
    a.answers.clear()
    store.save(a, path)
    with pytest.raises(UsageError, match="already exists"):
        milestones.create(path, "q3")
    assert made.path.read_bytes() == before
    assert len(milestones.load_milestone(path, "q3").answers) == 5


@pytest.mark.parametrize("bad", ["", "../x", "a/b", "-x", ".hidden", "x.toml", "a b", "x" * 65])
def test_milestone_name_checked(tmp_path, bad):
    path = saved(tmp_path)
    with pytest.raises(UsageError):
        milestones.create(path, bad)
    assert not milestones.folder(path).exists()


def test_milestone_of_missing_or_broken_file(tmp_path):
    with pytest.raises(InputFileError, match="no such file"):
        milestones.create(tmp_path / "none.toml", "q3")
    broken = tmp_path / "broken.toml"
    broken.write_text("schema = [\n")
    with pytest.raises(InputFileError):
        milestones.create(broken, "q3")
    assert broken.read_text() == "schema = [\n"
    assert not milestones.folder(broken).exists()


def test_unknown_milestone_names_the_known_ones(tmp_path):
    path = saved(tmp_path)
    with pytest.raises(InputFileError, match="has no milestones yet"):
        milestones.load_milestone(path, "q1")
    milestones.create(path, "q2")
    with pytest.raises(InputFileError, match="its milestones are: q2"):
        milestones.load_milestone(path, "q1")


def test_milestone_command(run_cli, tmp_path):
    path = saved(tmp_path)
    result = run_cli("milestone", path, "q3")
    assert result.code == 0
    assert "q3" in result.err
    result = run_cli("milestone", path, "q3")
    assert result.code == 2
    assert "already exists" in result.err
    result = run_cli("milestone", path)
    assert result.code == 0
    assert result.out.startswith("q3\t")
    result = run_cli("milestone", tmp_path / "none.toml", "q3")
    assert result.code == 2
    # The report lists the milestone.
    result = run_cli("report", path)
    assert "### Milestones" in result.out
    assert "| q3 |" in result.out


# --- diff ------------------------------------------------------------------------------


def later(old):
    """The same review a quarter later: a few answers and findings changed."""
    new = samples.assessment()
    # Risks: s_ir_contacts high -> medium (better); s_ir_logs none -> high (worse);
    # s_tr_cloud unanswered -> answered (none); s_tr_phishing withdrawn.
    new.answers["s_ir_contacts"].selected = ("s_ir_contacts_p1",)
    new.answers["s_ir_logs"].selected = ("s_ir_logs_p2",)
    new.answers["s_tr_cloud"] = replace(
        new.answers["s_ir_logs"], question="s_tr_cloud", section="training",
        selected=("s_tr_cloud_p1", "s_tr_cloud_p2", "s_tr_cloud_p3"), notes="",
    )  # fmt: skip
    del new.answers["s_tr_phishing"]
    refresh_risks(new, samples.sections())
    acct = samples.ACCOUNT
    root = f"arn:aws:iam::{acct}:root"
    sg_a = f"arn:aws:ec2:eu-west-1:{acct}:security-group/sg-0a"
    sg_b = f"arn:aws:ec2:eu-west-1:{acct}:security-group/sg-0b"
    findings = []
    for f in new.findings:
        if f.resource == root:
            f = replace(f, status=Status.PASS, detail="")  # fixed
        elif f.resource == sg_b:
            f = replace(f, status=Status.FAIL, detail="port 3389 open")  # newly failing
        elif f.resource == sg_a:
            f = replace(f, status=Status.ERROR, detail="throttled")  # unknown now, not fixed
        elif f.resource.endswith("bucket-03"):
            continue  # bucket deleted: fixed, the check ran
        findings.append(f)
    findings.append(
        Finding(
            "s3.public_access_block", "global", "arn:aws:s3:::new-bucket", Status.FAIL, "public"
        )
    )
    new.findings = findings
    return new


def test_diff_names_exactly_the_changes():
    old = samples.assessment()
    result = diff.compare(old, later(old), samples.sections(), "q2", "q3")
    risks = {(c.question, c.old, c.new, c.kind) for c in result.risks}
    assert risks == {
        ("s_ir_contacts", Risk.HIGH, Risk.MEDIUM, "better"),
        ("s_ir_logs", Risk.NONE, Risk.HIGH, "worse"),
        ("s_tr_phishing", Risk.HIGH, Risk.UNANSWERED, "reopened"),
        ("s_tr_cloud", Risk.UNANSWERED, Risk.NONE, "answered"),
    }
    assert [c.question for c in result.better] == ["s_ir_contacts"]
    assert [c.question for c in result.worse] == ["s_ir_logs"]
    fixed = {(c.check, c.resource.rsplit(":", 1)[-1], c.old, c.new) for c in result.fixed}
    assert fixed == {
        ("iam.root_mfa", "root", Status.FAIL, Status.PASS),
        ("s3.public_access_block", "bucket-03", Status.FAIL, None),
    }
    new = {(c.check, c.resource.rsplit(":", 1)[-1], c.old, c.new) for c in result.new_failures}
    assert new == {
        ("ec2.sg_admin_ports_ipv4", "security-group/sg-0b", Status.PASS, Status.FAIL),
        ("s3.public_access_block", "new-bucket", None, Status.FAIL),
    }
    assert result.not_rechecked == []
    progress = {p.section: p for p in result.sections}
    assert (progress["incident_response"].old_high, progress["incident_response"].new_high) == (
        1,
        1,
    )
    assert (progress["incident_response"].old_medium, progress["incident_response"].new_medium) == (
        1,
        2,
    )
    assert (progress["training"].old_answered, progress["training"].new_answered) == (2, 2)
    assert (progress["training"].old_high, progress["training"].new_high) == (1, 0)


def test_diff_of_identical_assessments_is_empty():
    a = samples.assessment()
    result = diff.compare(a, samples.assessment(), samples.sections())
    assert result.empty
    assert "Nothing changed." in diff_report.markdown(result)


def test_failures_of_a_check_that_did_not_run_are_not_fixed():
    old = samples.assessment()
    new = samples.assessment()
    new.findings = [f for f in new.findings if f.check != "iam.root_mfa"]
    del new.checks["iam.root_mfa"]
    result = diff.compare(old, new, samples.sections())
    assert result.fixed == []
    assert result.not_rechecked == ["iam.root_mfa"]


def test_diff_renderers():
    from test_report_markdown import PARSER, assert_tables_regular, headings

    old = samples.assessment()
    result = diff.compare(old, later(old), samples.sections(), "q2", "q3")
    text = diff_report.markdown(result)
    tokens = PARSER.parse(text)
    names = [t for level, t in headings(tokens) if level == 2]
    assert names == [
        "Risks that went down",
        "Risks that went up",
        "Answered for the first time",
        "Answers withdrawn",
        "Findings fixed",
        "New failing findings",
        "Progress per section",
    ]
    assert_tables_regular(tokens)
    data = json.loads(diff_report.to_json(result))
    assert set(data) == {
        "old",
        "new",
        "risks",
        "acceptances",
        "fixed",
        "new_failures",
        "not_rechecked",
        "sections",
        "organization",
    }
    assert data["organization"] is None  # a single account's comparison
    assert {r["question"]: r["change"] for r in data["risks"]} == {
        "s_ir_contacts": "better",
        "s_ir_logs": "worse",
        "s_tr_phishing": "reopened",
        "s_tr_cloud": "answered",
    }
    assert len(data["fixed"]) == 2 and len(data["new_failures"]) == 2


def test_diff_command_with_milestone(run_cli, tmp_path):
    path = saved(tmp_path)
    assert run_cli("milestone", path, "q2").code == 0
    old = store.load(path)
    store.save(later(old), path)
    result = run_cli("diff", f"{path}@q2", path, "--format", "json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data["old"]["label"] == "review.toml at q2"
    assert data["new"]["label"] == "review.toml"
    # The shipped catalogue lacks the sample questions: their stored risks are compared.
    assert {r["question"] for r in data["risks"]} == {
        "s_ir_contacts", "s_ir_logs", "s_tr_phishing", "s_tr_cloud",
    }  # fmt: skip
    assert len(data["fixed"]) == 2
    out = tmp_path / "d.md"
    result = run_cli("diff", f"{path}@q2", path, "-o", out)
    assert result.code == 0
    assert out.read_text().startswith("# Changes from review.toml at q2 to review.toml")
    # '-o d.json' wrote Markdown into it; '-o d.html' has no diff format of its own.
    assert run_cli("diff", f"{path}@q2", path, "-o", tmp_path / "d.json").code == 0
    assert json.loads((tmp_path / "d.json").read_text())["old"]["label"] == "review.toml at q2"
    assert run_cli("diff", f"{path}@q2", path, "-o", tmp_path / "d.html").code == 0
    assert (tmp_path / "d.html").read_text().startswith("# Changes from")
    result = run_cli("diff", f"{path}@q9", path)
    assert result.code == 2
    assert "no milestone 'q9'" in result.err
    result = run_cli("diff", tmp_path / "missing.toml", path)
    assert result.code == 2
    assert "no such file" in result.err


def test_diff_labels_a_milestone_file_named_directly(run_cli, tmp_path):
    path = saved(tmp_path)
    made = milestones.create(path, "q2")
    result = run_cli("diff", made.path, path, "--format", "json")
    assert result.code == 0, result.err
    assert json.loads(result.out)["old"]["label"] == "review.toml at q2"


def test_report_of_a_milestone(run_cli, tmp_path):
    path = saved(tmp_path)
    milestones.create(path, "q2")
    a = store.load(path)
    a.name = "Changed since"
    store.save(a, path)
    result = run_cli("report", f"{path}@q2")
    assert result.code == 0, result.err
    assert result.out.startswith("# Shared Responsibility review: Quarterly review")
    result = run_cli("report", f"{path}@q7")
    assert result.code == 2


def test_a_milestone_report_checks_evidence_from_the_assessments_folder(run_cli, tmp_path):
    # Evidence is kept relative to the assessment's folder; a milestone lies one folder
    # down. Its report, by FILE@NAME or by the milestone's own path, checks the same
    # files: not "missing" when they are there, "changed" when they changed.
    from srm_tui import evidence

    (tmp_path / "plan.txt").write_text("plan v1")
    a = samples.assessment()
    evidence.add(a.answers["s_ir_plan"], evidence.attach_file(tmp_path / "plan.txt", base=tmp_path))
    path = tmp_path / "review.toml"
    store.save(a, path)
    made = milestones.create(path, "q2")

    def state(target) -> str:
        result = run_cli("report", target, "--format", "json")
        assert result.code == 0, result.err
        answer = next(x for x in json.loads(result.out)["answers"] if x["question"] == "s_ir_plan")
        return next(e["state"] for e in answer["evidence"] if e["kind"] == "file")

    assert state(f"{path}@q2") == state(made.path) == state(path) == "unchanged"
    (tmp_path / "plan.txt").write_text("plan v2")
    assert state(f"{path}@q2") == state(made.path) == "changed"
