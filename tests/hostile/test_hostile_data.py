"""AWS data is untrusted input: a scan of an account full of terminal escapes,
Markdown and HTML metacharacters, huge and deeply nested values must not move the
terminal's cursor, break a report's structure or inject markup."""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import io
import json
import re
from html.parser import HTMLParser

import pytest
from markdown_it import MarkdownIt

from srm_tui import store
from srm_tui.model import Assessment, Status
from srm_tui.sanitize import INVISIBLE

# What could move the cursor, change the title, or reorder or hide text on a terminal:
# C0 controls but tab and newline (and CR only in a CSV line end), DEL, C1, and every
# invisible or bidirectional character (the sanitizer's list, checked against
# Unicode's own in hostile/test_report_text.py).
UNSAFE = re.compile(f"[\\x00-\\x08\\x0b-\\x0c\\x0e-\\x1f\\x7f-\\x9f\u2028\u2029{INVISIBLE}]")
BARE_CR = re.compile(r"\r(?!\n)")


def assert_terminal_safe(text: str, what: str) -> None:
    found = UNSAFE.search(text) or BARE_CR.search(text)
    assert found is None, f"{what}: {found.group(0)!r} at {found.start()}"


@pytest.fixture(scope="module")
def assessment(hostile) -> Assessment:
    return store.load(hostile[0])


def test_the_hostile_data_reached_the_findings(assessment: Assessment) -> None:
    # Otherwise the tests below prove nothing.
    text = " ".join(f.resource + " " + f.detail for f in assessment.findings)
    for marker in ("<script>", "[x](javascript:", "`tick`", "|#", "pwned", "DB_PASSWORD"):
        assert marker in text, marker


def test_findings_hold_no_control_characters(assessment: Assessment, hostile) -> None:
    for finding in assessment.findings:
        assert_terminal_safe(finding.resource, f"resource of {finding.check}")
        assert_terminal_safe(finding.detail, f"detail of {finding.check}")
    for error in assessment.scan.errors:
        assert_terminal_safe(error, "scan error")
    assert_terminal_safe(hostile[0].read_text("utf-8"), "the assessment file")


def test_headless_scan_output_is_terminal_safe(hostile) -> None:
    _, out, err = hostile
    assert_terminal_safe(out, "scan stdout")
    assert_terminal_safe(err, "scan stderr")
    assert "Saved to" in err


def test_one_policy_nested_too_deep_spoils_only_its_own_bucket(assessment: Assessment) -> None:
    public = {f.resource: f for f in assessment.findings if f.check == "s3.bucket_public_policy"}
    deep = public["arn:aws:s3:::hostile-deep"]
    assert deep.status is Status.ERROR and "nested too deeply" in deep.detail
    assert public["arn:aws:s3:::hostile-sid"].status is Status.FAIL
    assert public["arn:aws:s3:::hostile-nested"].status is Status.FAIL
    assert public["arn:aws:s3:::hostile-huge"].status is Status.FAIL
    assert public["arn:aws:s3:::plain-bucket"].status is Status.PASS


def test_secret_values_stay_out_even_among_hostile_names(hostile) -> None:
    assert "value-never-shown" not in hostile[0].read_text("utf-8")


@pytest.fixture(scope="module")
def reports(hostile) -> dict[str, str]:
    from srm_tui import cli

    found = {}
    for fmt in ("markdown", "html", "json", "csv"):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            assert cli.main(["report", str(hostile[0]), "--format", fmt]) == 0
        found[fmt] = out.getvalue()
    # An earlier review where every pass was a fail and back: the comparison lists
    # every hostile resource as changed.
    earlier = hostile[0].parent / "earlier.toml"
    before = store.load(hostile[0])
    flip = {Status.PASS: Status.FAIL, Status.FAIL: Status.PASS}
    before.findings = [
        dataclasses.replace(f, status=flip.get(f.status, f.status)) for f in before.findings
    ]
    store.save(before, earlier)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert cli.main(["diff", str(earlier), str(hostile[0])]) == 0
    found["diff"] = out.getvalue()
    return found


@pytest.mark.parametrize("fmt", ["markdown", "html", "json", "csv", "diff"])
def test_reports_on_stdout_are_terminal_safe(reports, fmt: str) -> None:
    assert_terminal_safe(reports[fmt], fmt)


def _unescaped_pipes(line: str) -> int:
    return len(re.findall(r"(?<!\\)\|", re.sub(r"\\\\", "", line)))


@pytest.mark.parametrize("fmt", ["markdown", "diff"])
def test_markdown_structure_holds(reports, fmt: str) -> None:
    text = reports[fmt]
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    kinds = {t.type for t in tokens} | {c.type for t in tokens for c in (t.children or [])}
    assert not kinds & {"html_block", "html_inline"}
    links = [c.attrs.get("href", "") for t in tokens for c in (t.children or [])
             if c.type == "link_open"]  # fmt: skip
    assert all(str(href).startswith(("https://", "http://", "#")) for href in links), links
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert not [h for h in headings if "script" in h or "mallory" in h or "tick" in h]
    # Every row of every table has as many cells as its header.
    header = None
    for line in text.splitlines():
        if line.startswith("|"):
            if header is None:
                header = _unescaped_pipes(line)
            assert _unescaped_pipes(line) == header, line
        else:
            header = None
    # Shown, as text (the comparison lists resources, among them the user "mallory-<b>...").
    assert ("\\<script\\>" if fmt == "markdown" else "\\<b\\>") in text


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_has_no_injected_tags(reports) -> None:
    parser = _Tags()
    parser.feed(reports["html"])
    names = {tag for tag, _ in parser.tags}
    assert not names & {"script", "img", "iframe", "object", "embed"}
    for tag, attrs in parser.tags:
        for key, value in attrs:
            assert not key.startswith("on"), (tag, key)
            assert not str(value or "").lower().startswith("javascript:"), (tag, key, value)
    assert "<script>alert(1)</script>" in "".join(parser.text)  # shown, as text


def test_csv_reads_back_with_the_right_columns(reports, assessment) -> None:
    rows = list(csv.reader(io.StringIO(reports["csv"], newline="")))
    header, body = rows[0], rows[1:]
    assert all(len(row) == len(header) for row in body)
    assert len(body) == len(assessment.findings)
    assert any("<script>" in cell for row in body for cell in row)


def test_json_is_valid_and_complete(reports, assessment) -> None:
    data = json.loads(reports["json"])
    assert len(data["findings"]) == len(assessment.findings)
    assert any("<script>" in f["detail"] for f in data["findings"])


class _Interrupt:
    """A prompter whose user presses Ctrl-C at the first prompt."""

    def checkbox(self, *args: object) -> list[str]:
        raise KeyboardInterrupt

    select = text = checkbox


def test_plain_mode_output_is_terminal_safe(hostile, tmp_path) -> None:
    # A user's own questionnaire (--questionnaires DIR) is outside text too.
    from srm_tui import plain
    from srm_tui.catalog import questionnaires
    from tests.hostile.seed import ESCAPES, MARKUP

    section = questionnaires.load().sections[0]
    question = dataclasses.replace(
        section.questions[0], title="Q" + ESCAPES + MARKUP, help="help" + ESCAPES
    )
    section = dataclasses.replace(section, title="S" + ESCAPES, questions=(question,))
    path = tmp_path / "copy.toml"
    path.write_bytes(hostile[0].read_bytes())
    out = io.StringIO()
    plain.run(path, [section], _Interrupt(), out=out)
    assert "Q" in out.getvalue() and "pwned" in out.getvalue()  # the question was shown
    assert_terminal_safe(out.getvalue(), "plain mode")
