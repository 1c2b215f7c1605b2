"""The organization overview that opens the Markdown (and so the HTML) report of an
organization review: one row per account, the worst checks across the estate, the
responsibility matrix across accounts (each cell counts failing accounts) and the
answers that differ by account or OU. Also the one line per check that says which
accounts fail it, for the findings grouped by check.

Everything here stays readable at hundreds of accounts: rows are accounts or checks
or services, never accounts times resources, and every list of accounts inside a
cell is cut to a few with a count of the rest.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from srm_tui.contradictions import (
    imported_lead,
    imported_named,
    imported_not_applying_said,
    not_applying_said,
)
from srm_tui.model import AccountState, OrgAccount, Responsibility, Severity, Status
from srm_tui.report.content import CheckGroup
from srm_tui.report.inputs import ReportInput
from srm_tui.report.text import code, inline, plural, table
from srm_tui.scoring import effective_answer, risk_of
from srm_tui.secrets import redact

#: Severities counted in the account table (info failures are not a weakness to rank).
SEVERITIES = tuple(s for s in Severity if s is not Severity.INFO)
#: Checks listed under "worst checks across the estate".
WORST = 10
#: Accounts named in one line before the rest is folded into a count.
NAMED_ACCOUNTS = 12


@dataclass(slots=True)
class AccountRow:
    """One account's findings in this report, counted from its findings file; a
    failure under an acceptance in force counts as ``accepted``, not failing."""

    account: OrgAccount
    failing: Counter[Severity] = field(default_factory=Counter)
    errors: int = 0
    passed: int = 0
    accepted: int = 0

    @property
    def sort_key(self) -> tuple[int, ...]:
        # The worst account first: most critical failures, then high, and so on.
        return (*(-self.failing[s] for s in SEVERITIES), -self.errors)


@dataclass(slots=True)
class CheckSpread:
    """One check across the estate: failing resources per account (accepted risks
    aside)."""

    group: CheckGroup
    failing: Counter[str] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)

    @property
    def sort_key(self) -> tuple[int, int, int, str]:
        record = self.group.record
        return (-record.severity.rank, -len(self.failing), -sum(self.failing.values()), record.id)


def spreads(report: ReportInput) -> list[CheckSpread]:
    """Every check that failed or could not check somewhere, with its accounts."""
    found = []
    for group in report.groups:
        if not group.failed and not group.errors:
            continue
        spread = CheckSpread(group)
        spread.failing.update(f.account_id for f in group.open)
        spread.errors.update(f.account_id for f in group.errors)
        found.append(spread)
    return found


def account_rows(report: ReportInput) -> list[AccountRow]:
    """One row per account of the organization, worst first; accounts that were never
    scanned (skipped, pending, failed) keep their place after the scanned ones."""
    org = report.assessment.organization
    if org is None:
        return []
    rows = {a: AccountRow(org.accounts[a]) for a in sorted(org.accounts)}
    for group in report.groups:
        severity = group.record.severity
        # An accepted risk counts as accepted until it expires, as everywhere else.
        for finding in group.open:
            if (row := rows.get(finding.account_id)) is not None:
                row.failing[severity] += 1
        for finding in group.accepted:
            if (row := rows.get(finding.account_id)) is not None:
                row.accepted += 1
        for finding in group.errors:
            if (row := rows.get(finding.account_id)) is not None:
                row.errors += 1
        for finding in group.passed:
            if (row := rows.get(finding.account_id)) is not None:
                row.passed += 1
    scanned = [r for r in rows.values() if r.account.scanned or r.failing or r.passed or r.accepted]
    rest = [r for r in rows.values() if r not in scanned]
    return sorted(scanned, key=lambda r: r.sort_key) + rest


def responsibility_matrix(
    report: ReportInput,
) -> tuple[list[str], dict[str, dict[Responsibility, set[str]]], dict[Responsibility, set[str]]]:
    """Per service and responsibility, the accounts with at least one failing check
    of that kind; services in the order of their first check in the report."""
    services: list[str] = []
    cells: dict[str, dict[Responsibility, set[str]]] = {}
    ran: dict[Responsibility, set[str]] = {r: set() for r in Responsibility}
    for group in report.groups:
        record = group.record
        ran[record.responsibility].add(record.service)
        if record.service not in cells:
            services.append(record.service)
            cells[record.service] = {r: set() for r in Responsibility}
        cells[record.service][record.responsibility].update(f.account_id for f in group.open)
    return sorted(services), cells, ran


def accounts_named(counts: Counter[str], limit: int = NAMED_ACCOUNTS) -> str:
    """``\\`111…\\` (12), \\`222…\\` (3) and 5 more accounts``: the accounts with the
    most first."""
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    named = ", ".join(f"{code(a)} ({n})" for a, n in ordered[:limit])
    if len(ordered) > limit:
        named += f" and {plural(len(ordered) - limit, 'more account')}"
    return named


def scanned_accounts(report: ReportInput) -> int:
    """How many accounts have findings in this report (the denominator of the counts)."""
    org = report.assessment.organization
    if org is None:
        return 0
    return sum(
        1 for a in org.accounts.values() if a.state in (AccountState.DONE, AccountState.FAILED)
    ) or len({f.account_id for f in report.assessment.findings})


def check_accounts_line(group: CheckGroup, total: int) -> str:
    """For the findings grouped by check: in how many accounts it fails, and which."""
    failing = Counter(f.account_id for f in group.failed)
    if not failing:
        return ""
    return f"  Fails in {len(failing)} of {plural(total, 'account')}: {accounts_named(failing)}."


# --- Markdown ------------------------------------------------------------------------


def render(report: ReportInput) -> str:
    """The ``## Organization overview`` section (nothing for a single account)."""
    org = report.assessment.organization
    if org is None:
        return ""
    finished = "complete" if org.round_finished else "under way"
    counted = Counter(a.state for a in org.accounts.values())
    states = ", ".join(
        f"{n} {state.label.lower()}" for state, n in sorted(counted.items(), key=lambda i: i[0])
    )
    total = scanned_accounts(report)
    found = sorted(spreads(report), key=lambda s: s.sort_key)
    parts = [
        "## Organization overview",
        "",
        f"Organization {inline(org.id)}, management account {code(org.management_account)}: "
        f"{plural(len(org.accounts), 'account')} ({states}); scan round {org.round} "
        f"({finished}). The questions are answered once for the organization (with the "
        "exceptions listed below); the checks ran in each account.",
        "",
        _accounts(report),
        "",
        _worst(found, total),
        "",
        _matrix(report, total),
    ]
    if overrides := _overrides(report):
        parts += ["", overrides]
    return "\n".join(parts)


def _when(account: OrgAccount) -> str:
    return account.scanned.strftime("%Y-%m-%d %H:%M") if account.scanned else "never"


def _accounts(report: ReportInput) -> str:
    org = report.assessment.organization
    assert org is not None
    header = ["Account", "Name", "OU", "State", "Last scan"]
    header += [f"{s.label} failing" for s in SEVERITIES]
    accepting = bool(report.acceptances)
    header += ["Accepted"] if accepting else []
    header += [Status.ERROR.label, Status.PASS.label]
    rows = []
    for row in account_rows(report):
        a = row.account
        state = a.state.label if a.status in ("", "ACTIVE") else f"{a.state.label} ({a.status})"
        rows.append(
            [code(a.account_id), inline(a.name), inline(a.ou_label), inline(state), _when(a)]
            + [str(row.failing[s]) for s in SEVERITIES]
            + ([str(row.accepted)] if accepting else [])
            + [str(row.errors), str(row.passed)]
        )
    lines = [
        "### Accounts",
        "",
        "Worst first: the most critical failures, then high, and so on. "
        + (
            "Accepted counts the failures accepted as known risks, which fail again when "
            "their acceptance expires. "
            if accepting
            else ""
        )
        + f"{Status.ERROR.label} counts findings that are neither a pass nor a fail.",
        "",
        table(header, rows),
    ]
    failed = [org.accounts[a] for a in sorted(org.accounts) if org.accounts[a].error]
    if failed:
        lines += ["", "Accounts that could not be scanned:", ""]
        lines += [f"- {code(a.account_id)}: {inline(redact(a.error))}" for a in failed]
    return "\n".join(lines)


def _worst(found: Sequence[CheckSpread], total: int) -> str:
    failing = [s for s in found if s.failing][:WORST]
    if not failing:
        accepted = any(s.group.accepted for s in found)
        return "### Worst checks across the estate\n\nNo check failed in any account" + (
            ", accepted risks aside." if accepted else "."
        )
    rows = []
    for spread in failing:
        record = spread.group.record
        rows.append(
            [
                inline(record.title),
                code(record.id),
                record.severity.label,
                record.responsibility.label,
                f"{len(spread.failing)} of {total}",
                str(sum(spread.failing.values())),
            ]
        )
    header = ["Check", "Id", "Severity", "Responsibility", "Accounts failing", "Resources"]
    return (
        "### Worst checks across the estate\n\n"
        "Most severe first, then the most accounts.\n\n" + table(header, rows)
    )


def _matrix(report: ReportInput, total: int) -> str:
    services, cells, ran = responsibility_matrix(report)
    if not services:
        return "### Responsibility across accounts\n\nNo check has run yet."
    owners = [r for r in Responsibility if ran[r]]
    header = ["Service"] + [r.label for r in owners]
    rows = []
    for service in services:
        row = [inline(service)]
        for owner in owners:
            row.append(_matrix_cell(cells[service][owner], service in ran[owner], total))
        rows.append(row)
    any_row = ["**Any service**"]
    for owner in owners:
        accounts = set().union(*(cells[s][owner] for s in services))
        any_row.append(_matrix_cell(accounts, True, total))
    rows.append(any_row)
    return (
        "### Responsibility across accounts\n\n"
        f"Each cell counts the accounts (of {total} scanned) where at least one check of "
        "that service and responsibility fails; a dash means no such check ran.\n\n"
        + table(header, rows)
    )


def _matrix_cell(accounts: set[str], ran: bool, total: int) -> str:
    if not ran:
        return "-"
    if not accounts:
        return "0"
    text = f"{len(accounts)} of {total}"
    # Failing in most of the estate stands out.
    return f"**{text}**" if len(accounts) * 2 >= total else text


def _overrides(report: ReportInput) -> str:
    overrides = report.assessment.overrides
    if not overrides:
        return ""
    org = report.assessment.organization
    names: dict[str, str] = {}
    if org is not None:
        for account in org.accounts.values():
            names[account.account_id] = account.name
            if account.ou_id:
                names.setdefault(account.ou_id, account.ou_label)
    rows = []
    for qid in sorted(overrides):
        question = report.questions.get(qid)
        title = inline(question.title) if question else code(qid)
        for target, override in sorted(overrides[qid].items()):
            who = code(target) + (f" {inline(names[target])}" if names.get(target) else "")
            if not override.applicable:
                answer = "does not apply" + (
                    f" ({override.reason.label.lower()})" if override.reason else ""
                )
            elif question is not None:
                chosen = [question.choice(c) for c in override.selected]
                answer = "; ".join(inline(c.title) for c in chosen if c) or "nothing selected"
            else:
                answer = ", ".join(code(c) for c in override.selected)
            risk = ""
            if question is not None:
                held = effective_answer(report.assessment, question, target)
                risk = risk_of(question, held).label if held is not None else ""
            if against := report.override_contradictions(question, target):
                answer += " **contradicted by the scan**: " + (
                    ", ".join(f"{code(c)} fails" for c in against)
                    if override.applicable
                    else not_applying_said([code(c) for c in against])
                )
            if found := report.override_imported_contradictions(question, target):
                answer += f" **{imported_lead(found)}**: " + (
                    imported_named(found, code)
                    if override.applicable
                    else imported_not_applying_said(found, code)
                )
            rows.append([title, who, answer, risk])
    return (
        "### Answers that differ by account or OU\n\n"
        "These accounts and OUs (and the OUs below them) answer differently from the "
        "organization.\n\n" + table(["Question", "Account or OU", "Answer", "Risk"], rows)
    )
