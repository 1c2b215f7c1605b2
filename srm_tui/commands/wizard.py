"""The wizard commands: ``srm-tui [FILE.toml]`` and ``srm-tui demo [FILE.toml]``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from srm_tui.commands.base import command, questionnaire_option, require_terminal

if TYPE_CHECKING:
    from srm_tui.tui.app import SrmApp


def _options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "file", nargs="?", type=Path, metavar="FILE.toml", help="open it (created when missing)"
    )
    questionnaire_option(parser)


@command("wizard", "The review wizard: start screen, or open/create FILE.", _options)
def wizard_command(args: argparse.Namespace) -> int:
    return _run(args, demo=False)


@command("demo", "The wizard on the built-in emulated demo account (no AWS needed).", _options)
def demo_command(args: argparse.Namespace) -> int:
    return _run(args, demo=True)


def _run(args: argparse.Namespace, demo: bool) -> int:
    from srm_tui import store

    if args.file is not None and args.file.exists():
        store.load(args.file)  # a broken file is reported (file:line) and left alone
    require_terminal("The wizard")
    from srm_tui.tui.app import SrmApp
    from srm_tui.workbench import load_sections

    # Problems in questionnaire files are shown inside the wizard, which still opens
    # with every question that loaded ('srm-tui validate' is the strict check).
    sections, problems = load_sections(args.questionnaires or ())

    if not demo:
        app = SrmApp(args.file, sections=sections, catalog_problems=problems)
        app.run()
        return _ended(app)
    from srm_tui.demo.target import demo_in_background

    # The wizard opens at once; the emulated account starts and is seeded in the
    # background (it takes a few seconds) and a scan waits for it.
    # On quitting, the terminal is back at once: the emulated account, in memory only,
    # ends with the program instead of being waited for (it took seconds).
    with demo_in_background(wait=0.5) as target:
        app = SrmApp(args.file, demo=target, sections=sections, catalog_problems=problems)
        app.run()
    return _ended(app)


def _ended(app: SrmApp) -> int:
    """The exit code; after a crash, the one sentence saying where its log is (printed
    whole, never folded, so that the path can be copied)."""
    if app.crash_report:
        print(app.crash_report, file=sys.stderr)
        return 1
    return app.return_code or 0
