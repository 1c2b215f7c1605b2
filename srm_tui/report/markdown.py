"""The Markdown report: scope, summary, answers, findings and an improvement plan."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from srm_tui.model import Assessment, Responsibility, Risk, Section, Status
from srm_tui.report.text import block, inline, table
from srm_tui.scoring import missing_practices, risk_of, summarise
from srm_tui.secrets import redact

RISK_LABEL = {
    Risk.HIGH: "High risk",
    Risk.MEDIUM: "Medium risk",
    Risk.NONE: "No risk",
    Risk.UNANSWERED: "Unanswered",
    Risk.NOT_APPLICABLE: "Does not apply",
}
OWNER_LABEL = {
    Responsibility.AWS: "AWS (inherited)",
    Responsibility.SHARED: "Shared",
    Responsibility.CUSTOMER: "Customer",
}
MAX_LISTED = 20


def render(assessment: Assessment, sections: Sequence[Section]) -> str:
    """The whole report as Markdown text."""
    parts = [
        f"# Shared Responsibility review: {inline(assessment.name) or 'unnamed'}",
        _scope(assessment),
        _summary(assessment, sections),
        _plan(assessment, sections),
        _answers(assessment, sections),
        _findings(assessment),
    ]
    return "\n\n".join(p for p in parts if p) + "\n"


def _scope(assessment: Assessment) -> str:
    scope = assessment.scope
    regions = "all enabled regions" if scope.all_regions else ", ".join(scope.regions)
    rows = [
        ["Account", inline(scope.account_id) or "not scanned yet"],
        ["Regions", inline(regions) or "not scanned yet"],
        ["Created", assessment.created.strftime("%Y-%m-%d %H:%M UTC")],
        ["Last change", assessment.updated.strftime("%Y-%m-%d %H:%M UTC")],
        ["Last scan", inline(assessment.scan.status.value)],
    ]
    if scope.demo:
        rows.append(["Note", "Emulated demo account, not a real AWS account"])
    return "## Scope\n\n" + table(["", ""], rows)


def _summary(assessment: Assessment, sections: Sequence[Section]) -> str:
    summary = summarise(assessment, sections)
    risk_cols = [Risk.HIGH, Risk.MEDIUM, Risk.NONE, Risk.NOT_APPLICABLE, Risk.UNANSWERED]
    header = ["", "Questions", "Answered"] + [RISK_LABEL[r] for r in risk_cols]
    header += ["Checks failed", "Checks passed", "Could not check"]
    rows = []
    for owner in Responsibility:
        counts = summary.by_responsibility[owner]
        found = summary.findings_by_responsibility[owner]
        rows.append(
            [OWNER_LABEL[owner], str(counts.total), f"{counts.percent_answered}%"]
            + [str(counts[r]) for r in risk_cols]
            + [str(found[Status.FAIL]), str(found[Status.PASS]), str(found[Status.ERROR])]
        )
    by_owner = table(header, rows)
    header = ["Section", "Questions", "Answered"] + [RISK_LABEL[r] for r in risk_cols]
    rows = []
    for section in sections:
        counts = summary.by_section[section.id]
        rows.append(
            [inline(section.title), str(counts.total), f"{counts.percent_answered}%"]
            + [str(counts[r]) for r in risk_cols]
        )
    overall = summary.overall
    return (
        "## Summary\n\n"
        f"{overall.answered} of {overall.total} questions answered "
        f"({overall.percent_answered}%): {overall[Risk.HIGH]} high and "
        f"{overall[Risk.MEDIUM]} medium risks. "
        f"{summary.findings_by_status[Status.FAIL]} automatic findings failed, "
        f"{summary.findings_by_status[Status.ERROR]} could not be checked.\n\n"
        "### By responsibility\n\n" + by_owner + "\n\n### By section\n\n" + table(header, rows)
    )


def _plan(assessment: Assessment, sections: Sequence[Section]) -> str:
    items = []
    for section in sections:
        for question in section.questions:
            answer = assessment.answers.get(question.id)
            risk = risk_of(question, answer)
            if answer is None or risk not in (Risk.HIGH, Risk.MEDIUM):
                continue
            items.append((risk.rank, section, question, answer, risk))
    if not items:
        return "## Improvement plan\n\nNo answered question leaves a high or medium risk."
    items.sort(key=lambda item: -item[0])
    lines = ["## Improvement plan", ""]
    for number, (_, section, question, answer, risk) in enumerate(items, 1):
        extra = []
        if answer.owner:
            extra.append(f"owner: {inline(answer.owner)}")
        if answer.due:
            extra.append(f"due: {answer.due.isoformat()}")
        tail = f" ({'; '.join(extra)})" if extra else ""
        lines.append(
            f"{number}. **{RISK_LABEL[risk]}**: {inline(question.title)} "
            f"[{inline(section.title)}]{tail}"
        )
        for title, improvement in missing_practices(question, answer):
            lines.append(f"    - {inline(title)}: {inline(improvement)}")
    return "\n".join(lines)


def _answers(assessment: Assessment, sections: Sequence[Section]) -> str:
    lines = ["## Answers"]
    for section in sections:
        lines += ["", f"### {inline(section.title)}"]
        for question in section.questions:
            answer = assessment.answers.get(question.id)
            risk = risk_of(question, answer)
            lines += ["", f"#### {inline(question.title)}", ""]
            lines.append(
                f"- Risk: **{RISK_LABEL[risk]}**; owner of the control: "
                f"{OWNER_LABEL[question.responsibility]}"
            )
            if answer is None or not answer.is_answered:
                continue
            if not answer.applicable:
                reason = answer.reason.value.replace("_", " ") if answer.reason else "no reason"
                lines.append(f"- Does not apply: {inline(reason)}")
            else:
                for choice in question.choices:
                    mark = "x" if choice.id in answer.selected else " "
                    lines.append(f"- [{mark}] {inline(choice.title)}")
            if answer.owner:
                lines.append(f"- Owner: {inline(answer.owner)}")
            if answer.due:
                lines.append(f"- Due: {answer.due.isoformat()}")
            for link in answer.evidence:
                lines.append(f"- Evidence: {inline(link)}")
            if answer.notes.strip():
                lines += ["", "Notes:", "", block(answer.notes)]
    retired = [a for qid, a in assessment.answers.items() if not _known(qid, sections)]
    if retired:
        lines += ["", "### Answers to questions no longer in the catalogue", ""]
        for answer in retired:
            lines.append(f"- {inline(answer.question)}: {RISK_LABEL[answer.risk]}")
    return "\n".join(lines)


def _known(qid: str, sections: Sequence[Section]) -> bool:
    return any(q.id == qid for s in sections for q in s.questions)


def _findings(assessment: Assessment) -> str:
    if not assessment.findings:
        return "## Automatic findings\n\nNo scan has been run for this assessment yet."
    failed: dict[str, list[str]] = defaultdict(list)
    errors: dict[str, list[str]] = defaultdict(list)
    for f in assessment.findings:
        label = f"{f.resource} ({f.region})"
        if f.detail:
            label += f": {redact(f.detail)}"
        if f.status is Status.FAIL:
            failed[f.check].append(label)
        elif f.status is Status.ERROR:
            errors[f.check].append(label)
    lines = ["## Automatic findings"]
    order = sorted(
        failed,
        key=lambda c: (-assessment.checks[c].severity.rank if c in assessment.checks else 0, c),
    )
    if not order:
        lines += ["", "No check failed."]
    for cid in order:
        record = assessment.checks.get(cid)
        title = record.title if record else cid
        severity = record.severity.value if record else "unknown"
        lines += ["", f"### {inline(title)}", "", f"Check `{cid}`, severity {severity}."]
        if record and record.remediation:
            lines.append(f"Fix: {inline(record.remediation)}")
        lines.append("")
        for label in failed[cid][:MAX_LISTED]:
            lines.append(f"- {inline(label)}")
        if len(failed[cid]) > MAX_LISTED:
            lines.append(f"- and {len(failed[cid]) - MAX_LISTED} more")
    if errors:
        lines += ["", "### Could not be checked", ""]
        for cid, labels in sorted(errors.items()):
            for label in labels[:MAX_LISTED]:
                lines.append(f"- `{cid}`: {inline(label)}")
            if len(labels) > MAX_LISTED:
                lines.append(f"- `{cid}`: and {len(labels) - MAX_LISTED} more")
    return "\n".join(lines)
