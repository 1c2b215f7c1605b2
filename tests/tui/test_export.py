"""The wizard's export: formats from the registry, the suffix in step, masking."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.widgets import Checkbox, Input, Select

from srm_tui.report import formats
from srm_tui.report.formats import Format
from srm_tui.report.redaction import MASK
from srm_tui.tui.screens.dialogs import PathDialog
from tests.tui import apps


async def _export_dialog(pilot) -> PathDialog:
    """The workspace settled, then x: the export dialog."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.press("x")
    await pilot.pause()
    dialog = pilot.app.screen
    assert isinstance(dialog, PathDialog)
    return dialog


async def _submit(pilot, dialog: PathDialog) -> None:
    dialog.query_one("#ok").press()
    await pilot.pause()
    await pilot.pause()


async def test_the_export_dialog_offers_the_registry_and_masks_on_request(
    tmp_path: Path, own_data_dir: Path, monkeypatch: pytest.MonkeyPatch
):
    added = Format("brief", ".brief.md", "text/markdown", "Brief", "srm_tui.report.markdown")
    monkeypatch.setattr(formats, "FORMATS", (*formats.FORMATS, added))
    path = apps.write(tmp_path / "review.toml")
    app = apps.make_app(path, own_data_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        dialog = await _export_dialog(pilot)
        select = dialog.query_one("#format", Select)
        offered = [(str(label), value) for label, value in select._options]
        assert offered == [(f.label, f.name) for f in formats.FORMATS]
        path_input = dialog.query_one("#path", Input)
        assert path_input.value.endswith("review-report.md")
        select.value = "brief"
        await pilot.pause()
        assert path_input.value.endswith("review-report.brief.md")
        select.value = "json"
        await pilot.pause()
        assert path_input.value.endswith("review-report.json")
        dialog.query_one("#redact", Checkbox).value = True
        await pilot.pause()
        await _submit(pilot, dialog)
    written = (tmp_path / "review-report.json").read_text("utf-8")
    assert "123456789012" not in written
    assert json.loads(written)["scope"]["account_id"] == MASK


async def test_an_export_without_masking_keeps_the_account(tmp_path: Path, own_data_dir: Path):
    path = apps.write(tmp_path / "review.toml")
    app = apps.make_app(path, own_data_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        dialog = await _export_dialog(pilot)
        dialog.query_one("#path", Input).value = str(tmp_path / "plain")
        await _submit(pilot, dialog)
    written = (tmp_path / "plain.md").read_text("utf-8")  # the format's suffix added
    assert written.startswith("# Shared Responsibility review") and "123456789012" in written
