"""The review tab: answering with the keyboard saves at once, in the file."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from textual.widgets import Input, TextArea

from srm_tui import recent, store
from srm_tui.model import Reason, Risk
from srm_tui.review import set_answer
from srm_tui.tui.screens.workspace import WorkspaceScreen
from srm_tui.tui.widgets.choices import ChoiceList
from srm_tui.tui.widgets.review import ReviewPane
from tests.tui import apps


async def _open(pilot) -> ReviewPane:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    assert isinstance(pilot.app.screen, WorkspaceScreen)
    return pilot.app.screen.query_one(ReviewPane)


async def test_ticking_choices_saves_the_answer_and_its_risk(tmp_path: Path, own_data_dir):
    path = apps.write(tmp_path / "r.toml")
    app = apps.make_app(path, own_data_dir)
    async with app.run_test(size=(100, 40)) as pilot:
        review = await _open(pilot)
        assert review.questions[review.current].id == "t_plan"
        assert isinstance(app.focused, ChoiceList)
        await pilot.press("space")  # first practice
        await pilot.pause()
        saved = store.load(path).answers["t_plan"]
        assert saved.selected == ("t_plan_written",)
        assert saved.risk is Risk.MEDIUM
        await pilot.press("down", "space")
        await pilot.pause()
        assert store.load(path).answers["t_plan"].risk is Risk.NONE
        await pilot.press("enter")  # done with this question: on to the next
        await pilot.pause()
        review = app.screen.query_one(ReviewPane)
        assert review.questions[review.current].id == "t_tested"
        assert isinstance(app.focused, ChoiceList)
        assert "Saved" in str(app.screen.query_one("TopBar").render())


async def test_none_of_these_excludes_the_practices(tmp_path: Path, own_data_dir):
    path = apps.write(tmp_path / "r.toml")
    app = apps.make_app(path, own_data_dir)
    async with app.run_test(size=(100, 40)) as pilot:
        await _open(pilot)
        await pilot.press("space", "down", "space")  # two practices
        await pilot.press("down", "space")  # then "None of these"
        await pilot.pause()
        assert store.load(path).answers["t_plan"].selected == ("t_plan_no",)
        await pilot.press("up", "up", "space")  # a practice clears "None of these"
        await pilot.pause()
        answer = store.load(path).answers["t_plan"]
        assert answer.selected == ("t_plan_written",)
        choices = app.screen.query_one(ChoiceList)
        assert choices.selected == ("t_plan_written",)


async def test_single_choice_keeps_one(tmp_path: Path, own_data_dir):
    path = apps.write(tmp_path / "r.toml")
    app = apps.make_app(path, own_data_dir)
    async with app.run_test(size=(100, 40)) as pilot:
        review = await _open(pilot)
        await pilot.press("n")
        await pilot.pause()
        assert review.questions[review.current].id == "t_tested"
        await pilot.press("space", "down", "space")
        await pilot.pause()
        assert store.load(path).answers["t_tested"].selected == ("t_tested_never",)


async def test_does_not_apply_with_reason(tmp_path: Path, own_data_dir):
    path = apps.write(tmp_path / "r.toml")
    app = apps.make_app(path, own_data_dir)
    async with app.run_test(size=(100, 40)) as pilot:
        await _open(pilot)
        await pilot.click("#q-na")
        await pilot.pause()
        answer = store.load(path).answers["t_plan"]
        assert not answer.applicable
        assert answer.reason is Reason.OUT_OF_SCOPE
        assert answer.risk is Risk.NOT_APPLICABLE
        assert app.screen.query_one(ChoiceList).disabled
        select = app.screen.query_one("#q-reason")
        select.value = Reason.BUSINESS_PRIORITIES.value
        await pilot.pause()
        assert store.load(path).answers["t_plan"].reason is Reason.BUSINESS_PRIORITIES


async def test_opened_on_a_question_that_does_not_apply_n_p_u_work(tmp_path: Path, own_data_dir):
    # Its choices are off, so the keyboard given to them went nowhere: n, p and u did
    # nothing until Tab, though the screen says "Next (n)".
    a = apps.assessment()
    set_answer(a, apps.sections()[0].questions[0], applicable=False, reason=Reason.OUT_OF_SCOPE)
    path = apps.write(tmp_path / "r.toml", a)
    # Where the user was when they left: the wizard opens there.
    recent.remember(recent.Recent(str(path), a.name, question="t_plan"), own_data_dir)
    app = apps.make_app(path, own_data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await _open(pilot)
        await apps.settle(pilot)
        assert pane.questions[pane.current].id == "t_plan"
        assert app.focused is app.screen.query_one("#q-na")
        await pilot.press("n")
        await apps.settle(pilot)
        assert pane.current == 1


async def test_notes_owner_links_and_due_are_saved_while_typing(tmp_path: Path, own_data_dir):
    path = apps.write(tmp_path / "r.toml")
    app = apps.make_app(path, own_data_dir)
    async with app.run_test(size=(100, 40)) as pilot:
        await _open(pilot)
        app.screen.query_one("#q-notes", TextArea).focus()
        await pilot.press(*"Plan")
        app.screen.query_one("#q-links", Input).focus()
        await pilot.press(*"w/ir w/b")
        app.screen.query_one("#q-owner", Input).focus()
        await pilot.press(*"Sam")
        app.screen.query_one("#q-due", Input).focus()
        await pilot.press(*"2026-13-45")  # not a date: shown, not saved
        await pilot.pause(1.0)  # typed text is saved after a short pause
        answer = store.load(path).answers["t_plan"]
        assert answer.notes == "Plan"
        assert answer.links == ("w/ir", "w/b")
        assert answer.owner == "Sam"
        assert answer.due is None
        # The example is a date ahead of today, never a fixed one that will be past.
        example = (datetime.now(UTC).date() + timedelta(days=90)).isoformat()
        assert example in str(app.screen.query_one("#q-due-problem").render())
        due = app.screen.query_one("#q-due", Input)
        due.value = "2026-12-31"
        await pilot.pause()  # the change is applied; its save waits for a pause
        assert store.load(path).answers["t_plan"].due is None
        await pilot.press("ctrl+q")  # quitting saves what is still pending
    assert store.load(path).answers["t_plan"].due.isoformat() == "2026-12-31"


async def test_a_link_with_credentials_typed_is_never_saved(tmp_path: Path, own_data_dir):
    path = apps.write(tmp_path / "r.toml")
    app = apps.make_app(path, own_data_dir)
    async with app.run_test(size=(100, 40)) as pilot:
        await _open(pilot)
        links = app.screen.query_one("#q-links", Input)
        links.value = "https://bob:hunter2@wiki.example.com/ir w/ok"
        await pilot.pause()
        assert app.save()  # typed text waits for a pause: save it now
        assert store.load(path).answers["t_plan"].links == ("w/ok",)
        assert "hunter2" not in path.read_text("utf-8")
        problem = app.screen.query_one("#q-links-problem")
        assert problem.display and "user name or password" in str(problem.render())
        assert "hunter2" not in str(problem.render())
        assert links.value.startswith("https://bob:hunter2@")  # on screen, to be mended
        links.value = "https://wiki.example.com/ir w/ok"
        await pilot.pause()
        assert app.save()
        assert store.load(path).answers["t_plan"].links == ("https://wiki.example.com/ir", "w/ok")
        assert not problem.display


async def test_linked_findings_are_shown_as_evidence(tmp_path: Path, own_data_dir):
    path = apps.write(tmp_path / "r.toml")
    app = apps.make_app(path, own_data_dir)
    async with app.run_test(size=(100, 40)) as pilot:
        await _open(pilot)
        text = str(app.screen.query_one("#q-evidence").render())
        assert "A security contact is registered: 1 failed" in text
        assert "sg-0001" in text and "port 22 open" in text
        assert "1 could not be checked" in text


async def test_next_unanswered_and_tree_progress(tmp_path: Path, own_data_dir):
    a = apps.assessment()
    path = apps.write(tmp_path / "r.toml", a)
    app = apps.make_app(path, own_data_dir)
    async with app.run_test(size=(100, 40)) as pilot:
        review = await _open(pilot)
        await pilot.press("space")
        await pilot.press("u")
        await pilot.pause()
        assert review.questions[review.current].id == "t_tested"
        await pilot.press("p")
        await pilot.pause()
        assert review.questions[review.current].id == "t_plan"
        section = review._section_nodes["response"]
        assert "1/2" in str(section.label)
        # the EKS question is out of scope: the scan found no EKS
        assert "t_eks_only" not in {q.id for q in review.questions}


async def test_palette_jump_to_question(tmp_path: Path, own_data_dir):
    path = apps.write(tmp_path / "r.toml")
    app = apps.make_app(path, own_data_dir)
    async with app.run_test(size=(100, 40)) as pilot:
        review = await _open(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"trained in its security")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert review.questions[review.current].id == "t_training"
