"""The dashboard tab: the numbers of the fixture assessment, and each line a way into
the view that shows it in full."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import OptionList, TabbedContent

from srm_tui import milestones, store
from srm_tui.tui.widgets.dashboard import DashboardPane, bar
from srm_tui.tui.widgets.findings import FindingsPane
from srm_tui.tui.widgets.review import ReviewPane
from tests.tui import apps


async def _on_dashboard(pilot) -> None:
    await apps.settle(pilot)
    await pilot.press("0")
    await apps.settle(pilot)


def _lines(pane: DashboardPane, selector: str) -> list[str]:
    listing = pane.query_one(selector, OptionList)
    return [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]


async def test_dashboard_counts_findings_by_severity_and_sections(tmp_path: Path, own_data_dir):
    path = apps.write(tmp_path / "r.toml")
    app = apps.make_app(path, own_data_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        await _on_dashboard(pilot)
        assert app.screen.query_one(TabbedContent).active == "dashboard"
        pane = app.screen.query_one(DashboardPane)
        severity = _lines(pane, "#dash-severity")
        # The fixture: one high failure (and a pass, an error), one medium, one low.
        assert [line.split()[0] for line in severity] == [
            "Critical",
            "High",
            "Medium",
            "Low",
            "Info",
        ]
        assert "1 failing, 1 pass, 1 could not check" in severity[1]
        assert "1 failing, 0 pass" in severity[2] and "0 failing" in severity[0]
        sections = _lines(pane, "#dash-sections")
        assert len(sections) == len(apps.sections())
        assert all("0% answered" in line for line in sections)
        numbers = str(pane.query_one("#dash-numbers").render())
        assert "3  failing findings (1 critical or high)" in numbers


async def test_a_severity_leads_to_its_failing_findings(tmp_path: Path, own_data_dir):
    path = apps.write(tmp_path / "r.toml")
    app = apps.make_app(path, own_data_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        await _on_dashboard(pilot)
        # Critical has no findings: the keyboard starts on High.
        await pilot.press("enter")
        await apps.settle(pilot)
        assert app.screen.query_one(TabbedContent).active == "findings"
        findings = app.screen.query_one(FindingsPane)
        assert [(r.status, r.severity) for r in findings.shown] == [("fail", "high")]
        assert "1 of 6 findings" in str(findings.query_one("#findings-count").render())


async def test_a_section_leads_to_its_questions(tmp_path: Path, own_data_dir):
    path = apps.write(tmp_path / "r.toml")
    app = apps.make_app(path, own_data_dir)
    second = apps.sections()[1]
    async with app.run_test(size=(120, 40)) as pilot:
        await _on_dashboard(pilot)
        app.screen.query_one("#dash-sections", OptionList).focus()
        await pilot.press("down", "enter")
        await apps.settle(pilot)
        assert app.screen.query_one(TabbedContent).active == "review"
        review = app.screen.query_one(ReviewPane)
        assert review.questions[review.current].id == second.questions[0].id


async def test_trend_across_milestones_leads_to_the_report(tmp_path: Path, own_data_dir):
    path = apps.write(tmp_path / "r.toml")
    milestones.create(path, "q1")
    fewer = apps.assessment()
    fewer.findings = fewer.findings[1:]  # the security contact was set since
    store.save(fewer, path)
    app = apps.make_app(path, own_data_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        await _on_dashboard(pilot)
        pane = app.screen.query_one(DashboardPane)
        trend = _lines(pane, "#dash-trend")
        assert trend[0].startswith("q1") and "3 failing" in trend[0]
        assert trend[1].startswith("Now") and "2 failing" in trend[1]
        # The bars share one scale: three failures fill it, two fill two thirds.
        assert trend[0].count("█") == 16 and trend[1].count("█") == 11
        app.screen.query_one("#dash-trend", OptionList).focus()
        await pilot.press("enter")
        await apps.settle(pilot)
        assert app.screen.query_one(TabbedContent).active == "report"


async def test_before_a_scan_the_dashboard_says_so(tmp_path: Path, own_data_dir):
    path = apps.write(tmp_path / "r.toml", apps.assessment(scanned=False))
    app = apps.make_app(path, own_data_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        await _on_dashboard(pilot)
        pane = app.screen.query_one(DashboardPane)
        assert _lines(pane, "#dash-severity") == ["No findings yet: run a scan (ctrl+r)."]
        await pilot.press("enter")  # a disabled line leads nowhere
        await apps.settle(pilot)
        assert app.screen.query_one(TabbedContent).active == "dashboard"
        assert "No milestone yet" in _lines(pane, "#dash-trend")[-1]


def test_bars_keep_a_single_failure_visible():
    text = bar([(1, "█", ""), (999, "░", "")], 1000, width=10)
    assert text.plain.count("█") == 1 and len(text.plain) == 10
    assert bar([], 0, width=4).plain == "····"


async def test_lines_fit_the_terminal_and_use_a_wide_one(tmp_path: Path, own_data_dir):
    # A long section title with its risk counts ran past 80 columns: the counts went
    # to a line of their own, and "answered" to one below its percentage.
    from dataclasses import replace

    first, *rest = apps.sections()
    long = replace(first, title="Incident response, contingency and recovery of workloads")
    path = apps.write(tmp_path / "r.toml")
    app = apps.make_app(path, own_data_dir, section_list=[long, *rest])
    async with app.run_test(size=(80, 24)) as pilot:
        await apps.settle(pilot)
        await pilot.press("space")  # the first question answered: its risk counted
        await _on_dashboard(pilot)
        pane = app.screen.query_one(DashboardPane)
        room = pane.query_one("#dash-sections").scrollable_content_region.width
        line = _lines(pane, "#dash-sections")[0]
        assert len(line) <= room and line.endswith("answered, 1 medium"), (room, line)
        assert line.startswith("Incident response, ")
        numbers = str(pane.query_one("#dash-numbers").render()).splitlines()
        assert any(" answered" in n and "%" in n for n in numbers), numbers
        await pilot.resize_terminal(160, 48)
        await apps.settle(pilot)
        assert _lines(pane, "#dash-sections")[0].startswith(long.title + " ")
