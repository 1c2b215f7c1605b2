"""The wizard on an 80x24 terminal loses nothing: every key of the footer is drawn
whole, a dialog's footer says the dialog's own keys, and a dialog opens at its top."""

from __future__ import annotations

import html
import re
from dataclasses import replace
from pathlib import Path

import pytest
from textual.widget import Widget
from textual.widgets import Input

from srm_tui.tui.widgets.footer import KeyFooter
from tests.tui import apps
from tests.tui.test_organization import _org_review


def _footer_keys(app) -> list[Widget]:
    return list(app.screen.query_one(KeyFooter).query("FooterKey"))


def _keys_not_whole(app) -> list[str]:
    """The footer's keys drawn past the screen's edge or under another key."""
    width, height = app.size
    keys = _footer_keys(app)
    cut = []
    for key in keys:
        r = key.region
        outside = r.x < 0 or r.y < 0 or r.right > width or r.bottom > height
        covered = any(other is not key and r.overlaps(other.region) for other in keys)
        if outside or covered or r.width == 0:
            cut.append(key.key)
    return cut


def _shown_actions(app) -> set[str]:
    """The actions of the active screen's bindings that ask to be shown in the footer
    (the footer shows one key of an action bound to several)."""
    return {b.binding.action for b in app.screen.active_bindings.values() if b.binding.show}


async def test_every_footer_key_is_whole_at_80_columns(tmp_path: Path, own_data_dir):
    # Review, Findings and Organization have keys of their own: on one line of 80
    # columns Help, Quit or Milestones fell off the right edge, never to be learnt.
    app = apps.make_app(_org_review(tmp_path / "org.toml"), own_data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await apps.settle(pilot)
        for tab in ("1", "2", "5", "0", "3", "4"):
            await pilot.press(tab)
            await apps.settle(pilot)
            keys = _footer_keys(app)
            assert _shown_actions(app) <= {k.action for k in keys}, tab
            assert {"ctrl+q", "f1", "x", "m"} <= {k.key for k in keys}, tab
            assert _keys_not_whole(app) == [], tab


async def test_the_footer_stays_one_line_when_the_keys_fit(tmp_path: Path, own_data_dir):
    app = apps.make_app(_org_review(tmp_path / "org.toml"), own_data_dir)
    async with app.run_test(size=(160, 48)) as pilot:
        await apps.settle(pilot)
        for tab in ("1", "2", "5"):
            await pilot.press(tab)
            await apps.settle(pilot)
            assert app.screen.query_one(KeyFooter).region.height == 1, tab
            assert _keys_not_whole(app) == [], tab
        await pilot.resize_terminal(80, 24)
        await apps.settle(pilot)
        assert app.screen.query_one(KeyFooter).region.height == 2
        assert _keys_not_whole(app) == []


def _screen_text(app) -> str:
    """Every character on the terminal, as drawn (dialogs over what they cover)."""
    svg = app.export_screenshot()
    text = html.unescape("".join(re.findall(r"<text[^>]*>([^<]*)</text>", svg)))
    return text.replace("\xa0", " ")


def test_every_dialog_has_a_footer_of_its_own():
    # A dialog without one showed the footer of the screen below, whose keys do not
    # work in the dialog: each modal screen of the wizard is a Dialog.
    import importlib
    import pkgutil

    from textual.screen import ModalScreen

    import srm_tui.tui.screens as screens
    from srm_tui.tui.screens.modal import Dialog

    for module in pkgutil.iter_modules(screens.__path__):
        importlib.import_module(f"{screens.__name__}.{module.name}")

    def subclasses(cls: type) -> list[type]:
        return [c for s in cls.__subclasses__() for c in (s, *subclasses(s))]

    ours = [c for c in subclasses(ModalScreen) if c.__module__.startswith("srm_tui.")]
    assert len(ours) >= 9
    assert [c.__name__ for c in ours if not issubclass(c, Dialog)] == []


async def _open_accept(pilot) -> None:
    await pilot.press("2")
    await apps.settle(pilot)
    pilot.app.screen.query_one("#findings-table").focus()
    await pilot.press("a")


async def _open_finding(pilot) -> None:
    await pilot.press("2")
    await apps.settle(pilot)
    pilot.app.screen.query_one("#findings-table").focus()
    await pilot.press("enter")


async def _open_export(pilot) -> None:
    await pilot.press("x")


async def _open_help(pilot) -> None:
    await pilot.press("f1")


async def _open_override(pilot) -> None:
    await pilot.press("o")


async def _open_error(pilot) -> None:
    pilot.app.show_error("The file could not be read.")


@pytest.mark.parametrize(
    ("opener", "dialog", "organization"),
    [
        (_open_accept, "AcceptDialog", False),
        (_open_finding, "FindingScreen", False),
        (_open_export, "PathDialog", False),
        (_open_help, "HelpScreen", False),
        (_open_override, "OverrideDialog", True),
        (_open_error, "MessageDialog", True),
    ],
)
async def test_a_dialog_shows_its_own_keys_not_the_screens_below(
    tmp_path: Path, own_data_dir, opener, dialog, organization
):
    path = tmp_path / "r.toml"
    path = _org_review(path) if organization else apps.write(path)
    app = apps.make_app(path, own_data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await apps.settle(pilot)
        below = app.screen
        await opener(pilot)
        await apps.settle(pilot)
        below_keys = [k for k in below.query_one(KeyFooter).query("FooterKey")]
        assert type(app.screen).__name__ == dialog
        assert "escape" in {k.key for k in _footer_keys(app)}
        assert _keys_not_whole(app) == []
        text = _screen_text(app)
        # Descriptions said only by the footer below ("Export" is also a dialog's title).
        for key in below_keys:
            if key.description in ("Milestones", "Rescan", "Next unanswered", "Clear filters"):
                assert key.description not in text, (dialog, key.description)
        await pilot.press("escape")
        await apps.settle(pilot)
        assert app.screen is below
        assert "Milestones" in _screen_text(app), "the footer is back once the dialog is closed"


async def test_the_start_screens_keys_are_not_shown_under_its_dialog(tmp_path: Path, own_data_dir):
    app = apps.make_app(None, own_data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await apps.settle(pilot)
        assert "Forget recent" in _screen_text(app)
        await pilot.press("n")
        await apps.settle(pilot)
        text = _screen_text(app)
        assert "Forget recent" not in text and "Open file" not in text
        assert "Cancel" in {k.description for k in _footer_keys(app)}


@pytest.mark.parametrize(
    ("opener", "fields", "focused"),
    [
        (_open_accept, ("#dialog-title", "#accept-resource", "#accept-reason"), "#accept-reason"),
        (_open_export, ("#dialog-title", "#dialog-hint", "#path"), "#path"),
    ],
)
@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
async def test_a_dialog_opens_at_its_top(
    tmp_path: Path, own_data_dir, opener, fields, focused, size
):
    # At 80x24 the accept-risk dialog opened scrolled down: its title, what it does and
    # the resources field above the view, the reason field centred (Export: its title).
    app = apps.make_app(apps.write(tmp_path / "r.toml"), own_data_dir)
    async with app.run_test(size=size) as pilot:
        await apps.settle(pilot)
        await opener(pilot)
        await apps.settle(pilot)
        dialog = app.screen
        assert dialog.query_one("#dialog-box").scroll_y == 0
        for field in fields:
            assert dialog.can_view_entire(dialog.query_one(field)), field
        assert dialog.focused is dialog.query_one(focused)


async def test_the_accept_dialog_fits_80x24_whole_and_starts_a_long_arn(
    tmp_path: Path, own_data_dir
):
    # A security group's ARN as AWS writes it (a 17-digit id): wider than the field.
    a = apps.assessment()
    long_arn = "arn:aws:ec2:eu-west-1:123456789012:security-group/sg-0123456789abcdef0"
    a.findings = [replace(f, resource=long_arn) if "sg-0001" in f.resource else f
                  for f in a.findings]  # fmt: skip
    app = apps.make_app(apps.write(tmp_path / "r.toml", a), own_data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await apps.settle(pilot)
        await _open_accept(pilot)
        await apps.settle(pilot)
        dialog = app.screen
        assert dialog.query_one("#accept-resource", Input).value == long_arn
        # A long ARN is shown from its start (service, region, account).
        field = dialog.query_one("#accept-resource", Input)
        assert len(field.value) > field.content_size.width, "the ARN is wider than its field"
        shown = "".join(s.text for s in field.render_line(field.content_region.height // 2))
        assert field.value[:20] in shown, shown
        # Fields and buttons without borders: every field and both buttons in view at
        # once, nothing to scroll to (it was taller than 24 lines, Accept below).
        assert all(i.compact for i in dialog.query(Input)) and dialog.query_one("#ok").compact
        for widget in (*dialog.query(Input), dialog.query_one("#ok"), dialog.query_one("#cancel")):
            assert dialog.can_view_entire(widget), widget
        assert dialog.query_one("#dialog-box").max_scroll_y == 0
        for _ in range(5):  # owner, expires, approved by, problem line, Accept
            await pilot.press("tab")
            await apps.settle(pilot)
            if dialog.focused is dialog.query_one("#ok"):
                break
        assert dialog.focused is dialog.query_one("#ok")
        # Given the room, the dialog draws its fields with borders again.
        await pilot.resize_terminal(160, 48)
        await apps.settle(pilot)
        assert not any(i.compact for i in dialog.query(Input))
        assert dialog.query_one("#accept-reason").outer_size.height == 3
