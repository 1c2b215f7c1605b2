"""The second half of the questionnaire (sections 9-16): present, complete, well mapped."""

from __future__ import annotations

import re

import pytest

from srm_tui.catalog import questionnaires
from srm_tui.model import Question, Risk
from srm_tui.scoring import applies

SECTIONS = (
    "change_management",
    "patch_vulnerability",
    "containers",
    "serverless_secrets",
    "network_design",
    "monitoring_alerts",
    "multicloud_third_parties",
    "review_practice",
)
CIS_MONITORING = tuple(f"5.{n}" for n in range(1, 16))


@pytest.fixture(scope="module")
def catalog() -> questionnaires.Catalog:
    return questionnaires.load()


@pytest.fixture(scope="module")
def questions(catalog: questionnaires.Catalog) -> list[Question]:
    return [q for q in catalog.questions if q.section in SECTIONS]


def _cited(questions: list[Question], framework: str) -> set[str]:
    return {ident for q in questions for ident in q.frameworks.get(framework, ())}


def test_every_section_is_present_with_enough_questions(catalog):
    for section_id in SECTIONS:
        section = catalog.section(section_id)
        assert section is not None, f"section {section_id} is missing"
        assert len(section.questions) >= 3, section_id
        assert section.description.strip(), section_id


def test_sections_follow_the_first_half_in_issue_order(catalog):
    orders = [catalog.section(s).order for s in SECTIONS]
    assert orders == sorted(orders)
    assert min(orders) > 80  # sections 1-8 use 10..80
    positions = [s.id for s in catalog.sections]
    assert [p for p in positions if p in SECTIONS] == list(SECTIONS)


def test_files_have_no_problems_apart_from_checks_not_yet_registered(catalog):
    ours = {catalog.section(s).source for s in SECTIONS}
    problems = [str(p) for p in catalog.problems if p.path in ours]
    assert problems == []


def test_named_checks_exist_once_checks_are_registered(questions):
    from srm_tui.commands.common import known_check_ids

    known = known_check_ids()
    if not known:
        pytest.skip("this build registers no automatic checks yet")
    named = {check for q in questions for check in q.checks}
    assert sorted(named - known) == []


def test_every_question_is_complete(questions):
    assert len(questions) >= 30
    for q in questions:
        assert q.frameworks.get("nist-csf-2.0"), f"{q.id}: no NIST CSF 2.0 id"
        assert q.url.startswith("https://"), f"{q.id}: no documentation link"
        sentences = len(re.findall(r"[.!?](\s|$)", q.help.strip()))
        assert 2 <= sentences <= 5, f"{q.id}: help has {sentences} sentences"
        assert 3 <= len(q.practices) <= 7, f"{q.id}: {len(q.practices)} practices"
        assert q.none_choice is not None, f"{q.id}: no 'None of these'"
        for choice in q.practices:
            assert choice.id.startswith(q.id + "_"), f"{choice.id} not prefixed by {q.id}"
            assert len(choice.improvement.split()) >= 8, f"{choice.id}: improvement too thin"
            # Plain mode cuts a choice at the terminal's edge instead of wrapping it.
            assert len(choice.title) <= 75, f"{choice.id}: title too long for 80 columns"


def test_doing_every_practice_removes_the_risk(questions):
    for q in questions:
        _, best = questionnaires.decide(q, frozenset(c.id for c in q.practices))
        _, worst = questionnaires.decide(q, frozenset({q.none_choice.id}))
        assert (best, worst) == (Risk.NONE, Risk.HIGH), q.id


def test_manual_cis_network_and_monitoring_items_are_covered(questions):
    cited = _cited(questions, "cis-aws-7.0")
    for ident in ("6.6", "6.8", *CIS_MONITORING, "4.1", "4.4", "4.10"):
        assert ident in cited, f"CIS {ident} is not cited"


def test_cis_items_name_the_checks_that_observe_them(catalog):
    peering = catalog.question("nd_peering")
    endpoints = catalog.question("nd_endpoints")
    alerts = catalog.question("ma_api_alerts")
    assert "6.6" in peering.frameworks["cis-aws-7.0"]
    assert "ec2.vpc_peering_routes" in peering.checks
    assert "6.8" in endpoints.frameworks["cis-aws-7.0"]
    assert "ec2.vpc_endpoints" in endpoints.checks
    assert set(alerts.frameworks["cis-aws-7.0"]) == set(CIS_MONITORING)
    assert len([c for c in alerts.checks if c.startswith("cloudwatch.alarm_")]) == 15


def test_patching_evidence_is_wired(catalog):
    named = {c for q in catalog.section("patch_vulnerability").questions for c in q.checks}
    expected = {
        "ssm.instances_managed",
        "ssm.patch_compliance",
        "rds.auto_minor_upgrade",
        "lambda.deprecated_runtime",
    }
    assert expected <= named


def test_container_questions_apply_only_where_containers_run(catalog):
    containers = catalog.section("containers").questions
    assert all(q.applies_when for q in containers)
    assert not any(applies(q, ("s3", "lambda")) for q in containers)
    assert all(applies(q, ("eks",)) for q in containers)
    eks = catalog.question("ct_eks")
    assert applies(eks, ("eks",)) and not applies(eks, ("ecs", "ecr"))
    # Before any scan no services are known, so every question is asked.
    assert all(applies(q, ()) for q in containers)


def test_shared_controls_are_marked_shared(catalog):
    # Patching is the textbook shared control: AWS patches hosts, the customer guests.
    assert catalog.question("pv_scope").responsibility.value == "shared"
    assert catalog.question("pv_cadence").responsibility.value == "shared"
    assert catalog.question("ct_hosts").responsibility.value == "shared"
