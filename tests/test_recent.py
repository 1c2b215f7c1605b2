"""The list of recent assessments in the user's data folder."""

from __future__ import annotations

import os
from pathlib import Path

from srm_tui import recent
from tests.tui.apps import FIXED_TIME


def _entry(path: Path, name: str = "Review") -> recent.Recent:
    return recent.Recent(str(path), name, "123456789012", FIXED_TIME, 3, 12)


def test_remember_load_and_forget(tmp_path: Path):
    data = tmp_path / "data"
    recent.remember(_entry(tmp_path / "a.toml", "A"), data)
    recent.remember(_entry(tmp_path / "b.toml", "B"), data)
    recent.remember(_entry(tmp_path / "a.toml", "A again"), data)  # moves to the top
    entries = recent.load(data)
    assert [e.name for e in entries] == ["A again", "B"]
    assert entries[0].updated == FIXED_TIME and entries[0].percent == 25
    recent.forget(tmp_path / "b.toml", data)
    assert [e.name for e in recent.load(data)] == ["A again"]


def test_the_list_is_capped(tmp_path: Path):
    for i in range(recent.MAX_ENTRIES + 3):
        recent.remember(_entry(tmp_path / f"{i}.toml", str(i)), tmp_path)
    entries = recent.load(tmp_path)
    assert len(entries) == recent.MAX_ENTRIES and entries[0].name == str(recent.MAX_ENTRIES + 2)


def test_a_broken_or_missing_list_is_empty_and_then_replaced(tmp_path: Path):
    assert recent.load(tmp_path / "none") == []
    (tmp_path / recent.FILE_NAME).write_text("recent = [ broken", "utf-8")
    assert recent.load(tmp_path) == []
    recent.remember(_entry(tmp_path / "a.toml"), tmp_path)
    assert len(recent.load(tmp_path)) == 1


def test_an_unwritable_folder_is_ignored(tmp_path: Path):
    blocker = tmp_path / "file"
    blocker.write_text("", "utf-8")
    recent.remember(_entry(tmp_path / "a.toml"), blocker / "data")  # no exception
    assert recent.load(blocker / "data") == []


def test_data_dir_honours_the_environment(tmp_path: Path, monkeypatch):
    monkeypatch.setenv(recent.ENV, str(tmp_path))
    assert recent.data_dir() == tmp_path


def test_entries_whose_file_is_gone_drop_off_when_shown(tmp_path: Path):
    kept = tmp_path / "kept.toml"
    kept.write_text("", "utf-8")
    for name in ("gone.toml", "kept.toml", "folder-gone/x.toml", "kept.toml/x.toml"):
        recent.remember(_entry(tmp_path / name, name), tmp_path / "data")
    assert [e.name for e in recent.shown(tmp_path / "data")] == ["kept.toml"]
    # Dropped for good, not only hidden.
    assert [e.name for e in recent.load(tmp_path / "data")] == ["kept.toml"]


def test_a_file_that_cannot_be_looked_at_just_now_stays(tmp_path: Path, monkeypatch):
    # (As root a permission is never refused, so the refusal is made up.)
    locked = tmp_path / "locked"
    recent.remember(_entry(locked / "a.toml", "A"), tmp_path / "data")
    real = os.stat

    def denied(path, *args, **kwargs):
        if str(path).startswith(str(locked)):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(recent.os, "stat", denied)
    assert [e.name for e in recent.shown(tmp_path / "data")] == ["A"]


def test_a_huge_name_is_shortened_and_the_other_entries_stay(tmp_path: Path):
    # A file may name itself with megabytes: written whole, the list outgrew what is
    # read back, and every entry of it was lost at the next open.
    recent.remember(_entry(tmp_path / "a.toml", "A"), tmp_path)
    recent.remember(_entry(tmp_path / "huge.toml", "N" * 5_000_000), tmp_path)
    recent.remember(_entry(tmp_path / "b.toml", "B"), tmp_path)
    entries = recent.load(tmp_path)
    assert [e.name[:1] for e in entries] == ["B", "N", "A"]
    assert len(entries[1].name) == recent.MAX_TEXT and entries[1].name.endswith("…")
