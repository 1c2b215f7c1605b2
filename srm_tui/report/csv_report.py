"""CSV for spreadsheets: one row per finding (with the acceptance covering it, in force,
expired or out of policy and why, and its account, every account's in an organization
review), or (``--plan``) one per plan item (with its owner, due date and status).

A cell that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return) gets a leading apostrophe, so a resource name such
as ``=HYPERLINK(...)`` stays text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence

from srm_tui import acceptances
from srm_tui.acceptances import Covered
from srm_tui.report import content
from srm_tui.report.inputs import ReportInput
from srm_tui.report.text import clean
from srm_tui.secrets import redact

FINDING_COLUMNS = (
    "check", "title", "service", "region", "resource", "status", "severity",
    "responsibility", "detail", "remediation", "frameworks",
    "accepted", "acceptance", "acceptance_owner", "acceptance_expires", "account_id",
    "acceptance_flaw",
)  # fmt: skip
PLAN_COLUMNS = (
    "rank", "priority", "kind", "id", "title", "where", "responsibility", "owner", "due",
    "failing_resources", "actions", "status", "resources",
)  # fmt: skip
#: What the ``accepted`` column says of a failing finding an acceptance covers.
ACCEPTED, EXPIRED, OUT_OF_POLICY = "yes", "expired", "out of policy"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe(value: object) -> str:
    """A cell's text, with control characters dropped and formulas defused."""
    text = clean(str(value)) if not isinstance(value, str) else clean(value)
    # Some spreadsheets skip leading spaces before deciding that a cell is a formula.
    if text.lstrip(" ").startswith(_FORMULA_START):
        return "'" + text
    return text


def frameworks_cell(frameworks: Mapping[str, Sequence[str]]) -> str:
    """``cis-aws-7.0: 2.2, 2.3; aws-fsbp: S3.8``."""
    return "; ".join(f"{key}: {', '.join(ids)}" for key, ids in frameworks.items() if ids)


def _write(
    columns: Sequence[str], rows: Iterable[Sequence[object]], *, made_safe: bool = False
) -> str:
    """The CSV text; every cell goes through ``safe`` unless the rows say they did."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    if made_safe:
        writer.writerows(rows)
    else:
        writer.writerows([safe(v) for v in row] for row in rows)
    return out.getvalue()


def render(report: ReportInput) -> str:
    """The findings, or the improvement plan when ``report.plan_only``."""
    return plan(report) if report.plan_only else findings(report)


def findings(report: ReportInput) -> str:
    """Every finding, worst severity first, then by service, check, region, resource."""

    own_account = safe(report.assessment.scope.account_id)

    def rows() -> Iterable[Sequence[str]]:
        regions: dict[str, str] = {}
        for group in report.groups:
            record = group.record
            # The check's own cells are the same on each of its findings: made safe once.
            head = [safe(record.id), safe(record.title), safe(record.service)]
            tail = [record.severity.value, record.responsibility.value]
            end = [safe(record.remediation), safe(frameworks_cell(record.frameworks))]
            for bucket in (group.failed, group.errors, group.passed, group.not_applicable):
                for f in bucket:
                    region = regions.get(f.region)
                    if region is None:
                        region = regions[f.region] = safe(f.region)
                    yield [
                        *head,
                        region,
                        safe(f.resource),
                        f.status.value,
                        *tail,
                        safe(redact(f.detail)),
                        *end,
                        *_exception(covered := group.exception(f)),
                        safe(f.account_id) if f.account_id else own_account,
                        # Added after account_id: columns are only ever appended.
                        safe(covered.flaw) if covered is not None and covered.flaw else "",
                    ]

    return _write(FINDING_COLUMNS, rows(), made_safe=True)


def _exception(covered: Covered | None) -> list[str]:
    if covered is None:
        return ["", "", "", ""]
    a = covered.acceptance
    state = {acceptances.EXPIRED: EXPIRED, acceptances.OUT_OF_POLICY: OUT_OF_POLICY}.get(
        covered.state, ACCEPTED
    )
    return [state, safe(a.id), safe(a.owner), a.expires.isoformat()]


def plan(report: ReportInput) -> str:
    """The improvement plan, most urgent first; ``status`` is ``overdue`` once the due
    date has passed on the report's day, else ``open``."""
    rows = (
        (
            rank,
            content.PRIORITY_LABEL[item.priority],
            item.kind,
            item.id,
            item.title,
            item.where,
            item.responsibility.value,
            item.owner,
            item.due.isoformat() if item.due else "",
            item.resources if item.kind == "check" else "",
            "\n".join(item.actions),
            item.status(report.today),
            item.resource,
        )
        for rank, item in enumerate(report.plan, 1)
    )
    return _write(PLAN_COLUMNS, rows)
