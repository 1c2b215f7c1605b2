"""One line of progress that rewrites itself on a terminal, shared by the progress
displays of ``scan`` and ``scan --organization`` (a helper: it registers no command)."""

from __future__ import annotations

import shutil
import threading
import time
from typing import TextIO

#: Seconds between two redraws of the line: more would only make the terminal flicker.
REDRAW_EVERY = 0.1


class LiveLine:
    """``show`` redraws the line (at most every REDRAW_EVERY seconds unless ``force``),
    ``say`` prints a line of its own above it, ``close`` ends it. ``lock`` serialises
    callers from several threads."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.live = stream.isatty()
        self.lock = threading.Lock()
        self._last = 0.0
        self._shown = False

    def due(self, force: bool = False) -> bool:
        """Whether a redraw is due now (and, if so, counts it as done)."""
        now = time.monotonic()
        if not force and now - self._last < REDRAW_EVERY:
            return False
        self._last = now
        return True

    def show(self, line: str) -> None:
        width = shutil.get_terminal_size((80, 20)).columns - 1
        self.stream.write("\r" + line[:width].ljust(width))
        self.stream.flush()
        self._shown = True

    def say(self, text: str) -> None:
        self.clear()
        print(text, file=self.stream)

    def clear(self) -> None:
        if self._shown:
            width = shutil.get_terminal_size((80, 20)).columns - 1
            self.stream.write("\r" + " " * width + "\r")
            self._shown = False

    def close(self) -> None:
        """End the live line."""
        with self.lock:
            self.clear()
            self.stream.flush()
