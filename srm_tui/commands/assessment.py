"""Commands over one assessment file: answer (prompts, or answers given on the command
line), report."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from srm_tui import store
from srm_tui.catalog.questionnaires import Catalog
from srm_tui.commands.base import (
    chosen_format,
    command,
    format_option,
    output_option,
    questionnaire_option,
    require_terminal,
    write_output,
)
from srm_tui.commands.common import load_catalog, open_source, warn_out_of_policy
from srm_tui.errors import UsageError
from srm_tui.model import Assessment, Question, Reason, today
from srm_tui.report import formats
from srm_tui.report.text import plural
from srm_tui.sanitize import clean
from srm_tui.workbench import Workbench


def _answer_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, metavar="FILE.toml", help="created when missing")
    parser.add_argument("--section", metavar="ID", help="only the questions of this section")
    parser.add_argument(
        "--all", action="store_true", help="revisit answered questions too (answers preselected)"
    )
    given = parser.add_argument_group(
        "without prompts", "answer from the command line (for scripts); nothing is asked"
    )
    given.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="QID=CHOICE[,CHOICE...]",
        help="answer a question with these choices (repeatable)",
    )
    given.add_argument(
        "--not-applicable",
        action="append",
        default=[],
        metavar="QID",
        help="mark a question as not applying (repeatable; needs --reason)",
    )
    given.add_argument(
        "--reason",
        choices=[r.value for r in Reason],
        help="why the --not-applicable questions do not apply",
    )
    given.add_argument(
        "--from",
        dest="carry_from",
        type=Path,
        metavar="OLD.toml",
        help="carry every answer of an earlier review forward, each to be confirmed",
    )
    given.add_argument(
        "--confirm",
        action="append",
        default=[],
        metavar="QID|all",
        help="confirm answers carried forward or due for re-confirmation (repeatable)",
    )
    given.add_argument(
        "--by", metavar="NAME", help="who gives the answers (default: the assessor, else you)"
    )
    questionnaire_option(parser)
    given.add_argument("--notes", metavar="TEXT", help="notes kept with the --set answers")
    given.add_argument(
        "--clear", metavar="QID", action="append", default=[],
        help="drop the answer of QID for --account or --ou (the organization's holds again)",
    )  # fmt: skip
    target = given.add_mutually_exclusive_group()
    target.add_argument(
        "--account", metavar="ID", help="in an organization review: answer for this account only"
    )
    target.add_argument(
        "--ou", metavar="OU-ID", help="in an organization review: for the accounts of this OU"
    )


@command(
    "answer",
    "Answer the questionnaire as plain prompts; resumes where you stopped.",
    _answer_options,
)
def answer_command(args: argparse.Namespace) -> int:
    from srm_tui import plain

    catalog = load_catalog(args)
    if args.account or args.ou or args.clear:
        return _answer_for_target(args, catalog)
    if args.notes is not None and not args.set:
        raise UsageError("--notes goes with --set.")
    if args.section and catalog.section(args.section) is None:
        known = ", ".join(s.id for s in catalog.sections)
        raise UsageError(f"no section {args.section!r}; the sections are: {known}")
    if args.set or args.not_applicable or args.carry_from or args.confirm:
        return _answer_given(args, catalog)
    if args.reason:
        raise UsageError("--reason goes with --not-applicable.")
    if args.by:
        raise UsageError("--by goes with --set, --not-applicable, --from or --confirm.")
    if args.file.exists():
        store.load(args.file)  # a broken file is reported before any prompt
    require_terminal("'srm-tui answer'")
    return plain.run(args.file, catalog.sections, section_id=args.section, revisit=args.all)


def _answer_given(args: argparse.Namespace, catalog: Catalog) -> int:
    """Apply --from, --set, --not-applicable and --confirm, in that order, and save once:
    any problem (exit 2) leaves the file as it was."""
    from srm_tui import attestation
    from srm_tui.review import choose, set_answer

    if args.not_applicable and not args.reason:
        raise UsageError(
            "--not-applicable needs --reason (" + "|".join(r.value for r in Reason) + ")."
        )
    if args.reason and not args.not_applicable:
        raise UsageError("--reason goes with --not-applicable.")
    choices = [_parse_set(text) for text in args.set]
    old = store.load(args.carry_from) if args.carry_from else None
    said: list[str] = []
    with Workbench.open(args.file) as bench:
        assessment = bench.assessment
        by = args.by if args.by is not None else attestation.default_attester(assessment)
        if old is not None:
            label = f"{args.carry_from.name} ({old.updated:%Y-%m-%d})"
            ids = {q.id for q in catalog.questions}
            folders = (args.carry_from.expanduser().parent, args.file.expanduser().parent)
            carried = attestation.carry_forward(assessment, old, label, ids, folders=folders)
            said.append(
                f"Carried {plural(len(carried), 'answer')} forward from {label}, each to confirm."
            )
        for qid, chosen in choices:
            question = _question(catalog, qid)
            choose(assessment, question, chosen, by=by)
            if args.notes is not None:
                set_answer(assessment, question, notes=args.notes, by=by)
        for qid in args.not_applicable:
            set_answer(
                assessment,
                _question(catalog, qid),
                applicable=False,
                reason=Reason(args.reason),
                by=by,
            )
        if choices or args.not_applicable:
            said.append(f"Answered {plural(len(choices) + len(args.not_applicable), 'question')}.")
        confirmed = _confirm(assessment, catalog, args.confirm, by)
        if args.confirm:
            said.append(f"Confirmed {plural(confirmed, 'answer')}.")
        bench.save()
    print(clean(" ".join(said) + f" Saved {args.file}."))
    return 0


def _parse_set(text: str) -> tuple[str, list[str]]:
    qid, sign, rest = text.partition("=")
    if not sign or not qid.strip() or not rest.strip():
        raise UsageError(f"--set {text!r}: write QID=CHOICE[,CHOICE...].")
    return qid.strip(), [c for c in rest.split(",") if c.strip()]


def _question(catalog: Catalog, qid: str) -> Question:
    question = catalog.question(qid)
    if question is None:
        raise UsageError(f"no question {qid!r}; 'srm-tui questions' lists the question ids.")
    return question


def _confirm(assessment: Assessment, catalog: Catalog, wanted: list[str], by: str) -> int:
    """Confirm the answers named (``all``: every one carried forward or due again)."""
    from srm_tui import attestation

    if not wanted:
        return 0
    if "all" in wanted:
        due = {q.id for q, _, _ in attestation.due_answers(assessment, catalog.sections, today())}
        ids = [qid for qid, a in sorted(assessment.answers.items()) if a.to_confirm or qid in due]
    else:
        ids = wanted
    for qid in ids:
        answer = assessment.answers.get(qid)
        if answer is None or not answer.is_answered:
            raise UsageError(f"{qid} has no answer to confirm.")
        attestation.confirm(answer, by)
    return len(ids)


def _answer_for_target(args: argparse.Namespace, catalog: Catalog) -> int:
    """``answer FILE --account ID|--ou OU --set QID=C1,C2 | --not-applicable QID --reason R
    | --clear QID``: an answer of its own for one account or OU of an organization
    review, or back to the organization's. Saved once; a problem leaves the file as it
    was."""
    from srm_tui import review

    target = args.account or args.ou
    if not target:
        raise UsageError("--clear drops an answer for one account or OU: add --account or --ou.")
    if args.carry_from or args.confirm:
        raise UsageError("--from and --confirm apply to the organization's answers, not to "
                         "one account or OU.")  # fmt: skip
    if not (args.set or args.not_applicable or args.clear):
        raise UsageError("--account and --ou go with --set, --not-applicable or --clear.")
    if args.not_applicable and not args.reason:
        raise UsageError(
            "--not-applicable needs --reason (" + "|".join(r.value for r in Reason) + ")."
        )
    wanted = [
        (question, review.checked_choices(question, chosen))
        for question, chosen in ((_question(catalog, q), c) for q, c in map(_parse_set, args.set))
    ]
    skipped = [_question(catalog, qid) for qid in args.not_applicable]
    clear = [_question(catalog, qid).id for qid in args.clear]
    changed: list[str] = []
    with Workbench.open(args.file, create=False) as bench:
        assessment = bench.assessment
        for question, chosen in wanted:
            review.set_override(assessment, question, target, selected=chosen,
                                applicable=True, notes=args.notes)  # fmt: skip
            changed.append(question.id)
        for question in skipped:
            review.set_override(assessment, question, target, selected=(), applicable=False,
                                reason=Reason(args.reason), notes=args.notes)  # fmt: skip
            changed.append(question.id)
        changed += [qid for qid in clear if review.clear_override(assessment, qid, target)]
        bench.save()
    said = f"{plural(len(changed), 'answer')} for {target} saved to {args.file}."
    print(clean(said), file=sys.stderr)
    return 0


def _report_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "file",
        type=Path,
        metavar="FILE.toml",
        help="an assessment, or FILE.toml@NAME for a milestone",
    )
    output_option(parser)
    format_option(parser, *formats.names(), from_output=True)
    parser.add_argument(
        "--plan",
        action="store_true",
        help=f"the improvement plan instead of the findings ({_plan_formats()} only; the "
        "default with it)",
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
    named = args.format or (args.output is not None and formats.for_path(args.output))
    if args.plan and not named:
        # "--plan: the improvement plan as CSV": alone, it was refused for Markdown.
        args.format = next(f.name for f in formats.FORMATS if f.offers_plan)
    args.format = chosen_format(args, formats.names())
    if args.plan and not formats.get(args.format).offers_plan:
        raise UsageError(f"--plan goes with --format {_plan_formats()}")
    path: Path | None = args.file
    if "@" in str(args.file) and not args.file.exists():
        from srm_tui import milestones

        assessment, _ = open_source(str(args.file), with_accounts=True)
        # The milestone's own file: it has no milestones of its own, and its evidence
        # files are found from the assessment's folder, as when it was taken.
        file, name = str(args.file).rsplit("@", 1)
        path = milestones.folder(file) / f"{name}.toml"
    else:
        assessment = store.load(args.file)
    catalog = load_catalog(args)
    warn_out_of_policy(assessment, args.file)
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
