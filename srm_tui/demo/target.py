"""The demo account as a scan target that may still be starting.

The wizard opens at once while the emulated account starts and is seeded in a
background thread (a few seconds); a scan waits for it. No user interface here: the
command line, the wizard and any other front end can hold one.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING

from srm_tui.errors import SrmError

if TYPE_CHECKING:
    from srm_tui.demo.server import DemoAccount


class DemoTarget:
    """Where the demo account answers; it may still be starting when the app opens.

    The wizard starts at once while the emulated account is seeded in the background;
    a scan waits for it.
    """

    def __init__(self, endpoint_url: str = "", regions: Sequence[str] = ()) -> None:
        self.endpoint_url = endpoint_url
        self.regions = tuple(regions)
        self.error = ""
        self._ready = threading.Event()
        if endpoint_url:
            self._ready.set()

    def set_ready(self, endpoint_url: str) -> None:
        """The account answers at ``endpoint_url``."""
        self.endpoint_url = endpoint_url
        self._ready.set()

    def set_failed(self, error: str) -> None:
        """The account could not be started."""
        self.error = error
        self._ready.set()

    @property
    def ready(self) -> bool:
        return self._ready.is_set() and not self.error

    def wait_a_moment(self) -> bool:
        """Wait up to a fifth of a second; True once the account is up or failed."""
        return self._ready.wait(0.2)

    def wait(self, timeout: float = 180) -> str:
        """The endpoint, once the account is up; SrmError if it could not start."""
        if not self._ready.wait(timeout):
            raise SrmError("The demo account did not start in time; try 'srm-tui demo' again.")
        if self.error:
            raise SrmError(f"The demo account could not start: {self.error}")
        return self.endpoint_url


Starter = Callable[[], AbstractContextManager["DemoAccount"]]


@contextlib.contextmanager
def demo_in_background(start: Starter | None = None, wait: float = 15) -> Iterator[DemoTarget]:
    """A DemoTarget at once; the emulated account starts and is seeded in a background
    thread, and is stopped when the block ends, waiting at most ``wait`` seconds for it
    to stop (a program about to exit need not wait: the account lives in memory only).
    ``start`` runs the account (default: ``demo_account``, moto's server seeded with
    the demo account)."""
    from srm_tui.demo.server import DEMO_REGIONS, demo_account

    target = DemoTarget("", DEMO_REGIONS)
    stop = threading.Event()
    thread = threading.Thread(
        target=_hold_demo, args=(start or demo_account, target, stop), daemon=True
    )
    thread.start()
    try:
        yield target
    finally:
        stop.set()
        thread.join(timeout=wait)


def _hold_demo(start: Starter, target: DemoTarget, stop: threading.Event) -> None:
    """Run the demo account until ``stop`` is set."""
    try:
        with start() as account:
            target.set_ready(account.endpoint_url)
            stop.wait()
    except Exception as exc:  # shown by the scan screen when a scan needs the account
        target.set_failed(str(exc) or type(exc).__name__)
