"""Fixtures for every check and collector test: fake credentials, never the user's."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def fake_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    """Sessions built by the collectors under test sign with throwaway keys, and no
    profile of the person running the tests is read."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.delenv("AWS_PROFILE", raising=False)
