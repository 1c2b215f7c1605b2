"""Reports: the Markdown parses into well-formed headings and tables; the JSON keeps
DESIGN.md's contract."""

import json
from datetime import date

from markdown_it import MarkdownIt

from srm_tui import store
from srm_tui.catalog import questionnaires
from srm_tui.model import (
    Assessment,
    CheckRecord,
    Finding,
    Reason,
    Responsibility,
    Severity,
    Status,
)
from srm_tui.review import set_answer

HOSTILE = (
    "pipe | hash # <script>alert(1)</script> `tick` [link](http://x) \x1b[2J\n# heading\n| a | b |"
)


def build(tmp_path):
    sections = questionnaires.load().sections
    questions = [q for s in sections for q in s.questions]
    a = Assessment(name=f"Review {HOSTILE}")
    a.scope.account_id = "123456789012"
    a.scope.regions = ("us-east-1",)
    set_answer(a, questions[0], selected=[questions[0].practices[0].id], notes=HOSTILE,
               owner="Bob | admin", due=date(2027, 3, 1), evidence=["https://x/y"])  # fmt: skip
    set_answer(a, questions[1], selected=[questions[1].none_choice.id])
    set_answer(a, questions[2], applicable=False, reason=Reason.OUT_OF_SCOPE)
    a.checks["s3.bucket_tls_only"] = CheckRecord(
        "s3.bucket_tls_only", "Buckets refuse plain HTTP", "s3", Severity.MEDIUM,
        Responsibility.CUSTOMER, {"cis-aws-7.0": ("3.1.1",)}, "Add a policy.",
    )  # fmt: skip
    a.findings = [
        Finding("s3.bucket_tls_only", "us-east-1", f"arn:aws:s3:::b{i}|{HOSTILE}", Status.FAIL, HOSTILE)
        for i in range(30)
    ] + [Finding("s3.bucket_tls_only", "us-east-1", "arn:aws:s3:::ok", Status.PASS),
         Finding("s3.bucket_tls_only", "eu-west-1", "arn:aws:s3:::e", Status.ERROR, "AccessDenied")]  # fmt: skip
    path = tmp_path / "a.toml"
    store.save(a, path)
    return path, a


def test_markdown_structure(run_cli, tmp_path):
    path, _a = build(tmp_path)
    result = run_cli("report", path)
    assert result.code == 0
    text = result.out
    assert "\x1b" not in text
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert headings[0].startswith("Shared Responsibility review")
    assert "# heading" not in [h.strip() for h in headings]
    assert not any(h.strip() in ("heading", "a | b |") for h in headings)
    for expected in ("Executive summary", "Improvement plan", "Answers", "Automatic findings"):
        assert expected in headings
    # every table row has as many cells as its header
    in_table = False
    for _i, t in enumerate(tokens):
        if t.type == "table_open":
            in_table, width, cells = True, None, 0
        elif in_table and t.type == "tr_open":
            cells = 0
        elif in_table and t.type in ("th_open", "td_open"):
            cells += 1
        elif in_table and t.type == "tr_close":
            width = width or cells
            assert cells == width
        elif t.type == "table_close":
            in_table = False
    html = MarkdownIt("commonmark", {"html": False}).enable("table").render(text)
    assert "<script>" not in html


def test_json_contract(run_cli, tmp_path):
    path, _a = build(tmp_path)
    result = run_cli("report", path, "--format", "json")
    assert result.code == 0
    data = json.loads(result.out)
    assert set(data) >= {"assessment", "scope", "scan", "summary", "findings", "answers"}
    assert set(data["assessment"]) >= {"name", "schema", "created", "updated", "tool_version"}
    assert data["scope"]["account_id"] == "123456789012"
    assert set(data["scan"]) >= {"started", "finished", "status", "api_calls", "errors"}
    finding_keys = {
        "check", "title", "service", "region", "resource", "status", "severity",
        "responsibility", "detail", "remediation", "frameworks",
    }  # fmt: skip
    assert len(data["findings"]) == 32
    for f in data["findings"]:
        assert set(f) >= finding_keys
        assert "\x1b" not in f["detail"]
    assert data["findings"][0]["frameworks"] == {"cis-aws-7.0": ["3.1.1"]}
    answer_keys = {
        "question", "section", "selected", "applicable", "reason", "notes", "risk",
        "responsibility", "frameworks",
    }  # fmt: skip
    assert len(data["answers"]) == 3
    for answer in data["answers"]:
        assert set(answer) >= answer_keys
        assert isinstance(answer["frameworks"], dict)
    risks = [x["risk"] for x in data["answers"]]
    assert risks[1] == "high" and risks[2] == "not_applicable"


def test_report_to_file(run_cli, tmp_path):
    path, _ = build(tmp_path)
    out = tmp_path / "r.md"
    result = run_cli("report", path, "-o", out)
    assert result.code == 0
    assert out.read_text().startswith("# Shared Responsibility review")
    result = run_cli("report", path, "-o", tmp_path / "no" / "r.md")
    assert result.code == 1
    assert "does not exist" in result.err
