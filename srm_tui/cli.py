"""The command line: parses the arguments and runs the registered command.

The commands live in ``srm_tui/commands/`` and register themselves with
``commands/base.py``; they are imported only when a command runs, so that
``srm-tui --version`` starts fast."""

from __future__ import annotations

import argparse
import difflib
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from srm_tui import __version__
from srm_tui.commands.base import COMMANDS
from srm_tui.errors import SrmError
from srm_tui.sanitize import clean

PROG = "srm-tui"
DESCRIPTION = (
    "Review your side of the AWS Shared Responsibility Model: read-only checks of an "
    "AWS account plus a questionnaire for what no API can show, kept in one TOML file."
)

ORDER = (
    "wizard", "demo", "serve", "scan", "accounts", "answer", "report", "diff", "milestone",
    "accept", "accepted", "evidence", "plan", "scope",
    "import", "wa-sync", "checks", "questions", "policy", "validate", "lens",
)  # fmt: skip


class Parser(argparse.ArgumentParser):
    """argparse, its errors cleaned: they quote the words typed ('unrecognized
    arguments: ...'), which may carry terminal escapes."""

    def error(self, message: str) -> NoReturn:
        super().error(clean(message))


class CommandParser(Parser):
    """One command's parser: its options may stand anywhere among its positionals.

    Plain argparse fills an optional positional with nothing when an option stands
    between it and the positional before, then calls it unrecognized:
    'plan FILE --owner N CHECK', 'milestone FILE --debug NAME'. Such words left over are
    parsed again with options and positionals intermixed (only then: that parse loses
    '--' before a file named like an option). A word it does not know is said with
    this command's usage, not the top level's.
    """

    _inside = False

    def parse_known_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> tuple[argparse.Namespace, list[str]]:
        if self._inside:  # the intermixed parse calls this method itself, twice
            return super().parse_known_args(args, namespace)
        words = list(sys.argv[1:] if args is None else args)
        given = vars(namespace) if namespace is not None else {}
        self._inside = True
        try:
            parsed, unknown = super().parse_known_args(words, argparse.Namespace(**given))
            if any(not word.startswith("-") for word in unknown):
                parsed, unknown = self.parse_known_intermixed_args(
                    words, argparse.Namespace(**given)
                )
        finally:
            self._inside = False
        if unknown:
            self.error(f"unrecognized arguments: {' '.join(unknown)}")
        return parsed, unknown


def build_parser() -> argparse.ArgumentParser:
    """The full parser, with one sub-parser per registered command."""
    parser = Parser(
        prog=PROG,
        description=DESCRIPTION,
        epilog="Run 'srm-tui COMMAND --help' for the options of each command. "
        "Without a command, srm-tui opens the wizard (on FILE.toml when given).",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=CommandParser)
    for name in sorted(COMMANDS, key=lambda n: (ORDER.index(n) if n in ORDER else 99, n)):
        summary, configure, _ = COMMANDS[name]
        p = sub.add_parser(name, help=summary, description=summary)
        # SUPPRESS: unless given here, argparse would overwrite 'srm-tui --debug COMMAND'.
        p.add_argument(
            "--debug",
            action="store_true",
            default=argparse.SUPPRESS,
            help="show tracebacks on errors",
        )
        configure(p)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run srm-tui; returns the exit code."""
    try:
        return _run(argv)
    except KeyboardInterrupt:
        # Ctrl-C while the command modules load or the arguments are read.
        print(f"\n{PROG}: interrupted.", file=sys.stderr)
        return 130


def _run(argv: Sequence[str] | None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list == ["--version"]:  # answered before any command module is imported
        print(f"{PROG} {__version__}")
        return 0
    register_all()
    # "srm-tui FILE.toml" and "srm-tui" open the wizard.
    first = next((a for a in args_list if not a.startswith("-")), None)
    wants_help = any(a in ("-h", "--help", "--version") for a in args_list)
    if (first is None or first not in COMMANDS) and "wizard" in COMMANDS and not wants_help:
        if first is not None and (said := _mistyped_command(first)):
            print(f"{PROG}: {clean(said)}", file=sys.stderr)
            return 2
        args_list.insert(0, "wizard")
    parser = build_parser()
    args = parser.parse_args(args_list)
    if args.command is None:
        parser.print_help()
        return 0
    handler = COMMANDS[args.command][2]
    try:
        return handler(args)
    except SrmError as exc:
        if args.debug:
            raise
        # Messages quote file names and file contents: cleaned like all outside text.
        print(f"{PROG}: {clean(str(exc))}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print(f"\n{PROG}: interrupted.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader (e.g. "| head") went away; nothing more to say.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1


def _mistyped_command(word: str) -> str:
    """What to say when ``word`` looks like a mistyped command rather than a file to open
    ('srm-tui acounts' would open the wizard on a new assessment named 'acounts');
    "" for a file name: one with a suffix or a folder, or one that exists."""
    if Path(word).suffix or "/" in word or os.sep in word or Path(word).exists():
        return ""
    if word in ("help", "version"):
        return f"no command {word!r}: 'srm-tui --{word}' says it."
    close = difflib.get_close_matches(word, COMMANDS, n=1, cutoff=0.75)
    if not close:
        return ""
    return (
        f"no command {word!r}; did you mean {close[0]!r}? ('srm-tui --help' lists the "
        "commands; an assessment file's name ends in .toml)"
    )


def register_all() -> None:
    """Import every command module; each registers its commands as it loads.

    Done only when a command runs, so that ``--version`` imports none of them.
    """
    from srm_tui.commands import (  # noqa: F401  (importing registers them)
        assessment,
        catalog,
        exchange,
        organization,
        reports,
        scan,
        serve,
        trust,
        wizard,
    )
