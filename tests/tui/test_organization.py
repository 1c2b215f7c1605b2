"""The wizard over an organization review: the Organization tab (accounts with state
and counts, filters by text and OU, one account's findings, live progress of a scan)
and an answer for one account or OU set from the question screen."""

from __future__ import annotations

import contextlib
from pathlib import Path

from textual.widgets import Checkbox, DataTable, Input, Select, SelectionList

from srm_tui import store
from srm_tui.model import AccountState, OrgAccount, Organization, ScanStatus, Status
from srm_tui.organization import files
from srm_tui.organization.runner import OrgProgress
from srm_tui.tui.screens.override import OverrideDialog
from srm_tui.tui.widgets.organization import OrganizationPane
from tests.tui import apps

ROOT, WORK, PLAY = "r-ab12", "ou-ab12-11111111", "ou-ab12-22222222"
PROD, TEAM, SANDBOX = "111111111111", "222222222222", "333333333333"


def _org_review(path: Path) -> Path:
    review = apps.assessment()
    review.findings = []
    accounts = {
        PROD: OrgAccount(PROD, "prod", WORK, "Workloads", (ROOT, WORK), ("Root", "Workloads"),
                         "ACTIVE", AccountState.DONE, apps.FIXED_TIME, 1, 10, ScanStatus.COMPLETE,
                         {"fail": 2, "pass": 1}, {"high": 1, "medium": 1}),
        TEAM: OrgAccount(TEAM, "team", WORK, "Workloads", (ROOT, WORK), ("Root", "Workloads"),
                         "ACTIVE", AccountState.PENDING),
        SANDBOX: OrgAccount(SANDBOX, "sandbox", PLAY, "Sandbox", (ROOT, PLAY), ("Root", "Sandbox"),
                            "SUSPENDED", AccountState.SKIPPED),
    }  # fmt: skip
    review.organization = Organization("o-abcdefghij", PROD, accounts=accounts, round=1)
    store.save(review, path)
    found = apps.assessment()
    found.scope.account_id = PROD
    files.save_account(path, found)
    return path


async def _answer_for(pilot, target: str) -> OverrideDialog:
    """The account/OU answer dialog ('o' on the question), with ``target`` chosen."""
    await pilot.press("o")
    await apps.settle(pilot)
    dialog = pilot.app.screen
    assert isinstance(dialog, OverrideDialog)
    dialog.query_one("#override-target", Select).value = target
    await pilot.pause()
    return dialog


@contextlib.asynccontextmanager
async def _opened(tmp_path: Path, own_data_dir, size: tuple[int, int], key: str = ""):
    """The wizard on a fresh organization review (see ``apps.opened``): (app, pilot,
    the review's path)."""
    path = _org_review(tmp_path / "org.toml")
    async with apps.opened(path, own_data_dir, size, key) as (app, pilot):
        yield app, pilot, path


def _rows(table: DataTable) -> list[list[str]]:
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


async def test_the_organization_tab_lists_filters_and_drills_down(tmp_path, own_data_dir):
    async with _opened(tmp_path, own_data_dir, (140, 44), "5") as (app, pilot, _path):
        pane = app.screen.query_one(OrganizationPane)
        accounts = pane.query_one("#org-accounts", DataTable)
        rows = _rows(accounts)
        assert [r[0] for r in rows] == [PROD, TEAM, SANDBOX]
        assert rows[0][2] == "done" and rows[0][3:6] == ["0", "1", "1"]  # critical, high, medium
        assert rows[2][2] == "skipped"
        # The highlighted account's own findings file, below.
        found = pane.query_one("#org-findings", DataTable)
        assert found.row_count == len(apps.findings())
        assert _rows(found)[0][0] == Status.FAIL.label
        # Filters: by OU, then by text.
        pane.query_one("#org-ou", Select).value = PLAY
        await apps.settle(pilot)
        assert [r[0] for r in _rows(accounts)] == [SANDBOX]
        pane.query_one("#org-ou", Select).value = WORK
        pane.query_one("#org-text", Input).value = "team"
        await apps.settle(pilot)
        assert [r[0] for r in _rows(accounts)] == [TEAM]
        # An account never scanned says so instead of listing findings.
        assert found.row_count == 0
        assert "not scanned yet" in str(pane.query_one("#org-account-title").render())


async def test_scan_progress_updates_account_rows_live(tmp_path, own_data_dir):
    async with _opened(tmp_path, own_data_dir, (140, 44), "5") as (app, pilot, _path):
        pane = app.screen.query_one(OrganizationPane)
        accounts = pane.query_one("#org-accounts", DataTable)
        # What the scan's worker thread hands over, account by account.
        pane._progress(OrgProgress("account_started", TEAM, "team", 0, 2, (TEAM,)))
        await pilot.pause()
        assert _rows(accounts)[1][2] == "scanning"
        assert "0 of 2 accounts done" in str(pane.query_one("#org-status").render())
        organization = app.session.assessment.organization
        organization.accounts[TEAM].state = AccountState.FAILED
        pane._progress(OrgProgress("account_done", TEAM, "team", 1, 2, (), 1, "failed"))
        await pilot.pause()
        assert _rows(accounts)[1][2] == "failed"
        assert "1 of 2 accounts done, 1 could not be scanned" in str(
            pane.query_one("#org-status").render()
        )


async def test_an_answer_for_one_ou_is_set_from_the_question(tmp_path, own_data_dir):
    async with _opened(tmp_path, own_data_dir, (140, 44)) as (app, pilot, path):
        question = app.screen.query_one("ReviewPane").questions[0]
        dialog = await _answer_for(pilot, PLAY)
        dialog.query_one("#override-na", Checkbox).value = True
        await pilot.click("#save")
        await apps.settle(pilot)
        saved = store.load(path).overrides[question.id][PLAY]
        assert saved.applicable is False
        # And for one account, a choice of its own; then back to the organization's.
        dialog = await _answer_for(pilot, PROD)
        dialog.query_one("#override-choices", SelectionList).select(question.choices[0].id)
        await pilot.click("#save")
        await apps.settle(pilot)
        assert store.load(path).overrides[question.id][PROD].selected == (question.choices[0].id,)
        await _answer_for(pilot, PROD)
        await pilot.click("#clear")
        await apps.settle(pilot)
        assert PROD not in store.load(path).overrides[question.id]


async def test_a_single_account_review_has_no_organization_tab(tmp_path, own_data_dir):
    path = apps.write(tmp_path / "r.toml")
    app = apps.make_app(path, own_data_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        await apps.settle(pilot)
        await pilot.press("5")
        await pilot.press("o")
        await apps.settle(pilot)
        assert not app.screen.query(OrganizationPane)
        assert not isinstance(app.screen, OverrideDialog)


async def test_an_unexpected_failure_of_the_scan_leaves_the_wizard_open(
    tmp_path, own_data_dir, monkeypatch
):
    # The organization's workers were the only ones that ended the whole wizard on an
    # unexpected error, instead of saying so and going on.
    from srm_tui.organization import runner
    from srm_tui.tui.screens.dialogs import MessageDialog

    def broken(*args, **kwargs):
        raise RuntimeError("the network stack fell over")

    monkeypatch.setattr(runner, "scan_organization", broken)
    async with _opened(tmp_path, own_data_dir, (140, 44), "5") as (app, pilot, _path):
        await pilot.press("s")
        await apps.settle(pilot)
        assert isinstance(app.screen, MessageDialog)
        assert "the network stack fell over" in str(
            app.screen.query_one("#dialog-message").render()
        )
        await pilot.press("escape")
        await apps.settle(pilot)
        assert app.screen.query_one(OrganizationPane)._cancel is None  # s scans again
    assert app.return_code in (None, 0)


async def test_a_finished_scan_says_so_and_the_wizard_goes_on(tmp_path, own_data_dir, monkeypatch):
    # The summary went to a toast as a rich Text, which a toast cannot draw: every
    # organization scan that ended, finished or cancelled, ended the wizard.
    from textual.widgets._toast import Toast

    from srm_tui.organization import runner

    def scanned(*args, **kwargs):
        return runner.OrgScanOutcome("o-abcdefghij", 2, False, scanned=[PROD, TEAM])

    monkeypatch.setattr(runner, "scan_organization", scanned)
    app = apps.make_app(_org_review(tmp_path / "org.toml"), own_data_dir)
    async with app.run_test(size=(140, 44), notifications=True) as pilot:
        await apps.settle(pilot)
        await pilot.press("5")
        await apps.settle(pilot)
        await pilot.press("s")
        await apps.until(pilot, lambda: bool(app.screen.query(Toast)))
        await apps.settle(pilot)  # the toast is drawn
        shown = [str(toast.render()) for toast in app.screen.query(Toast)]
        assert "2 accounts scanned, 0 could not be scanned." in shown
        assert app.screen.query_one(OrganizationPane)._cancel is None
    assert app.return_code in (None, 0)


async def test_the_organization_tab_stays_when_its_scan_ends(tmp_path, own_data_dir):
    # The end of a scan rebuilt the questions and put the keyboard on them: the user
    # watching the accounts' rows was taken to the Review tab.
    from textual.widgets import TabbedContent

    from srm_tui.tui.messages import AssessmentChanged

    async with _opened(tmp_path, own_data_dir, (80, 24), "5") as (app, pilot, _path):
        assert app.screen.query_one(TabbedContent).active == "organization"
        app.screen.post_message(AssessmentChanged())  # what the scan's end posts
        await apps.settle(pilot)
        await apps.settle(pilot)
        assert app.screen.query_one(TabbedContent).active == "organization"
        assert app.focused is app.screen.query_one("#org-accounts")


async def test_rescan_of_an_organization_review_scans_the_organization(
    tmp_path, own_data_dir, monkeypatch
):
    # ctrl+r ("Rescan" in the footer) opened the one-account scope screen, whose scan
    # then refused the review and pointed to the command line.
    from textual.widgets import TabbedContent

    from srm_tui.organization import runner
    from srm_tui.tui.screens.scope import ScopeScreen

    calls = []

    def scanned(*args, **kwargs):
        calls.append(args)
        return runner.OrgScanOutcome("o-abcdefghij", 2, False, scanned=[PROD, TEAM])

    monkeypatch.setattr(runner, "scan_organization", scanned)
    async with _opened(tmp_path, own_data_dir, (80, 24), "1") as (app, pilot, _path):
        await pilot.press("ctrl+r")
        await apps.settle(pilot)
        assert not isinstance(app.screen, ScopeScreen)
        assert app.screen.query_one(TabbedContent).active == "organization"
        assert len(calls) == 1


async def test_a_demo_organization_review_outside_the_demo_says_how_to_scan_it(
    tmp_path, own_data_dir, monkeypatch
):
    # Opened with 'srm-tui org.toml', the demo organization is not running: the scan
    # went on to look for AWS credentials and said "Something went wrong".
    from srm_tui.organization import runner
    from srm_tui.tui.screens.dialogs import MessageDialog

    calls = []
    monkeypatch.setattr(runner, "scan_organization", lambda *a, **k: calls.append(a))
    path = _org_review(tmp_path / "org.toml")
    review = store.load(path)
    review.scope.demo = True
    store.save(review, path)
    async with apps.opened(path, own_data_dir, (80, 24), "5") as (app, pilot):
        await pilot.press("s")
        await apps.settle(pilot)
        assert isinstance(app.screen, MessageDialog)
        said = " ".join(str(w.render()) for w in app.screen.query("Static"))
        assert f"srm-tui demo {path}" in " ".join(said.split())
        assert calls == []


async def test_a_scan_cancelled_while_listing_the_organization_is_no_failure(
    tmp_path, own_data_dir, monkeypatch
):
    # Escape before the organization was listed: the session's Cancelled came out of
    # the scan and the wizard showed "An operation failed: Cancelled:".
    from srm_tui.aws.session import Cancelled
    from srm_tui.organization import runner
    from srm_tui.tui.screens.dialogs import MessageDialog

    def cancelled(*args, **kwargs):
        raise Cancelled()

    monkeypatch.setattr(runner, "scan_organization", cancelled)
    async with _opened(tmp_path, own_data_dir, (140, 44), "5") as (app, pilot, _path):
        await pilot.press("s")
        await apps.settle(pilot)
        await apps.settle(pilot)
        assert not isinstance(app.screen, MessageDialog)
        assert any("cancelled before any account" in n.message for n in app._notifications)
        assert app.screen.query_one(OrganizationPane)._cancel is None  # s scans again
    assert app.return_code in (None, 0)


async def test_an_accounts_findings_list_the_most_severe_failures_first(tmp_path, own_data_dir):
    # They were in the order of the checks' ids: a low failure could sit above a
    # critical one, unlike on the Findings tab.
    async with _opened(tmp_path, own_data_dir, (140, 44), "5") as (app, _pilot, _path):
        found = app.screen.query_one(OrganizationPane).query_one("#org-findings", DataTable)
        failing = [r for r in _rows(found) if r[0] == Status.FAIL.label]
        assert [r[1] for r in failing] == ["High", "Medium", "Low"]


async def test_the_account_answer_dialog_marks_only_what_is_ticked(tmp_path, own_data_dir):
    # Every choice and "Does not apply there" showed X, ticked or not: only colour told
    # them apart, and without colour the dialog looked as if everything were ticked.
    async with _opened(tmp_path, own_data_dir, (140, 44)) as (app, pilot, _path):
        question = app.screen.query_one("ReviewPane").questions[0]
        dialog = await _answer_for(pilot, PROD)
        choices = dialog.query_one("#override-choices", SelectionList)
        choices.select(question.choices[0].id)
        await pilot.pause()
        lines = ["".join(s.text for s in choices.render_line(y)) for y in range(2)]
        assert lines[0].lstrip().startswith("▐X▌") and lines[1].lstrip().startswith("▐ ▌"), lines
        assert "X" not in dialog.query_one("#override-na", Checkbox).render().plain


async def test_the_account_answer_dialog_buttons_fit_80_columns(tmp_path, own_data_dir):
    # Cancel ran off the dialog's right edge on an 80-column terminal.
    from textual.widgets import Button

    async with _opened(tmp_path, own_data_dir, (80, 24), "o") as (app, _pilot, _path):
        box = app.screen.query_one("#dialog-box").content_region
        for button in app.screen.query(Button):
            assert button.region.x >= box.x and button.region.right <= box.right, button.id


async def test_the_account_answer_dialog_shows_the_whole_question(tmp_path, own_data_dir):
    # The title kept to one line: on 80 columns the question was cut off mid-word.
    from textual.geometry import Region

    async with _opened(tmp_path, own_data_dir, (80, 24), "o") as (app, _pilot, _path):
        question = app.screen.question
        title = app.screen.query_one("#dialog-title")
        box = app.screen.query_one("#dialog-box").content_region
        lines = title.render_lines(Region(0, 0, title.size.width, title.size.height))
        shown = " ".join(line.text.strip() for line in lines)
        assert question.title.split()[-1] in shown and title.region.right <= box.right
