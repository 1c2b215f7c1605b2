"""The helper threads that make HTTP requests under a deadline: reused from one request
to the next, never queued behind a request that hangs, ended when idle."""

from __future__ import annotations

import threading
import time

from srm_tui.aws.session import _Helpers


def test_a_helper_is_reused_for_the_next_request() -> None:
    helpers = _Helpers()
    first = helpers.submit(threading.get_ident).result(timeout=5)
    time.sleep(0.05)  # the helper is back to waiting
    second = helpers.submit(threading.get_ident).result(timeout=5)
    assert first == second


def test_a_hanging_request_does_not_hold_up_the_next() -> None:
    helpers = _Helpers()
    release = threading.Event()
    stuck = helpers.submit(lambda: release.wait(10))
    started = time.monotonic()
    assert helpers.submit(lambda: "answer").result(timeout=5) == "answer"
    assert time.monotonic() - started < 2
    assert not stuck.done()
    release.set()
    assert stuck.result(timeout=5) is True


def test_an_error_reaches_the_caller() -> None:
    def fail() -> None:
        raise ConnectionResetError("closed")

    future = _Helpers().submit(fail)
    assert isinstance(future.exception(timeout=5), ConnectionResetError)


def test_idle_helpers_end() -> None:
    helpers = _Helpers(idle_seconds=0.1)
    before = threading.active_count()
    futures = [helpers.submit(lambda: time.sleep(0.2)) for _ in range(3)]
    for future in futures:
        future.result(timeout=5)
    deadline = time.monotonic() + 5
    while threading.active_count() > before and time.monotonic() < deadline:
        time.sleep(0.05)
    assert threading.active_count() <= before
