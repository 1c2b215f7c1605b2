"""Getting around: a matrix cell to its findings, a finding to its framework ids and
its questions, the palette finding a question by id; and what the screens mean
without colour (NO_COLOR, a monochrome terminal)."""

from __future__ import annotations

import re
from pathlib import Path

from rich.segment import Segment
from textual.widgets import DataTable, OptionList

from srm_tui.model import Risk
from srm_tui.tui.screens.finding import FindingScreen
from srm_tui.tui.screens.workspace import WorkspaceScreen
from srm_tui.tui.widgets.findings import FindingsPane
from srm_tui.tui.widgets.marks import Tick, TickList
from srm_tui.tui.widgets.matrix import CellState, cell_text
from srm_tui.tui.widgets.review import RISK_MARK, ReviewPane
from tests.tui import apps


async def test_a_matrix_cell_opens_its_failing_findings(tmp_path: Path, own_data_dir):
    app = apps.make_app(apps.write(tmp_path / "r.toml"), own_data_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        await apps.settle(pilot)
        await pilot.press("3")
        await apps.settle(pilot)
        table = app.screen.query_one("#matrix-table", DataTable)
        assert table.fixed_columns == 1, "the Layer column stays when scrolled sideways"
        table.cursor_coordinate = (table.get_row_index("network_config"), 1)  # EC2
        await pilot.press("enter")
        await apps.settle(pilot)
        pane = app.screen.query_one(FindingsPane)
        assert app.screen.query_one("#tabs").active == "findings"
        assert [r.check for r in pane.shown] == ["ec2.sg_admin_ports_ipv4"]
        assert pane.shown[0].status == "fail"
        assert "cell Network configuration" in str(pane.query_one("#findings-count").render())
        await pilot.press("c")
        await pilot.pause()
        assert len(pane.shown) == 6


async def test_a_finding_shows_its_framework_ids_and_opens_its_question(
    tmp_path: Path, own_data_dir
):
    app = apps.make_app(apps.write(tmp_path / "r.toml"), own_data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await apps.settle(pilot)
        await pilot.press("2")
        await apps.settle(pilot)
        pane = app.screen.query_one(FindingsPane)
        index = next(i for i, r in enumerate(pane.shown) if r.check == "ec2.sg_admin_ports_ipv4")
        pane.query_one("#findings-table", DataTable).move_cursor(row=index)
        await pilot.press("enter")
        await apps.settle(pilot)
        screen = app.screen
        assert isinstance(screen, FindingScreen)
        text = str(screen.query_one("#finding-full-text").render())
        assert "Frameworks: aws-fsbp EC2.53" in text and "Fix: Remove the rule" in text
        questions = screen.query_one("#finding-questions", OptionList)
        assert str(questions.get_option_at_index(0).prompt).startswith("t_plan:")
        await pilot.press("enter")
        await apps.settle(pilot)
        assert isinstance(app.screen, WorkspaceScreen)
        assert app.screen.query_one("#tabs").active == "review"
        review = app.screen.query_one(ReviewPane)
        assert review.questions[review.current].id == "t_plan"


async def test_the_palette_finds_a_question_by_its_id(tmp_path: Path, own_data_dir):
    app = apps.make_app(apps.write(tmp_path / "r.toml"), own_data_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        await apps.settle(pilot)
        titles = [str(c.title) for c in app.get_system_commands(app.screen)]
        assert any(t.startswith("Question t_tested:") for t in titles)


def test_meaning_does_not_hang_on_colour():
    # High and medium risk differ in shape, not only in colour.
    assert RISK_MARK[Risk.HIGH][0] != RISK_MARK[Risk.MEDIUM][0]
    from srm_tui.model import Responsibility, Severity

    serious = CellState(Responsibility.CUSTOMER, failed=3, worst=Severity.HIGH)
    minor = CellState(Responsibility.CUSTOMER, failed=3, worst=Severity.LOW)
    assert cell_text(serious).plain == "You ✗3!" and cell_text(minor).plain == "You ✗3"


def _text_of(strip) -> str:
    return "".join(s.text for s in strip if isinstance(s, Segment))


async def test_ticked_and_unticked_boxes_differ_without_colour(tmp_path: Path, own_data_dir):
    app = apps.make_app(apps.write(tmp_path / "r.toml"), own_data_dir)
    async with app.run_test(size=(100, 40)) as pilot:
        await apps.settle(pilot)
        app.ask_rescan()
        await apps.settle(pilot)
        box = app.screen.query_one("#all-regions", Tick)
        assert "X" not in box.render().plain
        box.value = True
        await pilot.pause()
        assert "X" in box.render().plain
        frameworks = app.screen.query_one("#frameworks", TickList)
        frameworks.deselect_all()
        frameworks.select(frameworks.get_option_at_index(0).value)
        await pilot.pause()
        first, second = _text_of(frameworks.render_line(0)), _text_of(frameworks.render_line(1))
        assert first[:3] == "▐X▌" and second[:3] == "▐ ▌"


#: The window buttons the SVG export draws around every screenshot, and its default
#: text colour (a near grey).
WINDOW_CHROME = {"#ff5f57", "#febc2e", "#28c840", "#c5c8c6"}


def colours(svg: str) -> set[str]:
    """The non-grey colours in a screenshot, apart from the window's buttons."""
    found = set(re.findall(r"#[0-9a-f]{6}", svg.lower())) - WINDOW_CHROME
    return {c for c in found if not (c[1:3] == c[3:5] == c[5:7])}


async def screenshot(tmp_path: Path, own_data_dir: Path) -> tuple[bool, str]:
    app = apps.make_app(apps.write(tmp_path / "r.toml"), own_data_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        await apps.settle(pilot)
        await pilot.press("2")  # findings: red FAIL, green pass
        await apps.settle(pilot)
        return app.no_color, app.export_screenshot()


async def test_no_color_is_respected(tmp_path: Path, own_data_dir, monkeypatch):
    no_color, svg = await screenshot(tmp_path, own_data_dir)
    assert not no_color and colours(svg), "in colour, the findings are coloured"
    monkeypatch.setenv("NO_COLOR", "1")
    no_color, svg = await screenshot(tmp_path, own_data_dir)
    assert no_color and colours(svg) == set(), "with NO_COLOR, greys only"


async def test_the_section_list_widens_when_the_terminal_does(tmp_path: Path, own_data_dir):
    app = apps.make_app(apps.write(tmp_path / "r.toml"), own_data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await apps.settle(pilot)
        tree = app.screen.query_one("#sections")
        narrow = tree.size.width
        await pilot.resize_terminal(160, 48)
        await pilot.pause(0.3)
        await apps.settle(pilot)
        assert tree.size.width > narrow
        await pilot.resize_terminal(80, 24)
        await pilot.pause(0.3)
        await apps.settle(pilot)
        assert tree.size.width == narrow


def _footer_keys_in_view(app) -> list[str]:
    """The footer's keys shown whole, left of the palette key at its right end."""
    from textual.widgets import Footer

    footer = app.screen.query_one(Footer)
    keys = list(footer.query("FooterKey"))
    palette = next(k for k in keys if k.has_class("-command-palette"))
    return [k.key for k in keys if k is not palette and k.region.right <= palette.region.x]


async def test_help_and_quit_stay_in_the_footer(tmp_path: Path, own_data_dir):
    # The tab keys filled the footer ("1 Review  2 Findings..."), though each tab's
    # label says its key: Export, Milestones, Quit and Help fell off its right end.
    app = apps.make_app(apps.write(tmp_path / "r.toml"), own_data_dir)
    async with app.run_test(size=(160, 48)) as pilot:
        await apps.settle(pilot)
        for tab in ("1", "2", "0"):
            await pilot.press(tab)
            await apps.settle(pilot)
            shown = _footer_keys_in_view(app)
            assert {"x", "m", "ctrl+q", "f1"} <= set(shown), (tab, shown)
        await pilot.resize_terminal(80, 24)
        await apps.settle(pilot)
        assert {"ctrl+r", "x", "m", "ctrl+q", "f1"} <= set(_footer_keys_in_view(app))


async def test_help_covers_every_tab_and_only_their_own_keys(tmp_path: Path, own_data_dir):
    from textual.widgets import Markdown

    app = apps.make_app(apps.write(tmp_path / "r.toml"), own_data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await apps.settle(pilot)
        await pilot.press("f1")
        await apps.settle(pilot)
        text = app.screen.query_one("#help-text", Markdown).source
    assert "## Organization tab" in text and "| `s` | Scan organization |" in text
    assert "every account of an AWS Organization" in text
    # The dashboard scrolls, but Textual's scrolling keys are not its keys to list.
    assert "Scroll Up" not in text and "Page Left" not in text


async def test_the_findings_columns_follow_a_resize(tmp_path: Path, own_data_dir):
    # Opened on 80 columns and widened to 160, the check titles stayed cut at 24.
    app = apps.make_app(apps.write(tmp_path / "r.toml"), own_data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await apps.settle(pilot)
        await pilot.press("2")
        await apps.settle(pilot)
        table = app.screen.query_one("#findings-table", DataTable)
        assert table.columns["check"].width == 24
        table.move_cursor(row=2)
        await pilot.resize_terminal(160, 48)
        await apps.settle(pilot)
        assert table.columns["check"].width == 44
        assert table.row_count == len(apps.findings()) and table.cursor_row == 2
        await pilot.resize_terminal(80, 24)
        await apps.settle(pilot)
        assert table.columns["check"].width == 24


async def test_question_mark_opens_help_but_is_typed_in_a_text_box(tmp_path: Path, own_data_dir):
    # Some terminals keep F1 for their own help window: then help was out of reach.
    from textual.widgets import TextArea

    from srm_tui.tui.screens.help import HelpScreen

    app = apps.make_app(apps.write(tmp_path / "r.toml"), own_data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await apps.settle(pilot)
        await pilot.press("question_mark")
        await apps.settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("question_mark")  # and closes it again
        await apps.settle(pilot)
        assert isinstance(app.screen, WorkspaceScreen)
        notes = app.screen.query_one("#q-notes", TextArea)
        notes.focus()
        await pilot.press("W", "h", "y", "question_mark")
        await apps.settle(pilot)
        assert isinstance(app.screen, WorkspaceScreen) and notes.text == "Why?"


async def test_help_says_how_to_close_it(tmp_path: Path, own_data_dir):
    # The footer under the help is the previous screen's: nothing said how to leave.
    app = apps.make_app(apps.write(tmp_path / "r.toml"), own_data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await apps.settle(pilot)
        await pilot.press("f1")
        await apps.settle(pilot)
        assert "Escape closes" in str(app.screen.query_one("#help-box").border_subtitle)
        await pilot.press("escape")
        await apps.settle(pilot)
        assert isinstance(app.screen, WorkspaceScreen)


async def test_f1_opens_the_help_from_a_dialog_and_back(tmp_path: Path, own_data_dir):
    # The help lists F1 among the keys that work everywhere; in a dialog it did nothing.
    from textual.widgets import Input

    from srm_tui.tui.screens.help import HelpScreen
    from srm_tui.tui.screens.trust import AcceptDialog

    path = apps.write(tmp_path / "r.toml")
    async with apps.opened(path, own_data_dir, (80, 24), "2") as (app, pilot):
        await pilot.press("a")
        await apps.until(pilot, lambda: isinstance(app.screen, AcceptDialog))
        dialog = app.screen
        await pilot.press(*"known")
        await pilot.press("f1")
        await apps.settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("f1")  # the help's own F1 closes it
        await apps.settle(pilot)
        assert app.screen is dialog
        assert dialog.query_one("#accept-reason", Input).value == "known"


async def test_tab_on_the_scope_screen_only_lands_on_what_can_be_seen(tmp_path: Path, own_data_dir):
    # After "Scan now" and "Skip", Tab stopped on the scrolling form itself: nothing
    # showed the focus and typing did nothing, before the Name field came.
    from srm_tui.tui.screens.scope import ScopeScreen

    app = apps.make_app(tmp_path / "new.toml", own_data_dir)
    async with app.run_test(size=(80, 30)) as pilot:
        await apps.settle(pilot)
        assert isinstance(app.screen, ScopeScreen)
        visited = [app.focused.id if app.focused else None]
        for _ in range(3):
            await pilot.press("tab")
            await pilot.pause()
            visited.append(app.focused.id if app.focused else None)
        assert visited == ["scan", "skip", "name", "profile"]
