"""The shipped questionnaires: valid, well-formed, sound risk rules, CIS manual items covered.

These tests run over whatever sections are shipped, so a new section is held to the same
rules without touching this file.
"""

from __future__ import annotations

from functools import cache

import pytest

from srm_tui import checklist, cli
from srm_tui.catalog import frameworks, questionnaires
from srm_tui.model import Question, Risk

# Sections that must exist, with the fewest questions each may have.
REQUIRED_SECTIONS = {
    "scope_obligations": 4,
    "inherited_controls": 4,
    "shared_responsibilities": 4,
    "identity_governance": 6,
    "data_classification": 5,
    "incident_response": 4,
    "awareness_training": 4,
    "contingency_planning": 5,
}


@cache
def catalog() -> questionnaires.Catalog:
    # known_checks=None: structure only; whether named checks exist is tested apart.
    return questionnaires.load(known_checks=None)


def all_questions() -> tuple[Question, ...]:
    return catalog().questions


def question_ids() -> list[str]:
    return [q.id for q in all_questions()]


def by_id(question_id: str) -> Question:
    found = catalog().question(question_id)
    assert found is not None
    return found


def test_shipped_catalogue_has_no_problems() -> None:
    problems = [str(p) for p in catalog().problems]
    assert problems == []


def test_validate_command_accepts_the_shipped_catalogue(capsys: pytest.CaptureFixture) -> None:
    code = cli.main(["validate"])
    out, err = capsys.readouterr()
    assert code == 0, out + err
    assert "no problems" in err


def test_required_sections_exist_with_enough_questions() -> None:
    counts = {s.id: len(s.questions) for s in catalog().sections}
    short = {
        sid: counts.get(sid, 0)
        for sid, least in REQUIRED_SECTIONS.items()
        if counts.get(sid, 0) < least
    }
    assert short == {}, f"sections missing or with too few questions: {short}"
    assert sum(counts[s] for s in REQUIRED_SECTIONS) >= 34


def test_choice_titles_fit_a_terminal_line() -> None:
    # Plain mode shows each choice on one line and cuts what does not fit in 100 columns.
    too_long = [
        (c.id, len(c.title))
        for q in all_questions()
        if q.section in REQUIRED_SECTIONS
        for c in q.choices
        if len(c.title) > 88
    ]
    assert too_long == []


def test_sections_are_in_a_stable_review_order() -> None:
    orders = [s.order for s in catalog().sections]
    assert len(set(orders)) == len(orders), "two sections share an order number"
    position = {s.id: i for i, s in enumerate(catalog().sections)}
    mine = [position[s] for s in REQUIRED_SECTIONS]
    assert mine == sorted(mine), "sections 1-8 are not in their numbered order"


def test_every_cis_manual_recommendation_is_covered() -> None:
    manual = [r.id for r in frameworks.references("cis-aws-7.0") if r.assessment == "manual"]
    assert len(manual) > 20  # the reference file really lists the manual items
    cited: set[str] = set()
    for question in all_questions():
        cited.update(question.frameworks.get("cis-aws-7.0", ()))
    for meta in checklist.load().metas():
        cited.update(meta.frameworks.get("cis-aws-7.0", ()))
    uncovered = [ident for ident in manual if ident not in cited]
    assert uncovered == [], f"CIS v7.0 manual items covered by no question or check: {uncovered}"


@pytest.mark.parametrize("question_id", question_ids())
def test_question_is_well_formed(question_id: str) -> None:
    question = by_id(question_id)
    assert question.frameworks.get("nist-csf-2.0"), "no NIST CSF 2.0 id"
    assert len(question.help.strip()) >= 80, "help text missing or too short to explain"
    assert 3 <= len(question.practices) <= 7, f"{len(question.practices)} practices"
    none = question.none_choice
    assert none is not None and none.title == "None of these"
    for practice in question.practices:
        assert len(practice.improvement.strip()) >= 30, f"{practice.id}: weak improvement text"
    if question.url:
        assert question.url.startswith(("https://docs.aws.amazon.com/", "https://aws.amazon.com/"))
    for key, ids in question.frameworks.items():
        for ident in ids:
            assert frameworks.is_known(key, ident), f"{key} {ident}"


def _rank(question: Question, selected: frozenset[str]) -> int:
    return questionnaires.decide(question, selected)[1].rank


@pytest.mark.parametrize("question_id", question_ids())
def test_none_of_these_gives_the_highest_risk(question_id: str) -> None:
    question = by_id(question_id)
    none = question.none_choice
    assert none is not None
    worst = max(_rank(question, sel) for sel in questionnaires.selections(question))
    assert _rank(question, frozenset((none.id,))) == worst
    assert questionnaires.decide(question, frozenset((none.id,)))[1] is Risk.HIGH


@pytest.mark.parametrize("question_id", question_ids())
def test_adding_a_practice_never_raises_the_risk(question_id: str) -> None:
    question = by_id(question_id)
    if not question.multiple:
        pytest.skip("single-choice question: practices are not combined")
    ids = [p.id for p in question.practices]
    for selected in questionnaires.selections(question):
        if question.none_choice is not None and question.none_choice.id in selected:
            continue
        before = _rank(question, selected)
        for extra in ids:
            if extra not in selected:
                after = _rank(question, selected | {extra})
                assert after <= before, f"adding {extra} to {sorted(selected)} raises the risk"


@pytest.mark.parametrize("question_id", question_ids())
def test_every_rule_can_fire_and_all_practices_leave_no_risk(question_id: str) -> None:
    question = by_id(question_id)
    fired = {questionnaires.decide(question, sel)[0] for sel in questionnaires.selections(question)}
    assert fired == set(range(len(question.risk_rules))), "a risk rule can never apply"
    if question.multiple:
        everything = frozenset(p.id for p in question.practices)
        assert questionnaires.decide(question, everything)[1] is Risk.NONE
    # The validator must agree with the properties asserted above.
    assert questionnaires.semantic_problems(question) == []
