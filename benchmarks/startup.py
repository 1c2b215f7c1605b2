"""Start-up: how long ``srm-tui --version`` takes, and how long the wizard takes from
process start until its first screen is mounted.

    PYTHONPATH=. python benchmarks/startup.py --runs 10

Each measurement is a fresh Python process (median of ``--runs``), timed from the
parent: from spawning the process until it exits (``--version``) or until it prints
that the first screen is mounted (the wizard, driven headless by Textual's
``App.run_test``, which draws like a terminal of 80x24 would).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from srm_tui import recent

ROOT = Path(__file__).resolve().parent.parent

# Run in the child: open the wizard headless and report once its first screen is up.
_WIZARD = """
import asyncio, sys
from srm_tui.tui.app import SrmApp

async def main():
    app = SrmApp()
    async with app.run_test(size=(80, 24)) as pilot:
        while type(app.screen).__name__ == "Screen" or not app.screen.is_mounted:
            await pilot.pause()
        await pilot.pause()
        print("mounted", type(app.screen).__name__, flush=True)
        sys.stdout.flush()
        import os
        os._exit(0)

asyncio.run(main())
"""


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT)
    env.pop("TEXTUAL", None)
    return env


def time_version() -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "srm_tui", "--version"],
        env=child_env(),
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - started


def time_wizard(home: Path) -> tuple[float, str]:
    env = child_env()
    env["HOME"] = str(home)  # no recent-files list of the user's
    env["XDG_DATA_HOME"] = str(home / "data")
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-c", _WIZARD], env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    seconds = time.perf_counter() - started
    process.wait(timeout=30)
    if not line.startswith("mounted"):
        raise SystemExit(f"the wizard did not report its first screen (exit {process.returncode})")
    return seconds, line.split()[1]


def main() -> None:
    global ROOT
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument(
        "--tree", type=Path, default=ROOT, help="the source tree to time (default: this one)"
    )
    args = parser.parse_args()
    ROOT = args.tree.resolve()
    time_version()  # warm the file cache and the byte-code
    versions = [time_version() for _ in range(args.runs)]
    print(
        f"srm-tui --version: median {statistics.median(versions):.3f} s, "
        f"max {max(versions):.3f} s over {args.runs} runs"
    )
    if not (ROOT / "srm_tui" / "tui" / "app.py").exists():
        print("wizard: not in this tree (srm_tui/tui/app.py missing)")
        return
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        time_wizard(Path(tmp))
        runs = [time_wizard(Path(tmp)) for _ in range(args.runs)]
    seconds = [s for s, _ in runs]
    print(
        f"wizard first screen ({runs[0][1]}): median {statistics.median(seconds):.3f} s, "
        f"max {max(seconds):.3f} s over {args.runs} runs"
    )


if __name__ == "__main__":
    recent.use_temporary_data_dir()  # never the user's recent list
    main()
