"""The Markdown report, read as a reader would: parsed with markdown-it-py, its headings
and tables checked, and hostile text proven unable to break out."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

import report_samples as samples
from markdown_it import MarkdownIt
from markdown_it.token import Token

from srm_tui.catalog import frameworks, responsibility
from srm_tui.model import Evidence, Finding, Status
from srm_tui.report import content, markdown
from srm_tui.report.inputs import ReportInput

PARSER = MarkdownIt("commonmark", {"html": False}).enable("table")


def headings(tokens: list[Token]) -> list[tuple[int, str]]:
    """(level, plain text) of every heading."""
    result = []
    for i, t in enumerate(tokens):
        if t.type == "heading_open":
            text = "".join(c.content for c in tokens[i + 1].children or [] if c.type != "softbreak")
            result.append((int(t.tag[1]), text))
    return result


def tables(tokens: list[Token]) -> list[list[list[str]]]:
    """Every table as rows of cell texts (the header row first)."""
    result: list[list[list[str]]] = []
    row: list[str] = []
    for i, t in enumerate(tokens):
        if t.type == "table_open":
            result.append([])
        elif t.type == "tr_open":
            row = []
        elif t.type in ("th_open", "td_open"):
            inline = tokens[i + 1]
            row.append("".join(c.content for c in inline.children or []))
        elif t.type == "tr_close":
            result[-1].append(row)
    return result


def table_after(tokens: list[Token], heading: str) -> list[list[str]]:
    """The first table after the heading with this text."""
    seen = False
    found = []
    for i, t in enumerate(tokens):
        if t.type == "heading_open" and tokens[i + 1].content == heading:
            seen = True
        if seen and t.type == "table_open":
            found = tables(tokens[i:])[0]
            break
    assert found, f"no table after {heading!r}"
    return found


def assert_tables_regular(tokens: list[Token]) -> None:
    for rows in tables(tokens):
        widths = {len(r) for r in rows}
        assert len(widths) == 1, f"a table's rows differ in width: {rows[:3]}"


def render(a=None, sections=None, **kw) -> str:
    return markdown.render(
        ReportInput(a or samples.assessment(), sections or samples.sections(), **kw)
    )


def test_sections_in_order_and_every_table_regular():
    tokens = PARSER.parse(render())
    names = [text for level, text in headings(tokens) if level == 2]
    assert names == [
        "Executive summary",
        "Responsibility matrix",
        "Answers",
        "Automatic findings",
        "Framework coverage",
        "Improvement plan",
    ]
    level3 = [text for level, text in headings(tokens) if level == 3]
    for wanted in (
        "Findings and risks by responsibility",
        "Top ten things to fix",
        "Progress by section",
        "Incident response",
        "Awareness and training",
        "Critical severity (1 check failing)",
        "High severity (2 checks failing)",
        "Checks that passed",
        "Could not be checked",
    ):
        assert wanted in level3
    assert_tables_regular(tokens)


def test_executive_summary_facts():
    tokens = PARSER.parse(render())
    facts = dict(tables(tokens)[0][1:])
    assert facts["Account"] == samples.ACCOUNT
    assert facts["Regions"] == "eu-west-1, us-east-1"
    assert facts["Questions"] == "5 of 6 answered (83%)"
    assert facts["Owners named in answers"] == "Dana (security), Sam"
    split = table_after(tokens, "Findings and risks by responsibility")
    assert len(split[0]) == 12
    by_owner = {row[0]: row for row in split[1:]}
    # Customer: 4 questions, 2 high risks; 28 failing findings, 1 pass, 1 error.
    assert by_owner["Customer"][1] == "4"
    assert by_owner["Customer"][3] == "2"
    assert by_owner["Customer"][8:] == ["28", "1", "1", "0"]  # none accepted
    assert by_owner["Shared"][8:] == ["0", "1", "0", "0"]


def test_top_ten_mixes_risks_and_failures_most_urgent_first():
    tokens = PARSER.parse(render())
    top = table_after(tokens, "Top ten things to fix")
    assert top[0] == ["#", "Priority", "What", "Kind", "Responsibility", "Owner", "Due"]
    priorities = [row[1] for row in top[1:]]
    assert priorities[0] == "critical severity"
    assert priorities[1:5].count("high risk") == 2
    assert priorities[1:5].count("high severity") == 2
    assert "Can people be reached?" in [row[2] for row in top[1:3]]
    # The check cited by a question inherits that answer's owner and due date.
    contact = next(row for row in top if row[2] == "A security contact is set")
    assert contact[5:] == ["Sam", "2026-10-15"]


def test_responsibility_matrix_covers_services_in_scope():
    tokens = PARSER.parse(render())
    matrix = table_after(tokens, "Responsibility matrix")
    expected = responsibility.load().in_use(("ec2", "s3", "lambda"))
    assert matrix[0][1:] == [m.title for m in expected.models]
    assert len(matrix) == 1 + len(expected.layers)
    guest = next(row for row in matrix if row[0] == "Guest operating system and patches")
    assert guest[1] == "Customer" and guest[2] == "AWS"


def test_answers_show_everything_given():
    text = render()
    tokens = PARSER.parse(text)
    html = PARSER.render(text)
    assert "Owner: Dana (security)" in html
    assert "Due: 2026-12-31" in html
    assert '<a href="https://wiki.example.com/ir-plan">' in html
    assert "the cloud part is missing." in html
    assert "Does not apply: Business priorities" in html
    assert (
        "A security contact is set (<code>account.security_contact</code>): 1 failing, "
        "0 passing, 0 could not be checked" in html
    )
    assert ("Do engineers learn AWS security?") in [t for _, t in headings(tokens)]


def test_findings_folded_and_errors_apart():
    text = render()
    html = PARSER.render(text)
    assert "25 of 25 resources fail." in html
    assert "and 5 more" in html
    assert html.count("allows public ACLs") == markdown.MAX_LISTED
    tokens = PARSER.parse(text)
    errors = table_after(tokens, "Could not be checked")
    assert errors[0] == ["Check", "Region", "Resource", "Reason"]
    assert errors[1][3] == "AccessDenied: guardduty:ListDetectors was denied"
    assert "<li>guardduty: AccessDenied in eu-west-1</li>" in html  # the scan's own errors
    # An error is never shown as a pass or a fail.
    passed = table_after(tokens, "Checks that passed")
    assert [row[1] for row in passed[1:]] == ["cloudtrail.enabled"]
    assert (
        "guardduty.enabled"
        not in html.split("Could not be checked")[0].split("Automatic findings")[1]
    )


def test_framework_coverage_one_table_per_framework_with_every_id():
    a = samples.assessment()
    tokens = PARSER.parse(render(a))
    for key in a.scope.frameworks:
        rows = table_after(tokens, content.framework_name(key))
        assert rows[0] == ["Id", "Title", "Status", "Checks and questions"]
        ids = [row[0] for row in rows[1:]]
        for ref in frameworks.references(key):
            assert ref.id in ids
    cis = {row[0]: row for row in table_after(tokens, content.framework_name("cis-aws-7.0"))}
    assert cis["2.2"][2] == "fail"  # the contact check failed (and the question is at risk)
    assert cis["4.1"][2] == "pass"  # the trail check passed
    assert cis["2.15"][2] == "not covered"  # only a not-applicable result
    nist = {row[0]: row for row in table_after(tokens, content.framework_name("nist-csf-2.0"))}
    assert nist["RS.MA"][2] == "risk"  # s_ir_plan leaves a medium risk
    assert nist["RS.CO"][2] == "risk"  # a subcategory (RS.CO-02) counts for its category
    assert nist["PR.AT"][2] == "not covered"  # the question does not apply
    assert nist["GV.OC"][2] == "not covered"


def test_coverage_pass_from_answer_alone():
    a = samples.assessment()
    a.answers["s_ir_plan"].selected = ("s_ir_plan_p1", "s_ir_plan_p2", "s_ir_plan_p3")
    rows = {r.id: r for r in content.coverage(a, samples.sections(), "nist-csf-2.0")}
    assert rows["RS.MA"].status is content.Coverage.PASS
    assert rows["RS.MA"].questions == ("s_ir_plan",)


def test_improvement_plan_order_owner_and_due():
    plan = content.plan(samples.assessment(), samples.sections())
    assert [p.priority for p in plan] == sorted((p.priority for p in plan), reverse=True)
    assert plan[0].id == "iam.root_mfa"
    contacts = next(p for p in plan if p.id == "s_ir_contacts")
    assert (contacts.owner, contacts.due) == ("Sam", date(2026, 10, 15))
    assert len(contacts.actions) == 3  # every practice is missing
    text = render()
    section = text.split("## Improvement plan")[1]
    items = re.findall(r"^\d+\. ", section, re.M)
    assert len(items) == len(plan)
    assert "owner: Sam; due: 2026-10-15" in section


def test_milestones_listed():
    from pathlib import Path

    from srm_tui.milestones import Milestone

    m = Milestone("2026-q3", samples.assessment().updated, Path("x"))
    tokens = PARSER.parse(render(milestones=[m]))
    rows = table_after(tokens, "Milestones")
    assert rows[1] == ["2026-q3", "2026-09-02 17:30 UTC"]


def test_no_scan_yet():
    a = samples.assessment()
    a.findings, a.checks = [], {}
    html = PARSER.render(render(a))
    assert "No scan has been run for this assessment yet." in html


# --- hostile input ---------------------------------------------------------------------

HOSTILE = (
    "pipe | hash # <script>alert(1)</script> `tick` ``two`` [link](javascript:alert(1)) "
    "![img](http://evil.example/x.png) \x1b[2J\x1b]0;title\x07 *star* _under_ &amp; "
    "\u202eevil\n# heading\n| a | b |\n---\n1. list\n    indented code\n> quote"
)


def hostile_assessment():
    a = samples.assessment()
    a.name = HOSTILE
    a.scope.regions = (HOSTILE,)
    for answer in a.answers.values():
        answer.notes = HOSTILE
        # Each owner stays apart: the plan has one heading per owner.
        answer.owner = f"{answer.owner}{HOSTILE}" if answer.owner else ""
        answer.evidence = tuple(
            Evidence.link(ref) for ref in (HOSTILE, "javascript:alert(1)", "https://ok.example/a")
        )
    a.findings = [
        replace(f, resource=f"{f.resource}{HOSTILE}", detail=HOSTILE, region=HOSTILE)
        for f in a.findings
    ] + [Finding("iam.root_mfa", "global", HOSTILE, Status.ERROR, HOSTILE)]
    a.checks = {
        cid: replace(r, title=HOSTILE, remediation=HOSTILE, service=HOSTILE + r.service)
        for cid, r in a.checks.items()
    }
    a.extra["__tables__"] = {"assessment": {"assessor": HOSTILE}}
    return a


def test_hostile_text_stays_text():
    clean_text = render()
    text = render(hostile_assessment())
    assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text
    tokens = PARSER.parse(text)
    clean_tokens = PARSER.parse(clean_text)
    # Same outline: no heading was added by the hostile text (only titles changed).
    assert [level for level, _ in headings(tokens)] == [
        level for level, _ in headings(clean_tokens)
    ]
    assert not any(t.strip() in ("heading", "a | b |") for _, t in headings(tokens))
    # Same tables, each as wide as before: no cell was split by a pipe.
    hostile_tables = tables(tokens)
    clean_tables = tables(clean_tokens)
    assert len(hostile_tables) == len(clean_tables)
    for h, c in zip(hostile_tables, clean_tables, strict=True):
        assert len(h[0]) == len(c[0])
    assert_tables_regular(tokens)
    # Nothing became markup: no code block, no image, no emphasis from user text, no
    # quote or list beyond the report's own.
    types = {t.type for t in tokens}
    assert "code_block" not in types and "fence" not in types and "hr" not in types
    inline_types = {c.type for t in tokens if t.children for c in t.children}
    assert "image" not in inline_types and "html_inline" not in inline_types
    # One quote per answer's notes, none nested inside another.
    assert sum(t.type == "blockquote_open" for t in tokens) == len(hostile_assessment().answers)
    assert all(t.level == 0 for t in tokens if t.type == "blockquote_open")
    assert sum(t.type == "ordered_list_open" for t in tokens) == sum(
        t.type == "ordered_list_open" for t in clean_tokens
    )
    emphasis = sum(c.type == "em_open" for t in tokens if t.children for c in t.children)
    assert emphasis == 0
    html = PARSER.render(text)
    assert "<script" not in html
    assert "javascript:" not in re.findall(r'href="([^"]*)"', html)
    hrefs = set(re.findall(r'href="([^"]*)"', html))
    assert hrefs <= {"https://ok.example/a"}
    # The text itself survives, shown literally.
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "[link](javascript:alert(1))" in html


def test_hostile_text_in_textual_markdown_viewer():
    import asyncio

    from textual.app import App, ComposeResult
    from textual.widgets import MarkdownViewer
    from textual.widgets._markdown import MarkdownTable

    text = render(hostile_assessment())

    class Viewer(App[None]):
        def compose(self) -> ComposeResult:
            yield MarkdownViewer(text, show_table_of_contents=False)

    async def run() -> int:
        app = Viewer()
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            return len(app.screen.query(MarkdownTable))

    assert asyncio.run(run()) == len(tables(PARSER.parse(text)))


def test_long_plan_stays_one_ordered_list_per_owner():
    # 120 failing checks: item numbers reach three digits and their actions must
    # still nest under them; the plan is one numbered list per owner.
    a = samples.assessment()
    base = a.checks["iam.root_mfa"]
    a.checks = {}
    a.findings = []
    for i in range(120):
        cid = f"iam.check_{i:03d}"
        a.checks[cid] = replace(base, id=cid, title=f"Check {i}")
        a.findings.append(Finding(cid, "global", f"r{i}", Status.FAIL, "bad"))
    text = render(a)
    tokens = PARSER.parse(text.split("## Improvement plan")[1])
    owners = content.by_owner(content.plan(a, samples.sections()))
    assert sum(t.type == "ordered_list_open" for t in tokens) == len(owners)
    nested = [t for t in tokens if t.type == "bullet_list_open"]
    assert len(nested) == len(content.plan(a, samples.sections()))  # each has actions
    assert all(t.level > 0 for t in nested)


def test_assessor_kept_in_the_file_and_shown(tmp_path):
    from srm_tui import store

    a = samples.assessment()
    content.set_assessor(a, "Jane Roe (consultant)")
    store.save(a, tmp_path / "a.toml")
    again = store.load(tmp_path / "a.toml")
    assert content.assessor(again) == "Jane Roe (consultant)"
    facts = dict(tables(PARSER.parse(render(again)))[0][1:])
    assert facts["Assessor"] == "Jane Roe (consultant)"


def test_question_outside_the_scope_is_not_asked():
    a = samples.assessment()
    sections = samples.sections()
    eks = replace(sections[1].questions[2], applies_when=("eks",))
    sections = (sections[0], replace(sections[1], questions=(*sections[1].questions[:2], eks)))
    html = PARSER.render(render(a, sections))
    assert "Not asked: it applies only when eks is in use" in html


def test_shipped_catalogue_every_question_answered():
    from srm_tui.catalog import questionnaires
    from srm_tui.model import Assessment
    from srm_tui.review import set_answer

    sections = questionnaires.load().sections
    a = Assessment(name="shipped")
    for n, q in enumerate(question for s in sections for question in s.questions):
        chosen = [c.id for c in q.practices[: n % (len(q.practices) + 1)]] or [q.none_choice.id]
        set_answer(a, q, selected=chosen, notes=f"note {n}", owner=f"owner {n % 3}")
    text = markdown.render(ReportInput(a, sections))
    tokens = PARSER.parse(text)
    assert_tables_regular(tokens)
    level3 = [t for level, t in headings(tokens) if level == 3]
    assert all(s.title in level3 for s in sections)
    plan = content.plan(a, sections)
    assert plan and all(p.kind == "question" for p in plan)
    assert "No scan has been run for this assessment yet." in text
