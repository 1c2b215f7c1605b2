"""Schema 2: files from srm-tui 0.1.0 (schema 1) open, work and are upgraded on their next
save; what 0.1.0 hid among the unknown keys is modelled; a later version can add fields
without a new schema number."""

from __future__ import annotations

import json
import shutil
import tomllib
from dataclasses import replace
from pathlib import Path

import pytest

from srm_tui import milestones, store
from srm_tui.catalog import questionnaires
from srm_tui.errors import InputFileError
from srm_tui.model import Risk, Status
from srm_tui.report import content
from srm_tui.report import formats as report_formats
from srm_tui.review import set_answer

SCHEMA1 = Path(__file__).parent / "fixtures" / "schema1"
FIXTURES = ["demo-review.toml", "minimal.toml", "unknown-keys.toml"]


@pytest.fixture
def copied(tmp_path: Path):
    """A fixture copied into tmp_path (with its milestones), so it can be saved over."""

    def copy(name: str) -> Path:
        shutil.copy(SCHEMA1 / name, tmp_path / name)
        milestones_dir = SCHEMA1 / f"{name}.milestones"
        if milestones_dir.is_dir():
            shutil.copytree(milestones_dir, tmp_path / milestones_dir.name)
        return tmp_path / name

    return copy


def _raw(path: Path) -> dict:
    return tomllib.loads(path.read_text("utf-8"))


def test_the_fixtures_are_schema_1():
    for name in FIXTURES:
        assert _raw(SCHEMA1 / name)["schema"] == 1


@pytest.mark.parametrize("name", FIXTURES)
def test_a_schema_1_file_is_upgraded_on_its_next_save_and_loses_nothing(copied, name):
    path = copied(name)
    before = store.load(path)
    assert path.read_bytes() == (SCHEMA1 / name).read_bytes()  # reading changes nothing
    with store.open_assessment(path) as opened:
        opened.save()
    raw = _raw(path)
    assert raw["schema"] == store.SCHEMA == 2
    after = store.load(path)
    after.updated = before.updated
    assert after == before


def test_the_answered_demo_review_works_after_the_upgrade(copied):
    path = copied("demo-review.toml")
    old = store.load(path)
    assert old.assessor == "Jane Roe (consultant)"
    assert len(old.findings) == 367 and len(old.answers) == 59
    evidence = {a.question: a.links for a in old.answers.values() if a.evidence}
    assert evidence == {
        "so_regulations": ("https://wiki.example.com/ir-plan", "https://tickets.example.com/SEC-12"),
        "so_residency": ("https://wiki.example.com/training",),
    }  # fmt: skip
    sections = questionnaires.load().sections
    formats = ("markdown", "html", "json", "csv")
    reports = {
        fmt: report_formats.report(old, sections, fmt, generated=old.updated) for fmt in formats
    }
    with store.open_assessment(path) as opened:
        opened.save()
    new = store.load(path)
    assert new.updated > old.updated
    new.updated = old.updated
    for fmt, text in reports.items():
        assert report_formats.report(new, sections, fmt, generated=old.updated) == text, fmt
    # Evidence is now a list of tables that later versions can add keys to.
    table = _raw(path)["answers"]["so_residency"]
    assert table["evidence"] == [{"kind": "link", "ref": "https://wiki.example.com/training"}]
    assert _raw(path)["assessment"]["assessor"] == "Jane Roe (consultant)"


def test_a_schema_1_milestone_still_reads_and_compares(copied, run_cli):
    path = copied("demo-review.toml")
    snapshot = milestones.load_milestone(path, "2026-q3")
    assert snapshot.milestone is not None and snapshot.milestone.name == "2026-q3"
    assert milestones.milestone_name(snapshot) == "2026-q3"
    assert "milestone" not in snapshot.extra
    assert [m.name for m in milestones.list_milestones(path)] == ["2026-q3"]
    with store.open_assessment(path) as opened:
        set_answer(opened.assessment, _question("ir_plan"), selected=["ir_plan_no"])
        opened.save()
    result = run_cli("diff", f"{path}@2026-q3", path, "--format", "json")
    assert result.code == 0, result.err
    changed = json.loads(result.out)
    assert "demo-review.toml at 2026-q3" in json.dumps(changed)
    # The milestone itself is never rewritten: still schema 1.
    assert _raw(path.with_name("demo-review.toml.milestones") / "2026-q3.toml")["schema"] == 1


def _question(qid: str):
    question = questionnaires.load().question(qid)
    assert question is not None
    return question


def test_unknown_keys_at_every_level_are_kept(copied):
    path = copied("unknown-keys.toml")
    with store.open_assessment(path) as opened:
        opened.assessment.answers["ir_plan"].notes = "edited"
        opened.save()
    raw = _raw(path)
    assert raw["assessment"]["reviewer_team"] == "platform"
    assert raw["scope"]["future_key"] == "kept"
    assert raw["scan"]["runner"] == {"host": "ci", "attempt": 2}
    assert raw["answers"]["ir_plan"]["confidence"] == 3
    assert raw["answers"]["ir_plan"]["notes"] == "edited"
    assert raw["plugins"] == {"extra": {"value": [1, 2]}}
    assert raw["acceptances"][0]["reason"] == "bastion host"
    # 0.1.0 dropped the keys it did not know in a check's table.
    assert raw["findings"]["ec2.sg_admin_ports_ipv4"]["source"] == "srm-tui"
    # A question and a check the catalogue no longer has are kept.
    assert raw["answers"]["retired_question"]["risk"] == "high"
    assert raw["findings"]["retired.check"]["results"] == [["global", "123456789012", "pass", ""]]


def test_assessor_and_milestone_are_fields_not_unknown_keys(tmp_path):
    from srm_tui.model import MilestoneInfo

    a = store.load(SCHEMA1 / "demo-review.toml")
    assert a.assessor == "Jane Roe (consultant)"
    assert "__tables__" not in a.extra
    content.set_assessor(a, "  Sam Poe  ")
    assert a.assessor == "Sam Poe"
    a.milestone = MilestoneInfo("q9", None)
    path = tmp_path / "a.toml"
    store.save(a, path)
    raw = _raw(path)
    assert raw["assessment"]["assessor"] == "Sam Poe"
    assert raw["milestone"] == {"name": "q9"}
    again = store.load(path)
    assert (again.assessor, again.milestone) == ("Sam Poe", MilestoneInfo("q9", None))


LATER = """schema = 2

[assessment]
name = "from a later 2.x"
created = 2027-01-01T00:00:00Z
updated = 2027-01-02T00:00:00Z
tool_version = "2.7.0"
assessor = "Jane"

[organization]
id = "o-abc123"
accounts_folder = "later.toml.accounts"

[scope]
account_id = "123456789012"
frameworks = ["cis-aws-7.0"]

[scan]
status = "complete"

[[acceptances]]
id = "A1"
check = "ec2.sg_admin_ports_ipv4"
resource = "arn:aws:ec2:*:123456789012:security-group/sg-1"
reason = "bastion host"
owner = "Alice"
expires = 2027-06-30

[answers.ir_plan]
section = "incident_response"
selected = ["ir_plan_written"]
applicable = true
risk = "medium"
evidence = [
    { kind = "link", ref = "https://wiki.example.com/ir" },
    { kind = "file", ref = "ir-plan.pdf", size = 1234, sha256 = "ab12", added = 2027-01-01T00:00:00Z },
]
attested_by = "Alice"
attested = 2027-01-01T00:00:00Z

[answers.at_training]
section = "awareness_training"
selected = ["at_training_yearly"]
applicable = true
risk = "medium"

[findings."ec2.sg_admin_ports_ipv4"]
title = "Security groups do not open admin ports"
service = "ec2"
severity = "high"
responsibility = "customer"
source = "prowler"
results = [
    ["us-east-1", "arn:aws:ec2:us-east-1:123456789012:security-group/sg-1", "fail", "22 open"],
]
"""


def test_fields_a_later_version_adds_survive_this_version(tmp_path):
    path = tmp_path / "later.toml"
    path.write_text(LATER, "utf-8")
    with store.open_assessment(path) as opened:
        a = opened.assessment
        assert a.answers["ir_plan"].links == ("https://wiki.example.com/ir", "ir-plan.pdf")
        a.answers["at_training"] = replace(a.answers["at_training"], notes="edited here")
        opened.save()
    before, after = tomllib.loads(LATER), _raw(path)
    assert after["answers"]["at_training"].pop("notes") == "edited here"
    for data in (before, after):
        data["assessment"].pop("updated")
        data["assessment"].pop("tool_version")
    assert after == before


def test_a_newer_schema_is_a_clear_error(tmp_path, run_cli):
    path = tmp_path / "future.toml"
    path.write_text(LATER.replace("schema = 2", "schema = 3"), "utf-8")
    result = run_cli("report", path)
    assert result.code == 2
    assert f"{path}:1: made by a newer srm-tui (schema 3" in result.err
    with pytest.raises(InputFileError, match="newer srm-tui"):
        store.open_assessment(path)
    assert path.read_text("utf-8").startswith("schema = 3")


def test_every_status_and_risk_reads_back(tmp_path):
    a = store.load(SCHEMA1 / "demo-review.toml")
    assert {f.status for f in a.findings} >= {Status.PASS, Status.FAIL, Status.ERROR}
    assert {x.risk for x in a.answers.values()} >= {Risk.HIGH, Risk.MEDIUM, Risk.NOT_APPLICABLE}
