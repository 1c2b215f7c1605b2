"""The Well-Architected custom lens: every limit of the WA Tool, on the shipped
catalogue and on synthetic ones large enough to need grouping and splitting."""

from __future__ import annotations

import json
import re
from dataclasses import replace

import pytest
from report_samples import question

from srm_tui.catalog import questionnaires
from srm_tui.model import Risk, Section
from srm_tui.report import lens

ID = re.compile(r"^[A-Za-z0-9_]{3,128}$")


def check_every_limit(data: dict, text: str, sections) -> None:
    """Assert each limit directly (not only through lens.problems_in)."""
    assert data["schemaVersion"] == "2021-11-01"
    assert len(text.encode("utf-8")) <= 500 * 1024
    assert 0 < len(data["name"]) <= 128
    assert len(data["description"]) <= 2048
    assert 1 <= len(data["pillars"]) <= 10
    ids = []
    questions = []
    for pillar in data["pillars"]:
        ids.append(pillar["id"])
        assert 0 < len(pillar["name"]) <= 128
        assert 1 <= len(pillar["questions"]) <= 20
        for q in pillar["questions"]:
            ids.append(q["id"])
            questions.append(q["id"])
            assert 0 < len(q["title"]) <= 128
            assert len(q["description"]) <= 2048
            assert 1 <= len(q["choices"]) <= 15
            choice_ids = [c["id"] for c in q["choices"]]
            ids += choice_ids
            for c in q["choices"]:
                assert 0 < len(c["title"]) <= 128
                if c["id"].endswith("_no"):
                    assert "improvementPlan" not in c
                else:
                    assert 0 < len(c["improvementPlan"]["displayText"]) <= 1024
            rules = q["riskRules"]
            assert 1 <= len(rules) <= 3
            assert [r["condition"] for r in rules].count("default") == 1
            assert rules[-1]["condition"] == "default"
            for rule in rules:
                assert rule["risk"] in {"HIGH_RISK", "MEDIUM_RISK", "NO_RISK"}
                names = set(re.findall(r"[A-Za-z0-9_]+", rule["condition"])) - {"default"}
                assert names <= set(choice_ids)
    for ident in ids:
        assert ID.match(ident), ident
    assert len(ids) == len(set(ids)), "ids must be unique in a lens"
    # Every question exactly once; in review order inside each pillar (grouping by
    # Well-Architected pillar may move a whole section after others).
    order = [q.id for s in sections for q in s.questions]
    assert sorted(questions) == sorted(order)
    for pillar in data["pillars"]:
        ids = [q["id"] for q in pillar["questions"]]
        assert ids == sorted(ids, key=order.index)
    assert lens.problems_in(data, len(text.encode("utf-8"))) == []


def test_shipped_catalogue_fits_every_limit():
    sections = questionnaires.load().sections
    text = lens.render(sections)
    data = json.loads(text)
    check_every_limit(data, text, sections)


def test_question_content_mapped():
    sections = questionnaires.load().sections
    data = lens.build(sections)
    first = sections[0].questions[0]
    q = data["pillars"][0]["questions"][0]
    assert q["id"] == first.id
    assert q["helpfulResource"]["url"] == first.url
    for choice, exported in zip(first.choices, q["choices"], strict=True):
        assert exported["id"] == choice.id
        if not choice.is_none:
            assert exported["improvementPlan"]["displayText"] == " ".join(
                choice.improvement.split()
            )
            assert exported["improvementPlan"]["url"] == first.url
    risks = [r["risk"] for r in q["riskRules"]]
    expected = {Risk.HIGH: "HIGH_RISK", Risk.MEDIUM: "MEDIUM_RISK", Risk.NONE: "NO_RISK"}
    assert risks == [expected[r.risk] for r in first.risk_rules]


def synthetic(count: int, per: int, pillar_of=lambda i: "security") -> tuple[Section, ...]:
    return tuple(
        Section(
            f"sec{i:02d}",
            f"Section {i}",
            "",
            tuple(
                question(f"s{i:02d}q{j:02d}", f"sec{i:02d}", f"Question {j}") for j in range(per)
            ),
            pillar=pillar_of(i),
            order=i,
        )
        for i in range(count)
    )


def test_ten_sections_become_ten_pillars():
    sections = synthetic(10, 5)
    data = lens.build(sections)
    assert [p["id"] for p in data["pillars"]] == [s.id for s in sections]
    assert [p["name"] for p in data["pillars"]] == [s.title for s in sections]
    text = json.dumps(data)
    check_every_limit(data, text, sections)


def test_sixteen_sections_grouped_by_pillar():
    # 16 sections x 8 questions over three Well-Architected pillars.
    names = ["security", "reliability", "operationalExcellence"]
    sections = synthetic(16, 8, lambda i: names[i % 3])
    text = lens.render(sections)
    data = json.loads(text)
    assert len(data["pillars"]) <= 10
    # Sections stay whole: each pillar holds whole sections of 8 questions.
    for pillar in data["pillars"]:
        prefixes = {q["id"][:3] for q in pillar["questions"]}
        assert len(pillar["questions"]) == 8 * len(prefixes)
    assert {p["id"].split("_")[0] for p in data["pillars"]} == set(names)
    questions = [q["id"] for p in data["pillars"] for q in p["questions"]]
    assert sorted(questions) == sorted(q.id for s in sections for q in s.questions)


def test_sixteen_sections_one_pillar_split_in_parts():
    sections = synthetic(16, 8)
    text = lens.render(sections)
    data = json.loads(text)
    # 128 questions, two whole sections per part: 8 parts of 16.
    assert len(data["pillars"]) == 8
    assert [p["id"] for p in data["pillars"]] == [f"security_{n}" for n in range(1, 9)]
    # Each part is named after the sections it holds.
    assert data["pillars"][0]["name"] == "Section 0; Section 1"
    assert data["pillars"][7]["name"] == "Section 14; Section 15"
    check_every_limit(data, text, sections)


def test_sections_that_pack_badly_are_split_to_fit():
    # 16 sections of 11: no two fit together whole, so whole-section pillars would
    # need 16; filling every pillar needs 9.
    sections = synthetic(16, 11)
    text = lens.render(sections)
    data = json.loads(text)
    assert [len(p["questions"]) for p in data["pillars"]] == [20] * 8 + [16]
    assert data["pillars"][0]["name"] == "Section 0; Section 1"
    check_every_limit(data, text, sections)


def test_pillar_names_unique_and_within_limits():
    sections = tuple(replace(s, title="A long section title " * 5) for s in synthetic(16, 8))
    data = lens.build(sections)
    names = [p["name"] for p in data["pillars"]]
    assert len(set(names)) == len(names)
    assert all(len(n) <= 128 for n in names)


def test_many_distinct_pillars_fall_back_to_packing():
    sections = synthetic(16, 8, lambda i: f"pillar{i}")
    text = lens.render(sections)
    data = json.loads(text)
    check_every_limit(data, text, sections)
    assert len(data["pillars"]) == 8


def test_a_large_section_is_split():
    sections = synthetic(1, 45)
    text = lens.render(sections)
    data = json.loads(text)
    assert [len(p["questions"]) for p in data["pillars"]] == [20, 20, 5]
    assert data["pillars"][2]["name"] == "Section 0 (part 3 of 3)"
    check_every_limit(data, text, sections)


def test_uneven_sections_packed_within_limits():
    sizes = [3, 19, 7, 12, 1, 20, 9, 4, 15, 2, 11, 6]
    sections = tuple(
        Section(
            f"sec{i:02d}",
            f"Section {i}",
            "",
            tuple(question(f"s{i:02d}q{j:02d}", f"sec{i:02d}", "Q") for j in range(n)),
            order=i,
        )
        for i, n in enumerate(sizes)
    )
    text = lens.render(sections)
    check_every_limit(json.loads(text), text, sections)


def test_too_many_questions_is_a_clear_error():
    with pytest.raises(lens.LensError, match="at most 200"):
        lens.render(synthetic(11, 20))


def test_long_texts_are_shortened_to_the_limits():
    long = question("long_q", "sec", "T" * 300)
    long = type(long)(
        **{
            **{f: getattr(long, f) for f in long.__slots__},
            "help": "h " * 3000,
            "choices": tuple(
                type(c)(c.id, "c" * 400, "i" * 2000) if not c.is_none else c for c in long.choices
            ),
        }
    )
    sections = (Section("sec", "S", "", (long,)),)
    text = lens.render(sections)
    data = json.loads(text)
    check_every_limit(data, text, sections)
    choice = data["pillars"][0]["questions"][0]["choices"][0]
    assert choice["title"].endswith("…")
    assert choice["helpfulResource"]["displayText"].startswith("c" * 100)  # full title kept


def test_lens_command(run_cli, tmp_path):
    out = tmp_path / "lens.json"
    result = run_cli("lens", "-o", out)
    assert result.code == 0, result.err
    data = json.loads(out.read_text())
    assert data["schemaVersion"] == "2021-11-01"
    result = run_cli("lens", "--name", "Our review")
    assert json.loads(result.out)["name"] == "Our review"


def test_shipped_sections_grouped_by_their_pillar():
    sections = questionnaires.load().sections
    data = lens.build(sections)
    if len(sections) <= 10:
        assert [p["id"] for p in data["pillars"]] == [s.id for s in sections]
        return
    by_pillar = {s.pillar for s in sections}
    ids = [p["id"] for p in data["pillars"]]
    for key in by_pillar:
        assert any(i == key or i.startswith(key + "_") for i in ids)
