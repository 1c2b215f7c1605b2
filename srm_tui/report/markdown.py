"""The Markdown report: executive summary, responsibility matrix, answers, automatic
findings, accepted risks, framework coverage and the improvement plan (by owner).

Every piece of user or AWS text goes through ``report.text`` so that nothing in it can
open a heading, break a table, inject HTML, become a link or move the terminal's
cursor. Risks, reasons, severities and responsibilities are named by their labels in
``model``, as in every other output.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from datetime import datetime

from srm_tui.acceptances import EXPIRED, IN_FORCE, OUT_OF_POLICY, covered_counts
from srm_tui.contradictions import by_choice as contradictions_by_choice
from srm_tui.contradictions import (
    imported_by_choice,
    imported_lead,
    imported_named,
    imported_not_applying_said,
    not_applying_said,
)
from srm_tui.evidence import State
from srm_tui.matrix_state import CellState
from srm_tui.model import (
    Acceptance,
    Answer,
    Assessment,
    Evidence,
    Finding,
    Question,
    Reason,
    Responsibility,
    Risk,
    Section,
    Severity,
    Status,
)
from srm_tui.report import content, imported_section, organization_overview, overview
from srm_tui.report.content import (
    CheckGroup,
    Coverage,
    ParameterChange,
    PlanItem,
    parameter_text,
)
from srm_tui.report.inputs import ReportInput
from srm_tui.report.text import block, cell, clean, code, inline, linked, plural, table
from srm_tui.scoring import RiskCounts, Summary, applies, risk_of
from srm_tui.secrets import redact

COVERAGE_LABEL = {
    Coverage.FAIL: "**fail**",
    Coverage.RISK: "**risk**",
    Coverage.PASS: "pass",
    Coverage.NOT_COVERED: "not covered",
}
#: Resources listed per check before the rest is folded into a count.
MAX_LISTED = 20
RISK_COLUMNS = (Risk.HIGH, Risk.MEDIUM, Risk.NONE, Risk.NOT_APPLICABLE, Risk.UNANSWERED)
# Only plain web links become links; anything else is shown as text.
_SAFE_URL = re.compile(r"^https?://[^\s<>()\[\]`\\|\"']+$")


def render(report: ReportInput, *, pictures: bool = True) -> str:
    """The whole report as Markdown text; ``pictures`` puts the overview's Mermaid
    charts first (the HTML report draws its own)."""
    assessment = report.assessment
    parts = [
        f"# Shared Responsibility review: {inline(assessment.name) or 'unnamed'}",
        overview.markdown(report) if pictures else "",
        # An organization review opens with its accounts, worst first.
        organization_overview.render(report),
        _summary(report),
        _matrix(report),
        _answers(report),
        _findings(report),
        imported_section.render(report),
        _acceptances(report),
        _coverage(report),
        _plan(report),
    ]
    return "\n\n".join(p for p in parts if p) + "\n"


# --- executive summary ---------------------------------------------------------------


def _when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC") if value else ""


def _summary(report: ReportInput) -> str:
    assessment = report.assessment
    summary = report.summary
    scope = assessment.scope
    scan = assessment.scan
    regions = "all enabled regions" if scope.all_regions else ", ".join(scope.regions)
    overall = summary.overall
    statuses = summary.findings_by_status
    rows = [
        ["Assessment", inline(assessment.name) or "unnamed"],
        _scope_row(assessment),
        ["Regions", inline(regions) or "not scanned yet"],
        ["Services in use", inline(", ".join(scope.services)) or "not scanned yet"],
        ["Frameworks", inline(", ".join(content.framework_name(k) for k in scope.frameworks))],
        ["Report date", report.generated.strftime("%Y-%m-%d")],
        ["Last change", _when(assessment.updated)],
        [
            "Last scan",
            f"{inline(scan.status.value)}"
            + (f", finished {_when(scan.finished)}" if scan.finished else "")
            + (f", {plural(scan.api_calls, 'API call')}" if scan.api_calls else "")
            + (f"; it covered {inline(scan.covered())}" if scan.subset else ""),
        ],
    ]
    if scope.environment:
        rows.append(["Environment", inline(scope.environment)])
    if scope.review_owner:
        rows.append(["Review owner", inline(scope.review_owner)])
    if who := content.assessor(assessment):
        rows.append(["Assessor", inline(who)])
    if scope.signed_off_by or scope.signed_off:
        day = f" on {scope.signed_off.isoformat()}" if scope.signed_off else ""
        rows.append(["Signed off", f"{inline(scope.signed_off_by) or 'signed'}{day}"])
    if owners := content.action_owners(assessment):
        rows.append(["Owners named in answers", inline(", ".join(owners))])
    answered = sorted(a.answered for a in assessment.answers.values() if a.answered)
    if answered:
        first, last = answered[0].strftime("%Y-%m-%d"), answered[-1].strftime("%Y-%m-%d")
        rows.append(["Answers given", first if first == last else f"{first} to {last}"])
    rows.append(
        [
            "Questions",
            f"{overall.answered} of {overall.total} answered ({overall.percent_answered}%)",
        ]
    )
    if assessment.acceptances:
        states = Counter(report.acceptances.standing(a).state for a in assessment.acceptances)
        in_force = states[IN_FORCE]
        rows.append(
            [
                "Accepted risks",
                f"{in_force} in force, covering {plural(summary.accepted, 'failing finding')}"
                + (f"; {states[EXPIRED]} expired" if states[EXPIRED] else "")
                + (
                    f"; {states[OUT_OF_POLICY]} out of policy, covering nothing"
                    if states[OUT_OF_POLICY]
                    else ""
                ),
            ]
        )
    if scope.demo:
        rows.append(["Note", "Emulated demo account, not a real AWS account"])
    accepted = f" ({summary.accepted} more accepted as known risks)" if summary.accepted else ""
    lines = [
        "## Executive summary",
        "",
        table(["Review", "Details"], rows),
        "",
        f"{overall[Risk.HIGH]} high and {overall[Risk.MEDIUM]} medium risks remain in the "
        f"answers. {statuses[Status.FAIL]} automatic findings failed{accepted}, "
        f"{statuses[Status.PASS]} passed and {statuses[Status.ERROR]} could not be checked.",
        "",
        "### Findings and risks by responsibility",
        "",
        _by_responsibility(summary),
        "",
        "### Top ten things to fix",
        "",
        _top(report.plan),
    ]
    lines += _trust(report)
    lines += [
        "",
        "### Progress by section",
        "",
        _by_section(report.sections, summary.by_section),
    ]
    if milestones := report.milestones:
        rows = [[inline(m.name), _when(m.created)] for m in milestones]
        lines += ["", "### Milestones", "", table(["Milestone", "Taken"], rows)]
    if changes := report.parameter_changes:
        lines += ["", "### Control parameters set by this review", "", _parameters(changes)]
    return "\n".join(lines)


def _scope_row(assessment: Assessment) -> list[str]:
    org = assessment.organization
    if org is None:
        return ["Account", inline(assessment.scope.account_id) or "not scanned yet"]
    return [
        "Organization",
        f"{inline(org.id)}: {plural(len(org.accounts), 'account')}, management account "
        f"{inline(org.management_account)}",
    ]


def _parameters(changes: list[ParameterChange]) -> str:
    rows = [
        [
            code(c.check),
            code(c.name),
            code(parameter_text(c.value)),
            code(parameter_text(c.default)) if c.default is not None else "unknown check",
        ]
        for c in changes
    ]
    note = (
        "These checks were decided with the values below instead of the defaults of "
        "the controls' published definitions."
    )
    return note + "\n\n" + table(["Check", "Parameter", "This review", "Default"], rows)


def _by_responsibility(summary: Summary) -> str:
    header = ["Responsibility", "Questions", "Answered"] + [r.label for r in RISK_COLUMNS]
    header += ["Checks failed", "Checks passed", Status.ERROR.label, "Accepted"]
    rows = []
    for owner in Responsibility:
        counts = summary.by_responsibility[owner]
        found = summary.findings_by_responsibility[owner]
        rows.append(
            [owner.label, str(counts.total), f"{counts.percent_answered}%"]
            + [str(counts[r]) for r in RISK_COLUMNS]
            + [
                str(found[Status.FAIL]),
                str(found[Status.PASS]),
                str(found[Status.ERROR]),
                str(summary.accepted_by_responsibility[owner]),
            ]
        )
    return table(header, rows)


def _imported_trust(report: ReportInput) -> list[str]:
    """The answers a failure imported from another tool contradicts: said apart from
    srm-tui's own, since srm-tui's check shows no such failure."""
    if not report.imported_contradicted:
        return []
    answers = report.assessment.answers
    rows = [
        [
            inline(question.title),
            code(question.id),
            "a practice" if answers[question.id].applicable else "does not apply",
            imported_named(found, code),
        ]
        for question, found in report.imported_contradicted
    ]
    return [
        "",
        "### Answers imported findings contradict",
        "",
        "These answers claim a practice, or say that a question does not apply, while a "
        "finding imported from another tool fails on the control of a check linked to "
        "them, where no srm-tui finding judged that control and resource.",
        "",
        table(["Question", "Id", "Answer", "Imported failing findings"], rows),
    ]


def _trust(report: ReportInput) -> list[str]:
    """What an auditor must look at before trusting the answers: contradictions,
    evidence that changed, answers due again or carried forward unconfirmed."""
    lines: list[str] = []
    if report.contradicted:
        answers = report.assessment.answers
        # A contradicted answer either claims practices or says the question does not apply.
        rows = [
            [
                inline(question.title),
                code(question.id),
                "a practice" if answers[question.id].applicable else "does not apply",
                ", ".join(code(c) for c in checks),
            ]
            for question, checks in report.contradicted
        ]
        lines += [
            "",
            "### Answers the scan contradicts",
            "",
            "These answers claim a practice that an automatic check found failing, or say "
            "that a question does not apply while a check linked to it fails (a check "
            "fails only where the account has what the question asks about).",
            "",
            table(["Question", "Id", "Answer", "Failing checks"], rows),
        ]
    lines += _imported_trust(report)
    changed = [
        (question, entry, state)
        for question, entry, state in _evidence_states(report)
        if state.alarming
    ]
    if changed:
        rows = [
            [inline(question.title), inline(entry.ref), state.label]
            for question, entry, state in changed
        ]
        lines += [
            "",
            "### Evidence that changed",
            "",
            table(["Question", "Evidence", "State"], rows),
        ]
    if report.due_answers:
        rows = [
            [inline(question.title), code(question.id), _attested(answer), due.isoformat()]
            for question, answer, due in report.due_answers
        ]
        lines += [
            "",
            "### Answers due for re-confirmation",
            "",
            table(["Question", "Id", "Last attested", "Due since"], rows),
        ]
    if report.to_confirm:
        rows = [
            [
                inline(_question_title(report, answer)),
                code(answer.question),
                inline(answer.carried_from),
            ]
            for answer in report.to_confirm
        ]
        lines += [
            "",
            "### Answers carried forward, to confirm",
            "",
            "Copied from an earlier review; each stands until someone confirms it here.",
            "",
            table(["Question", "Id", "Carried from"], rows),
        ]
    return lines


def _question_title(report: ReportInput, answer: Answer) -> str:
    question = report.questions.get(answer.question)
    return question.title if question else answer.question


def _attested(answer: Answer) -> str:
    when = answer.attested or answer.answered
    day = when.strftime("%Y-%m-%d") if when else "unknown"
    return f"{inline(answer.attested_by)}, {day}" if answer.attested_by else day


def _evidence_states(report: ReportInput) -> list[tuple[Question, Evidence, State]]:
    result = []
    for question in report.questions.values():
        answer = report.assessment.answers.get(question.id)
        if answer is None:
            continue
        for number, entry in enumerate(answer.evidence):
            if entry.is_file:
                result.append((question, entry, report.evidence_state(question.id, number)))
    return result


def _by_section(sections: Sequence[Section], by_section: dict[str, RiskCounts]) -> str:
    header = ["Section", "Questions", "Answered"] + [r.label for r in RISK_COLUMNS]
    rows = []
    for section in sections:
        counts = by_section.get(section.id) or RiskCounts()
        rows.append(
            [inline(section.title), str(counts.total), f"{counts.percent_answered}%"]
            + [str(counts[r]) for r in RISK_COLUMNS]
        )
    return table(header, rows)


def _priority(item: PlanItem) -> str:
    if item.kind == "question":
        return Risk(item.level).label.lower()
    return f"{Severity(item.level).label.lower()} severity"


def _top(plan: list[PlanItem]) -> str:
    chosen = content.top(plan)
    if not chosen:
        return "Nothing to fix: no answer leaves a risk and no check failed."
    rows = []
    for number, item in enumerate(chosen, 1):
        if item.kind == "question":
            what = f"Question in {inline(item.where)}"
        else:
            what = f"Check failed for {plural(item.resources, 'resource')} ({inline(item.where)})"
        rows.append(
            [
                str(number),
                _priority(item),
                inline(item.title),
                what,
                item.responsibility.label,
                inline(item.owner),
                item.due.isoformat() if item.due else "",
            ]
        )
    return table(["#", "Priority", "What", "Kind", "Responsibility", "Owner", "Due"], rows)


# --- responsibility matrix -----------------------------------------------------------


def _matrix(report: ReportInput) -> str:
    view = overview.matrix_view(report)
    if view is None:
        return ""
    scope_note = (
        "the ways of running things that the last scan found in use"
        if view.narrowed
        else "the common ways of running things on AWS (no scan has narrowed them down yet)"
    )
    header = ["Layer"] + [inline(m.title) for m in view.matrix.models]
    rows = [
        [inline(layer.title)]
        + [_matrix_cell(view.states[(layer.id, m.id)]) for m in view.matrix.models]
        for layer in view.matrix.layers
    ]
    return (
        "## Responsibility matrix\n\n"
        f"Who secures each layer, for {scope_note}. "
        "AWS: inherited from AWS and its attestations; Shared: AWS provides the mechanism, "
        "you must use it well; Customer: yours alone. ✗n: n failing findings in your part "
        "(in bold when a high or critical check fails); ~n: n failures, all accepted risks; "
        "✓: its checks pass.\n\n" + table(header, rows)
    )


def _matrix_cell(state: CellState) -> str:
    # The customer's failing layers stand out: they are the point of the matrix.
    label = overview.matrix_label(state)
    return f"**{label}**" if overview.matrix_series(state) is overview.MATRIX_SERIOUS else label


# --- answers -------------------------------------------------------------------------


def _link(text: str) -> str:
    # Evidence is the reviewer's own link: any plain web address stays one.
    stripped = clean(text).strip()
    if _SAFE_URL.match(stripped):
        return f"<{stripped}>"
    return inline(text)


def _frameworks(question: Question) -> str:
    parts = [
        f"{cell(key)} {cell(', '.join(ids))}" for key, ids in question.frameworks.items() if ids
    ]
    return "; ".join(parts)


def _evidence_line(report: ReportInput, answer: Answer, number: int, entry: Evidence) -> str:
    if not entry.is_file:
        line = f"- Evidence: {_link(entry.ref)}"
    else:
        size = f", {entry.size:,} bytes" if entry.size is not None else ""
        digest = f", SHA-256 {code(entry.sha256)}" if entry.sha256 else ""
        line = f"- Evidence file: {code(entry.ref)}{size}{digest}"
    who = f" by {inline(entry.by)}" if entry.by else ""
    if entry.added:
        line += f" (added {entry.added.strftime('%Y-%m-%d')}{who})"
    elif who:
        line += f" (added{who})"
    if entry.note:
        line += f": {inline(entry.note)}"
    state = report.evidence_state(answer.question, number)
    if state.alarming:
        line += f" **{state.label}**"
    return line


def _answers(report: ReportInput) -> str:
    assessment = report.assessment
    sections = report.sections
    by_check = {g.record.id: g for g in report.groups}
    lines = ["## Answers"]
    for section in sections:
        lines += ["", f"### {inline(section.title)}"]
        for question in section.questions:
            answer = assessment.answers.get(question.id)
            risk = risk_of(question, answer)
            lines += ["", f"#### {inline(question.title)}", ""]
            if (answer is None or not answer.is_answered) and not applies(
                question, assessment.scope.services
            ):
                needs = ", ".join(question.applies_when)
                lines.append(f"- Not asked: it applies only when {inline(needs)} is in use")
                continue
            lines.append(f"- Risk: **{risk.label}**")
            lines.append(f"- Responsibility: {question.responsibility.label}")
            if refs := _frameworks(question):
                lines.append(f"- Frameworks: {refs}")
            if answer is not None and answer.is_answered:
                if not answer.applicable:
                    reason = answer.reason or Reason.OTHER
                    line = f"- {Risk.NOT_APPLICABLE.label}: {reason.label}"
                    if checks := report.contradictions(question, answer):
                        line += " **contradicted by the scan**: " + not_applying_said(
                            [code(c) for c in checks]
                        )
                    if found := report.imported_contradictions(question, answer):
                        line += f" **{imported_lead(found)}**: "
                        line += imported_not_applying_said(found, code)
                    lines.append(line)
                else:
                    lines.append("- Answer:")
                    contradicted = contradictions_by_choice(
                        question, answer, report.failing_for(question)
                    )
                    imported = imported_by_choice(
                        question, answer, report.imported_contradictions(question, answer)
                    )
                    for choice in question.choices:
                        mark = "x" if choice.id in answer.selected else " "
                        flag = ""
                        if checks := contradicted.get(choice.id):
                            flag = " **contradicted by the scan**: " + ", ".join(
                                f"{code(c)} fails" for c in checks
                            )
                        if found := imported.get(choice.id):
                            flag += f" **{imported_lead(found)}**: {imported_named(found, code)}"
                        lines.append(f"    - \\[{mark}\\] {inline(choice.title)}{flag}")
            if answer is not None:
                lines += _attestation(report, question, answer)
                if answer.owner:
                    lines.append(f"- Owner: {inline(answer.owner)}")
                if answer.due:
                    lines.append(f"- Due: {answer.due.isoformat()}")
                for number, entry in enumerate(answer.evidence):
                    lines.append(_evidence_line(report, answer, number, entry))
            for cid in question.checks:
                group = by_check.get(cid)
                if group is None:
                    lines.append(f"- Automatic check {code(cid)}: not run yet")
                    continue
                counts = (
                    f"{len(group.failed)} failing, {len(group.passed)} passing, "
                    f"{len(group.errors)} could not be checked"
                )
                if group.not_applicable:
                    counts += f", {len(group.not_applicable)} not applicable"
                lines.append(
                    f"- Automatic check {inline(group.record.title)} ({code(cid)}): {counts}"
                )
            if answer is not None and answer.notes.strip():
                lines += ["", "Notes:", "", block(redact(answer.notes))]
    known = {q.id for s in sections for q in s.questions}
    retired = [a for qid, a in sorted(assessment.answers.items()) if qid not in known]
    if retired:
        lines += ["", "### Answers to questions no longer in the catalogue", ""]
        for answer in retired:
            lines.append(f"- {code(answer.question)}: {answer.risk.label}")
    return "\n".join(lines)


def _attestation(report: ReportInput, question: Question, answer: Answer) -> list[str]:
    if not answer.is_answered:
        return []
    lines = []
    if answer.carried_from:
        state = "**to confirm**" if answer.to_confirm else "confirmed"
        lines.append(f"- Carried forward from {inline(answer.carried_from)}: {state}")
    if answer.attested_by or answer.attested:
        lines.append(f"- Attested: {_attested(answer)}")
    due = report.review_due(question, answer)
    if due is not None:
        if due <= report.today:
            lines.append(f"- **Due for re-confirmation** since {due.isoformat()}")
        else:
            lines.append(f"- Re-confirm by {due.isoformat()}")
    return lines


# --- automatic findings --------------------------------------------------------------


def _where(finding: Finding) -> str:
    """The region, and in an organization review the account too."""
    if finding.account_id:
        return f"account {inline(finding.account_id)}, {inline(finding.region)}"
    return inline(finding.region)


def _resource(finding: Finding, group: CheckGroup | None = None) -> str:
    label = f"{inline(finding.resource)} ({_where(finding)})"
    if finding.detail:
        label += f": {inline(redact(finding.detail))}"
    covered = group.exception(finding) if group is not None else None
    if covered is not None:
        acceptance = covered.acceptance
        if covered.flaw is not None:
            label += (
                f" (acceptance {code(acceptance.id)} **out of policy**: {inline(covered.flaw)})"
            )
        elif covered.expired:
            label += (
                f" (acceptance {code(acceptance.id)} **expired** {acceptance.expires.isoformat()})"
            )
        else:
            label += f" (accepted: {code(acceptance.id)}, until {acceptance.expires.isoformat()})"
    return label


def _findings(report: ReportInput) -> str:
    assessment = report.assessment
    groups = report.groups
    if not assessment.findings and not assessment.checks:
        return "## Automatic findings\n\nNo scan has been run for this assessment yet."
    failing = [g for g in groups if g.failed]
    accounts = organization_overview.scanned_accounts(report)
    lines = [
        "## Automatic findings",
        "",
        f"{plural(len(groups), 'check')} ran: {len(failing)} found failing resources, "
        f"{sum(1 for g in groups if g.errors)} could not check everything.",
    ]
    severity = None
    service = None
    for group in failing:
        record = group.record
        if record.severity != severity:
            severity = record.severity
            service = None
            count = sum(1 for g in failing if g.record.severity == severity)
            lines += [
                "",
                f"### {severity.label} severity ({plural(count, 'check')} failing)",
            ]
        if record.service != service:
            service = record.service
            lines += ["", f"#### {inline(service)}", ""]
        accepted = len(group.accepted)
        lines.append(
            f"- **{inline(record.title)}** ({code(record.id)}): {len(group.failed)} of "
            f"{plural(group.total, 'resource')} fail"
            + (f", {accepted} of them accepted." if accepted else ".")
        )
        if accounts:
            lines.append(organization_overview.check_accounts_line(group, accounts))
        if record.remediation:
            lines.append(f"  Fix: {linked(record.remediation)}")
        for finding in group.failed[:MAX_LISTED]:
            lines.append(f"    - {_resource(finding, group)}")
        if len(group.failed) > MAX_LISTED:
            lines.append(f"    - and {len(group.failed) - MAX_LISTED} more")
    if not failing:
        lines += ["", "No check failed."]
    passed = [g for g in groups if g.passed and not g.failed]
    if passed:
        rows = [
            [
                inline(g.record.title),
                code(g.record.id),
                inline(g.record.service),
                str(len(g.passed)),
            ]
            for g in passed
        ]
        lines += [
            "",
            "### Checks that passed",
            "",
            table(["Check", "Id", "Service", "Resources"], rows),
        ]
    errors = [g for g in groups if g.errors]
    scan_errors = assessment.scan.errors
    if errors or scan_errors:
        lines += [
            "",
            "### Could not be checked",
            "",
            "These results are neither a pass nor a fail: the check could not tell.",
        ]
    if scan_errors:
        lines += ["", "The scan reported:", ""]
        lines += [f"- {inline(redact(e))}" for e in scan_errors[:MAX_LISTED]]
        if len(scan_errors) > MAX_LISTED:
            lines.append(f"- and {len(scan_errors) - MAX_LISTED} more")
    if errors:
        rows = []
        for group in sorted(errors, key=lambda g: g.record.id):
            for finding in group.errors[:MAX_LISTED]:
                rows.append(
                    [
                        code(group.record.id),
                        _where(finding),
                        inline(finding.resource),
                        inline(redact(finding.detail)) or "no reason given",
                    ]
                )
            if len(group.errors) > MAX_LISTED:
                more = len(group.errors) - MAX_LISTED
                rows.append([code(group.record.id), "", f"and {more} more", ""])
        lines += ["", table(["Check", "Region", "Resource", "Reason"], rows)]
    return "\n".join(lines)


# --- accepted risks ------------------------------------------------------------------


def _acceptances(report: ReportInput) -> str:
    acceptances = report.assessment.acceptances
    if not acceptances:
        return ""
    counts = covered_counts(report.assessment, report.today, report.acceptances)
    read = [report.acceptances.standing(a) for a in acceptances]
    lines = [
        "## Accepted risks",
        "",
        "Failing checks accepted as known risks, each with a reason, an owner and an "
        "expiry. An accepted finding stays failed in the findings; it counts as accepted "
        "until the acceptance expires, and as failed again afterwards. An acceptance out "
        "of the assessment's policy (no owner, no reason, or a longer term than "
        f"{report.assessment.max_acceptance_days} days) covers nothing.",
    ]
    header = ["Id", "Check", "Resources", "Account", "Reason", "Owner", "Approved by"]
    header += ["Created", "Expires", "Failing findings"]
    for title, state in (("In force", IN_FORCE), ("Expired", EXPIRED)):
        rows = [
            _acceptance_row(c.acceptance, counts.get(c.acceptance.id, 0))
            for c in read
            if c.state == state
        ]
        if rows:
            lines += ["", f"### {title}", "", table(header, rows)]
    flawed = [
        [*_acceptance_row(c.acceptance, counts.get(c.acceptance.id, 0)), inline(c.flaw or "")]
        for c in read
        if c.state == OUT_OF_POLICY
    ]
    if flawed:
        lines += ["", "### Out of policy", "", table([*header, "Out of policy"], flawed)]
    return "\n".join(lines)


def _acceptance_row(acceptance: Acceptance, covered: int) -> list[str]:
    return [
        code(acceptance.id),
        code(acceptance.check),
        code(acceptance.resource),
        inline(acceptance.account) or "any",
        inline(acceptance.reason),
        inline(acceptance.owner),
        inline(acceptance.approved_by),
        acceptance.created.strftime("%Y-%m-%d") if acceptance.created else "",
        acceptance.expires.isoformat(),
        str(covered),
    ]


# --- framework coverage --------------------------------------------------------------


def _coverage(report: ReportInput) -> str:
    keys = report.assessment.scope.frameworks
    if not keys:
        return ""
    lines = [
        "## Framework coverage",
        "",
        "Each id's status from the checks and answers that cite it: fail (a check "
        "failed), risk (an answer leaves a high or medium risk), pass, or not covered.",
    ]
    for key in keys:
        rows = report.coverage(key)
        counts = {status: sum(1 for r in rows if r.status is status) for status in Coverage}
        lines += [
            "",
            f"### {inline(content.framework_name(key))}",
            "",
            f"{len(rows)} ids: {counts[Coverage.FAIL]} fail, {counts[Coverage.RISK]} at risk, "
            f"{counts[Coverage.PASS]} pass, {counts[Coverage.NOT_COVERED]} not covered.",
            "",
        ]
        body = []
        for row in rows:
            evidence = ", ".join(code(c) for c in row.checks[:5])
            if len(row.checks) > 5:
                evidence += f" and {len(row.checks) - 5} more checks"
            if row.questions:
                asked = ", ".join(code(q) for q in row.questions[:5])
                evidence = f"{evidence}; {asked}" if evidence else asked
            body.append([cell(row.id), cell(row.title), COVERAGE_LABEL[row.status], evidence])
        lines.append(table(["Id", "Title", "Status", "Checks and questions"], body))
    return "\n".join(lines)


# --- improvement plan ----------------------------------------------------------------


def _plan(report: ReportInput) -> str:
    plan = report.plan
    if not plan:
        return (
            "## Improvement plan\n\nNo answer leaves a high or medium risk and no check "
            "failed (accepted risks aside)."
        )
    overdue = sum(1 for item in plan if item.overdue(report.today))
    lines = [
        "## Improvement plan",
        "",
        "Grouped by owner; each owner's items soonest due first, then most urgent. "
        + (
            f"{plural(overdue, 'item is', 'items are')} overdue."
            if overdue
            else "Nothing is overdue."
        ),
    ]
    number = 0
    for owner, items in content.by_owner(plan):
        lines += ["", f"### {('Owner: ' + inline(owner)) if owner else 'No owner yet'}", ""]
        for item in items:
            number += 1
            lines += _plan_item(number, item, report)
    return "\n".join(lines)


def _plan_item(number: int, item: PlanItem, report: ReportInput) -> list[str]:
    extra = []
    if item.owner:
        extra.append(f"owner: {inline(item.owner)}")
    if item.due:
        extra.append(f"due: {item.due.isoformat()}")
    if item.kind == "question":
        where = f"question in {inline(item.where)}"
    else:
        where = f"check {code(item.id)}, {plural(item.resources, 'failing resource')}"
        if item.resource:
            where += f" matching {code(item.resource)}"
    details = "; ".join([where, *extra])
    late = " **overdue**" if item.overdue(report.today) else ""
    lines = [
        f"{number}. **{_priority(item).capitalize()}**: {inline(item.title)} ({details}){late}"
    ]
    # Nested under the item's content column, which widens with the number.
    indent = " " * len(f"{number}. ")
    lines += [f"{indent}- {linked(action)}" for action in item.actions]
    return lines
