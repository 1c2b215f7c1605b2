"""Commands that make a review trustworthy: accept, accepted, evidence, plan, scope.

Each opens the assessment for writing only when it changes it, and saves it once, at
the end: a refused change (exit 2) leaves the file as it was.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from srm_tui import store
from srm_tui.commands.base import command, format_option, questionnaire_option
from srm_tui.commands.common import (
    known_check_ids,
    load_catalog,
    out_of_policy_said,
    warn_out_of_policy,
)
from srm_tui.errors import UsageError
from srm_tui.model import Assessment, Status, today
from srm_tui.organization.files import merged
from srm_tui.sanitize import clean
from srm_tui.workbench import Workbench

if TYPE_CHECKING:
    from srm_tui.acceptances import Covered


def day(text: str) -> date:
    """An argparse type: a date written YYYY-MM-DD."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def _file(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, metavar="FILE.toml", help="the assessment")


def _edit(path: Path, change: Callable[[Assessment], str]) -> int:
    """Open ``path`` for writing, apply ``change`` (which returns what to say), save."""
    with Workbench.open(path, create=False) as bench:
        said = change(bench.assessment)
        bench.save()
    print(clean(said))  # it quotes the file (a resource, an owner) and the words typed
    return 0


# --- accepted risks --------------------------------------------------------------------


def _accept_options(parser: argparse.ArgumentParser) -> None:
    _file(parser)
    parser.add_argument("check", metavar="CHECK", help="the check id, e.g. iam.root_mfa")
    parser.add_argument(
        "--resource",
        default="*",
        metavar="GLOB",
        help="the resources it covers, a pattern over ids and ARNs (default: all)",
    )
    parser.add_argument(
        "--account", default="", metavar="ID", help="only this account (default: any)"
    )
    parser.add_argument("--reason", required=True, help="why the risk is accepted")
    parser.add_argument("--owner", required=True, help="who owns the accepted risk")
    parser.add_argument(
        "--expires",
        required=True,
        type=day,
        metavar="YYYY-MM-DD",
        help="the last day it holds; at most a year away unless the assessment allows more",
    )
    parser.add_argument("--approved-by", default="", metavar="NAME", help="who approved it")
    parser.epilog = (
        "Example: srm-tui accept review.toml ec2.sg_admin_ports_ipv4 --resource "
        "'*sg-0bastion*' --reason 'bastion, IP-restricted by NACL' --owner 'Platform team' "
        "--expires 2026-12-31. The findings stay failed; they count as accepted until the "
        "expiry, and as failed again afterwards."
    )


@command("accept", "Accept a failing check as a known risk, until an expiry date.", _accept_options)
def accept_command(args: argparse.Namespace) -> int:
    from srm_tui import acceptances

    def change(assessment: Assessment) -> str:
        made = acceptances.accept(
            assessment,
            args.check,
            reason=args.reason,
            owner=args.owner,
            expires=args.expires,
            resource=args.resource,
            account=args.account,
            approved_by=args.approved_by,
            known_checks=known_check_ids(),
        )
        # An organization review's findings are in its accounts' files.
        covered = acceptances.covered_counts(merged(assessment, args.file)).get(made.id, 0)
        account = f" in account {made.account}" if made.account else ""
        return (
            f"Accepted {made.id}: {made.check} on {made.resource}{account} until "
            f"{made.expires.isoformat()}; it covers {covered} failing finding"
            f"{'' if covered == 1 else 's'} now."
        )

    return _edit(args.file, change)


def _accepted_options(parser: argparse.ArgumentParser) -> None:
    _file(parser)
    parser.add_argument("--revoke", metavar="ID", help="remove the acceptance with this id")
    format_option(parser, "table", "json")


@command(
    "accepted", "List the accepted risks (in force and expired), or revoke one.", _accepted_options
)
def accepted_command(args: argparse.Namespace) -> int:
    from srm_tui import acceptances

    if args.revoke:

        def change(assessment: Assessment) -> str:
            gone = acceptances.revoke(assessment, args.revoke)
            account = f" in account {gone.account}" if gone.account else ""
            return f"Revoked {gone.id}: {gone.check} on {gone.resource}{account}."

        return _edit(args.file, change)
    assessment = store.load(args.file)
    on = today()
    counts = acceptances.covered_counts(merged(assessment, args.file), on)
    read = acceptances.standings(assessment, on)
    if args.format == "json":
        rows = [_acceptance_json(c, counts[c.acceptance.id]) for c in read]
        sys.stdout.write(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")
        return 0
    if not assessment.acceptances:
        print(clean(f"{args.file} has no accepted risks."), file=sys.stderr)
        return 0
    for c in read:
        a = c.acceptance
        state = "EXPIRED" if c.state == acceptances.EXPIRED else c.state
        account = f" account {a.account}" if a.account else ""
        covers = _findings(counts[a.id])
        if c.flaw:
            covers = f"covers nothing ({c.flaw}), {covers} counted as failed"
        print(
            clean(
                f"{a.id:<5} {state:<9} until {a.expires.isoformat()}  {a.check} on "
                f"{a.resource}{account}: {covers}; owner {a.owner or '?'}"
                + (f", approved by {a.approved_by}" if a.approved_by else "")
                + f". {a.reason}"
            )
        )
    warn_out_of_policy(assessment, args.file)
    return 0


def _findings(count: int) -> str:
    return f"{count} failing finding" + ("" if count == 1 else "s")


def _acceptance_json(read: Covered, covered: int) -> dict[str, object]:
    a = read.acceptance
    return {
        "id": a.id,
        "check": a.check,
        "resource": a.resource,
        "account": a.account,
        "reason": a.reason,
        "owner": a.owner,
        "approved_by": a.approved_by,
        "created": a.created.isoformat() if a.created else None,
        "expires": a.expires.isoformat(),
        "expired": read.expired,
        "findings": covered,
        # Added later: "in force", "expired" or "out of policy", and why it is out.
        "state": read.state,
        "flaw": read.flaw,
    }


# --- evidence ----------------------------------------------------------------------------


def _evidence_options(parser: argparse.ArgumentParser) -> None:
    _file(parser)
    parser.add_argument("question", metavar="QUESTION", help="the question id")
    parser.add_argument(
        "target",
        metavar="PATH|URL",
        help="a file (recorded by path, size and SHA-256, never copied) or a link",
    )
    parser.add_argument("--note", default="", help="what the evidence shows")
    parser.add_argument(
        "--by", metavar="NAME", help="who attaches it (default: the assessor, else you)"
    )
    parser.add_argument(
        "--remove", action="store_true", help="detach the evidence named PATH|URL instead"
    )
    questionnaire_option(parser)


@command("evidence", "Attach a file or a link to an answer as evidence.", _evidence_options)
def evidence_command(args: argparse.Namespace) -> int:
    from srm_tui import attestation
    from srm_tui import evidence as evidence_files
    from srm_tui.model import Answer

    catalog = load_catalog(args)
    question = catalog.question(args.question)
    if question is None:
        raise UsageError(
            f"no question {args.question!r}; 'srm-tui questions' lists the question ids."
        )

    def change(assessment: Assessment) -> str:
        answer = assessment.answers.get(question.id) or Answer(question.id, question.section)
        base = args.file.expanduser().parent  # reports look for a file from there
        if args.remove:
            # Detached with the words that attached it, wherever the command runs.
            named = evidence_files.refs_named(args.target, base)
            kept = [e for e in answer.evidence if e.ref not in named]
            if len(kept) == len(answer.evidence):
                raise UsageError(f"{question.id} has no evidence {args.target!r}.")
            answer.evidence = tuple(kept)
            return f"Removed {args.target} from the evidence of {question.id}."
        by = args.by if args.by is not None else attestation.default_attester(assessment)
        if evidence_files.is_link(args.target):
            entry = evidence_files.link(args.target, by=by, note=args.note)
        else:
            entry = evidence_files.attach_file(args.target, base=base, by=by, note=args.note)
        evidence_files.add(answer, entry)
        assessment.answers[question.id] = answer
        if entry.is_file:
            return (
                f"Attached {entry.ref} to {question.id}: {entry.size:,} bytes, "
                f"SHA-256 {entry.sha256}."
            )
        return f"Attached the link {entry.ref} to {question.id}."

    return _edit(args.file, change)


# --- the plan for failing checks --------------------------------------------------------------


def _plan_options(parser: argparse.ArgumentParser) -> None:
    _file(parser)
    parser.add_argument(
        "check", nargs="?", metavar="CHECK", help="the failing check to assign; without it, "
        "the plan is listed by owner"
    )  # fmt: skip
    parser.add_argument(
        "--resource",
        default="",
        metavar="GLOB",
        help="only its resources matching this pattern (default: the whole check)",
    )
    parser.add_argument("--owner", help="who fixes it ('' clears)")
    parser.add_argument("--due", metavar="YYYY-MM-DD|none", help="by when ('none' clears)")
    questionnaire_option(parser)


@command(
    "plan",
    "Give a failing check an owner and a due date, or list the plan by owner.",
    _plan_options,
)
def plan_command(args: argparse.Namespace) -> int:
    from srm_tui import assignments

    if args.check is None:
        if args.owner is not None or args.due is not None:
            raise UsageError("--owner and --due need the CHECK they are for.")
        return _print_plan(args)
    if args.owner is None and args.due is None:
        raise UsageError("say --owner, --due or both.")
    due: date | str | None = ""
    if args.due is not None:
        due = None if args.due.strip().lower() in ("none", "") else day_or_usage(args.due)

    def change(assessment: Assessment) -> str:
        made = assignments.assign(
            assessment,
            args.check,
            owner=args.owner,
            due=due,
            resource=args.resource,
            known_checks=known_check_ids(),
        )
        what = args.check + (f" ({args.resource})" if args.resource else "")
        if made is None:
            return f"{what} has no owner or due date any more."
        when = f"due {made.due.isoformat()}" if made.due else "no due date"
        said = f"{what}: owner {made.owner or 'nobody yet'}, {when}."
        if not _failing(merged(assessment, args.file), args.check, args.resource):
            # Else nothing shows it: the plan lists failing checks only.
            said += " Nothing fails there now: the plan shows it once something does."
        return said

    return _edit(args.file, change)


def _failing(assessment: Assessment, check: str, pattern: str) -> bool:
    """Whether ``check`` fails on a resource (matching ``pattern``, when given)."""
    import fnmatch

    return any(
        f.check == check
        and f.status is Status.FAIL
        and (not pattern or fnmatch.fnmatchcase(f.resource, pattern))
        for f in assessment.findings
    )


def day_or_usage(text: str) -> date:
    """A date written YYYY-MM-DD, or a UsageError."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(f"{text!r} is not a date (YYYY-MM-DD).") from None


def _print_plan(args: argparse.Namespace) -> int:
    from srm_tui.report import content
    from srm_tui.report.inputs import prepare

    assessment = store.load(args.file)
    report = prepare(assessment, load_catalog(args).sections, path=args.file)
    if not report.plan:
        print("Nothing to fix: no answer leaves a risk and no check failed (accepted aside).")
        return 0
    on = today()
    for owner, items in content.by_owner(report.plan):
        print(clean(owner or "No owner yet"))
        for item in items:
            due = item.due.isoformat() if item.due else "no due date"
            late = "  OVERDUE" if item.overdue(on) else ""
            what = f"{item.resources} failing" if item.kind == "check" else "question"
            pattern = f" [{item.resource}]" if item.resource else ""
            print(
                clean(f"  {due:<11} {item.level:<8} {item.id}{pattern} ({what}): {item.title}")
                + late
            )
    return 0


# --- the scope's workload properties ----------------------------------------------------------


def _scope_options(parser: argparse.ArgumentParser) -> None:
    _file(parser)
    parser.add_argument("--environment", help="e.g. production, staging")
    parser.add_argument("--review-owner", metavar="NAME", help="who owns the review")
    parser.add_argument("--assessor", metavar="NAME", help="who runs the review")
    parser.add_argument("--sign-off", metavar="NAME", help="who signed the review off")
    parser.add_argument(
        "--sign-off-date", type=day, metavar="YYYY-MM-DD", help="when (default: today)"
    )
    parser.add_argument(
        "--max-acceptance-days",
        type=int,
        metavar="DAYS",
        help="the longest an accepted risk may run (default 365)",
    )


@command(
    "scope",
    "Show or set the workload's properties: environment, owner, assessor, sign-off.",
    _scope_options,
)
def scope_command(args: argparse.Namespace) -> int:
    from srm_tui.store.codec import MAX_ACCEPTANCE_DAYS

    changes = (
        args.environment,
        args.review_owner,
        args.assessor,
        args.sign_off,
        args.sign_off_date,
        args.max_acceptance_days,
    )
    if all(value is None for value in changes):
        assessment = store.load(args.file)
        for label, value in _scope_facts(assessment):
            print(clean(f"{label + ':':<22}{value}"))
        return 0
    low, high = MAX_ACCEPTANCE_DAYS
    days = args.max_acceptance_days
    if days is not None and not low <= days <= high:
        raise UsageError(f"--max-acceptance-days must be from {low} to {high}.")
    if args.sign_off_date is not None and args.sign_off is None:
        raise UsageError("--sign-off-date goes with --sign-off NAME.")

    def change(assessment: Assessment) -> str:
        scope = assessment.scope
        if args.environment is not None:
            scope.environment = args.environment.strip()
        if args.review_owner is not None:
            scope.review_owner = args.review_owner.strip()
        if args.assessor is not None:
            assessment.assessor = args.assessor.strip()
        if args.sign_off is not None:
            scope.signed_off_by = args.sign_off.strip()
            scope.signed_off = (args.sign_off_date or today()) if scope.signed_off_by else None
        if days is not None:
            assessment.max_acceptance_days = days
        return "\n".join(
            clean(f"{label + ':':<22}{value}") for label, value in _scope_facts(assessment)
        )

    return _edit(args.file, change)


def _scope_facts(assessment: Assessment) -> list[tuple[str, str]]:
    scope = assessment.scope
    signed = scope.signed_off_by
    if signed and scope.signed_off:
        signed += f" on {scope.signed_off.isoformat()}"
    return [
        ("Assessment", assessment.name),
        ("Account", scope.account_id or "not scanned yet"),
        ("Environment", scope.environment or "not set"),
        ("Review owner", scope.review_owner or "not set"),
        ("Assessor", assessment.assessor or "not set"),
        ("Signed off", signed or "not yet"),
        ("Acceptances run for", f"at most {assessment.max_acceptance_days} days"),
        *_out_of_policy_fact(assessment),
    ]


def _out_of_policy_fact(assessment: Assessment) -> list[tuple[str, str]]:
    # A shorter term set here can leave acceptances made under the longer one outside it.
    count, which = out_of_policy_said(assessment)
    return [("Out of policy", f"{which} (covering nothing)")] if count else []
