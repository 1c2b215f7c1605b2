"""The report's first pictures: findings by severity and status, risk by section, the
responsibility matrix with the customer's part coloured by its state, and progress
across milestones. As inline SVG figures for the HTML report, as Mermaid blocks for the
Markdown report; every picture is followed by the table it summarises.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape as html_escape

from srm_tui import posture
from srm_tui.catalog import responsibility
from srm_tui.matrix_state import CellState, cell_states, short_title
from srm_tui.model import Responsibility, Risk, ScanStatus, Severity, Status
from srm_tui.report import charts
from srm_tui.report.charts import Cell, Series
from srm_tui.report.inputs import ReportInput
from srm_tui.report.text import cell, clean, inline, table

FAILED = Series("Failed", "#d1242f", "cross")
ACCEPTED = Series("Accepted risk", "#a5d6ff", "diagonal")
PASSED = Series("Passed", "#8fd19e", "solid")
ERRORS = Series("Could not check", "#eac54f", "dots")
STATUS_SERIES = (FAILED, ACCEPTED, PASSED, ERRORS)

RISK_SERIES = {
    Risk.HIGH: Series(Risk.HIGH.label, "#d1242f", "cross"),
    Risk.MEDIUM: Series(Risk.MEDIUM.label, "#fb8f44", "diagonal"),
    Risk.NONE: Series(Risk.NONE.label, "#8fd19e", "solid"),
    Risk.NOT_APPLICABLE: Series(Risk.NOT_APPLICABLE.label, "#ffffff", "vertical"),
    Risk.UNANSWERED: Series(Risk.UNANSWERED.label, "#d0d7de", "horizontal"),
}

MATRIX_AWS = Series("AWS's part (inherited)", "#eaeef2", "solid", "#57606a")
MATRIX_SERIOUS = Series("Yours: a high or critical check fails", "#d1242f", "cross")
MATRIX_FAILING = Series("Yours: a check fails", "#f2cc60", "diagonal")
MATRIX_ACCEPTED = Series("Yours: only accepted risks fail", "#a5d6ff", "diagonal")
MATRIX_PASSING = Series("Yours: checks pass", "#8fd19e", "solid")
MATRIX_UNCHECKED = Series("Yours: no check here", "#ffffff", "solid")
MATRIX_SERIES = (
    MATRIX_AWS,
    MATRIX_SERIOUS,
    MATRIX_FAILING,
    MATRIX_ACCEPTED,
    MATRIX_PASSING,
    MATRIX_UNCHECKED,
)

TREND_SERIES = (
    Series("Failing findings", "#d1242f"),
    Series("High risks", "#6e40c9"),
    Series("Medium risks", "#bc4c00"),
)


@dataclass(frozen=True, slots=True)
class Picture:
    """One chart: what both formats draw and the table that is its text alternative."""

    key: str
    title: str
    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


# --- the numbers ---------------------------------------------------------------------


def findings_picture(report: ReportInput) -> Picture | None:
    """Findings by severity and status (None before any scan)."""
    if not report.assessment.findings:
        return None
    rows = posture.by_severity(report.assessment, report.today, report.acceptances)
    failed = sum(r.failed for r in rows)
    accepted = sum(r.accepted for r in rows)
    return Picture(
        "findings",
        "Findings by severity and status",
        f"{failed} of {sum(r.total for r in rows)} findings fail"
        + (f" and {accepted} more are accepted risks" if accepted else "")
        + "; each bar is one severity, split into failed, accepted, passed and could not "
        "check.",
        ("Severity", *(s.label for s in STATUS_SERIES)),
        tuple(
            (r.severity.label, str(r.failed), str(r.accepted), str(r.passed), str(r.errors))
            for r in rows
        ),
    )


def risk_picture(report: ReportInput) -> Picture | None:
    """The questions of each section by the risk their answers leave."""
    rows = posture.by_section(report.assessment, report.sections)
    if not rows:
        return None
    high = sum(r.counts[Risk.HIGH] for r in rows)
    medium = sum(r.counts[Risk.MEDIUM] for r in rows)
    return Picture(
        "risk",
        "Risk by section of the questionnaire",
        f"{high} high and {medium} medium risks remain; each bar is one section, its "
        "questions split by the risk their answers leave.",
        ("Section", *(risk.label for risk in posture.RISKS)),
        tuple((r.title, *(str(r.counts[risk]) for risk in posture.RISKS)) for r in rows),
    )


def matrix_label(state: CellState) -> str:
    """A matrix cell with the marks the wizard shows: ``AWS``, ``Customer ✗3`` (three
    failing findings), ``Customer ~2`` (two failures, both accepted risks), ``Shared ✓``
    (its checks pass)."""
    owner = state.owner.short_label
    if state.owner is Responsibility.AWS:
        return owner
    if state.failed:
        return f"{owner} ✗{state.failed}"
    if state.accepted:
        return f"{owner} ~{state.accepted}"
    if state.passed:
        return f"{owner} ✓"
    return owner


def matrix_series(state: CellState) -> Series:
    """How a matrix cell is drawn, by the state of the customer's part."""
    if state.owner is Responsibility.AWS:
        return MATRIX_AWS
    if state.failed:
        serious = state.worst is not None and state.worst.rank >= Severity.HIGH.rank
        return MATRIX_SERIOUS if serious else MATRIX_FAILING
    if state.accepted:
        return MATRIX_ACCEPTED
    return MATRIX_PASSING if state.passed else MATRIX_UNCHECKED


@dataclass(frozen=True, slots=True)
class MatrixView:
    """The responsibility matrix of the services in use, with each cell's state."""

    matrix: responsibility.Matrix
    states: dict[tuple[str, str], CellState]
    narrowed: bool  # the scan's services chose the models


def matrix_view(report: ReportInput) -> MatrixView | None:
    """The matrix of the models in use (all before a scan), None when there is none."""
    services = report.assessment.scope.services
    matrix = responsibility.load().in_use(services)
    if not matrix.models:
        return None
    # The scan chose the models when it ran and found services, even if it found every model.
    narrowed = bool(services) and report.assessment.scan.status is not ScanStatus.NEVER
    return MatrixView(matrix, cell_states(matrix, report.assessment, report.acceptances), narrowed)


def matrix_picture(view: MatrixView) -> Picture:
    """The matrix as a table of labels (layers down, service models across)."""
    models = view.matrix.models
    failing = sum(s.failed for s in view.states.values())
    return Picture(
        "matrix",
        "Responsibility matrix",
        "Who secures each layer of each service model in use; your part is coloured by "
        f"the state of its checks, with the count of failing findings ({failing} in all).",
        ("Layer", *(short_title(m.title) for m in models)),
        tuple(
            (layer.title, *(matrix_label(view.states[(layer.id, m.id)]) for m in models))
            for layer in view.matrix.layers
        ),
    )


def trend_picture(report: ReportInput) -> Picture | None:
    """Failing findings and risks at each milestone and now (None without milestones)."""
    if not report.milestones:
        return None
    points = posture.trend(
        report.source, report.assessment, report.sections, index=report.acceptances
    )
    if len(points) < 2:
        return None
    first, last = points[0], points[-1]
    return Picture(
        "trend",
        "Progress across milestones",
        f"Failing findings went from {first.failed} at {first.name} to {last.failed} now; "
        f"high risks from {first.high} to {last.high}.",
        ("Milestone", "Taken", "Failing findings", "High risks", "Medium risks", "Answered"),
        tuple(
            (
                _masked(report, p.name),
                p.taken.strftime("%Y-%m-%d") if p.taken else "",
                str(p.failed),
                str(p.high),
                str(p.medium),
                f"{p.answered_percent}%",
            )
            for p in points
        ),
    )


def _masked(report: ReportInput, text: str) -> str:
    # A milestone's name may hold the account id: masked like every other output.
    from srm_tui.report.redaction import mask

    for account in report.masked:
        text = mask(text, account)
    return text


def _numbers(picture: Picture, columns: int) -> list[list[int]]:
    return [[int(v) for v in row[1 : 1 + columns]] for row in picture.rows]


POSTURE_SERIES = {
    "critical": Series("Critical fails", "#8250df", "cross"),
    "high": Series("High fails", "#d1242f", "cross"),
    "medium": Series("Medium fails", "#fb8f44", "diagonal"),
    "low": Series("Low fails", "#eac54f", "dots"),
    "info": Series("Info fails", "#d0d7de", "horizontal"),
    "no failures": Series("No failures", "#8fd19e", "solid"),
    "not scanned": Series("Not scanned", "#ffffff", "vertical"),
    "failed": Series("Could not be scanned", "#57606a", "diagonal"),
}
HEAT_SERIES = (
    Series("None failing", "#ffffff", "solid"),
    Series("1-2 failing", "#fdd8b5", "dots"),
    Series("3-9 failing", "#fb8f44", "diagonal"),
    Series("10 or more", "#d1242f", "cross"),
)


#: Accounts in the heat map at most (the worst ones): it stays readable at any size.
HEAT_ACCOUNTS = 15


def heat_series(count: int) -> Series:
    """How a heat map cell with ``count`` failing findings is drawn."""
    if count <= 0:
        return HEAT_SERIES[0]
    return HEAT_SERIES[1] if count < 3 else HEAT_SERIES[2] if count < 10 else HEAT_SERIES[3]


def accounts_picture(report: ReportInput) -> Picture | None:
    """An organization review's accounts by posture (None for one account)."""
    accounts = posture.accounts_of(report.assessment, report.acceptances)
    if not accounts:
        return None
    counts = posture.by_posture(accounts)
    return Picture(
        "accounts",
        "Posture of the accounts",
        f"{len(accounts)} accounts, each counted under the worst severity that fails in it.",
        ("Posture", "Accounts"),
        tuple((POSTURE_SERIES[p].label, str(n)) for p, n in counts),
    )


def heat_picture(report: ReportInput) -> tuple[Picture, posture.HeatMap] | None:
    """The worst checks' failing findings in each account (None for one account, or
    when nothing fails)."""
    accounts = posture.accounts_of(report.assessment, report.acceptances)
    if not accounts:
        return None
    worst = posture.worst_accounts(accounts, HEAT_ACCOUNTS)
    heat = posture.heat_map(
        report.assessment, [a.account_id for a in worst], index=report.acceptances
    )
    if not heat.checks:
        return None
    names = {a.account_id: a.name for a in accounts}
    which = (
        f"each of the {len(accounts)} accounts"
        if len(worst) == len(accounts)
        else f"the {len(worst)} worst of the {len(accounts)} accounts"
    )
    return (
        Picture(
            "heat",
            "Heat map: the worst checks in the worst accounts",
            f"Failing findings of the {len(heat.checks)} worst checks (most severe first) in "
            f"{which}.",
            ("Account", *heat.checks),
            tuple(
                (_account_label(a, names.get(a, "")), *(str(n) for n in row))
                for a, row in zip(heat.accounts, heat.counts, strict=True)
            ),
        ),
        heat,
    )


def _account_label(account_id: str, name: str) -> str:
    return f"{name} ({account_id})" if name else account_id


def _organization_html(report: ReportInput) -> list[str]:
    figures = []
    if picture := accounts_picture(report):
        labels = [row[0] for row in picture.rows]
        values = [
            [int(row[1]) if n == m else 0 for m in range(len(picture.rows))]
            for n, row in enumerate(picture.rows)
        ]
        svg = charts.stacked_bars(
            "chart-accounts",
            picture.title,
            picture.caption,
            labels,
            tuple(POSTURE_SERIES.values()),
            values,
        )
        figures.append(_figure(picture, svg))
    if found := heat_picture(report):
        picture, heat = found
        cells = [
            [
                Cell(str(n), heat_series(n), f"{row[0]}, {check}: {n} failing")
                for n, check in zip((int(v) for v in row[1:]), heat.checks, strict=True)
            ]
            for row in picture.rows
        ]
        svg = charts.grid(
            "chart-heat",
            picture.title,
            picture.caption,
            [row[0] for row in picture.rows],
            list(heat.checks),
            cells,
            HEAT_SERIES,
        )
        figures.append(_figure(picture, svg, wide=True))
    return figures


def _organization_markdown(report: ReportInput) -> list[str]:
    blocks = []
    if picture := accounts_picture(report):
        blocks += [
            "",
            f"### {picture.title}",
            "",
            charts.mermaid_pie(picture.title, [(row[0], int(row[1])) for row in picture.rows]),
            "",
            _table(picture),
        ]
    if found := heat_picture(report):
        picture, heat = found
        blocks += _charted(
            picture,
            charts.mermaid_xychart(
                "Accounts in which each of the worst checks fails",
                list(heat.checks),
                "Accounts",
                bars=[sum(1 for row in heat.counts if row[n]) for n in range(len(heat.checks))],
            ),
        )
    return blocks


# --- HTML ----------------------------------------------------------------------------


def cover(report: ReportInput) -> str:
    """The cover's facts and key numbers, as HTML under the title."""
    assessment = report.assessment
    scope = assessment.scope
    summary = report.summary
    regions = "all enabled regions" if scope.all_regions else ", ".join(scope.regions)
    facts = [
        ("Account", scope.account_id or "not scanned yet"),
        ("Regions", regions or "not scanned yet"),
        ("Report date", report.generated.strftime("%Y-%m-%d")),
        ("Last scan", assessment.scan.status.value),
    ]
    if scope.environment:
        facts.append(("Environment", scope.environment))
    if scope.review_owner:
        facts.append(("Review owner", scope.review_owner))
    if assessment.assessor:
        facts.append(("Assessor", assessment.assessor))
    if scope.signed_off_by or scope.signed_off:
        day = f" on {scope.signed_off.isoformat()}" if scope.signed_off else ""
        facts.append(("Signed off", f"{scope.signed_off_by or 'signed'}{day}"))
    severities = summary.failures_by_severity
    worst = ", ".join(f"{severities[s]} {s.value}" for s in posture.SEVERITIES[:2] if severities[s])
    statuses = summary.findings_by_status
    tiles = [
        (str(statuses[Status.FAIL]), "failing findings", worst),
        (str(summary.overall[Risk.HIGH]), "high risks", "in the answers"),
        (str(summary.overall[Risk.MEDIUM]), "medium risks", "in the answers"),
        (f"{summary.overall.percent_answered}%", "questions answered",
         f"{summary.overall.answered} of {summary.overall.total}"),
        (str(statuses[Status.ERROR]), "could not be checked", "neither pass nor fail"),
    ]  # fmt: skip
    if summary.accepted:
        tiles.insert(
            1, (str(summary.accepted), "accepted risks", "failing, accepted until they expire")
        )
    parts = ['<dl class="facts">']
    parts += [f"<div><dt>{_esc(k)}</dt><dd>{_esc(v)}</dd></div>" for k, v in facts]
    parts.append("</dl>")
    if scope.demo:
        parts.append('<p class="note">Emulated demo account, not a real AWS account.</p>')
    parts.append('<ul class="tiles">')
    parts += [
        f'<li><span class="number">{_esc(n)}</span> <span class="what">{_esc(what)}</span>'
        + (f' <span class="more">{_esc(more)}</span>' if more else "")
        + "</li>"
        for n, what, more in tiles
    ]
    parts.append("</ul>\n")
    return "\n".join(parts)


def _esc(text: str) -> str:
    return html_escape(" ".join(clean(text).split()))


def html(report: ReportInput) -> str:
    """The overview as HTML: every chart an SVG figure with its caption and table."""
    figures = []
    if picture := findings_picture(report):
        svg = charts.stacked_bars(
            "chart-findings",
            picture.title,
            picture.caption,
            [row[0] for row in picture.rows],
            STATUS_SERIES,
            _numbers(picture, len(STATUS_SERIES)),
        )
        figures.append(_figure(picture, svg))
    if picture := risk_picture(report):
        svg = charts.stacked_bars(
            "chart-risk",
            picture.title,
            picture.caption,
            [row[0] for row in picture.rows],
            tuple(RISK_SERIES[r] for r in posture.RISKS),
            _numbers(picture, len(posture.RISKS)),
        )
        figures.append(_figure(picture, svg))
    if view := matrix_view(report):
        picture = matrix_picture(view)
        cells = [
            [
                Cell(
                    matrix_label(state := view.states[(layer.id, m.id)]),
                    matrix_series(state),
                    _matrix_hint(layer.title, m.title, state),
                )
                for m in view.matrix.models
            ]
            for layer in view.matrix.layers
        ]
        svg = charts.grid(
            "chart-matrix",
            picture.title,
            picture.caption,
            [layer.title for layer in view.matrix.layers],
            picture.header[1:],
            cells,
            MATRIX_SERIES,
        )
        figures.append(_figure(picture, svg, wide=True))
    if picture := trend_picture(report):
        values = [[int(row[column]) for row in picture.rows] for column in (2, 3, 4)]
        svg = charts.lines(
            "chart-trend",
            picture.title,
            picture.caption,
            [row[0] for row in picture.rows],
            [
                ("Failing findings", TREND_SERIES[:1], values[:1]),
                ("Risks left by the answers", TREND_SERIES[1:], values[1:]),
            ],
        )
        figures.append(_figure(picture, svg))
    figures += _organization_html(report)
    if not figures:
        return ""
    return (
        '<section class="overview" aria-label="Overview in charts">\n'
        "<h2>Overview</h2>\n" + "\n".join(figures) + "\n</section>\n"
    )


def _figure(picture: Picture, svg: str, *, wide: bool = False) -> str:
    body = charts.figure(
        f"chart-{picture.key}",
        picture.title + ".",
        svg,
        picture.caption,
        charts.html_table(picture.header, picture.rows),
    )
    return body.replace('class="chart-figure"', 'class="chart-figure wide"', 1) if wide else body


def _matrix_hint(layer: str, model: str, state: CellState) -> str:
    if state.owner is Responsibility.AWS:
        return f"{layer}, {model}: AWS's part"
    worst = f", worst {state.worst.label.lower()}" if state.worst else ""
    accepted = f", {state.accepted} accepted" if state.accepted else ""
    return (
        f"{layer}, {model}: {state.owner.label}; {state.failed} failing{worst}{accepted}, "
        f"{state.passed} passing"
    )


# --- Markdown ------------------------------------------------------------------------


def markdown(report: ReportInput) -> str:
    """The overview as Markdown: Mermaid pie and bar charts, each followed by its table
    (GitHub and GitLab draw the charts; the tables read as plain text anywhere)."""
    blocks = []
    if picture := findings_picture(report):
        totals = [sum(int(row[i]) for row in picture.rows) for i in (1, 2, 3, 4)]
        blocks += [
            "### Findings by status",
            "",
            charts.mermaid_pie(
                "Findings by status",
                list(zip([s.label for s in STATUS_SERIES], totals, strict=True)),
            ),
            "",
            table(
                ["Status", "Findings"],
                [[s.label, str(n)] for s, n in zip(STATUS_SERIES, totals, strict=True)],
            ),
        ]
        blocks += _charted(
            picture,
            charts.mermaid_xychart(
                "Failing findings by severity",
                [row[0] for row in picture.rows],
                "Failing findings",
                bars=[int(row[1]) for row in picture.rows],
            ),
        )
    if picture := risk_picture(report):
        blocks += _charted(
            picture,
            charts.mermaid_xychart(
                "Questions at high or medium risk by section",
                [row[0] for row in picture.rows],
                "Questions",
                bars=[int(row[1]) + int(row[2]) for row in picture.rows],
                horizontal=True,
            ),
        )
    if picture := trend_picture(report):
        blocks += _charted(
            picture,
            charts.mermaid_xychart(
                "Failing findings (bars) and high and medium risks (line)",
                [row[0] for row in picture.rows],
                "Count",
                bars=[int(row[2]) for row in picture.rows],
                line_series=[[int(row[3]) + int(row[4]) for row in picture.rows]],
            ),
        )
    blocks += _organization_markdown(report)
    if not blocks:
        return ""
    return "\n".join(["## Overview", "", *blocks]).replace("\n\n\n", "\n\n")


def _charted(picture: Picture, chart: str) -> list[str]:
    """A picture's heading, its Mermaid chart and the table the chart draws."""
    return ["", f"### {picture.title}", "", chart, "", _table(picture)]


def _table(picture: Picture) -> str:
    rows = [[inline(row[0]), *(cell(v) for v in row[1:])] for row in picture.rows]
    return table([inline(h) for h in picture.header], rows)
