"""A crash of the wizard, run in a real terminal (a pseudo-terminal): exit 1, one
sentence saying where the crash log is, never a traceback with local variables on the
screen; the log is private (0600 in a 0700 folder) and has the traceback without them."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import stat
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import srm_tui

ROOT = Path(srm_tui.__file__).resolve().parent.parent
SECRET = "hunter2-only-in-a-local-variable"

# The failure is injected into the start screen: a local variable holds what a real
# crash could have in hand (an assessment's contents, say).
DRIVER = f"""
import sys
from srm_tui.tui.screens.start import StartScreen

def broken(self):
    held = "{SECRET}"
    raise RuntimeError("injected failure " + str(len(held)))

StartScreen.on_mount = broken
from srm_tui import cli
sys.exit(cli.main(["wizard"]))
"""
ESCAPES = re.compile(
    r"\x1b(\[[0-9;?<=>$]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[()][A-Z0-9]|[=>78MDEc])"
)


def _run_in_terminal(data: Path) -> tuple[int, str]:
    main, child = pty.openpty()
    fcntl.ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    env = {**os.environ, "SRM_TUI_DATA_DIR": str(data), "TERM": "xterm-256color"}
    env["PYTHONPATH"] = str(ROOT)
    env.pop("TEXTUAL", None)
    process = subprocess.Popen(
        [sys.executable, "-c", DRIVER], stdin=child, stdout=child, stderr=child,
        env=env, cwd=ROOT, close_fds=True,
    )  # fmt: skip
    os.close(child)
    output = b""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        ready, _, _ = select.select([main], [], [], 0.5)
        if ready:
            try:
                chunk = os.read(main, 65536)
            except OSError:  # the child side closed: the program ended
                break
            if not chunk:
                break
            output += chunk
        elif process.poll() is not None:
            break
    os.close(main)
    code = process.wait(10)
    return code, ESCAPES.sub("", output.decode("utf-8", "replace"))


def test_a_crash_is_one_sentence_and_a_private_log(tmp_path: Path) -> None:
    data = tmp_path / "data"
    code, shown = _run_in_terminal(data)
    assert code == 1, shown
    logs = list(data.glob("crash-*.log"))
    assert len(logs) == 1, shown
    log = logs[0]
    sentence = (
        "srm-tui: the wizard stopped on an unexpected error (RuntimeError); your saved "
        f"answers are kept, and the details are in {log}."
    )
    assert sentence in shown, shown  # whole, not folded: the path can be copied
    # Nothing of the traceback, and no local variable, on the screen.
    assert "Traceback" not in shown and "locals" not in shown
    assert SECRET not in shown and "held" not in shown
    # The log: private, in a private folder, the traceback without local variables.
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    text = log.read_text("utf-8")
    assert "Traceback" in text and "RuntimeError: injected failure 32" in text
    assert SECRET not in text
