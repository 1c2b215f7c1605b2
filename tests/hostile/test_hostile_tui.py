"""The wizard's findings tab over hostile AWS data: names are shown as text, never as
markup (a stray ``[/]`` would break the table, ``[link=...]`` would add a link)."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable

from srm_tui import store
from srm_tui.model import Finding, Status
from srm_tui.tui.widgets.findings import FindingsPane
from tests.tui import apps

# A security group's name may hold brackets; here it reaches the resource and detail.
MARKUP_NAME = "arn:aws:ec2:us-east-1:123456789012:security-group/[/]sg[b]bold[/b]"
MARKUP_DETAIL = "[link=https://evil.example]click[/link] [/] [reverse]x"


async def test_findings_tab_shows_hostile_names_as_text(hostile, tmp_path: Path, monkeypatch):
    monkeypatch.setenv("SRM_TUI_DATA_DIR", str(tmp_path / "data"))
    assessment = store.load(hostile[0])
    assessment.findings.append(
        Finding("ec2.sg_admin_ports_ipv4", "us-east-1", MARKUP_NAME, Status.FAIL, MARKUP_DETAIL)
    )
    path = tmp_path / "hostile.toml"
    store.save(assessment, path)
    app = apps.make_app(path, tmp_path / "data")
    async with app.run_test(size=(160, 50)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("2")
        await app.workers.wait_for_complete()
        await pilot.pause()
        pane = app.screen.query_one(FindingsPane)
        table = pane.query_one(DataTable)
        assert table.row_count == len(assessment.findings)
        await pilot.press("/")
        await pilot.press(*"sg[b]bold")
        await pilot.pause()
        assert table.row_count == 1
        # Every cell of the row renders to the literal text.
        rendered = [str(cell) for cell in table.get_row_at(0)]
        assert MARKUP_NAME in rendered
        detail = str(pane.query_one("#finding-detail").render())
        assert MARKUP_DETAIL in detail and MARKUP_NAME in detail
        await pilot.press("enter")
        await pilot.pause()
        screen = app.export_screenshot()
        assert "sg[b]bold[/b]" in screen.replace("&#160;", " ")
