"""The reports' pictures: the HTML overview's SVG charts, each with its caption and the
table it summarises, nothing fetched and no script; the Markdown's Mermaid blocks, valid
and each followed by its table; the trend read from the milestones."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import pytest
import report_samples as samples
from markdown_it import MarkdownIt
from mermaid_grammar import MermaidError, check

from srm_tui import milestones, posture, store
from srm_tui.model import Finding, Status
from srm_tui.report import charts, formats, html_report, markdown, overview
from srm_tui.report.inputs import ReportInput, prepare

PARSER = MarkdownIt("commonmark", {"html": False}).enable("table")
HOSTILE = 'pipe | "quote" ]bracket[ ; semi # <script>x</script> `tick` \x1b[2J\n--> arrow'


def figures(page: str) -> dict[str, ET.Element]:
    """Every figure of the page by id, parsed as XML (so each is well formed)."""
    found = re.findall(r'<figure class="chart-figure[^"]*".*?</figure>', page, re.DOTALL)
    parsed = [ET.fromstring(f) for f in found]
    return {f.get("id", ""): f for f in parsed}


def texts(element: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in element.iter("text")]


def table_rows(element: ET.Element) -> list[list[str]]:
    table = element.find("table")
    assert table is not None
    return [["".join(c.itertext()) for c in row] for row in table.iter("tr")]


@pytest.fixture
def with_milestones(tmp_path: Path) -> Path:
    """The sample assessment with two milestones: one with twice the failures and two
    answers only, one as it is now."""
    path = tmp_path / "review.toml"
    old = samples.assessment()
    old.findings = old.findings + [
        replace(f, resource=f.resource + "-old") for f in old.findings if f.status is Status.FAIL
    ]
    old.answers = dict(list(old.answers.items())[:2])
    store.save(old, path)
    milestones.create(path, "q1")
    store.save(samples.assessment(), path)
    milestones.create(path, "q2")
    return path


def html_of(path: Path | None = None, assessment=None) -> str:
    a = assessment or (store.load(path) if path else samples.assessment())
    return formats.report(a, samples.sections(), "html", path=path)


# --- HTML ----------------------------------------------------------------------------


def test_every_chart_has_a_title_a_caption_and_its_table(with_milestones):
    page = html_of(with_milestones)
    found = figures(page)
    assert set(found) == {
        "chart-findings-figure",
        "chart-risk-figure",
        "chart-matrix-figure",
        "chart-trend-figure",
    }
    for figure in found.values():
        svg = figure.find("svg")
        assert svg is not None and svg.get("role") == "img"
        # The accessible name and description are the SVG's own title and desc.
        ids = (svg.get("aria-labelledby") or "").split()
        named = {e.get("id"): e for e in svg.iter() if e.get("id")}
        assert [named[i].tag for i in ids] == ["title", "desc"]
        assert all("".join(named[i].itertext()).strip() for i in ids)
        caption = figure.find("figcaption")
        assert caption is not None and "".join(caption.itertext()).strip()
        rows = table_rows(figure)
        assert len(rows) >= 2 and all(len(r) == len(rows[0]) for r in rows)
    # The overview comes right after the cover, before the first section.
    assert page.index('<header class="cover">') < page.index("chart-findings")
    assert page.index("chart-trend") < page.index("<h2>Executive summary</h2>")


def test_no_script_and_nothing_fetched(with_milestones):
    page = html_of(with_milestones)
    assert "<script" not in page.lower()
    overview_html = page[page.index('<section class="overview"') : page.index("</section>")]
    assert "http:" not in overview_html and "https:" not in overview_html
    assert not re.search(r"\b(?:src|href|xlink:href)=", overview_html)
    # Patterns are the page's own: every url() points inside it.
    assert set(re.findall(r"url\((.)", page)) <= {"#"}
    for reference in re.findall(r"url\(#([^)]+)\)", page):
        assert f'id="{reference}"' in page


def test_findings_chart_counts_and_prints_in_black_and_white():
    page = html_of()
    figure = figures(page)["chart-findings-figure"]
    rows = table_rows(figure)
    assert rows[0] == ["Severity", "Failed", "Accepted risk", "Passed", "Could not check"]
    by_severity = {row[0]: row[1:] for row in rows[1:]}
    expected = posture.by_severity(samples.assessment())
    for row in expected:
        assert by_severity[row.severity.label] == [
            str(row.failed),
            str(row.accepted),
            str(row.passed),
            str(row.errors),
        ]
    assert by_severity["High"] == ["26", "0", "2", "0"]
    svg = figure.find("svg")
    assert svg is not None
    # Each series is told apart by a pattern as well as a colour, named in the legend.
    labels = texts(svg)
    for word in ("Failed", "Accepted risk", "Passed", "Could not check"):
        assert word in labels
    failed = [r for r in svg.iter("rect") if "failed" in "".join(r.itertext())]
    assert failed and all((r.get("fill") or "").startswith("url(#chart-findings-p") for r in failed)
    pattern = svg.find("defs/pattern")
    assert pattern is not None and pattern.find("path") is not None  # black strokes
    # The numbers are written on the chart: 26 high failures, 28 high findings in all.
    assert "26" in labels and "28" in labels


def test_accepted_risks_are_counted_apart_from_failures():
    from datetime import date, timedelta

    from srm_tui import acceptances

    a = samples.assessment()
    high = {
        f.check
        for f in a.findings
        if f.status is Status.FAIL and a.checks[f.check].severity.value == "high"
    }
    check_id = sorted(high)[0]
    failing = sum(1 for f in a.findings if f.check == check_id and f.status is Status.FAIL)
    acceptances.accept(
        a, check_id, reason="known", owner="Sam", expires=date.today() + timedelta(days=30)
    )
    rows = {
        r[0]: r[1:]
        for r in table_rows(
            figures(formats.report(a, samples.sections(), "html"))["chart-findings-figure"]
        )
    }
    assert rows["High"][:2] == [str(26 - failing), str(failing)]
    # An expired acceptance counts as failed again.
    a.acceptances = [replace(x, expires=date.today() - timedelta(days=1)) for x in a.acceptances]
    rows = {
        r[0]: r[1:]
        for r in table_rows(
            figures(formats.report(a, samples.sections(), "html"))["chart-findings-figure"]
        )
    }
    assert rows["High"][:2] == ["26", "0"]
    pie = mermaid_blocks(formats.report(samples.assessment(), samples.sections()))[0]
    assert "Accepted" not in pie  # no empty slice when nothing is accepted


def test_risk_chart_counts_each_section():
    page = html_of()
    rows = table_rows(figures(page)["chart-risk-figure"])
    assert rows[0][0] == "Section" and rows[0][1:3] == ["High risk", "Medium risk"]
    summary = posture.by_section(samples.assessment(), samples.sections())
    assert [r[0] for r in rows[1:]] == [s.title for s in summary]
    assert rows[1][1:] == [str(summary[0].counts[r]) for r in posture.RISKS]


def test_matrix_chart_shows_the_failing_counts_of_the_markdown_matrix():
    report = ReportInput(samples.assessment(), samples.sections())
    figure = figures(html_report.render(report))["chart-matrix-figure"]
    svg = figure.find("svg")
    assert svg is not None
    labels = texts(svg)
    tokens = PARSER.parse(markdown.render(report))
    cells = []
    seen = False
    for i, t in enumerate(tokens):
        if t.type == "heading_open" and tokens[i + 1].content == "Responsibility matrix":
            seen = True
        if seen and t.type == "td_open":
            cells.append("".join(c.content for c in tokens[i + 1].children or []))
        if seen and t.type == "table_close":
            break
    marks = [c for c in cells if "✗" in c]
    assert "Customer ✗25" in marks  # the data layer of S3: 25 failing buckets
    # The chart and the Markdown show the same marks, cell for cell.
    layers = [c for c in cells if not c.startswith(("AWS", "Customer", "Shared"))]
    legend = {s.label for s in overview.MATRIX_SERIES}
    drawn = [t for t in labels if t.startswith(("AWS", "Customer", "Shared")) and t not in legend]
    assert drawn == [c for c in cells if c not in layers]
    # A failing high-severity cell is crosshatched, not only red.
    serious = svg.findall(".//rect")
    hints = [r for r in serious if "25 failing" in "".join(r.itertext())]
    assert hints and hints[0].get("fill", "").startswith("url(#chart-matrix-p")


def test_trend_reads_every_milestone_and_now(with_milestones):
    rows = table_rows(figures(html_of(with_milestones))["chart-trend-figure"])
    assert [r[0] for r in rows[1:]] == ["q1", "q2", "Now"]
    failing = [int(r[2]) for r in rows[1:]]
    assert failing[0] == 2 * failing[1] and failing[1] == failing[2] == 28
    assert rows[1][5] == "33%" and rows[3][5] == "83%"


def test_no_trend_without_milestones_and_no_findings_chart_before_a_scan(tmp_path):
    assert "chart-trend" not in html_of()
    a = samples.assessment()
    a.findings = []
    page = formats.report(a, samples.sections(), "html")
    assert "chart-findings" not in page and "chart-risk" in page


def test_a_broken_milestone_is_left_out_of_the_trend(with_milestones):
    broken = milestones.folder(with_milestones) / "q1.toml"
    broken.chmod(0o600)
    broken.write_text("schema = [not toml")
    rows = table_rows(figures(html_of(with_milestones))["chart-trend-figure"])
    assert [r[0] for r in rows[1:]] == ["q2", "Now"]


def test_hostile_labels_stay_text_in_the_charts():
    a = samples.assessment()
    sections = tuple(replace(s, title=HOSTILE) for s in samples.sections())
    page = formats.report(a, sections, "html")
    found = figures(page)  # parses as XML: nothing broke out of a text or attribute
    rows = table_rows(found["chart-risk-figure"])
    assert "<script>" in rows[1][0] and "\x1b" not in rows[1][0]
    assert "<script>" not in page.replace("&lt;script&gt;", "")
    text = markdown.render(ReportInput(a, sections))
    for block in mermaid_blocks(text):
        check(block)


def test_chart_text_is_escaped_and_cut_to_fit():
    svg = charts.stacked_bars(
        "t", "T", "D", ["a" * 200, '<b>"x"</b>'], [charts.Series("S", "#000")], [[1], [0]]
    )
    root = ET.fromstring(svg)
    labels = texts(root)
    assert any(t.endswith("…") and len(t) < 40 for t in labels)
    assert '<b>"x"</b>' in labels
    # A zero draws no bar segment; the total still says 0.
    assert len([r for r in root.iter("rect") if r.find("title") is not None]) == 1


# --- Markdown ------------------------------------------------------------------------


def mermaid_blocks(text: str) -> list[str]:
    return [t.content for t in PARSER.parse(text) if t.type == "fence" and t.info == "mermaid"]


def test_mermaid_blocks_are_valid_and_each_followed_by_its_table(with_milestones):
    text = formats.report(store.load(with_milestones), samples.sections(), path=with_milestones)
    tokens = PARSER.parse(text)
    fences = [i for i, t in enumerate(tokens) if t.type == "fence"]
    kinds = [check(tokens[i].content) for i in fences]
    assert kinds == ["pie", "xychart", "xychart", "xychart"]
    for i in fences:
        assert tokens[i].info == "mermaid"
        assert tokens[i + 1].type == "table_open", "a chart without its table"
    # The pie's slices are the table's numbers.
    pie = tokens[fences[0]].content
    table = [t.content for t in tokens[fences[0] + 1 :] if t.type == "inline"][:8]
    assert '"Failed" : 28' in pie and table[2:4] == ["Failed", "28"]


def test_the_grammar_check_refuses_what_mermaid_refuses():
    with pytest.raises(MermaidError):
        check('pie\n    "a" : 1\n    "b\n')
    with pytest.raises(MermaidError):
        check('xychart-beta\n    x-axis ["a", "b"]\n    bar [1]\n')
    with pytest.raises(MermaidError):
        check('xychart-beta\n    x-axis ["a", b"]\n    bar [1, 2]\n')


def test_mermaid_labels_keep_nothing_that_ends_them():
    label = charts.mermaid_label(HOSTILE)
    assert not set(label) & set('"[];#`<>|\n\x1b')
    block = charts.mermaid_xychart(HOSTILE, [HOSTILE, "b"], HOSTILE, bars=[1, 2])
    assert check(block.split("\n", 1)[1].rsplit("```", 1)[0]) == "xychart"
    pie = charts.mermaid_pie(HOSTILE, [(HOSTILE, 2), ("none", 0)])
    assert check(pie.split("\n", 1)[1].rsplit("```", 1)[0]) == "pie"
    assert '"none"' not in pie  # Mermaid draws no empty slice


def test_markdown_without_pictures_has_no_overview():
    report = ReportInput(samples.assessment(), samples.sections())
    assert "```mermaid" in markdown.render(report)
    assert "```mermaid" not in markdown.render(report, pictures=False)


def test_redacted_trend_masks_account_ids_in_milestone_names(tmp_path):
    path = tmp_path / "review.toml"
    store.save(samples.assessment(), path)
    milestones.create(path, f"before-{samples.ACCOUNT}")
    report = prepare(store.load(path), samples.sections(), path=path, redact=True)
    picture = overview.trend_picture(report)
    assert picture is not None
    assert all(samples.ACCOUNT not in cell for row in picture.rows for cell in row)
    assert picture.rows[0][2] == "28"


def test_findings_of_a_check_without_record_count_as_medium():
    a = samples.assessment()
    a.findings = [*a.findings, Finding("gone.check", "global", "x", Status.FAIL)]
    medium = next(r for r in posture.by_severity(a) if r.severity.value == "medium")
    before = next(
        r for r in posture.by_severity(samples.assessment()) if r.severity.value == "medium"
    )
    assert medium.failed == before.failed + 1


# --- organization reviews --------------------------------------------------------------


def _organization_report():
    from srm_tui.model import AccountState, OrgAccount, Organization

    def account(account_id, name, state, failures):
        return OrgAccount(account_id, name=name, state=state, failures=failures)

    a = samples.assessment()
    a.organization = Organization(
        id="o-abcdefghij",
        accounts={
            "111111111111": account("111111111111", "prod", AccountState.DONE, {"high": 2}),
            "222222222222": account("222222222222", "dev", AccountState.DONE, {}),
            "333333333333": account("333333333333", "", AccountState.FAILED, {}),
            "444444444444": account("444444444444", "sandbox", AccountState.PENDING, {"low": 1}),
        },
    )
    a.findings = [
        Finding("ec2.sg_admin_ports_ipv4", "eu-west-1", "sg-1", Status.FAIL, "", "111111111111"),
        Finding("ec2.sg_admin_ports_ipv4", "eu-west-1", "sg-2", Status.FAIL, "", "111111111111"),
        Finding("iam.support_role", "global", "x", Status.FAIL, "", "444444444444"),
        Finding("iam.support_role", "global", "y", Status.PASS, "", "222222222222"),
    ]
    return ReportInput(a, samples.sections())


def test_accounts_by_posture():
    picture = overview.accounts_picture(_organization_report())
    assert picture is not None
    counts = dict(picture.rows)
    assert counts["High fails"] == "1" and counts["No failures"] == "1"
    assert counts["Could not be scanned"] == "1" and counts["Low fails"] == "1"
    assert sum(int(n) for n in counts.values()) == 4
    assert overview.accounts_picture(ReportInput(samples.assessment(), ())) is None


def test_heat_map_of_accounts_against_the_worst_checks():
    found = overview.heat_picture(_organization_report())
    assert found is not None
    picture, heat = found
    # The high-severity check first, then the low one; passes are not counted.
    assert heat.checks == ("ec2.sg_admin_ports_ipv4", "iam.support_role")
    rows = {row[0]: row[1:] for row in picture.rows}
    assert rows["prod (111111111111)"] == ("2", "0")
    assert rows["sandbox (444444444444)"] == ("0", "1")
    assert rows["333333333333"] == ("0", "0")
    html = "".join(overview._organization_html(_organization_report()))
    parsed = figures(html)
    assert set(parsed) == {"chart-accounts-figure", "chart-heat-figure"}
    grid_texts = texts(parsed["chart-heat-figure"].find("svg"))
    assert "2" in grid_texts and "ec2.sg_admin_ports_ipv4" in "".join(grid_texts)
    blocks = "\n".join(overview._organization_markdown(_organization_report()))
    assert [check(b) for b in mermaid_blocks(blocks)] == ["pie", "xychart"]
