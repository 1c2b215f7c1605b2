"""Commands over one assessment file: answer, report."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from srm_tui import store
from srm_tui.catalog import questionnaires
from srm_tui.commands.base import (
    command,
    format_option,
    output_option,
    questionnaire_option,
    require_terminal,
    write_output,
)
from srm_tui.commands.common import load_catalog, open_source
from srm_tui.errors import InputFileError, UsageError
from srm_tui.model import Question, Reason
from srm_tui.report import formats


def _answer_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, metavar="FILE.toml", help="created when missing")
    parser.add_argument("--section", metavar="ID", help="only the questions of this section")
    parser.add_argument(
        "--all", action="store_true", help="revisit answered questions too (answers preselected)"
    )
    questionnaire_option(parser)
    scripted = parser.add_argument_group(
        "without prompts (for scripts; in an organization review, for one account or OU)"
    )
    scripted.add_argument(
        "--set", metavar="QID=CHOICE[,CHOICE...]", action="append", dest="set_answers",
        help="answer QID with these choices (repeatable)",
    )  # fmt: skip
    scripted.add_argument(
        "--not-applicable", metavar="QID", action="append",
        help="QID does not apply (with --reason)",
    )  # fmt: skip
    scripted.add_argument(
        "--reason", choices=[r.value for r in Reason], help="why a question does not apply"
    )
    scripted.add_argument("--notes", metavar="TEXT", help="notes kept with these answers")
    scripted.add_argument(
        "--clear", metavar="QID", action="append",
        help="drop the answer of QID for --account or --ou (the organization's holds again)",
    )  # fmt: skip
    target = scripted.add_mutually_exclusive_group()
    target.add_argument(
        "--account", metavar="ID", help="answer for this account of the organization only"
    )
    target.add_argument(
        "--ou", metavar="OU-ID", help="answer for the accounts of this OU (and OUs below it)"
    )


@command(
    "answer",
    "Answer the questionnaire as plain prompts; resumes where you stopped.",
    _answer_options,
)
def answer_command(args: argparse.Namespace) -> int:
    from srm_tui import plain

    catalog = load_catalog(args)
    if args.set_answers or args.not_applicable or args.clear:
        return _answer_without_prompts(args, catalog)
    if args.account or args.ou or args.reason or args.notes is not None:
        raise UsageError("--account, --ou, --reason and --notes go with --set, "
                         "--not-applicable or --clear.")  # fmt: skip
    if args.section and catalog.section(args.section) is None:
        known = ", ".join(s.id for s in catalog.sections)
        raise UsageError(f"no section {args.section!r}; the sections are: {known}")
    if args.file.exists():
        store.load(args.file)  # a broken file is reported before any prompt
    require_terminal("'srm-tui answer'")
    return plain.run(args.file, catalog.sections, section_id=args.section, revisit=args.all)


def _answer_without_prompts(args: argparse.Namespace, catalog: questionnaires.Catalog) -> int:
    """``answer FILE --set QID=C1,C2 | --not-applicable QID --reason R | --clear QID``,
    for the organization or (``--account``/``--ou``) one of its accounts or OUs."""
    from srm_tui import review

    target = args.account or args.ou
    if args.clear and not target:
        raise UsageError("--clear drops an answer for one account or OU: add --account or --ou.")
    if args.not_applicable and not args.reason:
        raise UsageError(
            "--not-applicable needs --reason (" + "|".join(r.value for r in Reason) + ")."
        )
    wanted = [_parse_set(text, catalog) for text in args.set_answers or ()]
    skipped = [(_question(qid, catalog), ()) for qid in args.not_applicable or ()]
    clear = [_question(qid, catalog).id for qid in args.clear or ()]
    if target and not args.file.exists():
        raise InputFileError(args.file, "no such file (an answer for one account or OU needs "
                             "an organization review)")  # fmt: skip
    from srm_tui.workbench import Workbench

    with Workbench.open(args.file, catalog.sections) as bench:
        assessment = bench.assessment
        changed: list[str] = []
        for question, choices in wanted:
            if target:
                review.set_override(assessment, question, target, selected=choices,
                                    applicable=True, notes=args.notes)  # fmt: skip
            else:
                review.set_answer(assessment, question, selected=choices, applicable=True,
                                  notes=args.notes)  # fmt: skip
            changed.append(question.id)
        reason = Reason(args.reason) if args.reason else None
        for question, _ in skipped:
            if target:
                review.set_override(assessment, question, target, selected=(),
                                    applicable=False, reason=reason, notes=args.notes)  # fmt: skip
            else:
                review.set_answer(assessment, question, selected=(), applicable=False,
                                  reason=reason, notes=args.notes)  # fmt: skip
            changed.append(question.id)
        for qid in clear:
            if review.clear_override(assessment, qid, target):
                changed.append(qid)
        bench.save()
    where = f" for {target}" if target else ""
    print(f"{len(changed)} answers{where} saved to {args.file}.", file=sys.stderr)
    return 0


def _question(qid: str, catalog: questionnaires.Catalog) -> Question:
    question = catalog.question(qid)
    if question is None:
        raise UsageError(f"no question {qid!r}; 'srm-tui questions' lists them.")
    return question


def _parse_set(text: str, catalog: questionnaires.Catalog) -> tuple[Question, tuple[str, ...]]:
    qid, sep, rest = text.partition("=")
    if not sep:
        raise UsageError(f"--set {text!r}: write QID=CHOICE[,CHOICE...].")
    question = _question(qid.strip(), catalog)
    choices = tuple(c.strip() for c in rest.split(",") if c.strip())
    unknown = [c for c in choices if question.choice(c) is None]
    if unknown or not choices:
        known = ", ".join(c.id for c in question.choices)
        raise UsageError(
            f"--set {question.id}: {'no choice ' + ', '.join(unknown) if unknown else 'no choice given'}; "
            f"its choices are: {known}."
        )
    return question, choices


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
        assessment, _ = open_source(str(args.file), with_accounts=True)
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
