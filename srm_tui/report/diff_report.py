"""The comparison of two assessments as Markdown or JSON."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from srm_tui.model import Risk
from srm_tui.report.diff import Diff, FindingChange, RiskChange
from srm_tui.report.text import code, inline, plural, table

RISK_WORD = {
    Risk.HIGH: "high",
    Risk.MEDIUM: "medium",
    Risk.NONE: "none",
    Risk.UNANSWERED: "unanswered",
    Risk.NOT_APPLICABLE: "does not apply",
}
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
        [inline(c.title), code(c.question), inline(c.section), RISK_WORD[c.old], RISK_WORD[c.new]]
        for c in changes
    ]
    return table(["Question", "Id", "Section", "Before", "Now"], rows)


def _finding_table(changes: list[FindingChange]) -> str:
    rows = [
        [
            inline(c.title),
            code(c.check),
            c.severity.value,
            inline(c.region),
            inline(c.resource),
            c.old.value if c.old else "absent",
            c.new.value if c.new else "absent",
        ]
        for c in changes[:MAX_LISTED]
    ]
    if len(changes) > MAX_LISTED:
        rows.append(["", "", "", "", f"and {len(changes) - MAX_LISTED} more", "", ""])
    return table(["Check", "Id", "Severity", "Region", "Resource", "Before", "Now"], rows)


def markdown(diff: Diff) -> str:
    """The comparison as Markdown."""
    lines = [
        f"# Changes from {inline(diff.old_label)} to {inline(diff.new_label)}",
        "",
        table(
            ["", "Before", "Now"],
            [
                ["Assessment", inline(diff.old_label), inline(diff.new_label)],
                ["Last change", _when(diff.old_updated), _when(diff.new_updated)],
            ],
        ),
        "",
        f"{plural(len(diff.better), 'risk')} went down and {len(diff.worse)} went up; "
        f"{plural(len(diff.fixed), 'failing resource')} fixed and "
        f"{len(diff.new_failures)} newly failing.",
    ]
    if diff.empty:
        lines += ["", "Nothing changed."]
    for kind, title in _KIND_TITLES:
        changes = diff.risks_of(kind)
        if changes:
            lines += ["", f"## {title}", "", _risk_table(changes)]
    if diff.fixed:
        lines += ["", "## Findings fixed", "", _finding_table(diff.fixed)]
    if diff.new_failures:
        lines += ["", "## New failing findings", "", _finding_table(diff.new_failures)]
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


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def build(diff: Diff) -> dict[str, Any]:
    """The comparison as a JSON-ready dict."""

    def risk(c: RiskChange) -> dict[str, Any]:
        return {
            "question": c.question,
            "section": c.section,
            "title": c.title,
            "old": c.old.value,
            "new": c.new.value,
            "change": c.kind,
        }

    def finding(c: FindingChange) -> dict[str, Any]:
        return {
            "check": c.check,
            "title": c.title,
            "severity": c.severity.value,
            "region": c.region,
            "resource": c.resource,
            "old": c.old.value if c.old else None,
            "new": c.new.value if c.new else None,
        }

    return {
        "old": {"label": diff.old_label, "updated": _iso(diff.old_updated)},
        "new": {"label": diff.new_label, "updated": _iso(diff.new_updated)},
        "risks": [risk(c) for c in diff.risks],
        "fixed": [finding(c) for c in diff.fixed],
        "new_failures": [finding(c) for c in diff.new_failures],
        "not_rechecked": list(diff.not_rechecked),
        "sections": [
            {
                "section": p.section,
                "title": p.title,
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
