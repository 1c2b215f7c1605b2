"""Every report format from the demo account's assessment, opened as its reader would,
and the diff between a scan and a later scan with a few answers changed."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest
from test_report_formats import parse
from test_report_markdown import PARSER, assert_tables_regular, headings

from srm_tui import milestones, store
from srm_tui.catalog import questionnaires
from srm_tui.model import Risk
from srm_tui.review import set_answer
from srm_tui.scoring import risk_of

pytest.importorskip("moto", reason="the demo account needs moto (the 'test' extra)")


@pytest.fixture(scope="module")
def demo_review(tmp_path_factory):
    """Scan the demo account, answer three questions, keep a milestone, change two
    answers and answer a third, then scan the same account again."""
    from srm_tui import scan as engine
    from srm_tui.demo import demo_account
    from srm_tui.model import Assessment

    path = tmp_path_factory.mktemp("demo") / "review.toml"
    questions = questionnaires.load().questions
    first, second, third, fourth = questions[0], questions[1], questions[2], questions[3]
    with demo_account() as demo:
        options = engine.ScanOptions(endpoint_url=demo.endpoint_url, regions=demo.regions)
        a = Assessment(name="Demo review")
        engine.scan(a, options)
        a.scope.demo = True
        set_answer(a, first, selected=[first.none_choice.id], owner="Dana", due=date(2027, 1, 31),
                   notes="Nothing written yet.", evidence=["https://wiki.example.com/x"])  # fmt: skip
        set_answer(a, second, selected=[c.id for c in second.practices])
        set_answer(a, third, selected=[third.practices[0].id], notes="Partly.")
        store.save(a, path)
        milestones.create(path, "before")
        a = store.load(path)
        set_answer(a, first, selected=[c.id for c in first.practices])  # high -> none
        set_answer(a, second, selected=[second.none_choice.id])  # none -> high
        set_answer(a, fourth, selected=[c.id for c in fourth.practices])  # newly answered
        engine.scan(a, options)
        store.save(a, path)
    return path, (first, second, third, fourth)


def test_demo_markdown(run_cli, demo_review):
    path, _ = demo_review
    result = run_cli("report", path)
    assert result.code == 0, result.err
    tokens = PARSER.parse(result.out)
    assert_tables_regular(tokens)
    names = [t for level, t in headings(tokens) if level == 2]
    assert names[:2] == ["Overview", "Executive summary"] and names[-1] == "Improvement plan"
    assert "Emulated demo account, not a real AWS account" in result.out
    assert "### Could not be checked" in result.out  # the emulator lacks some APIs
    assert "before" in result.out  # the milestone is listed


def test_demo_html(run_cli, demo_review):
    path, _ = demo_review
    result = run_cli("report", path, "--format", "html")
    page = parse(result.out)
    assert not {"script", "img", "link", "iframe"} & {tag for tag, _ in page.tags}
    assert all("src" not in attrs for _, attrs in page.tags)
    assert len(page.named("table")) > 8


def test_demo_json_and_csv(run_cli, demo_review):
    path, _ = demo_review
    a = store.load(path)
    data = json.loads(run_cli("report", path, "--format", "json").out)
    assert data["scope"]["account_id"] == "123456789012"
    assert data["scan"]["api_calls"] > 0
    assert len(data["findings"]) == len(a.findings) > 100
    rows = list(csv.DictReader(io.StringIO(run_cli("report", path, "--format", "csv").out)))
    assert len(rows) == len(a.findings)
    assert {r["status"] for r in rows} >= {"pass", "fail", "error"}
    redacted = run_cli("report", path, "--format", "csv", "--redact").out
    assert "123456789012" not in redacted


def test_demo_diff_names_exactly_the_changed_answers(run_cli, demo_review):
    path, (first, second, _third, fourth) = demo_review
    result = run_cli("diff", f"{path}@before", path, "--format", "json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    changes = {r["question"]: (r["old"], r["new"], r["change"]) for r in data["risks"]}
    new_first = risk_of(first, store.load(path).answers[first.id])
    assert changes == {
        first.id: ("high", new_first.value, "better"),
        second.id: ("none", "high", "worse"),
        fourth.id: ("unanswered", Risk.NONE.value, "answered"),
    }
    # The account did not change between the scans: no finding fixed or new.
    assert data["fixed"] == [] and data["new_failures"] == []
    text = run_cli("diff", f"{path}@before", path).out
    assert "1 risk went down and 1 went up" in text


def test_demo_oscal_catalog_defines_every_control_of_the_results(run_cli, demo_review, tmp_path):
    """The demo review's assessment results and POA&M name real checks and shipped
    questions; the catalog written with -o defines each of their control ids, with
    the catalogue's description of each check as its statement."""
    from oscal_controls import defined_controls, referenced_controls

    path, _ = demo_review
    pointed: set[str] = set()
    for fmt in ("oscal", "oscal-poam"):
        result = run_cli("report", path, "--format", fmt)
        assert result.code == 0, result.err
        pointed |= referenced_controls(json.loads(result.out))
    out = tmp_path / "demo.oscal-catalog.json"
    result = run_cli("report", path, "--format", "oscal-catalog", "-o", out)
    assert result.code == 0, result.err
    catalog = json.loads(out.read_text("utf-8"))["catalog"]
    defined = defined_controls(catalog)
    assert len(pointed) > 20 and not pointed - set(defined), sorted(pointed - set(defined))
    # Every question of the shipped questionnaire, answered or not.
    assert {q.id for q in questionnaires.load().questions} <= set(defined)
    root = defined["iam.root_mfa"]
    statement = next(p for p in root["parts"] if p["name"] == "statement")
    assert not statement["prose"].startswith("The check verifies:")  # the description
