"""Commands over the questionnaire catalogue: questions, validate."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from srm_tui.catalog import questionnaires
from srm_tui.commands.base import command, format_option, questionnaire_option
from srm_tui.commands.common import known_check_ids, load_catalog
from srm_tui.errors import InputFileError
from srm_tui.report.text import plural
from srm_tui.sanitize import clean


def _questions_options(parser: argparse.ArgumentParser) -> None:
    format_option(parser, "table", "json")
    questionnaire_option(parser)


@command("questions", "List the questionnaire's questions.", _questions_options)
def questions_command(args: argparse.Namespace) -> int:
    catalog = load_catalog(args)
    if args.format == "json":
        rows = [
            {
                "id": q.id,
                "section": q.section,
                "title": clean(q.title),
                "responsibility": q.responsibility.value,
                "frameworks": {k: list(v) for k, v in q.frameworks.items()},
                "choices": [
                    {
                        "id": c.id,
                        "title": clean(c.title),
                        "none": c.is_none,
                        "checks": list(c.checks),
                    }
                    for c in q.choices
                ],
                "checks": list(q.checks),
                "applies_when": list(q.applies_when),
            }
            for q in catalog.questions
        ]
        sys.stdout.write(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")
        return 0
    # Titles come from questionnaire files (--questionnaires DIR): outside text.
    for section in catalog.sections:
        print(clean(f"{section.title} ({section.id}, {len(section.questions)} questions)"))
        for q in section.questions:
            print(clean(f"  {q.id:<34} {q.responsibility.value:<8} {q.title}"))
    total = len(catalog.questions)
    print(f"\n{total} questions in {len(catalog.sections)} sections.")
    return 0


def _validate_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "dir", nargs="?", type=Path, metavar="DIR", help="default: the shipped questionnaires"
    )


@command(
    "validate", "Check questionnaire files; print each problem as FILE:LINE.", _validate_options
)
def validate_command(args: argparse.Namespace) -> int:
    folder = args.dir or questionnaires.default_dir()
    if not folder.is_dir():
        raise InputFileError(folder, questionnaires.not_a_folder(folder))
    files = sorted(folder.glob("*.toml"))
    if not files:
        raise InputFileError(folder, "holds no questionnaire files (*.toml)")
    dirs = [folder]
    if args.dir is not None and folder.resolve() != questionnaires.default_dir().resolve():
        # A user's folder is checked together with the shipped sections, so that a
        # duplicate id across both is found too; only its own problems are shown.
        dirs = [questionnaires.default_dir(), folder]
    catalog = questionnaires.load(dirs, known_checks=known_check_ids())
    own = {str(p) for p in files}
    problems = [p for p in catalog.problems if p.path in own or p.path == str(folder)]
    for problem in problems:
        print(clean(str(problem)))  # names the file and quotes it
    questions = sum(len(s.questions) for s in catalog.sections if s.source in own)
    if problems:
        print(clean(f"{plural(len(problems), 'problem')} in {folder}."), file=sys.stderr)
        return 2
    print(f"{len(files)} files, {questions} questions: no problems.", file=sys.stderr)
    return 0
