"""The demo account as a scan target: ready once it answers, failed with its reason,
and stopped when the wizard that held it ends."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pytest

from srm_tui.demo.server import DemoAccount
from srm_tui.demo.target import DemoTarget, demo_in_background
from srm_tui.errors import SrmError


def test_the_target_waits_for_the_account_then_gives_its_endpoint():
    events: list[str] = []

    @contextlib.contextmanager
    def account() -> Iterator[DemoAccount]:
        events.append("started")
        yield DemoAccount("http://127.0.0.1:4999", ("us-east-1",))
        events.append("stopped")

    with demo_in_background(account) as target:
        assert target.regions  # known before the account is up: the scope shows them
        assert target.wait(5) == "http://127.0.0.1:4999"
        assert target.ready and events == ["started"]
    assert events == ["started", "stopped"]


def test_an_account_that_cannot_start_is_a_clear_error():
    @contextlib.contextmanager
    def account() -> Iterator[DemoAccount]:
        raise SrmError("the emulator is not installed")
        yield  # pragma: no cover

    with demo_in_background(account) as target:
        with pytest.raises(SrmError, match="could not start: the emulator is not installed"):
            target.wait(5)
        assert not target.ready


def test_a_target_given_an_endpoint_is_ready_at_once():
    target = DemoTarget("http://127.0.0.1:4999", ("eu-west-1",))
    assert target.ready and target.wait_a_moment()
    assert target.wait(0) == "http://127.0.0.1:4999"


def test_leaving_need_not_wait_for_a_slow_account_to_stop():
    # Quitting the demo wizard gives the terminal back at once; the account, in memory
    # only, ends with the program.
    import time

    @contextlib.contextmanager
    def slow_to_stop() -> Iterator[DemoAccount]:
        yield DemoAccount("http://127.0.0.1:1", ("us-east-1",))
        time.sleep(5)

    started = time.monotonic()
    with demo_in_background(slow_to_stop, wait=0.5) as target:
        target.wait()
    assert time.monotonic() - started < 3
