"""The ``accounts`` command: the accounts of an organization review."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from srm_tui import store
from srm_tui.commands.base import command, format_option
from srm_tui.commands.organization_scan import account_row, accounts_table
from srm_tui.errors import UsageError
from srm_tui.sanitize import clean


def _accounts_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, metavar="FILE.toml", help="an organization review")
    format_option(parser, "table", "json")


@command(
    "accounts",
    "List the accounts of an organization review: OU, status, last scan, findings.",
    _accounts_options,
)
def accounts_command(args: argparse.Namespace) -> int:
    assessment = store.load(args.file)
    org = assessment.organization
    if org is None:
        raise UsageError(  # the wrong file named: bad usage, as for 'answer --account'
            f"{args.file} is a review of one account, not of an organization "
            "('srm-tui scan FILE --organization' makes one)."
        )
    accounts = [org.accounts[a] for a in sorted(org.accounts)]
    if args.format == "json":
        rows = [account_row(a) for a in accounts]
        sys.stdout.write(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")
        return 0
    print(accounts_table(accounts))
    states: dict[str, int] = {}
    for account in accounts:
        states[account.state.label.lower()] = states.get(account.state.label.lower(), 0) + 1
    counted = ", ".join(f"{n} {s}" for s, n in sorted(states.items()))
    finished = "complete" if org.round_finished else "under way"
    print(
        f"\n{len(accounts)} accounts in organization {clean(org.id)} ({counted}); "
        f"round {org.round} {finished}."
    )
    return 0
