"""The findings, responsibility and report tabs over a fixture assessment."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable

from srm_tui.catalog import responsibility
from srm_tui.matrix_state import cell_states, layer_of
from srm_tui.model import Responsibility, Severity
from srm_tui.tui.widgets.findings import FindingsPane
from srm_tui.tui.widgets.report import formats
from tests.tui import apps


async def test_findings_filters_search_and_detail(tmp_path: Path, own_data_dir):
    path = apps.write(tmp_path / "r.toml")
    async with apps.opened(path, own_data_dir, (120, 40), "2") as (app, pilot):
        pane = app.screen.query_one(FindingsPane)
        table = pane.query_one(DataTable)
        assert table.row_count == 6
        detail = str(pane.query_one("#finding-detail").render())
        assert "sg-0001" in detail and "Why: port 22 open" in detail and "Fix: Remove" in detail
        pane.query_one("#f-status").value = "pass"
        await pilot.pause()
        assert table.row_count == 2
        assert "2 of 6 findings" in str(pane.query_one("#findings-count").render())
        await pilot.press("/")
        await pilot.press(*"site")
        await pilot.pause()
        assert table.row_count == 1
        await pilot.press("enter")  # back to the table
        await pilot.press("c")  # clear every filter
        await pilot.pause()
        assert table.row_count == 6
        await pilot.press("down")
        await pilot.pause()
        assert "Resource: 123456789012  (global)" in str(pane.query_one("#finding-detail").render())


async def test_responsibility_tab_colours_your_part(tmp_path: Path, own_data_dir):
    path = apps.write(tmp_path / "r.toml")
    async with apps.opened(path, own_data_dir, (120, 40), "3") as (app, _pilot):
        table = app.screen.query_one("#matrix-table", DataTable)
        columns = [str(c.label) for c in table.columns.values()]
        assert columns == ["Layer", "EC2", "S3"]  # the models the scan found in use
        network = [str(c) for c in table.get_row("network_config")]
        assert network[1].startswith("You ✗1")
        assert str(table.get_row("physical")[1]) == "AWS"


def test_cell_states_count_failures_on_the_customer_part():
    matrix = responsibility.load().in_use(("ec2", "s3"))
    states = cell_states(matrix, apps.assessment())
    ec2_network = states[("network_config", "ec2")]
    assert ec2_network.failed == 1 and ec2_network.worst is Severity.HIGH
    assert ec2_network.owner is Responsibility.CUSTOMER
    assert states[("physical", "ec2")].failed == 0  # AWS's part is never coloured
    assert layer_of("s3.bucket_versioning", "s3") == "backups"
    assert layer_of("kms.key_rotation", "kms") == "encryption"


def test_export_formats_offer_markdown_first():
    found = formats()
    assert found[0] == "markdown" and {"html", "json"} <= set(found)


def test_the_report_is_shown_part_by_part():
    from srm_tui.tui.widgets.report import split_report

    text = "# Title\n\n## Summary\n\nall good\n\n### Detail\n\n#### Deeper\n\nx\n\n## Plan\n\ny\n"
    parts = split_report(text)
    assert [(level, title) for level, title, _ in parts] == [
        (1, "Title"), (2, "Summary"), (3, "Detail"), (2, "Plan"),
    ]  # fmt: skip
    assert parts[2][2] == "### Detail\n\n#### Deeper\n\nx\n\n"  # deeper headings stay inside
    assert "".join(chunk for _, _, chunk in parts) == text  # nothing is lost


def test_a_heading_alone_shows_its_sub_parts_up_to_the_next_of_its_level():
    from srm_tui.tui.widgets.report import part_text, split_report

    text = "## Overview\n\n### Chart\n\npie\n\n### Table\n\nrows\n\n## Plan\n\ny\n"
    parts = split_report(text)
    assert part_text(parts, 0) == "## Overview\n\n### Chart\n\npie\n\n### Table\n\nrows\n\n"
    assert part_text(parts, 1) == "### Chart\n\npie\n\n"  # a part with text of its own
    assert part_text(parts, 0, limit=30) == "## Overview\n\n### Chart\n\npie\n\n"


async def test_report_tab_lists_the_parts_and_shows_one(tmp_path: Path, own_data_dir):
    path = apps.write(tmp_path / "r.toml")
    async with apps.opened(path, own_data_dir, (120, 40), "4") as (app, _pilot):
        from srm_tui.tui.widgets.report import ReportPane

        pane = app.screen.query_one(ReportPane)
        titles = [title for _, title, _ in pane.parts]
        assert "Answers" in titles and "Incident response" in titles
        toc = pane.query_one("#report-toc")
        assert app.focused is toc
        assert pane.parts[toc.highlighted][0] == 2  # the first part shown is a section


async def test_the_report_preview_shows_chart_tables_not_mermaid_source(
    tmp_path: Path, own_data_dir
):
    # The charts' Mermaid blocks were shown as raw code ("pie showData title ...")
    # above the tables that say the same.
    path = apps.write(tmp_path / "r.toml")
    async with apps.opened(path, own_data_dir, (120, 40), "4") as (app, pilot):
        from textual.widgets import MarkdownViewer

        from srm_tui.tui.widgets.report import ReportPane

        pane = app.screen.query_one(ReportPane)
        overview = next(i for i, (_, title, _) in enumerate(pane.parts) if title == "Overview")
        assert "```mermaid" in "".join(text for _, _, text in pane.parts)  # in the report
        pane.query_one("#report-toc").highlighted = overview
        await pilot.pause(0.5)
        await apps.settle(pilot)
        shown = pane.query_one("#report-view", MarkdownViewer).document.source
        assert "Findings by status" in shown and "| Failed |" in shown.replace("  ", " ")
        assert "```mermaid" not in shown and "pie showData" not in shown
