"""Commands that hand results on: milestone, diff, lens."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from srm_tui import store
from srm_tui.commands.base import (
    chosen_format,
    command,
    format_option,
    output_option,
    questionnaire_option,
    write_output,
)
from srm_tui.commands.common import load_catalog, open_source
from srm_tui.errors import UsageError
from srm_tui.report import diff_report
from srm_tui.report.redaction import mask
from srm_tui.sanitize import clean

SOURCE_HELP = (
    "an assessment file, or FILE.toml@NAME for its milestone NAME (see 'srm-tui milestone')"
)


def _milestone_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, metavar="FILE.toml", help="the assessment")
    parser.add_argument(
        "name",
        nargs="?",
        metavar="NAME",
        help="the milestone's name (letters, digits, '.', '_', '-'); "
        "without it, the milestones are listed",
    )
    parser.epilog = (
        "Example: 'srm-tui milestone review.toml 2026-q3' keeps review.toml as it is now; "
        "later, 'srm-tui diff review.toml@2026-q3 review.toml' shows what changed and "
        "'srm-tui report review.toml@2026-q3' reports it as it was. A milestone is never "
        "overwritten."
    )


@command(
    "milestone",
    "Keep an immutable, named snapshot of an assessment (kept in FILE.toml.milestones/).",
    _milestone_options,
)
def milestone_command(args: argparse.Namespace) -> int:
    from srm_tui import milestones

    if args.name is None:
        store.load(args.file)  # a missing or broken file is said so, not an empty list
        found = milestones.list_milestones(args.file)
        if not found:
            print(clean(f"{args.file} has no milestones yet."), file=sys.stderr)
        for m in found:
            when = m.created.strftime("%Y-%m-%d %H:%M UTC") if m.created else "date unknown"
            print(f"{m.name}\t{when}")
        return 0
    made = milestones.create(args.file, args.name)
    print(clean(f"Milestone {made.name!r} of {args.file} kept in {made.path}"), file=sys.stderr)
    return 0


def _diff_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("old", metavar="OLD", help=SOURCE_HELP)
    parser.add_argument("new", metavar="NEW", help=SOURCE_HELP)
    output_option(parser)
    format_option(parser, *diff_report.FORMATS, from_output=True)
    parser.add_argument(
        "--redact",
        action="store_true",
        help="mask the account ids (also inside ARNs and names) before anything is written",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="compare even when the two are reviews of different accounts",
    )
    questionnaire_option(parser)
    parser.epilog = (
        "Examples: 'srm-tui diff q2.toml q3.toml' compares two files; "
        "'srm-tui diff review.toml@2026-q3 review.toml' compares the milestone 2026-q3 "
        "of review.toml with the file as it is now."
    )


@command(
    "diff",
    "Show what improved and what regressed between two assessments or milestones.",
    _diff_options,
)
def diff_command(args: argparse.Namespace) -> int:
    from srm_tui.report import diff

    # An organization review compares account by account: its findings come along.
    old, old_label = open_source(args.old, with_accounts=True)
    new, new_label = open_source(args.new, with_accounts=True)
    if diff.accounts_differ(old, new) and not args.force:
        first, second = old.scope.account_id, new.scope.account_id
        kind = "account"
        if old.organization is not None and new.organization is not None:
            first, second, kind = old.organization.id, new.organization.id, "organization"
        message = (
            f"{args.old} is a review of {kind} {first} and {args.new} of {kind} {second}: "
            "comparing them would show one account's findings as fixed and the other's as "
            "new; add --force to compare them anyway."
        )
        if args.redact:
            message = mask(mask(message, first), second)
        raise UsageError(message)
    catalog = load_catalog(args)
    result = diff.compare(old, new, catalog.sections, old_label, new_label, redact=args.redact)
    fmt = chosen_format(args, tuple(diff_report.FORMATS))
    write_output(diff_report.render(result, fmt), args.output, sources=(args.old, args.new))
    return 0


def _lens_options(parser: argparse.ArgumentParser) -> None:
    output_option(parser)
    parser.add_argument("--name", default=None, help="the lens name shown in the WA Tool")
    questionnaire_option(parser)


@command(
    "lens",
    "Export the questionnaires as an AWS Well-Architected custom lens (JSON).",
    _lens_options,
)
def lens_command(args: argparse.Namespace) -> int:
    from srm_tui.report import lens

    catalog = load_catalog(args)
    write_output(lens.render(catalog.sections, args.name or lens.NAME), args.output)
    return 0
