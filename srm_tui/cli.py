"""The command line. Imports are lazy so that ``srm-tui --version`` starts fast."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from srm_tui import __version__
from srm_tui.errors import SrmError, UsageError

PROG = "srm-tui"
DESCRIPTION = (
    "Review your side of the AWS Shared Responsibility Model: read-only checks of an "
    "AWS account plus a questionnaire for what no API can show, kept in one TOML file."
)

Handler = Callable[[argparse.Namespace], int]
Configure = Callable[[argparse.ArgumentParser], None]
ORDER = (
    "wizard", "demo", "scan", "answer", "report", "diff", "milestone",
    "checks", "questions", "policy", "validate", "lens",
)  # fmt: skip
COMMANDS: dict[str, tuple[str, Configure, Handler]] = {}


def command(name: str, summary: str, configure: Configure) -> Callable[[Handler], Handler]:
    """Register a command: its one-line summary, its options and its handler."""

    def register(handler: Handler) -> Handler:
        COMMANDS[name] = (summary, configure, handler)
        return handler

    return register


# --- shared options ------------------------------------------------------------------


def aws_options(parser: argparse.ArgumentParser) -> None:
    """--profile, --region, --all-regions, --endpoint-url, --demo."""
    group = parser.add_argument_group("AWS")
    group.add_argument("--profile", help="AWS profile from your config files")
    group.add_argument(
        "--region",
        action="append",
        dest="regions",
        metavar="REGION",
        help="region to review (repeat for several; default: the profile's region)",
    )
    group.add_argument(
        "--all-regions", action="store_true", help="every region enabled in the account"
    )
    group.add_argument(
        "--endpoint-url",
        help="an AWS-compatible endpoint (AWS_ENDPOINT_URL is honoured too)",
    )
    group.add_argument(
        "--demo",
        action="store_true",
        help="use the built-in emulated demo account instead of AWS",
    )


def questionnaire_option(parser: argparse.ArgumentParser) -> None:
    """--questionnaires DIR (repeatable)."""
    parser.add_argument(
        "--questionnaires",
        action="append",
        type=Path,
        metavar="DIR",
        help="a folder of your own questionnaire sections, added to the shipped ones",
    )


def format_option(parser: argparse.ArgumentParser, *choices: str) -> None:
    """--format with the given choices, the first being the default."""
    parser.add_argument("--format", choices=choices, default=choices[0])


def output_option(parser: argparse.ArgumentParser) -> None:
    """-o/--output OUT."""
    parser.add_argument(
        "-o", "--output", type=Path, metavar="OUT", help="write here (default: standard output)"
    )


def build_parser() -> argparse.ArgumentParser:
    """The full parser, with one sub-parser per registered command."""
    parser = argparse.ArgumentParser(
        prog=PROG,
        description=DESCRIPTION,
        epilog="Run 'srm-tui COMMAND --help' for the options of each command. "
        "Without a command, srm-tui opens the wizard (on FILE.toml when given).",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in sorted(COMMANDS, key=lambda n: (ORDER.index(n) if n in ORDER else 99, n)):
        summary, configure, _ = COMMANDS[name]
        p = sub.add_parser(name, help=summary, description=summary)
        p.add_argument("--debug", action="store_true", help="show tracebacks on errors")
        configure(p)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run srm-tui; returns the exit code."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list == ["--version"]:  # answered before any command module is imported
        print(f"{PROG} {__version__}")
        return 0
    _register_all()
    # "srm-tui FILE.toml" and "srm-tui" open the wizard.
    first = next((a for a in args_list if not a.startswith("-")), None)
    wants_help = any(a in ("-h", "--help", "--version") for a in args_list)
    if (first is None or first not in COMMANDS) and "wizard" in COMMANDS and not wants_help:
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
        print(f"{PROG}: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print(f"\n{PROG}: interrupted.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader (e.g. "| head") went away; nothing more to say.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1


def _register_all() -> None:
    if COMMANDS:
        return
    from srm_tui import commands  # noqa: F401  (registers the handlers)


def write_output(text: str, output: Path | None, sources: Sequence[Path | str] = ()) -> None:
    """Write to stdout when no file (or ``-``) is named, else through the one file writer:
    straight into a pipe or a device, otherwise atomically and owner-only (reports
    describe weaknesses), never over ``sources`` or any srm-tui assessment."""
    if output is None or str(output) == "-":
        sys.stdout.write(text)
        if not text.endswith("\n"):
            sys.stdout.write("\n")
        return
    from srm_tui.files import write_output as write_file

    written = write_file(output, text.encode("utf-8"), sources=sources)
    print(f"Wrote {written}", file=sys.stderr)


def require_terminal(what: str) -> None:
    """Exit 2 with a clear sentence when stdin is not a terminal."""
    if not sys.stdin.isatty():
        raise UsageError(f"{what} needs an interactive terminal on standard input.")
