"""HTML, JSON and CSV reports and --redact, each opened as its reader would."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from html.parser import HTMLParser

import pytest
import report_samples as samples

from srm_tui import store
from srm_tui.model import Evidence, Finding, Status
from srm_tui.report import content, csv_report, formats, html_report, json_report
from srm_tui.report.inputs import ReportInput
from srm_tui.report.redaction import MASK, mask


class Page(HTMLParser):
    """Every start tag with its attributes, and the text of <style>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.style = ""
        self._in_style = False
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.style += data
        else:
            self.text.append(data)

    def named(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs in self.tags if name == tag]


def parse(text: str) -> Page:
    page = Page()
    page.feed(text)
    page.close()
    return page


# --- HTML ------------------------------------------------------------------------------


def test_html_is_one_self_contained_printable_page():
    from test_report_markdown import hostile_assessment

    for a in (samples.assessment(), hostile_assessment()):
        page = parse(html_report.render(ReportInput(a, samples.sections())))
        names = {tag for tag, _ in page.tags}
        assert "script" not in names
        for banned in ("link", "img", "iframe", "object", "embed", "base", "form", "meta"):
            if banned == "meta":
                # only charset and viewport
                assert all(set(m) <= {"charset", "name", "content"} for m in page.named("meta"))
                continue
            assert banned not in names
        for tag, attrs in page.tags:
            assert "src" not in attrs, tag
            assert not any(k.startswith("on") for k in attrs), tag  # no event handlers
            if "href" in attrs:
                assert tag == "a"
                assert attrs["href"].startswith("https://"), attrs
        assert "@import" not in page.style and "url(" not in page.style
        assert "@media print" in page.style
        assert len(page.named("table")) >= 8
        assert len(page.named("h2")) == 7  # the overview, then the Markdown's six


def test_html_tables_match_the_markdown_and_text_is_escaped():
    from test_report_markdown import HOSTILE, PARSER, hostile_assessment, tables

    a = hostile_assessment()
    text = html_report.render(ReportInput(a, samples.sections()))
    page = parse(text)
    from srm_tui.report import markdown

    report = ReportInput(a, samples.sections())
    md_tables = tables(PARSER.parse(markdown.render(report, pictures=False)))
    # Every table of the Markdown, and one under each chart (its text alternative).
    assert len(page.named("table")) == len(md_tables) + len(page.named("figure"))
    assert "<script>" not in text
    # The hostile title reaches the reader as text, in the <title> and the <h1>.
    assert "<script>alert(1)</script>" in "".join(page.text)
    assert HOSTILE.split("\n")[0].split("\x1b")[0].strip()[:20] in "".join(page.text)


# --- JSON ------------------------------------------------------------------------------

FINDING_KEYS = {
    "check", "title", "service", "region", "resource", "status", "severity",
    "responsibility", "detail", "remediation", "frameworks",
}  # fmt: skip
ANSWER_KEYS = {
    "question", "section", "selected", "applicable", "reason", "notes", "risk",
    "responsibility", "frameworks",
}  # fmt: skip


def test_json_contract_every_field():
    a = samples.assessment()
    data = json.loads(json_report.render(ReportInput(a, samples.sections())))
    assert set(data) == {
        "assessment", "scope", "scan", "summary", "findings", "answers", "acceptances",
        "assignments", "imports", "accounts", "overrides",
    }  # fmt: skip
    assert data["assessment"]["name"] == "Quarterly review"
    assert data["assessment"]["schema"] == store.SCHEMA
    assert data["assessment"]["created"] == "2026-09-01T09:00:00+00:00"
    assert data["assessment"]["updated"] == "2026-09-02T17:30:00+00:00"
    assert data["assessment"]["tool_version"] == "0.1.0"
    assert data["scope"]["account_id"] == samples.ACCOUNT
    assert data["scope"]["regions"] == ["eu-west-1", "us-east-1"]
    scan = data["scan"]
    assert scan["started"] == "2026-09-01T09:05:00+00:00"
    assert scan["finished"] == "2026-09-01T09:06:00+00:00"
    assert scan["status"] == "partial"
    assert scan["api_calls"] == 412
    assert scan["errors"] == ["guardduty: AccessDenied in eu-west-1"]
    assert isinstance(data["summary"], dict) and data["summary"]
    assert len(data["findings"]) == len(a.findings)
    for finding in data["findings"]:
        assert set(finding) >= FINDING_KEYS
        assert finding["status"] in {"pass", "fail", "error", "not_applicable"}
        assert finding["severity"] in {"critical", "high", "medium", "low", "info"}
        assert finding["responsibility"] in {"aws", "shared", "customer"}
        assert all(isinstance(v, list) for v in finding["frameworks"].values())
    sg = next(
        f
        for f in data["findings"]
        if f["check"] == "ec2.sg_admin_ports_ipv4" and f["status"] == "fail"
    )
    assert sg == {
        "check": "ec2.sg_admin_ports_ipv4",
        "title": "Security groups do not open admin ports",
        "service": "ec2",
        "region": "eu-west-1",
        "resource": f"arn:aws:ec2:eu-west-1:{samples.ACCOUNT}:security-group/sg-0a",
        "status": "fail",
        "severity": "high",
        "responsibility": "customer",
        "detail": "port 22 open to 0.0.0.0/0",
        "remediation": "Close ports 22 and 3389 to the world.",
        "frameworks": {"cis-aws-7.0": ["6.3"], "aws-fsbp": ["EC2.53"]},
        "exception": None,
        "source": "srm-tui",
        "account_id": samples.ACCOUNT,
    }
    (account,) = data["accounts"]  # a single account's review lists the one account
    assert account["account_id"] == samples.ACCOUNT and account["api_calls"] == 412
    assert account["summary"]["findings"] == data["summary"]["findings"]
    root = next(f for f in data["findings"] if f["check"] == "iam.root_mfa")
    assert root["region"] == "global"
    answers = {x["question"]: x for x in data["answers"]}
    assert set(answers) == set(a.answers)
    for answer in answers.values():
        assert set(answer) >= ANSWER_KEYS
    plan = answers["s_ir_plan"]
    assert plan["section"] == "incident_response"
    assert plan["selected"] == ["s_ir_plan_p1"]
    assert plan["applicable"] is True and plan["reason"] is None
    assert plan["notes"] == "A plan exists for the data centre;\nthe cloud part is missing."
    assert plan["risk"] == "medium"
    assert plan["responsibility"] == "shared"
    assert plan["frameworks"] == {"nist-csf-2.0": ["RS.MA"], "iso-27017": ["CLD.6.3.1"]}
    training = answers["s_tr_awareness"]
    assert training["applicable"] is False
    assert training["reason"] == "business_priorities"
    assert training["risk"] == "not_applicable"


# --- CSV -------------------------------------------------------------------------------


def read_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_csv_findings_read_back():
    a = samples.assessment()
    rows = read_csv(csv_report.findings(ReportInput(a, ())))
    assert len(rows) == len(a.findings)
    assert list(rows[0]) == list(csv_report.FINDING_COLUMNS)
    assert rows[0]["check"] == "iam.root_mfa"  # worst severity first
    sg = next(r for r in rows if r["resource"].endswith("sg-0a"))
    assert sg["status"] == "fail"
    assert sg["severity"] == "high"
    assert sg["frameworks"] == "cis-aws-7.0: 6.3; aws-fsbp: EC2.53"
    assert sg["detail"] == "port 22 open to 0.0.0.0/0"
    assert {r["status"] for r in rows} == {"pass", "fail", "error", "not_applicable"}


@pytest.mark.parametrize(
    "evil", ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", " =1"]
)
def test_csv_formula_injection_defused(evil):
    a = samples.assessment()
    a.findings = [Finding("iam.root_mfa", "global", evil, Status.FAIL, evil)]
    row = read_csv(csv_report.findings(ReportInput(a, ())))[0]
    assert row["resource"] == "'" + evil
    assert row["detail"] == "'" + evil
    a.answers["s_ir_plan"].owner = evil
    plan = {r["id"]: r for r in read_csv(csv_report.plan(ReportInput(a, samples.sections())))}
    assert plan["s_ir_plan"]["owner"] == "'" + evil


def test_csv_keeps_newlines_and_commas_in_one_cell():
    a = samples.assessment()
    a.findings = [Finding("iam.root_mfa", "global", "a,b", Status.FAIL, 'line 1\nline "2", more')]
    row = read_csv(csv_report.findings(ReportInput(a, ())))[0]
    assert row["resource"] == "a,b"
    assert row["detail"] == 'line 1\nline "2", more'


def test_csv_plan_read_back():
    a = samples.assessment()
    plan = content.plan(a, samples.sections())
    rows = read_csv(csv_report.plan(ReportInput(a, samples.sections())))
    assert list(rows[0]) == list(csv_report.PLAN_COLUMNS)
    assert [r["id"] for r in rows] == [p.id for p in plan]
    assert rows[0]["priority"] == "critical" and rows[0]["kind"] == "check"
    contacts = next(r for r in rows if r["id"] == "s_ir_contacts")
    assert (contacts["owner"], contacts["due"]) == ("Sam", "2026-10-15")
    assert contacts["actions"].count("\n") == 2  # three missing practices
    buckets = next(r for r in rows if r["id"] == "s3.public_access_block")
    assert buckets["failing_resources"] == "25"


# --- redaction -------------------------------------------------------------------------


def redaction_sample():
    a = samples.assessment()
    a.answers[
        "s_ir_plan"
    ].notes = f"Our account {samples.ACCOUNT} trusts arn:aws:iam::{samples.OTHER_ACCOUNT}:role/x"
    a.answers["s_ir_plan"].evidence = (
        Evidence.link(f"https://{samples.ACCOUNT}.signin.aws.amazon.com/console"),
    )
    a.findings.append(
        Finding(
            "iam.root_mfa",
            "global",
            f"arn:aws:iam::{samples.ACCOUNT}:role/cross",
            Status.FAIL,
            f"trusted by arn:aws:iam::{samples.OTHER_ACCOUNT}:root",
        )
    )
    a.scan = replace(a.scan, errors=(f"denied for {samples.ACCOUNT}",))
    return a


@pytest.mark.parametrize("fmt", ["markdown", "html", "json", "csv", "csv-plan"])
def test_redact_masks_account_everywhere(fmt):
    a = redaction_sample()
    name, plan = ("csv", True) if fmt == "csv-plan" else (fmt, False)
    plain = formats.report(a, samples.sections(), name, plan_only=plan)
    masked = formats.report(a, samples.sections(), name, plan_only=plan, redact=True)
    if fmt != "csv-plan":
        assert samples.ACCOUNT in plain
    assert samples.ACCOUNT not in masked
    assert samples.OTHER_ACCOUNT not in masked
    if fmt != "csv-plan":
        assert MASK in masked
    # The original assessment is left as it was.
    assert a.scope.account_id == samples.ACCOUNT
    assert samples.ACCOUNT in a.findings[0].resource


def test_mask_keeps_arn_shape():
    assert mask(f"arn:aws:iam::{samples.ACCOUNT}:role/x") == f"arn:aws:iam::{MASK}:role/x"
    assert mask("arn:aws:s3:::bucket-123456789012") == "arn:aws:s3:::bucket-123456789012"
    assert mask(f"id {samples.ACCOUNT}.", samples.ACCOUNT) == f"id {MASK}."


# --- command line ----------------------------------------------------------------------


def test_report_command_every_format(run_cli, tmp_path):
    path = tmp_path / "review.toml"
    a = samples.assessment()
    store.save(a, path)
    for fmt in ("markdown", "html", "json", "csv"):
        out = tmp_path / f"r.{fmt}"
        result = run_cli("report", path, "--format", fmt, "-o", out, "--redact")
        assert result.code == 0, result.err
        assert samples.ACCOUNT not in out.read_text("utf-8")
    assert json.loads((tmp_path / "r.json").read_text())["scope"]["account_id"] == MASK
    result = run_cli("report", path, "--format", "csv", "--plan")
    assert result.code == 0
    assert result.out.startswith("rank,priority,kind")
    # --plan alone is the CSV plan (the only format it has); with another format, refused.
    alone = run_cli("report", path, "--plan")
    assert alone.code == 0 and alone.out == result.out
    result = run_cli("report", path, "--plan", "--format", "html")
    assert result.code == 2
    assert "--plan goes with --format csv" in result.err


# --- speed -----------------------------------------------------------------------------


def test_markdown_of_20000_findings_folds_long_lists():
    # The time it takes is measured in benchmarks/reports.py, not here.
    a = samples.assessment()
    a.findings = [
        Finding(
            "s3.public_access_block",
            ("us-east-1", "eu-west-1")[i % 2],
            f"arn:aws:s3:::bucket-{i:06d}",
            (Status.FAIL, Status.PASS, Status.ERROR)[i % 3],
            "public" if i % 3 == 0 else "",
        )
        for i in range(20_000)
    ]
    from srm_tui.report import markdown

    text = markdown.render(ReportInput(a, samples.sections()))
    assert "6647 more" in text  # 6,667 failing buckets, 20 listed
