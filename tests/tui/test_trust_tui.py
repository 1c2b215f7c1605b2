"""The wizard's side of a trustworthy review: accepting a failing finding from the
Findings tab, choices the scan (or an imported failure) contradicts flagged beside them,
answers carried forward
or due again confirmed, evidence files attached and checked."""

from __future__ import annotations

import contextlib
import hashlib
import threading
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from rich.console import Console
from textual.widgets import Button, Checkbox, DataTable, Input, Static

from srm_tui import store
from srm_tui.model import (
    Acceptance,
    ImportedFinding,
    ImportedSet,
    Reason,
    Section,
    Severity,
    Status,
)
from srm_tui.review import choose, set_answer
from srm_tui.tui.screens.trust import AcceptDialog, EvidenceDialog
from srm_tui.tui.widgets.choices import ChoiceList
from srm_tui.tui.widgets.findings import FindingsPane
from srm_tui.tui.widgets.review import ReviewPane
from tests.tui import apps


async def _at_question(pilot, question_id: str) -> None:
    """The review tab showing question ``question_id``, settled."""
    await apps.settle(pilot)
    await pilot.app.screen.query_one(ReviewPane).jump(question_id=question_id)
    await apps.settle(pilot)


async def _findings_tab(pilot) -> FindingsPane:
    await apps.settle(pilot)
    await pilot.press("2")
    await apps.settle(pilot)
    return pilot.app.screen.query_one(FindingsPane)


def _text(renderable) -> str:
    console = Console(record=True, width=200)
    console.print(renderable)
    return console.export_text()


def claiming_sections() -> tuple[Section, ...]:
    """The test questionnaire with "a written plan" claiming what the security contact
    check tests (it fails in the fixture)."""
    first, *rest = apps.sections()
    plan = first.questions[0]
    choices = (replace(plan.choices[0], checks=("account.security_contact",)), *plan.choices[1:])
    return (replace(first, questions=(replace(plan, choices=choices), *first.questions[1:])), *rest)


async def test_accept_a_failing_finding_from_the_findings_tab(tmp_path: Path, own_data_dir):
    path = apps.write(tmp_path / "r.toml")
    app = apps.make_app(path, own_data_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await _findings_tab(pilot)
        first = pane.shown[0]
        assert (first.check, first.status) == ("ec2.sg_admin_ports_ipv4", "fail")
        await pilot.press("a")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, AcceptDialog)
        assert dialog.query_one("#accept-resource", Input).value == first.resource
        dialog.query_one("#accept-reason", Input).value = "bastion, NACL-restricted"
        dialog.query_one("#accept-owner", Input).value = "Platform team"
        dialog.query_one("#accept-expires", Input).value = "2000-01-01"
        await pilot.click("#ok")
        await pilot.pause()
        # Refused by the domain: the dialog stays, with the sentence.
        assert app.screen is dialog
        assert "is in the past" in str(dialog.query_one("#dialog-problem", Static).render())
        expires = (datetime.now(UTC).date() + timedelta(days=30)).isoformat()
        dialog.query_one("#accept-expires", Input).value = expires
        await pilot.pause(0.3)  # a button ignores a click while it still shows the last one
        await pilot.click("#ok")
        await apps.settle(pilot)
        assert not isinstance(app.screen, AcceptDialog)
        saved = store.load(path).acceptances
        assert [(a.check, a.resource, a.owner) for a in saved] == [
            ("ec2.sg_admin_ports_ipv4", first.resource, "Platform team")
        ]
        table = pane.query_one(DataTable)
        row = next(r for r in pane.shown if r.resource == first.resource)
        assert row.accepted and row.status == "fail"
        index = pane.shown.index(row)
        assert str(table.get_row_at(index)[0]) == "ACC"
        table.move_cursor(row=index)
        await pilot.pause()
        detail = str(pane.query_one("#finding-detail").render())
        assert "Accepted risk: A1 until" in detail and "bastion, NACL-restricted" in detail


async def test_the_expiry_offered_and_its_example_are_ahead_of_today(tmp_path: Path, own_data_dir):
    # The example was a fixed 2026-12-31, soon in the past; and the quarter offered
    # was refused where the assessment allows a shorter acceptance.
    assessment = apps.assessment()
    assessment.max_acceptance_days = 30
    path = apps.write(tmp_path / "r.toml", assessment)
    app = apps.make_app(path, own_data_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        await _findings_tab(pilot)
        await pilot.press("a")
        await apps.until(pilot, lambda: isinstance(app.screen, AcceptDialog))
        dialog = app.screen
        latest = (datetime.now(UTC).date() + timedelta(days=30)).isoformat()
        expires = dialog.query_one("#accept-expires", Input)
        assert (expires.value, expires.placeholder) == (latest, latest)
        dialog.query_one("#accept-reason", Input).value = "kept for the audit"
        dialog.query_one("#accept-owner", Input).value = "Platform team"
        expires.value = "next spring"
        await pilot.click("#ok")
        await pilot.pause()
        assert app.screen is dialog
        problem = str(dialog.query_one("#dialog-problem", Static).render())
        assert problem == f"The expiry looks like {latest}."
        expires.value = latest
        await pilot.pause(0.3)  # a button ignores a click while it still shows the last one
        await pilot.click("#ok")
        await apps.until(pilot, lambda: not isinstance(app.screen, AcceptDialog))
        assert [a.expires.isoformat() for a in store.load(path).acceptances] == [latest]


async def test_accepting_while_the_findings_are_read_says_so(
    tmp_path: Path, own_data_dir, monkeypatch
):
    # "a" while the tab said "Reading the findings…" did nothing and said nothing.
    from srm_tui import finding_filter

    ready = threading.Event()
    build = finding_filter.rows

    def slow_rows(assessment):
        ready.wait(10)
        return build(assessment)

    monkeypatch.setattr(finding_filter, "rows", slow_rows)
    app = apps.make_app(apps.write(tmp_path / "r.toml"), own_data_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        # The workspace is mounted a few turns after the start (later on a busy machine);
        # not apps.until: it first waits for the workers, and the reading is held back.
        for _ in range(400):
            if app.screen.query(FindingsPane):
                break
            await pilot.pause()
        pane = app.screen.query_one(FindingsPane)
        await pilot.press("2")
        await pilot.pause()
        assert "Reading the findings" in str(pane.query_one("#findings-count").render())
        await pilot.press("a")
        await pilot.pause()
        assert any("still being read" in n.message for n in app._notifications)
        assert not isinstance(app.screen, AcceptDialog)
        ready.set()
        await apps.until(pilot, lambda: bool(pane.shown))
        await pilot.press("a")  # once read, the key works
        await apps.until(pilot, lambda: isinstance(app.screen, AcceptDialog))


async def test_after_accepting_the_cursor_stays_on_the_accepted_finding(
    tmp_path: Path, own_data_dir
):
    # Accepting rebuilt the rows and put the cursor back on the first one: going down a
    # long list accepting risks, the user lost their place after each.
    path = apps.write(tmp_path / "r.toml")
    app = apps.make_app(path, own_data_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await _findings_tab(pilot)
        table = pane.query_one(DataTable)
        index = next(i for i, r in enumerate(pane.shown) if i and r.status == "fail")
        picked = pane.shown[index]
        table.move_cursor(row=index)
        await pilot.pause()
        await pilot.press("a")
        await apps.until(pilot, lambda: isinstance(app.screen, AcceptDialog))
        app.screen.query_one("#accept-reason", Input).value = "kept for the audit"
        app.screen.query_one("#accept-owner", Input).value = "Platform team"
        await pilot.press("enter")
        await apps.until(pilot, lambda: not isinstance(app.screen, AcceptDialog))
        await apps.until(pilot, lambda: any(r.accepted for r in pane.shown))
        await apps.settle(pilot)
        now = pane.shown[table.cursor_row]
        assert (now.check, now.resource, now.accepted) == (picked.check, picked.resource, True)
        assert picked.resource in str(pane.query_one("#finding-detail").render())


async def test_an_acceptance_out_of_policy_is_shown_but_accepts_nothing(
    tmp_path: Path, own_data_dir
):
    # A hand-edited rule without an owner: the failure it names stays FAIL, and the
    # detail says the acceptance is out of policy and why; a valid one beside it holds.
    a = apps.assessment()
    until = datetime.now(UTC).date() + timedelta(days=30)
    a.acceptances = [
        Acceptance("A1", "ec2.sg_admin_ports_ipv4", reason="bastion", owner="", expires=until),
        Acceptance("A2", "s3.bucket_versioning", reason="logs", owner="Ops", expires=until),
    ]
    path = apps.write(tmp_path / "r.toml", a)
    app = apps.make_app(path, own_data_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await _findings_tab(pilot)
        table = pane.query_one(DataTable)
        status = {r.check: str(table.get_row_at(i)[0]) for i, r in enumerate(pane.shown)
                  if r.status == "fail"}  # fmt: skip
        assert status["ec2.sg_admin_ports_ipv4"] == "FAIL"
        assert status["s3.bucket_versioning"] == "ACC"
        index = next(i for i, r in enumerate(pane.shown) if r.check == "ec2.sg_admin_ports_ipv4"
                     and r.status == "fail")  # fmt: skip
        assert not pane.shown[index].accepted
        table.move_cursor(row=index)
        await pilot.pause()
        detail = str(pane.query_one("#finding-detail").render())
        assert "ACCEPTANCE OUT OF POLICY" in detail
        assert "Accepted risk: out of policy (no owner), A1 until" in detail


async def test_only_a_failing_finding_can_be_accepted(tmp_path: Path, own_data_dir):
    path = apps.write(tmp_path / "r.toml")
    app = apps.make_app(path, own_data_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await _findings_tab(pilot)
        passing = next(i for i, r in enumerate(pane.shown) if r.status == "pass")
        pane.query_one(DataTable).move_cursor(row=passing)
        await pilot.press("a")
        await pilot.pause()
        assert not isinstance(app.screen, AcceptDialog)
        assert store.load(path).acceptances == []


@contextlib.asynccontextmanager
async def _two_ticked(tmp_path: Path, own_data_dir, a, sections):
    """The wizard on question t_plan with its first two practices ticked: (pilot, the
    review's path, the choice list, the two choices as drawn)."""
    choose(a, sections[0].questions[0], ["t_plan_written", "t_plan_roles"])
    path = apps.write(tmp_path / "r.toml", a)
    app = apps.make_app(path, own_data_dir, section_list=sections)
    async with app.run_test(size=(120, 50)) as pilot:
        await _at_question(pilot, "t_plan")
        choices = app.screen.query_one("#q-choices", ChoiceList)
        written, roles = (_text(choices._prompt(c)) for c in choices.question.choices[:2])
        yield pilot, path, choices, written, roles


async def test_a_contradicted_choice_is_flagged_beside_it(tmp_path: Path, own_data_dir):
    opened = _two_ticked(tmp_path, own_data_dir, apps.assessment(), claiming_sections())
    async with opened as (_pilot, _path, _choices, written, roles):
        assert "contradicted by the scan: account.security_contact fails" in written
        assert "contradicted" not in roles


SG = "arn:aws:ec2:ap-south-1:123456789012:security-group/sg-9999"


def _imported_sections() -> tuple[Section, ...]:
    """``claiming_sections`` with "roles are named" claiming what the admin ports check
    (AWS FSBP EC2.53) tests."""
    first, *rest = claiming_sections()
    plan = first.questions[0]
    roles = replace(plan.choices[1], checks=("ec2.sg_admin_ports_ipv4",))
    choices = (plan.choices[0], roles, *plan.choices[2:])
    return (replace(first, questions=(replace(plan, choices=choices), *first.questions[1:])), *rest)


def _with_import(a, check: str = "EC2.53"):
    """Security Hub's EC2.53 failing in a region srm-tui did not scan: it counts."""
    found = ImportedFinding(
        "security-hub", check, "Admin ports open", "ap-south-1", SG, Status.FAIL,
        Severity.HIGH, {"aws-fsbp": ("EC2.53",)}, account_id="123456789012",
    )  # fmt: skip
    a.imports = {
        "security-hub": ImportedSet(
            "security-hub", "findings.json", apps.FIXED_TIME, "123456789012", (found,)
        )
    }
    return a


async def test_a_choice_an_imported_failure_contradicts_is_flagged_as_imported(
    tmp_path: Path, own_data_dir
):
    sections = _imported_sections()
    a = _with_import(apps.assessment(), check="EC2.53\x1b[31m\x07 <red>")
    a.findings = [f for f in a.findings if not f.check.startswith("ec2.")]
    async with _two_ticked(tmp_path, own_data_dir, a, sections) as opened:
        pilot, path, choices, written, roles = opened
        # srm-tui's own admin ports check has no failure to show for it: never said so.
        assert "contradicted by the scan" not in roles
        said = " ".join(roles.split())
        assert "contradicted by an imported finding: AWS Security Hub's EC2.53" in said
        assert "(maps to ec2.sg_admin_ports_ipv4)" in said and "<red>" in said
        assert "\x1b" not in roles and "\x07" not in roles
        assert "imported" not in written and "contradicted by the scan" in written
        # Unticked: no longer claimed, no longer flagged.
        await pilot.press("down", "space")
        await apps.settle(pilot)
        assert store.load(path).answers["t_plan"].selected == ("t_plan_written",)
        assert "imported" not in _text(choices._prompt(choices.question.choices[1]))


async def test_does_not_apply_an_imported_failure_disproves_is_said(tmp_path: Path, own_data_dir):
    sections = _imported_sections()
    a = _with_import(apps.assessment())
    a.findings = [f for f in a.findings if f.check == "s3.bucket_versioning"]
    set_answer(a, sections[0].questions[0], applicable=False, reason=Reason.OUT_OF_SCOPE)
    path = apps.write(tmp_path / "r.toml", a)
    app = apps.make_app(path, own_data_dir, section_list=sections)
    async with app.run_test(size=(120, 50)) as pilot:
        await _at_question(pilot, "t_plan")
        standing = " ".join(_text(app.screen.query_one("#q-standing", Static).content).split())
        assert (
            "CONTRADICTED marked as not applying, but an imported finding fails a linked "
            "check: AWS Security Hub's EC2.53 (maps to ec2.sg_admin_ports_ipv4)" in standing
        )
        assert "this linked check fails" not in standing


async def test_does_not_apply_disproved_by_a_linked_check_is_said_and_follows_the_tick(
    tmp_path: Path, own_data_dir
):
    sections = claiming_sections()
    a = apps.assessment()
    set_answer(a, sections[0].questions[0], applicable=False, reason=Reason.OUT_OF_SCOPE)
    path = apps.write(tmp_path / "r.toml", a)
    app = apps.make_app(path, own_data_dir, section_list=sections)
    async with app.run_test(size=(120, 50)) as pilot:
        await _at_question(pilot, "t_plan")
        standing = _text(app.screen.query_one("#q-standing", Static).content)
        assert (
            "marked as not applying, but this linked check fails: account.security_contact"
            in standing
        )
        assert app.screen.query_one("#q-standing-row").display
        # Said to apply again: the scan no longer contradicts a "does not apply".
        app.screen.query_one("#q-na", Checkbox).value = False
        await apps.settle(pilot)
        assert store.load(path).answers["t_plan"].applicable
        assert "not applying" not in _text(app.screen.query_one("#q-standing", Static).content)


async def test_choices_kept_under_does_not_apply_are_not_flagged_until_it_applies(
    tmp_path: Path, own_data_dir
):
    sections = claiming_sections()
    a = apps.assessment()
    question = sections[0].questions[0]
    choose(a, question, ["t_plan_written"])
    # Marked as not applying with the choice still ticked, as the file keeps it.
    set_answer(
        a, question, selected=("t_plan_written",), applicable=False, reason=Reason.OUT_OF_SCOPE
    )
    path = apps.write(tmp_path / "r.toml", a)
    app = apps.make_app(path, own_data_dir, section_list=sections)
    async with app.run_test(size=(120, 50)) as pilot:
        await _at_question(pilot, "t_plan")
        choices = app.screen.query_one("#q-choices", ChoiceList)

        def written() -> str:
            return _text(choices._prompt(choices.question.choices[0]))

        # The question's standing says what the scan contradicts; the choice it no
        # longer claims is not flagged beside it.
        assert "[x]" in written() and "contradicted" not in written()
        app.screen.query_one("#q-na", Checkbox).value = False
        await apps.settle(pilot)
        assert "contradicted by the scan: account.security_contact fails" in written()


async def test_a_carried_answer_is_confirmed_with_one_button(tmp_path: Path, own_data_dir):
    a = apps.assessment()
    answer = choose(a, apps.sections()[0].questions[0], ["t_plan_written"])
    answer.attested, answer.attested_by = None, ""
    answer.carried_from = "q2.toml (2026-01-31)"
    path = apps.write(tmp_path / "r.toml", a)
    app = apps.make_app(path, own_data_dir)
    async with app.run_test(size=(120, 50)) as pilot:
        await _at_question(pilot, "t_plan")
        standing = str(app.screen.query_one("#q-standing", Static).render())
        assert "TO CONFIRM" in standing and "q2.toml (2026-01-31)" in standing
        confirm = app.screen.query_one("#q-confirm", Button)
        assert confirm.display
        await pilot.click("#q-confirm")
        await apps.settle(pilot)
        saved = store.load(path).answers["t_plan"]
        assert not saved.to_confirm and saved.attested is not None
        assert saved.carried_from == "q2.toml (2026-01-31)"
        assert not confirm.display


async def test_attach_an_evidence_file_and_see_it_change(tmp_path: Path, own_data_dir):
    path = apps.write(tmp_path / "r.toml")
    doc = tmp_path / "ir-plan.pdf"
    doc.write_bytes(b"%PDF plan v1")
    app = apps.make_app(path, own_data_dir)
    async with app.run_test(size=(120, 50)) as pilot:
        await apps.settle(pilot)
        app.screen.query_one("#q-attach", Button).press()
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, EvidenceDialog)
        dialog.query_one("#evidence-target", Input).value = str(tmp_path / "missing.pdf")
        await pilot.click("#ok")
        problem = dialog.query_one("#dialog-problem", Static)
        # Counted in turns of the event loop: a busy machine is slower, never wrong.
        await apps.until(pilot, lambda: "no such file" in str(problem.render()))
        assert app.screen is dialog
        dialog.query_one("#evidence-target", Input).value = str(doc)
        dialog.query_one("#evidence-note", Input).value = "signed"
        await pilot.pause(0.3)  # a button ignores a click while it still shows the last one
        await pilot.click("#ok")
        await apps.settle(pilot)
        entry = store.load(path).answers["t_plan"].evidence[0]
        assert (entry.kind, entry.ref, entry.note) == ("file", "ir-plan.pdf", "signed")
        assert entry.sha256 == hashlib.sha256(b"%PDF plan v1").hexdigest()
        files = app.screen.query_one("#q-files", Static)
        assert "ir-plan.pdf" in str(files.render()) and "changed" not in str(files.render())
        assert app.screen.query_one("#q-links", Input).value == "ir-plan.pdf"
        doc.write_bytes(b"%PDF plan v2")
        await pilot.press("n", "p")  # away and back: the question is drawn again
        await apps.settle(pilot)
        files = app.screen.query_one("#q-files", Static)
        assert "changed since attached" in str(files.render())


async def _evidence_dialog(pilot) -> EvidenceDialog:
    """The evidence dialog of the first question, open and settled."""
    await apps.settle(pilot)
    pilot.app.screen.query_one("#q-attach", Button).press()
    await apps.until(pilot, lambda: isinstance(pilot.app.screen, EvidenceDialog))
    await apps.settle(pilot)
    return pilot.app.screen


async def test_quitting_with_text_typed_in_a_dialog_says_so_once(tmp_path: Path, own_data_dir):
    # ctrl+q in the evidence dialog quit at once: the link typed there was lost and
    # nothing said so. The first ctrl+q now warns and stays; the second quits.
    app = apps.make_app(apps.write(tmp_path / "r.toml"), own_data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await _evidence_dialog(pilot)
        await pilot.press(*"https://wiki")
        await pilot.press("ctrl+q")
        await apps.settle(pilot)
        assert app.return_code is None and app.screen is dialog
        assert dialog.query_one("#evidence-target", Input).value == "https://wiki"
        assert any("not saved" in n.message for n in app._notifications)
        await pilot.press("ctrl+q")
        await apps.until(pilot, lambda: app.return_code is not None)
    assert app.return_code == 0


async def test_quitting_from_a_dialog_nothing_was_typed_in_quits_at_once(
    tmp_path: Path, own_data_dir
):
    app = apps.make_app(apps.write(tmp_path / "r.toml"), own_data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await _evidence_dialog(pilot)
        await pilot.press("ctrl+q")
        await apps.until(pilot, lambda: app.return_code is not None)
    assert app.return_code == 0
