"""The comparison of two assessments as Markdown or JSON: the formats of ``diff``.

Its input is a ``diff.Diff``, not a ``ReportInput``, so it keeps its own small list of
formats; the text rules are those of every report (``report.text``, the labels of
``model``).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

from srm_tui.model import Acceptance, Status
from srm_tui.report.diff import Diff, FindingChange, RiskChange, acceptance_changes
from srm_tui.report.organization_diff import OrganizationChange
from srm_tui.report.redaction import MASK
from srm_tui.report.text import clean, code, inline, plural, table

MAX_LISTED = 50
_KIND_TITLES = (
    ("better", "Risks that went down"),
    ("worse", "Risks that went up"),
    ("answered", "Answered for the first time"),
    ("not_applicable", "Now marked as not applying"),
    ("reopened", "Answers withdrawn"),
)


def _when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC") if value else "unknown"


def _risk_table(changes: list[RiskChange]) -> str:
    rows = [
        [inline(c.title), code(c.question), inline(c.section), c.old.label, c.new.label]
        for c in changes
    ]
    return table(["Question", "Id", "Section", "Before", "Now"], rows)


def _finding_table(changes: list[FindingChange], accounts: bool = False) -> str:
    rows = [
        [
            inline(c.title),
            code(c.check),
            c.severity.label,
            *([code(c.account_id)] if accounts else []),
            inline(c.region),
            inline(c.resource),
            _status(c.old),
            _status(c.new),
        ]
        for c in changes[:MAX_LISTED]
    ]
    header = ["Check", "Id", "Severity", *(["Account"] if accounts else []), "Region"]
    header += ["Resource", "Before", "Now"]
    if len(changes) > MAX_LISTED:
        more = ["" for _ in header]
        more[header.index("Resource")] = f"and {len(changes) - MAX_LISTED} more"
        rows.append(more)
    return table(header, rows)


def _acceptance_table(acceptances: list[Acceptance], flaws: list[str] | None = None) -> str:
    rows = [
        [
            code(a.id),
            code(a.check),
            code(a.resource),
            inline(a.account) or "any",
            inline(a.owner),
            inline(a.reason),
            a.expires.isoformat(),
        ]
        for a in acceptances
    ]
    header = ["Id", "Check", "Resources", "Account", "Owner", "Reason", "Expires"]
    if flaws is not None:
        header.append("Out of policy")
        rows = [[*row, inline(flaw)] for row, flaw in zip(rows, flaws, strict=True)]
    return table(header, rows)


def _changed_table(pairs: list[tuple[Acceptance, Acceptance]]) -> str:
    rows = [
        [
            code(after.id),
            code(after.check),
            code(after.resource),
            inline(after.account) or "any",
            "; ".join(
                f"{name.replace('_', ' ')}: {inline(old) or 'none'} → {inline(new) or 'none'}"
                for name, old, new in acceptance_changes(before, after)
            ),
        ]
        for before, after in pairs
    ]
    return table(["Id", "Check", "Resources", "Account", "Changed"], rows)


_ACCEPTANCE_TITLES = (
    ("acceptances_added", "Risks accepted"),
    ("acceptances_expired", "Acceptances expired"),
    ("acceptances_revoked", "Acceptances revoked"),
)


def _status(status: Status | None) -> str:
    return status.label if status else "Absent"


def markdown(diff: Diff) -> str:
    """The comparison as Markdown."""
    facts = [
        ["Assessment", inline(diff.old_label), inline(diff.new_label)],
        ["Last change", _when(diff.old_updated), _when(diff.new_updated)],
    ]
    org = diff.organization
    if org is not None:
        facts.append(["Organization", inline(org.old_id), inline(org.new_id)])
    elif diff.old_account or diff.new_account:
        facts.append(["Account", inline(diff.old_account), inline(diff.new_account)])
    lines = [
        f"# Changes from {inline(diff.old_label)} to {inline(diff.new_label)}",
        "",
        table(["", "Before", "Now"], facts),
        "",
        f"{plural(len(diff.better), 'risk')} went down and {len(diff.worse)} went up; "
        f"{plural(len(diff.fixed), 'failing resource')} fixed and "
        f"{len(diff.new_failures)} newly failing.",
    ]
    if diff.old_account and diff.new_account and diff.old_account != diff.new_account:
        lines += [
            "",
            "These are reviews of two different accounts: a finding of one cannot be "
            "fixed or new in the other.",
        ]
    if org is not None:
        lines += ["", organization_markdown(org)]
    if diff.empty and not (org is not None and (org.added or org.removed)):
        lines += ["", "Nothing changed."]
    for kind, title in _KIND_TITLES:
        changes = diff.risks_of(kind)
        if changes:
            lines += ["", f"## {title}", "", _risk_table(changes)]
    if diff.fixed:
        lines += ["", "## Findings fixed", "", _finding_table(diff.fixed, org is not None)]
    if diff.new_failures:
        lines += [
            "",
            "## New failing findings",
            "",
            _finding_table(diff.new_failures, org is not None),
        ]
    if diff.not_rechecked:
        lines += [
            "",
            "## Not checked again",
            "",
            "These checks failed before and did not run in the newer assessment, so "
            "their failures are neither fixed nor confirmed:",
            "",
        ]
        lines += [f"- {code(cid)}" for cid in diff.not_rechecked]
    # One out of policy accepts nothing: it is listed with its flaw, not as accepted.
    flawed = {id(c.acceptance) for c in diff.acceptances_out_of_policy}
    for name, title in _ACCEPTANCE_TITLES:
        if chosen := [a for a in getattr(diff, name) if id(a) not in flawed]:
            lines += ["", f"## {title}", "", _acceptance_table(chosen)]
    if diff.acceptances_out_of_policy:
        lines += [
            "",
            "## Acceptances out of policy",
            "",
            "These break the assessment's policy, so they cover nothing: their findings "
            "count as failed.",
            "",
            _acceptance_table(
                [c.acceptance for c in diff.acceptances_out_of_policy],
                [c.flaw or "" for c in diff.acceptances_out_of_policy],
            ),
        ]
    if diff.acceptances_changed:
        lines += ["", "## Acceptances changed", "", _changed_table(diff.acceptances_changed)]
    rows = [
        [
            inline(p.title),
            f"{p.old_answered} of {p.total}",
            f"{p.new_answered} of {p.total}",
            f"{p.old_high} / {p.old_medium}",
            f"{p.new_high} / {p.new_medium}",
        ]
        for p in diff.sections
    ]
    if rows:
        lines += [
            "",
            "## Progress per section",
            "",
            table(
                [
                    "Section",
                    "Answered before",
                    "Answered now",
                    "High / medium before",
                    "High / medium now",
                ],
                rows,
            ),
        ]
    return "\n".join(lines) + "\n"


def organization_markdown(org: OrganizationChange) -> str:
    """Accounts added and removed, and every account's progress, one row each."""
    lines = ["## Accounts", ""]
    added = ", ".join(code(a) for a in org.added) or "none"
    removed = ", ".join(code(a) for a in org.removed) or "none"
    lines += [f"Accounts added to the organization: {added}.", ""]
    lines += [f"Accounts removed from it: {removed}.", ""]
    changed = [p for p in org.accounts if p.changed]
    unchanged = len(org.accounts) - len(changed)
    rows = [
        [
            code(p.account_id),
            inline(p.name),
            inline(p.ou),
            p.change.capitalize(),
            str(p.old_failing),
            str(p.new_failing),
            str(p.fixed),
            str(p.new_failures),
            f"{p.old_errors} / {p.new_errors}",
        ]
        for p in changed
    ]
    header = ["Account", "Name", "OU", "Change", "Failing before", "Failing now", "Fixed"]
    header += ["Newly failing", "Could not check before / now"]
    if rows:
        lines.append(table(header, rows))
        if unchanged:
            lines += ["", f"{plural(unchanged, 'other account')} did not change."]
    else:
        lines.append(f"None of the {plural(len(org.accounts), 'account')} changed.")
    return "\n".join(lines)


def organization_json(org: OrganizationChange | None) -> dict[str, Any] | None:
    """The organization's side of the comparison as JSON (None for single accounts)."""
    if org is None:
        return None
    return {
        "old_id": clean(org.old_id),
        "new_id": clean(org.new_id),
        "added": [clean(a) for a in org.added],
        "removed": [clean(a) for a in org.removed],
        "accounts": [
            {
                "account_id": clean(p.account_id),
                "name": clean(p.name),
                "ou": clean(p.ou),
                "change": p.change or None,
                "failing": {"old": p.old_failing, "new": p.new_failing},
                "errors": {"old": p.old_errors, "new": p.new_errors},
                "fixed": p.fixed,
                "new_failures": p.new_failures,
            }
            for p in org.accounts
        ],
    }


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def build(diff: Diff) -> dict[str, Any]:
    """The comparison as a JSON-ready dict."""

    def risk(c: RiskChange) -> dict[str, Any]:
        return {
            "question": clean(c.question),
            "section": clean(c.section),
            "title": clean(c.title),
            "old": c.old.value,
            "new": c.new.value,
            "change": c.kind,
        }

    def finding(c: FindingChange) -> dict[str, Any]:
        return {
            "check": clean(c.check),
            "title": clean(c.title),
            "severity": c.severity.value,
            "region": clean(c.region),
            "resource": clean(c.resource),
            "old": c.old.value if c.old else None,
            "new": c.new.value if c.new else None,
            "account_id": clean(c.account_id),
        }

    def acceptance(a: Acceptance) -> dict[str, Any]:
        return {
            "id": clean(a.id),
            "check": clean(a.check),
            "resource": clean(a.resource),
            "account": clean(a.account),
            "reason": clean(a.reason),
            "owner": clean(a.owner),
            "approved_by": clean(a.approved_by),
            "created": _iso(a.created),
            "expires": a.expires.isoformat(),
        }

    return {
        "old": {
            "label": clean(diff.old_label),
            "updated": _iso(diff.old_updated),
            "account_id": clean(diff.old_account),
        },
        "new": {
            "label": clean(diff.new_label),
            "updated": _iso(diff.new_updated),
            "account_id": clean(diff.new_account),
        },
        "risks": [risk(c) for c in diff.risks],
        "fixed": [finding(c) for c in diff.fixed],
        "new_failures": [finding(c) for c in diff.new_failures],
        "not_rechecked": [clean(c) for c in diff.not_rechecked],
        "acceptances": {
            "added": [acceptance(a) for a in diff.acceptances_added],
            "expired": [acceptance(a) for a in diff.acceptances_expired],
            "revoked": [acceptance(a) for a in diff.acceptances_revoked],
            "changed": [
                {**acceptance(after), "was": acceptance(before)}
                for before, after in diff.acceptances_changed
            ],
            "out_of_policy": [
                {**acceptance(c.acceptance), "flaw": c.flaw} for c in diff.acceptances_out_of_policy
            ],
        },
        "organization": organization_json(diff.organization),
        "sections": [
            {
                "section": clean(p.section),
                "title": clean(p.title),
                "total": p.total,
                "answered": {"old": p.old_answered, "new": p.new_answered},
                "high": {"old": p.old_high, "new": p.new_high},
                "medium": {"old": p.old_medium, "new": p.new_medium},
            }
            for p in diff.sections
        ],
    }


def to_json(diff: Diff) -> str:
    """The comparison as JSON text."""
    return json.dumps(build(diff), indent=2, ensure_ascii=False) + "\n"


#: The formats ``diff --format`` takes, the default first.
FORMATS: dict[str, Callable[[Diff], str]] = {"markdown": markdown, "json": to_json}


def render(diff: Diff, name: str = "markdown") -> str:
    """The comparison in format ``name``, the masked account ids masked once more
    over the whole text."""
    text = FORMATS[name](diff)
    for account in diff.masked:
        text = text.replace(account, MASK)
    return text
