"""``scan --organization``: its options, its run and its progress on the terminal. A
helper of the scan command (it registers no command of its own)."""

from __future__ import annotations

import argparse
import contextlib
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from srm_tui.commands.common import warn_out_of_policy
from srm_tui.commands.live_line import LiveLine
from srm_tui.errors import UsageError
from srm_tui.model import OrgAccount, Severity
from srm_tui.sanitize import clean
from srm_tui.workbench import Workbench

if TYPE_CHECKING:
    from srm_tui.organization.runner import OrgProgress, OrgScanOutcome

SEVERITIES = [s.value for s in Severity]


def organization_options(parser: argparse.ArgumentParser) -> None:
    """The options of ``scan --organization``."""
    group = parser.add_argument_group("organization (scan every account of an AWS Organization)")
    group.add_argument(
        "--organization",
        action="store_true",
        help="scan every account of the organization the credentials manage (run it from "
        "the management account or a delegated administrator)",
    )
    group.add_argument(
        "--role-name",
        metavar="NAME",
        help="the role assumed in each member account (default: the one the review used "
        "last, else OrganizationAccountAccessRole; 'srm-tui policy --format cloudformation' "
        "makes a read-only one)",
    )
    group.add_argument(
        "--external-id", metavar="ID", help="the external id the member role requires, if any"
    )
    group.add_argument("--accounts", metavar="ID,...", help="only these accounts")
    group.add_argument("--exclude-accounts", metavar="ID,...", help="all accounts but these")
    group.add_argument(
        "--ou", metavar="OU-ID,...", help="only the accounts in these OUs (and the OUs below them)"
    )
    group.add_argument(
        "--parallel-accounts",
        type=int,
        metavar="N",
        help="accounts scanned at a time (default 4)",
    )
    group.add_argument(
        "--executor",
        metavar="local|dask://HOST:PORT",
        help="where the accounts run: threads here (local, the default) or the Dask "
        "cluster whose scheduler is at HOST:PORT (install srm-tui[cluster]; the workers "
        "use their own credentials and assume --role-name in every account)",
    )
    group.add_argument(
        "--rescan",
        action="store_true",
        help="start a new round even if the last one was interrupted (by default an "
        "interrupted scan continues with the accounts it had not done)",
    )


def _ids(text: str | None) -> tuple[str, ...]:
    return tuple(dict.fromkeys(p.strip() for p in (text or "").split(",") if p.strip()))


_ORG_ONLY = ("role_name", "external_id", "accounts", "exclude_accounts", "ou",
             "parallel_accounts", "rescan", "executor")  # fmt: skip


def refuse_without_organization(args: argparse.Namespace) -> None:
    """Organization options without --organization are bad usage."""
    given = [n for n in _ORG_ONLY if getattr(args, n, None) not in (None, False)]
    if given and not args.organization:
        flag = "--" + given[0].replace("_", "-")
        raise UsageError(f"{flag} goes with --organization.")


def scan_organization_command(args: argparse.Namespace, checks: tuple[str, ...]) -> int:
    """``srm-tui scan FILE --organization ...``."""
    from dataclasses import replace

    from srm_tui.aws.roles import DEFAULT_ROLE
    from srm_tui.organization.executor import DEFAULT_PARALLEL
    from srm_tui.organization.runner import OrgScanOptions, check_options, scan_organization
    from srm_tui.organization.selection import AccountFilter
    from srm_tui.scan import ScanOptions

    options = OrgScanOptions(
        scan=ScanOptions(
            profile=args.profile,
            regions=tuple(args.regions or ()),
            all_regions=args.all_regions,
            endpoint_url=args.endpoint_url,
            checks=checks,
            jobs=args.jobs,
        ),
        role_name=args.role_name or DEFAULT_ROLE,
        external_id=args.external_id or "",
        selection=AccountFilter(_ids(args.accounts), _ids(args.exclude_accounts), _ids(args.ou)),
        parallel=DEFAULT_PARALLEL if args.parallel_accounts is None else args.parallel_accounts,
        rescan=args.rescan,
        demo=args.demo,
        executor=args.executor or "local",
    )
    check_options(options)  # bad usage: exit 2 before the file or AWS
    with Workbench.open(args.file) as bench:
        opened = bench.handle
        known = opened.assessment.organization
        if args.role_name is None and known is not None and known.role_name:
            # Run again without --role-name (to continue a round, say): the role the
            # review was scanned with, as the wizard does, not the default, which the
            # members may not have (every one of them would fail).
            options = replace(options, role_name=known.role_name)
        display = OrgDisplay(sys.stderr)
        with _demo(args, options) as options:
            outcome = scan_organization(opened, options, display.update, threading.Event())
        display.close()
        print(org_summary(opened.assessment, outcome, args.file), file=sys.stderr)
        if outcome.cancelled:
            return 130
        if args.fail_on:
            # Their failures count: say why an accepted risk did not keep it from failing.
            warn_out_of_policy(opened.assessment, args.file)
        if args.fail_on and _fails_at(outcome, Severity(args.fail_on)):
            return 3
    return 0


@contextlib.contextmanager
def _demo(args: argparse.Namespace, options: Any) -> Iterator[Any]:
    if not args.demo:
        yield options
        return
    from dataclasses import replace

    from srm_tui.demo import demo_account

    print(
        "Starting the demo: an emulated AWS Organization on 127.0.0.1, not your AWS.",
        file=sys.stderr,
    )
    with demo_account() as demo:
        scan = replace(
            options.scan,
            endpoint_url=demo.endpoint_url,
            regions=tuple(args.regions or demo.regions),
            all_regions=False,
            profile=None,
        )
        yield replace(options, scan=scan)


def _fails_at(outcome: OrgScanOutcome, threshold: Severity) -> bool:
    return any(
        Severity(sev).rank >= threshold.rank and count
        for sev, count in outcome.failing.items()
        if sev in SEVERITIES
    )


def org_summary(assessment: Any, outcome: OrgScanOutcome, path: Path) -> str:
    """What the scan did, account by account counts, calls and time."""
    org = assessment.organization
    lines = []
    scanned = outcome.scanned + outcome.failed
    if scanned:
        lines.append(accounts_table([org.accounts[a] for a in sorted(scanned)]))
    verb = "continued" if outcome.resumed else "ran"
    lines.append(
        f"Organization {clean(org.id)}, round {outcome.round} {verb}: {len(outcome.scanned)} "
        f"accounts scanned, {len(outcome.failed)} could not be scanned, "
        f"{len(outcome.skipped)} skipped (not active), {len(outcome.already_done)} done "
        f"earlier in the round; {outcome.api_calls} API calls, {outcome.seconds:.1f} s. "
        f"Saved to {path}."
    )
    for account_id in outcome.failed:
        lines.append(f"  {account_id}: {clean(org.accounts[account_id].error)}")
    if outcome.cancelled:
        lines.append(
            f"Cancelled: {len(outcome.unfinished)} accounts not done; run the same command "
            "again to continue the round."
        )
    elif outcome.round_complete:
        lines.append(f"Round {outcome.round} is complete.")
    return "\n".join(lines)


class OrgDisplay(LiveLine):
    """Progress per account on the terminal: one updating line, or a line per account
    when redirected."""

    def update(self, event: OrgProgress) -> None:
        with self.lock:
            if event.kind in ("listed", "round", "message"):
                self.say(clean(event.message))
            elif event.kind == "account_done":
                detail = f": {clean(event.message)}" if event.message else ""
                self.say(
                    f"[{event.done}/{event.total}] {event.account_id} {clean(event.name)} "
                    f"{event.state}{detail}"
                )
            elif self.live and event.kind in ("account_started", "account_progress"):
                if not self.due():
                    return
                running = ", ".join(event.running[:4]) + ("..." if len(event.running) > 4 else "")
                self.show(
                    f"accounts {event.done}/{event.total} done, {event.failed} failed; "
                    f"scanning {running}"
                )


# --- accounts ------------------------------------------------------------------------


def account_row(account: OrgAccount) -> dict[str, Any]:
    """One account as ``accounts --format json`` gives it."""
    from srm_tui.report.json_report import account_entry

    return account_entry(account)


def accounts_table(accounts: list[OrgAccount]) -> str:
    """Account, name, OU, status, state, last scan and failures by severity."""
    header = ["account", "name", "ou", "status", "state", "last scan", "crit", "high", "med",
              "low", "info", "error"]  # fmt: skip
    rows = [header]
    for a in accounts:
        when = a.scanned.strftime("%Y-%m-%d %H:%M") if a.scanned else "never"
        rows.append(
            [a.account_id, clean(a.name)[:24], clean(a.ou_label)[:32], clean(a.status),
             a.state.value, when]
            + [str(a.failures.get(s, 0)) for s in SEVERITIES]
            + [str(a.findings.get("error", 0))]
        )  # fmt: skip
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    numeric = set(range(6, len(header)))
    return "\n".join(
        "  ".join(
            cell.rjust(widths[i]) if i in numeric else cell.ljust(widths[i])
            for i, cell in enumerate(row)
        ).rstrip()
        for row in rows
    )
