"""Who gave each answer and when, re-confirmation after ``review_every`` days, answers
carried forward from an earlier review, answers the scan contradicts, owners and due
dates for failing checks, and the workload's properties on the report's cover."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from report_samples import ACCOUNT, assessment, sections

from srm_tui import assignments, attestation, contradictions, store
from srm_tui.acceptances import accept
from srm_tui.errors import UsageError
from srm_tui.model import Assessment, Finding, Section, Status
from srm_tui.report import content, csv_report, html_report, json_report, markdown
from srm_tui.report.inputs import ReportInput
from srm_tui.review import choose, set_answer

ON = date(2026, 9, 10)


def on(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time(), UTC)


# --- attestation -----------------------------------------------------------------------------


def test_every_change_attests_the_answer_by_the_assessor_or_the_os_user(monkeypatch):
    a = assessment()
    question = sections()[0].questions[0]
    monkeypatch.setattr(attestation.getpass, "getuser", lambda: "osuser")
    answer = set_answer(a, question, selected=["s_ir_plan_p2"])
    assert answer.attested_by == "osuser" and answer.attested == answer.answered
    a.assessor = "Jane Roe (consultant)"
    assert set_answer(a, question, notes="n").attested_by == "Jane Roe (consultant)"
    assert set_answer(a, question, notes="m", by="Dana").attested_by == "Dana"

    def no_login() -> str:
        raise OSError("no login name")

    monkeypatch.setattr(attestation.getpass, "getuser", no_login)
    assert attestation.default_attester(Assessment("x")) == ""


def test_review_every_comes_from_the_question_else_its_section():
    secs = sections()
    question = secs[0].questions[0]
    assert attestation.review_every(question, secs) is None
    yearly = (replace(secs[0], review_every=365), secs[1])
    assert attestation.review_every(question, yearly) == 365
    assert attestation.review_every(replace(question, review_every=90), yearly) == 90


def test_an_answer_falls_due_for_re_confirmation_after_review_every_days():
    a = assessment()
    answer = a.answers["s_ir_plan"]
    attestation.attest(answer, "Dana", on(date(2026, 1, 1)))
    assert attestation.review_due(answer, 90) == date(2026, 4, 1)
    assert not attestation.due_for_review(answer, 90, date(2026, 3, 31))
    assert attestation.due_for_review(answer, 90, date(2026, 4, 1))
    assert attestation.review_due(answer, None) is None
    # A file older than attestations: counted from when it was answered.
    old = replace(answer, attested=None, answered=on(date(2026, 2, 1)))
    assert attestation.review_due(old, 30) == date(2026, 3, 3)
    # Confirming starts the period again.
    attestation.confirm(answer, "Dana", on(date(2026, 4, 2)))
    assert not attestation.due_for_review(answer, 90, date(2026, 4, 3))


def test_due_answers_are_listed_in_json_and_markdown():
    a = assessment()
    attestation.attest(a.answers["s_ir_plan"], "Dana", on(date(2026, 1, 1)))
    attestation.attest(a.answers["s_ir_logs"], "Sam", on(date(2026, 9, 1)))
    secs = (replace(sections()[0], review_every=180), sections()[1])
    report = ReportInput(a, secs, generated=on(ON))
    assert [q.id for q, _, _ in report.due_answers] == ["s_ir_plan"]
    data = {x["question"]: x for x in json.loads(json_report.render(report))["answers"]}
    assert data["s_ir_plan"]["due_for_review"] is True
    assert data["s_ir_plan"]["review_due"] == "2026-06-30"
    assert data["s_ir_plan"]["attested_by"] == "Dana"
    assert data["s_ir_logs"]["due_for_review"] is False
    assert data["s_ir_logs"]["review_due"] == "2027-02-28"
    assert data["s_tr_phishing"]["review_due"] is None  # its section asks for none
    text = markdown.render(report)
    due = text.split("### Answers due for re-confirmation")[1].split("\n###")[0]
    assert "s_ir_plan" in due and "Dana, 2026-01-01" in due and "2026-06-30" in due
    assert "s_ir_logs" not in due
    assert "- **Due for re-confirmation** since 2026-06-30" in text
    assert "- Re-confirm by 2027-02-28" in text


# --- carried forward -------------------------------------------------------------------------


def test_carry_forward_copies_answers_to_confirm_and_never_overwrites():
    old = assessment()
    attestation.attest(old.answers["s_ir_plan"], "Dana", on(date(2026, 1, 1)))
    new = Assessment("next quarter")
    question = sections()[1].questions[2]
    set_answer(new, question, selected=["s_tr_cloud_p1"], by="Ann")
    old_cloud = replace(old.answers["s_ir_plan"], question=question.id, section="training")
    old.answers[question.id] = old_cloud
    carried = attestation.carry_forward(new, old, "q3.toml (2026-09-02)")
    assert "s_tr_cloud" not in carried  # answered in the new review already
    assert new.answers["s_tr_cloud"].selected == ("s_tr_cloud_p1",)
    plan = new.answers["s_ir_plan"]
    assert plan.selected == old.answers["s_ir_plan"].selected
    assert plan.evidence == old.answers["s_ir_plan"].evidence and plan.owner == "Dana (security)"
    assert (plan.carried_from, plan.attested_by, plan.attested) == (
        "q3.toml (2026-09-02)",
        "",
        None,
    )
    assert plan.to_confirm and not old.answers["s_ir_plan"].to_confirm
    assert [x.question for x in attestation.to_confirm(new)] == sorted(carried)
    # Confirming (or changing it) keeps where it came from and ends "to confirm".
    attestation.confirm(plan, "Ann")
    assert not plan.to_confirm and plan.carried_from == "q3.toml (2026-09-02)"
    phishing = new.answers["s_tr_phishing"]
    set_answer(new, sections()[1].questions[1], notes="checked", by="Ann")
    assert not phishing.to_confirm


def test_carried_answers_are_shown_to_confirm_and_survive_the_file(tmp_path):
    new = Assessment("next")
    attestation.carry_forward(new, assessment(), "q3.toml (2026-09-02)", {"s_ir_plan"})
    assert list(new.answers) == ["s_ir_plan"]
    store.save(new, tmp_path / "n.toml")
    again = store.load(tmp_path / "n.toml")
    assert again.answers["s_ir_plan"].to_confirm
    report = ReportInput(again, sections(), generated=on(ON))
    data = json.loads(json_report.render(report))
    assert data["answers"][0]["carried_from"] == "q3.toml (2026-09-02)"
    assert data["answers"][0]["to_confirm"] is True and data["summary"]["to_confirm"] == 1
    text = markdown.render(report)
    assert "### Answers carried forward, to confirm" in text
    assert "- Carried forward from q3.toml \\(2026-09-02\\): **to confirm**" in text


# --- contradictions ----------------------------------------------------------------------------


def contradicting_sections() -> tuple[Section, ...]:
    """The sample catalogue with practice 1 of s_ir_contacts claiming what
    account.security_contact tests, and practice 2 what iam.support_role tests."""
    secs = sections()
    contacts = secs[0].questions[1]
    choices = list(contacts.choices)
    choices[0] = replace(choices[0], checks=("account.security_contact",))
    choices[1] = replace(choices[1], checks=("iam.support_role", "account.security_contact"))
    contacts = replace(contacts, choices=tuple(choices))
    first = replace(secs[0], questions=(secs[0].questions[0], contacts, secs[0].questions[2]))
    return (first, secs[1])


def test_an_answer_selecting_a_practice_whose_check_fails_is_contradicted():
    secs = contradicting_sections()
    question = secs[0].questions[1]
    a = assessment()  # account.security_contact fails; iam.support_role is not applicable
    choose(a, question, ["s_ir_contacts_p1", "s_ir_contacts_p2"])
    failing = contradictions.failing_checks(a.findings)
    assert contradictions.by_choice(question, a.answers[question.id], failing) == {
        "s_ir_contacts_p1": ("account.security_contact",),
        "s_ir_contacts_p2": ("account.security_contact",),
    }
    assert contradictions.of_answer(question, a.answers[question.id], failing) == (
        "account.security_contact",
    )
    # Not selected, or the check passing: no contradiction.
    choose(a, question, ["s_ir_contacts_p3"])
    assert not contradictions.of_answer(question, a.answers[question.id], failing)
    choose(a, question, ["s_ir_contacts_p1"])
    passing = {"iam.root_mfa"}
    assert not contradictions.by_choice(question, a.answers[question.id], passing)


def test_does_not_apply_is_contradicted_by_every_failing_check_linked_to_a_choice():
    # A linked check fails only where the account has what the question asks about:
    # the scan disproves "does not apply", whichever choice the check is linked to.
    secs = contradicting_sections()
    question = secs[0].questions[1]
    a = assessment()  # account.security_contact fails; iam.support_role is not applicable
    set_answer(a, question, applicable=False)
    failing = contradictions.failing_checks(a.findings)
    answer = a.answers[question.id]
    assert contradictions.of_answer(question, answer, failing) == ("account.security_contact",)
    assert contradictions.by_choice(question, answer, failing) == {}
    # Each failing check once, in choice order (practice 2 names iam.support_role first).
    failing |= {"iam.support_role"}
    assert contradictions.of_answer(question, answer, failing) == (
        "account.security_contact",
        "iam.support_role",
    )
    # The linked checks passing: nothing contradicts it; so for the questions without one.
    assert not contradictions.of_answer(question, answer, {"iam.root_mfa"})
    set_answer(a, secs[0].questions[0], applicable=False)
    assert [q.id for q, _ in contradictions.all_of(a, secs)] == ["s_ir_contacts"]
    # An accepted failure still disproves it.
    accept(a, "account.security_contact", reason="r", owner="o", expires=ON, on=ON)
    assert contradictions.all_of(a, secs) == [(question, ("account.security_contact",))]


def test_a_contradicted_does_not_apply_is_in_json_and_said_in_the_report():
    secs = contradicting_sections()
    a = assessment()
    set_answer(a, secs[0].questions[1], applicable=False)
    report = ReportInput(a, secs, generated=on(ON))
    data = json.loads(json_report.render(report))
    answers = {x["question"]: x for x in data["answers"]}
    assert answers["s_ir_contacts"]["applicable"] is False
    assert answers["s_ir_contacts"]["contradictions"] == ["account.security_contact"]
    assert data["summary"]["contradictions"] == 1
    text = markdown.render(report)
    summary = text.split("## Executive summary")[1].split("\n## ")[0]
    row = next(x for x in summary.splitlines() if "`s_ir_contacts`" in x)
    assert "does not apply" in row and "`account.security_contact`" in row
    line = next(x for x in text.splitlines() if x.startswith("- Does not apply: Other"))
    assert line.endswith(
        "**contradicted by the scan**: marked as not applying, but this linked check "
        "fails: `account.security_contact`"
    )
    assert "marked as not applying" in html_report.render(report)


def test_an_accepted_failure_still_contradicts_the_claim():
    secs = contradicting_sections()
    a = assessment()
    choose(a, secs[0].questions[1], ["s_ir_contacts_p1"])
    accept(a, "account.security_contact", reason="r", owner="o", expires=ON, on=ON)
    assert contradictions.all_of(a, secs) == [(secs[0].questions[1], ("account.security_contact",))]


def test_contradictions_are_in_json_and_flagged_beside_the_choice_and_in_the_summary():
    secs = contradicting_sections()
    a = assessment()
    choose(a, secs[0].questions[1], ["s_ir_contacts_p1", "s_ir_contacts_p3"])
    report = ReportInput(a, secs, generated=on(ON))
    data = json.loads(json_report.render(report))
    answers = {x["question"]: x for x in data["answers"]}
    assert answers["s_ir_contacts"]["contradictions"] == ["account.security_contact"]
    assert answers["s_ir_plan"]["contradictions"] == []
    assert data["summary"]["contradictions"] == 1
    text = markdown.render(report)
    summary = text.split("## Executive summary")[1].split("\n## ")[0]
    assert "### Answers the scan contradicts" in summary and "`s_ir_contacts`" in summary
    line = next(x for x in text.splitlines() if "Practice 1 of Can people be reached?" in x)
    assert "**contradicted by the scan**: `account.security_contact` fails" in line
    line = next(x for x in text.splitlines() if "Practice 3 of Can people be reached?" in x)
    assert "contradicted" not in line


def test_shipped_questionnaires_link_choices_to_known_checks():
    from srm_tui import checklist
    from srm_tui.catalog import questionnaires

    known = set(checklist.load().ids())
    linked = [
        (q.id, c.id, check)
        for q in questionnaires.load().questions
        for c in q.choices
        for check in c.checks
    ]
    assert len(linked) >= 60
    assert all(check in known for _, _, check in linked)
    root = questionnaires.load().question("ig_root")
    assert root is not None and "iam.root_mfa" in root.choice("ig_root_mfa").checks


# --- choosing from a script -----------------------------------------------------------------


def test_choose_refuses_what_a_prompt_could_not_give():
    a = assessment()
    question = sections()[0].questions[0]
    with pytest.raises(UsageError, match="has no choice 'nope'"):
        choose(a, question, ["nope"])
    with pytest.raises(UsageError, match="excludes the other choices"):
        choose(a, question, ["s_ir_plan_no", "s_ir_plan_p1"])
    with pytest.raises(UsageError, match="takes one choice"):
        choose(a, replace(question, multiple=False), ["s_ir_plan_p1", "s_ir_plan_p2"])
    with pytest.raises(UsageError, match="at least one"):
        choose(a, question, [" "])
    assert choose(a, question, ["s_ir_plan_p2", "s_ir_plan_p1"]).selected == (
        "s_ir_plan_p1", "s_ir_plan_p2",
    )  # fmt: skip


# --- owners and due dates of failing checks ---------------------------------------------------


def test_a_failing_check_gets_an_owner_and_due_date_per_check_or_per_resource():
    a = assessment()
    assignments.assign(a, "s3.public_access_block", owner="Web team", due=date(2026, 9, 1))
    assignments.assign(
        a, "s3.public_access_block", owner="Data team", due=date(2026, 12, 1),
        resource="arn:aws:s3:::bucket-1*",
    )  # fmt: skip
    assignments.assign(a, "iam.root_mfa", owner="CISO")
    plan = [p for p in content.plan(a, sections()) if p.kind == "check"]
    s3 = {p.resource: p for p in plan if p.id == "s3.public_access_block"}
    assert (s3[""].owner, s3[""].due, s3[""].resources) == ("Web team", date(2026, 9, 1), 15)
    data_team = s3["arn:aws:s3:::bucket-1*"]
    assert (data_team.owner, data_team.due, data_team.resources) == (
        "Data team",
        date(2026, 12, 1),
        10,
    )
    root = next(p for p in plan if p.id == "iam.root_mfa")
    assert (root.owner, root.due) == ("CISO", None)
    # Changing one field keeps the other; clearing both removes the assignment.
    assignments.assign(a, "iam.root_mfa", due=date(2026, 10, 1))
    assert assignments.find(a.assignments, "iam.root_mfa").owner == "CISO"
    assert assignments.assign(a, "iam.root_mfa", owner="", due=None) is None
    assert assignments.find(a.assignments, "iam.root_mfa") is None
    with pytest.raises(UsageError, match="no check"):
        assignments.assign(a, "no.check", owner="x")


def test_an_assignment_overrides_the_owner_inherited_from_an_answer():
    a = assessment()
    inherited = next(p for p in content.plan(a, sections()) if p.id == "account.security_contact")
    assert inherited.owner == "Sam"  # s_ir_contacts cites the check
    assignments.assign(a, "account.security_contact", owner="Ops")
    assigned = next(p for p in content.plan(a, sections()) if p.id == "account.security_contact")
    assert assigned.owner == "Ops"


def test_the_plan_groups_by_owner_sorts_by_due_date_and_flags_overdue_items():
    a = assessment()
    assignments.assign(a, "iam.root_mfa", owner="Sam", due=date(2026, 9, 30))
    report = ReportInput(a, sections(), generated=on(date(2026, 10, 20)))
    groups = content.by_owner(report.plan)
    assert [owner for owner, _ in groups] == ["Dana (security)", "Sam", ""]
    sam = groups[1][1]
    # The security contact check inherits Sam's date from the answer citing it.
    assert (sam[0].id, sam[0].due) == ("iam.root_mfa", date(2026, 9, 30))
    assert {(p.id, p.due) for p in sam[1:]} == {
        ("s_ir_contacts", date(2026, 10, 15)),
        ("account.security_contact", date(2026, 10, 15)),
    }
    assert all(p.overdue(report.today) for p in sam)
    text = markdown.render(report)
    plan = text.split("## Improvement plan")[1]
    assert plan.index("### Owner: Dana") < plan.index("### Owner: Sam") < plan.index("### No owner")
    assert "3 items are overdue." in plan
    root = next(x for x in plan.splitlines() if "`iam.root_mfa`" in x)
    assert root.endswith("**overdue**") and "due: 2026-09-30" in root
    rows = list(csv.DictReader(io.StringIO(csv_report.plan(report))))
    status = {(r["id"], r["resources"]): r["status"] for r in rows}
    assert status[("iam.root_mfa", "")] == "overdue"
    assert status[("s3.public_access_block", "")] == "open"
    assert {"owner", "due", "status"} <= set(rows[0])


def test_assignments_round_trip_and_survive_a_rescan(tmp_path):
    a = assessment()
    assignments.assign(a, "iam.root_mfa", owner="CISO", due=date(2026, 12, 1), resource="*root")
    store.save(a, tmp_path / "a.toml")
    again = store.load(tmp_path / "a.toml")
    assert again.assignments == a.assignments
    # A rescan replaces the check's findings; the assignment stays and applies.
    again.findings = [f for f in again.findings if f.check != "iam.root_mfa"] + [
        Finding("iam.root_mfa", "global", f"arn:aws:iam::{ACCOUNT}:root", Status.FAIL, "still")
    ]
    item = next(p for p in content.plan(again, sections()) if p.id == "iam.root_mfa")
    assert (item.owner, item.resource) == ("CISO", "*root")


# --- the workload's properties -----------------------------------------------------------------


def test_workload_properties_are_on_the_cover_and_in_json(tmp_path):
    a = assessment()
    a.scope.environment = "production"
    a.scope.review_owner = "Platform lead"
    a.scope.signed_off_by = "CTO"
    a.scope.signed_off = date(2026, 9, 9)
    store.save(a, tmp_path / "a.toml")
    a = store.load(tmp_path / "a.toml")
    report = ReportInput(a, sections(), generated=on(ON))
    data = json.loads(json_report.render(report))["scope"]
    assert (data["environment"], data["review_owner"], data["signed_off_by"], data["signed_off"]) == (
        "production", "Platform lead", "CTO", "2026-09-09",
    )  # fmt: skip
    text = markdown.render(report)
    cover = text[text.index("## Executive summary") :].split("### ")[0]
    assert "| Environment | production |" in cover
    # The HTML report's cover names them too.
    page = html_report.render(report)
    head = page[page.index('<header class="cover">') : page.index("</header>")]
    assert "production" in head and "Platform lead" in head and "CTO on 2026-09-09" in head
    assert "| Review owner | Platform lead |" in cover
    assert "| Signed off | CTO on 2026-09-09 |" in cover


def test_attestation_and_carry_forward_keys_are_checked_when_read():
    from srm_tui.errors import InputFileError

    a = assessment()
    answer = a.answers["s_ir_plan"]
    attestation.attest(answer, "Dana", on(ON))
    answer.carried_from = "q2.toml"
    text = store.dumps(a)
    again = store.loads(text)
    assert again.answers["s_ir_plan"].attested_by == "Dana"
    assert again.answers["s_ir_plan"].carried_from == "q2.toml"
    with pytest.raises(InputFileError, match="attested"):
        store.loads(text.replace('attested_by = "Dana"', "attested_by = 3"))
