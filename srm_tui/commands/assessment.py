"""Commands over one assessment file: answer, report."""

from __future__ import annotations

import argparse
from pathlib import Path

from srm_tui import store
from srm_tui.commands.base import (
    command,
    format_option,
    output_option,
    questionnaire_option,
    require_terminal,
    write_output,
)
from srm_tui.commands.common import load_catalog, open_source
from srm_tui.errors import UsageError
from srm_tui.report import formats


def _answer_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, metavar="FILE.toml", help="created when missing")
    parser.add_argument("--section", metavar="ID", help="only the questions of this section")
    parser.add_argument(
        "--all", action="store_true", help="revisit answered questions too (answers preselected)"
    )
    questionnaire_option(parser)


@command(
    "answer",
    "Answer the questionnaire as plain prompts; resumes where you stopped.",
    _answer_options,
)
def answer_command(args: argparse.Namespace) -> int:
    from srm_tui import plain

    catalog = load_catalog(args)
    if args.section and catalog.section(args.section) is None:
        known = ", ".join(s.id for s in catalog.sections)
        raise UsageError(f"no section {args.section!r}; the sections are: {known}")
    if args.file.exists():
        store.load(args.file)  # a broken file is reported before any prompt
    require_terminal("'srm-tui answer'")
    return plain.run(args.file, catalog.sections, section_id=args.section, revisit=args.all)


def _report_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "file",
        type=Path,
        metavar="FILE.toml",
        help="an assessment, or FILE.toml@NAME for a milestone",
    )
    output_option(parser)
    format_option(parser, *formats.names())
    parser.add_argument(
        "--plan",
        action="store_true",
        help=f"with --format {_plan_formats()}: the improvement plan instead of the findings",
    )
    parser.add_argument(
        "--redact",
        action="store_true",
        help="mask the account id (also inside ARNs) before anything is written",
    )
    questionnaire_option(parser)


def _plan_formats() -> str:
    return " or ".join(f.name for f in formats.FORMATS if f.offers_plan)


@command("report", "Write the report of an assessment (Markdown by default).", _report_options)
def report_command(args: argparse.Namespace) -> int:
    if args.plan and not formats.get(args.format).offers_plan:
        raise UsageError(f"--plan goes with --format {_plan_formats()}")
    path: Path | None = args.file
    if "@" in str(args.file) and not args.file.exists():
        assessment, _ = open_source(str(args.file))
        path = None  # a milestone has no milestones of its own
    else:
        assessment = store.load(args.file)
    catalog = load_catalog(args)
    text = formats.report(
        assessment,
        catalog.sections,
        args.format,
        path=path,
        plan_only=args.plan,
        redact=args.redact,
    )
    write_output(text, args.output, sources=(args.file,))
    return 0
