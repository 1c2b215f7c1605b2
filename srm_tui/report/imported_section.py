"""The Markdown (and so HTML) report's section on findings imported from other tools
(Prowler, Security Hub): per import, where it came from and how its findings sit
beside srm-tui's own (count on their own, corroborate, disagree, beside), every
disagreement listed, and the failing findings that count on their own.

Every imported value is text from another tool's file: each goes through
``report.text`` so that nothing in it becomes markup, a link or a new table row.
"""

from __future__ import annotations

from collections import Counter

from srm_tui.imports.combine import Agreement, Placed, QuestionIndex, counts_as_failure, place
from srm_tui.report.inputs import ReportInput
from srm_tui.report.text import cell, inline, plural, table

#: The most rows one table of this section lists; the JSON report has them all.
MAX_LISTED = 50
_SUMMARY = ["Source", "From", "Imported", "Findings", "Count on their own", "Corroborate",
            "Disagree", "Beside srm-tui's check", "Skipped (no verdict)"]  # fmt: skip


def render(report: ReportInput) -> str:
    """The section, or "" when the review imported nothing."""
    a = report.assessment
    if not a.imports:
        return ""
    placed = place(a)
    by_account = a.organization is not None
    lines = [
        "## Findings of other tools",
        "",
        "Imported findings sit beside srm-tui's own. Where one maps to an srm-tui check "
        "(through its AWS FSBP or CIS id) on the same resource, srm-tui's verdict counts: "
        "the import corroborates it or disagrees with it. The others count on their own, "
        "with their source named.",
        "",
        table(
            _SUMMARY,
            [_summary_row(report, source, placed) for source in sorted(a.imports)],
        ),
    ]
    questions = QuestionIndex(report.questions.values())
    for source in sorted(a.imports):
        mine = [p for p in placed if p.finding.source == source]
        lines += _disagreements(source, mine, by_account)
        lines += _counted_failures(source, mine, by_account, questions)
    return "\n".join(lines)


def _summary_row(report: ReportInput, source: str, placed: list[Placed]) -> list[str]:
    kept = report.assessment.imports[source]
    counts = Counter(p.agreement for p in placed if p.finding.source == source)
    accounts = kept.accounts()
    origin = cell(kept.origin)
    if len(accounts) > 1:
        origin += f" ({plural(len(accounts), 'account')})"
    return [
        cell(source),
        origin,
        kept.imported.strftime("%Y-%m-%d %H:%M UTC"),
        str(len(kept.findings)),
        str(counts[Agreement.COUNTS]),
        str(counts[Agreement.CORROBORATES]),
        str(counts[Agreement.DISAGREES]),
        str(counts[Agreement.BESIDE] + counts[Agreement.OWN_UNDECIDED]),
        str(kept.skipped),
    ]


def _where(placed: Placed, by_account: bool) -> list[str]:
    found = placed.finding
    cells = [cell(found.account_id)] if by_account else []
    return [*cells, cell(found.region), cell(found.resource) or "-"]


def _listed(rows: list[list[str]], header: list[str], what: str) -> list[str]:
    lines = ["", table(header, rows[:MAX_LISTED])]
    if len(rows) > MAX_LISTED:
        lines += ["", f"And {len(rows) - MAX_LISTED} more {what}: the JSON report lists all."]
    return lines


def _disagreements(source: str, placed: list[Placed], by_account: bool) -> list[str]:
    rows = [
        [
            cell(p.finding.check),
            *_where(p, by_account),
            p.finding.status.value,
            cell(", ".join(p.checks)),
            p.own.value if p.own else "-",
        ]
        for p in placed
        if p.agreement is Agreement.DISAGREES
    ]
    if not rows:
        return []
    header = [
        f"{inline(source)} check",
        *(["Account"] if by_account else []),
        "Region",
        "Resource",
        "It says",
        "srm-tui's check",
        "srm-tui says",
    ]
    return [
        "",
        f"### Where {inline(source)} disagrees with srm-tui",
        "",
        f"{plural(len(rows), 'finding')} to look at: srm-tui's verdict counts in this "
        "report until a person settles it.",
        *_listed(rows, header, "disagreements"),
    ]


def _counted_failures(
    source: str, placed: list[Placed], by_account: bool, questions: QuestionIndex
) -> list[str]:
    failing = [p for p in placed if counts_as_failure(p)]
    if not failing:
        return []
    failing.sort(key=lambda p: (-p.finding.severity.rank, p.finding.check))
    rows = [
        [
            p.finding.severity.label,
            cell(p.finding.check),
            cell(p.finding.title),
            *_where(p, by_account),
            cell(", ".join(questions.of(p))) or "-",
        ]
        for p in failing
    ]
    header = ["Severity", "Check", "Title", *(["Account"] if by_account else []), "Region",
              "Resource", "Questions"]  # fmt: skip
    return [
        "",
        f"### Failing findings of {inline(source)} that count on their own",
        "",
        f"{plural(len(rows), 'finding')} no srm-tui check covers; the questions they "
        "bear on (through their CIS or AWS FSBP ids) are named.",
        *_listed(rows, header, "failing findings"),
    ]
