"""Every screen of the wizard over hostile text: an assessment whose name, scope,
findings and answers, a questionnaire whose titles and help, AWS progress messages and
a file name all hold terminal escapes (OSC 52 sets the clipboard, OSC 0 the title),
invisible and bidirectional characters, and Textual markup that would be a live action
(``[@click=app.quit]``).

What each screen would send to the terminal is rendered as the app's driver renders
it; after Textual's own cursor moves and colours, nothing may be left that a terminal
acts on, and no piece of the screen may carry an action that came from the data.
"""

from __future__ import annotations

import dataclasses
import io
import re
from pathlib import Path

import pytest
from rich.console import Console
from textual.widgets import Input, Select

from srm_tui import store
from srm_tui.model import Answer, Evidence, Finding, Section, Status
from srm_tui.scan import Progress
from srm_tui.tui.screens.dialogs import MessageDialog, PathChoice
from srm_tui.tui.screens.scan import ScanScreen
from srm_tui.tui.screens.scope import ScopeScreen
from srm_tui.tui.screens.start import StartScreen
from srm_tui.tui.screens.workspace import WorkspaceScreen
from tests.hostile.seed import ESCAPES
from tests.hostile.test_hostile_data import assert_terminal_safe
from tests.tui import apps

# OSC 52: a terminal that honours it puts "pwned" on the clipboard.
OSC52 = "\x1b]52;c;cHduZWQ=\x07"
# Textual markup that would make a live link quitting the app, or opening a page.
ACTIONS = "[@click=app.quit]quit[/] [@click=app.open_url('https://evil.example')]open[/]"
HOSTILE = OSC52 + ESCAPES + ACTIONS
# In a file name: no slash, and the same tricks.
HOSTILE_NAME = "r" + OSC52 + "\u202e[@click=app.quit]q\u2060.toml"
VISIBLE = "cHduZWQ="  # the clipboard payload, cleaned of its escape: shown as text
SIZE = (200, 60)

# What Textual itself writes around the text: cursor moves and colours.
_OWN_SEQUENCES = re.compile(r"\x1b\[\d+;\d+H|\x1b\[[\d;]*m")


def _terminal_output(app) -> tuple[str, list[str]]:
    """What the screen (with the screens under a dialog) sends to a terminal, and the
    click actions its pieces carry."""
    width, height = app.size
    console = Console(
        width=width, height=height, file=io.StringIO(), force_terminal=True,
        color_system="truecolor", legacy_windows=False, safe_box=False,
    )  # fmt: skip
    update = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    actions = [
        str(segment.style.meta["@click"])
        for line in update.strips
        for strip in line
        for segment in strip
        if segment.style is not None and "@click" in segment.style.meta
    ]
    return update.render_segments(console), actions


def assert_screen_safe(app, what: str, visible: str = VISIBLE) -> None:
    raw, actions = _terminal_output(app)
    shown = _OWN_SEQUENCES.sub("", raw)
    assert_terminal_safe(shown, what)
    assert "\x1b" not in shown, what
    planted = [a for a in actions if "quit" in a or "evil" in a]
    assert not planted, f"{what}: live actions from the data: {planted}"
    # The hostile text did reach this screen (cleaned): the test is not vacuous.
    assert visible in shown, f"{what}: {visible!r} not shown"


def _hostile_sections() -> tuple[Section, ...]:
    sections = []
    for section in apps.sections():
        questions = tuple(
            dataclasses.replace(
                q,
                title=f"Q {q.id} " + HOSTILE,
                help="help " + HOSTILE,
                url="https://example.com/" + OSC52,
                choices=tuple(
                    dataclasses.replace(c, title=c.title + " " + HOSTILE) for c in q.choices
                ),
            )
            for q in section.questions
        )
        sections.append(dataclasses.replace(section, title="S " + HOSTILE, questions=questions))
    return tuple(sections)


def _hostile_file(folder: Path) -> Path:
    a = apps.assessment()
    a.name = "Review " + HOSTILE
    a.scope.account_id = "123456789012" + OSC52
    a.scope.profile = "prof" + HOSTILE
    a.scope.regions = ("us-east-1", "eu-west-1" + OSC52 + ACTIONS)
    a.checks = {
        k: dataclasses.replace(
            c, title=c.title + " " + HOSTILE, remediation=c.remediation + HOSTILE
        )
        for k, c in a.checks.items()
    }
    a.findings.append(
        Finding(
            "ec2.sg_admin_ports_ipv4", "eu-west-1" + OSC52 + ACTIONS,
            "arn:aws:ec2:eu-west-1:123456789012:security-group/sg-" + HOSTILE,
            Status.FAIL, "detail " + HOSTILE,
        )
    )  # fmt: skip
    a.answers["t_plan"] = Answer(
        "t_plan", "response", ("t_plan_written",), notes="notes " + HOSTILE,
        evidence=(Evidence.link("https://wiki.example/" + OSC52),), owner="owner " + HOSTILE,
    )  # fmt: skip
    return apps.write(folder / HOSTILE_NAME, a)


class HostileScanner(apps.FakeScanner):
    """Reports progress whose account, service, region and message are hostile."""

    def __call__(self, assessment, options, on_progress, cancel):
        on_progress(Progress("identity", message="account " + HOSTILE))
        on_progress(Progress("task_started", "ec2" + OSC52, "eu-" + ACTIONS, 0, 2))
        on_progress(Progress("message", message="note " + HOSTILE))
        return super().__call__(assessment, options, on_progress, cancel)


@pytest.fixture
def own_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("SRM_TUI_DATA_DIR", str(folder))
    return folder


async def test_every_screen_shows_hostile_text_as_text(tmp_path: Path, own_data_dir: Path):
    path = _hostile_file(tmp_path)
    app = apps.make_app(
        path, own_data_dir, section_list=_hostile_sections(), scanner=HostileScanner(),
        profiles=("default", "prof" + HOSTILE),
    )  # fmt: skip
    async with app.run_test(size=SIZE) as pilot:
        await apps.settle(pilot)
        assert isinstance(app.screen, WorkspaceScreen)
        # The title bar, the sections tree, the question with its help, choices,
        # evidence from the findings, notes, links and owner.
        assert_screen_safe(app, "review")
        for tab in ("2", "3", "4"):
            await pilot.press(tab)
            await apps.settle(pilot)
            await pilot.pause(0.4)  # the report part is drawn after the cursor rests
            await apps.settle(pilot)
            assert_screen_safe(app, f"tab {tab}")
        # A finding filter opened: its options name the hostile region.
        await pilot.press("2")
        await apps.settle(pilot)
        region = app.screen.query_one("#f-region", Select)
        region.focus()
        await pilot.press("enter")
        await apps.settle(pilot)
        assert region.expanded
        assert_screen_safe(app, "region filter, open")
        hostile_region = next(v for _, v in region._options if isinstance(v, str) and "[" in v)
        region.value = hostile_region
        await apps.settle(pilot)
        assert_screen_safe(app, "region filter, chosen")
        # The command palette lists questions and sections by their titles.
        await pilot.press("escape", "ctrl+p")
        await apps.settle(pilot)
        await pilot.press(*"Q t_plan")
        await pilot.pause(0.5)
        await apps.settle(pilot)
        assert_screen_safe(app, "command palette")
        await pilot.press("escape")
        await apps.settle(pilot)
        # An export's notification names the file written.
        workspace = next(s for s in app.screen_stack if isinstance(s, WorkspaceScreen))
        workspace._export(PathChoice(tmp_path / HOSTILE_NAME.replace(".toml", ".md"), "markdown"))
        await apps.settle(pilot)
        assert_screen_safe(app, "export notification")
        # The scope screen (name, file, profile, regions), then the scan screen.
        await pilot.press("ctrl+r")
        await apps.settle(pilot)
        assert isinstance(app.screen, ScopeScreen)
        assert_screen_safe(app, "scope")
        app.screen.query_one("#regions", Input).value = "us-east-1"  # a hostile one is refused
        await pilot.press("ctrl+s")
        await apps.settle(pilot)
        await pilot.pause(0.5)
        assert isinstance(app.screen, ScanScreen)
        assert_screen_safe(app, "scan")
        await pilot.press("ctrl+q")


async def test_the_start_screen_and_dialogs_show_hostile_names_as_text(
    tmp_path: Path, own_data_dir: Path
):
    path = _hostile_file(tmp_path)
    app = apps.make_app(path, own_data_dir, section_list=_hostile_sections())
    async with app.run_test(size=SIZE) as pilot:
        await apps.settle(pilot)
        await pilot.press("ctrl+q")  # now in the recent list, by its hostile name
    broken = tmp_path / ("broken" + HOSTILE_NAME)
    broken.write_text('schema = 2\n[assessment]\nname = "' + "x" * 3 + '"\n[scope\n', "utf-8")
    app = apps.make_app(None, own_data_dir, section_list=_hostile_sections())
    async with app.run_test(size=SIZE) as pilot:
        await apps.settle(pilot)
        assert isinstance(app.screen, StartScreen)
        assert_screen_safe(app, "start screen, recent list")
        app.open_assessment(broken)  # names the file in an error dialog
        await apps.settle(pilot)
        assert isinstance(app.screen, MessageDialog)
        assert_screen_safe(app, "error dialog")


async def test_a_read_only_hostile_file_says_why_as_text(tmp_path: Path, own_data_dir: Path):
    path = _hostile_file(tmp_path)
    path.chmod(0o400)
    before = path.read_bytes()
    app = apps.make_app(path, own_data_dir, section_list=_hostile_sections())
    async with app.run_test(size=SIZE) as pilot:
        await apps.settle(pilot)
        assert isinstance(app.screen, WorkspaceScreen)
        assert app.session is not None and app.session.read_only
        # The banner names the file.
        assert_screen_safe(app, "read-only banner")
        await pilot.press("ctrl+q")
    assert path.read_bytes() == before


def test_the_hostile_strings_really_are_markup_and_escapes() -> None:
    # The test above is only as good as its data: Textual would run these as markup,
    # and a terminal would act on these bytes.
    from textual.content import Content

    content = Content.from_markup(ACTIONS)
    assert "[@click" not in content.plain
    assert "\x1b]52;" in HOSTILE and "\x1b]0;" in HOSTILE
    answer = store.loads(store.dumps(_assessment_with(HOSTILE))).name
    assert answer.endswith(ACTIONS)  # the file keeps what it was given


def _assessment_with(name: str):
    a = apps.assessment()
    a.name = name
    return a
