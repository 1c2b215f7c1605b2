"""What every command module stands on: the command registry, the options several
commands share, and writing a command's output.

The command modules import this module only (and ``common``); ``cli`` imports the
command modules, so the registry has one direction: ``cli`` -> commands -> here.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from srm_tui.errors import UsageError
from srm_tui.sanitize import clean

Handler = Callable[[argparse.Namespace], int]
Configure = Callable[[argparse.ArgumentParser], None]
#: name -> (one-line summary, adds the command's options, runs it)
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


def format_option(
    parser: argparse.ArgumentParser, *choices: str, from_output: bool = False
) -> None:
    """--format with the given choices, the first being the default; ``from_output``:
    unless given, the one -o's name ends with (``chosen_format`` reads it)."""
    if not from_output:
        parser.add_argument("--format", choices=choices, default=choices[0])
        return
    parser.add_argument(
        "--format",
        choices=choices,
        help=f"default: the one OUT's name ends with (.md, .json...), else {choices[0]}",
    )


def chosen_format(args: argparse.Namespace, choices: Sequence[str]) -> str:
    """--format, else the one of ``choices`` that -o's name ends with (the report
    registry's suffixes: '-o review.html' wrote Markdown into it), else the first."""
    if args.format:
        return str(args.format)
    from srm_tui.report import formats

    output = args.output
    named = formats.for_path(output) if output is not None and str(output) != "-" else None
    return named.name if named is not None and named.name in choices else choices[0]


def output_option(parser: argparse.ArgumentParser) -> None:
    """-o/--output OUT."""
    parser.add_argument(
        "-o",
        "--output",
        type=_output_path,
        metavar="OUT",
        help="write here (default: standard output)",
    )


def _output_path(text: str) -> Path:
    # Path("") is ".": '-o "$UNSET"' was refused as "Cannot write .: it is a folder".
    if not text.strip():
        raise argparse.ArgumentTypeError("give a file name, or - for standard output")
    return Path(text)


# --- output and terminal ---------------------------------------------------------------


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
    print(clean(f"Wrote {written}"), file=sys.stderr)


def require_terminal(what: str) -> None:
    """Exit 2 with a clear sentence when stdin is not a terminal (a wizard started by
    ``srm-tui serve`` runs under Textual's web driver, with a browser as its screen)."""
    if not sys.stdin.isatty() and not under_web_driver():
        raise UsageError(f"{what} needs an interactive terminal on standard input.")


def under_web_driver() -> bool:
    """Whether Textual will draw in a browser (``srm-tui serve`` set its web driver)."""
    return os.environ.get("TEXTUAL_DRIVER", "").endswith("web_driver:WebDriver")
