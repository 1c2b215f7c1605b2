"""The allocator setting a scan makes: glibc's arenas capped where glibc is the C
library, nothing touched elsewhere."""

from __future__ import annotations

import platform
import sys

import pytest

from srm_tui import memory


@pytest.fixture(autouse=True)
def _fresh(monkeypatch):
    monkeypatch.setattr(memory, "_done", [])


@pytest.mark.skipif(
    not sys.platform.startswith("linux") or platform.libc_ver()[0] != "glibc",
    reason="the arena cap is a glibc setting",
)
def test_glibc_arenas_are_capped() -> None:
    assert memory.limit_malloc_arenas() is True
    assert memory.limit_malloc_arenas() is True  # once is enough; asking again is harmless


def test_without_a_c_library_nothing_is_changed(monkeypatch) -> None:
    monkeypatch.setattr(memory.ctypes.util, "find_library", lambda name: None)
    assert memory.limit_malloc_arenas() is False


def test_a_library_without_mallopt_is_left_alone(monkeypatch) -> None:
    class NoMallopt:
        def __init__(self, name: str) -> None:
            pass

    monkeypatch.setattr(memory.ctypes, "CDLL", NoMallopt)
    assert memory.limit_malloc_arenas() is False
