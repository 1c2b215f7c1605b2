"""What the shipped questionnaires must cover and must never say.

Every Security Pillar best practice is covered by a question or a check (or set out of scope
with a reason); every automatic check is shown beside a question; choices name the checks
that contradict them; no advice sends a user to a service AWS closed to new customers; the
FSBP reference holds only FSBP controls. The tests read whatever is shipped, so new
questions and checks are held to the same rules without touching this file.
"""

from __future__ import annotations

import json
from collections import Counter
from functools import cache

import pytest

from srm_tui import checklist
from srm_tui.catalog import frameworks, lifecycle, practices, questionnaires
from srm_tui.model import CheckMeta, Question, Risk, Severity

WA = practices.KEY
#: Security Hub CSPM controls of other standards that a peer's compliance file listed as
#: FSBP controls; AWS's FSBP page does not list them.
NOT_FSBP = (
    "Lambda.3", "KMS.4", "IAM.9", "IAM.22", "S3.14", "S3.15", "S3.17", "S3.20",
    "EC2.13", "EC2.14", "CloudTrail.6", "CloudTrail.7", "DynamoDB.4", "RDS.26", "EC2.28",
)  # fmt: skip


@cache
def catalog() -> questionnaires.Catalog:
    return questionnaires.load()


@cache
def metas() -> dict[str, CheckMeta]:
    return {meta.id: meta for meta in checklist.load().metas()}


def questions() -> tuple[Question, ...]:
    return catalog().questions


def linked_checks(question: Question) -> set[str]:
    return set(question.checks) | {c for choice in question.choices for c in choice.checks}


# --- the Well-Architected Security Pillar -------------------------------------------------


def test_the_pillar_reference_is_complete():
    refs = frameworks.references(WA)
    # Eleven questions, SEC01 to SEC11, each with its best practices in order.
    assert {ref.group for ref in refs} == {f"SEC{n:02d}" for n in range(1, 12)}
    assert len(refs) >= 60
    assert all(ref.id.startswith(ref.group + "-BP") and ref.title for ref in refs)
    assert frameworks.is_known(WA, "SEC01-BP01")
    assert not frameworks.is_known(WA, "SEC12-BP01")


def test_every_pillar_practice_is_covered_or_out_of_scope_with_a_reason():
    ids = [ref.id for ref in frameworks.references(WA)]
    checks = {cid: meta.frameworks for cid, meta in metas().items()}
    assert practices.uncovered(ids, questions(), checks) == []
    for ident, reason in practices.coverage().out_of_scope.items():
        assert frameworks.is_known(WA, ident), ident
        assert len(reason.split()) >= 5, f"{ident}: say why it is out of scope"


def test_coverage_finds_a_practice_nobody_covers():
    # The property above must be able to fail: without questions and checks, only the
    # practices put out of scope are covered.
    ids = [ref.id for ref in frameworks.references(WA)]
    missing = practices.uncovered(ids, (), {})
    assert set(missing) == set(ids) - set(practices.coverage().out_of_scope)


def test_every_check_is_mapped_to_the_pillar_or_explained():
    table = practices.coverage()
    registered = set(metas())
    for check_id, meta in metas().items():
        served = practices.check_practices(check_id, meta.frameworks)
        reason = table.checks_not_security.get(check_id, "")
        assert served or len(reason.split()) >= 5, f"{check_id}: map it or say why not"
    # The table names only registered checks and known best practices.
    assert sorted(set(table.checks) - registered) == []
    assert sorted(set(table.checks_not_security) - registered) == []
    for check_id, ids in table.checks.items():
        for ident in ids:
            assert frameworks.is_known(WA, ident), (check_id, ident)


def test_every_question_of_a_security_section_cites_the_pillar():
    security = {s.id for s in catalog().sections if s.pillar == "security"}
    uncited = [q.id for q in questions() if q.section in security and not q.frameworks.get(WA)]
    assert uncited == []


def test_questions_json_shows_the_pillar_and_each_choices_checks(run_cli):
    result = run_cli("questions", "--format", "json")
    assert result.code == 0
    rows = json.loads(result.out)
    assert any(WA in row["frameworks"] for row in rows)
    for row in rows:
        for choice in row["choices"]:
            assert isinstance(choice["checks"], list)
            assert set(choice["checks"]) <= set(row["checks"]), choice["id"]
    named = [c for row in rows for c in row["choices"] if c["checks"]]
    assert named and all(not c["none"] for c in named)


# --- choices linked to checks -------------------------------------------------------------


def test_every_check_is_shown_beside_a_question():
    linked = set().union(*(linked_checks(q) for q in questions()))
    assert sorted(set(metas()) - linked) == []


def test_sixty_choices_or_more_name_the_checks_that_contradict_them():
    named = [c for q in questions() for c in q.practices if c.checks]
    assert len(named) >= 60
    for choice in named:
        assert set(choice.checks) <= set(metas()), choice.id


def test_a_practice_a_serious_check_tests_cannot_be_missing_from_a_no_risk_answer():
    """If none of the choices that a high or critical check contradicts is selected, the
    answer is not "no risk": a rule must not pass over a practice an API rates serious."""
    serious = {cid for cid, m in metas().items() if m.severity.rank >= Severity.HIGH.rank}
    for question in questions():
        if not question.multiple:
            continue
        everything = frozenset(c.id for c in question.practices)
        for check in serious:
            linked = {c.id for c in question.practices if check in c.checks}
            if not linked:
                continue
            _, risk = questionnaires.decide(question, everything - linked)
            assert risk is not Risk.NONE, f"{question.id}: no risk without {sorted(linked)}"


def test_no_claim_is_offered_twice():
    titles = Counter(c.title.casefold() for q in questions() for c in q.practices)
    assert [t for t, n in titles.items() if n > 1] == []


# --- facts --------------------------------------------------------------------------------


def _texts(question: Question) -> list[tuple[str, str]]:
    found = [("title", question.title), ("help", question.help), ("url", question.url)]
    for choice in question.choices:
        found += [(choice.id, choice.title), (choice.id, choice.improvement)]
        found.append((choice.id, choice.help))
    return found


def test_no_questionnaire_recommends_a_service_closed_to_new_customers():
    assert lifecycle.closed_services(), "the list of closed services is empty"
    named = []
    for section in catalog().sections:
        for service in lifecycle.named_in(section.description):
            named.append((section.id, service.name))
    for question in questions():
        for where, text in _texts(question):
            for service in lifecycle.named_in(text):
                named.append((question.id, where, service.name))
    assert named == []


@pytest.mark.parametrize(
    ("text", "closed"),
    [
        ("Use AWS Audit Manager to collect evidence.", "AWS Audit Manager"),
        ("https://docs.aws.amazon.com/audit-manager/latest/userguide/what-is.html", "AWS Audit Manager"),
        ("Run Amazon CodeGuru Reviewer on pull requests.", "Amazon CodeGuru Reviewer"),
        ("Amazon Inspector Classic assessments", "Amazon Inspector Classic"),
    ],
)  # fmt: skip
def test_a_closed_service_is_found_in_a_text(text, closed):
    assert [s.name for s in lifecycle.named_in(text)] == [closed]


def test_open_services_with_similar_names_are_not_taken_for_closed_ones():
    assert lifecycle.named_in("Use AWS Backup Audit Manager to report uncovered resources.") == []
    assert lifecycle.named_in("Activate Amazon Inspector for EC2 and Lambda.") == []


def test_the_fsbp_reference_holds_only_fsbp_controls():
    ids = {ref.id for ref in frameworks.references("aws-fsbp")}
    assert len(ids) > 250  # the whole standard, not a sample
    assert sorted(ids & set(NOT_FSBP)) == []
    for ident in ("Lambda.1", "Lambda.2", "Lambda.5", "IAM.6", "EC2.6", "EC2.172"):
        assert ident in ids


def test_no_question_labels_a_control_of_another_standard_as_fsbp():
    labelled = {(q.id, i) for q in questions() for i in q.frameworks.get("aws-fsbp", ())}
    assert sorted((q, i) for q, i in labelled if not frameworks.is_known("aws-fsbp", i)) == []
    assert sorted((q, i) for q, i in labelled if i in NOT_FSBP) == []


# --- answers given before a choice was split or retired ----------------------------------


def test_an_answer_naming_a_retired_choice_is_kept_and_scored_without_it(tmp_path):
    from srm_tui import scoring, store
    from srm_tui.model import Answer, Assessment

    question = catalog().question("ma_detectors")
    assert question is not None and question.choice("ma_detectors_config") is None
    everything = tuple(c.id for c in question.practices)
    assessment = Assessment(name="before the split")
    # "ma_detectors_config" was retired: AWS Config recording is asked under change management.
    selected = (*everything, "ma_detectors_config")
    assessment.answers[question.id] = Answer(question.id, question.section, selected=selected)
    path = tmp_path / "review.toml"
    store.save(assessment, path)
    again = store.load(path)
    assert again.answers[question.id].selected == selected
    assert scoring.risk_of(question, again.answers[question.id]) is Risk.NONE
    only_retired = Answer(question.id, question.section, selected=("ma_detectors_config",))
    assert scoring.risk_of(question, only_retired) is Risk.HIGH
