"""Text from outside in every report: a pipe cannot split a table cell, only AWS's
documentation becomes a link (a real one), an address in someone's notes never does,
invisible and bidirectional characters never get through, and --redact leaves no
account id anywhere."""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from dataclasses import replace
from pathlib import Path

import pytest
import report_samples as samples
from markdown_it import MarkdownIt

from srm_tui import milestones, store
from srm_tui.model import Answer, Assessment, Evidence, Finding, Risk, Status
from srm_tui.report import diff, diff_report, formats
from srm_tui.report.inputs import ReportInput
from srm_tui.report.redaction import MASK
from srm_tui.sanitize import clean

COMMONMARK = MarkdownIt("commonmark", {"html": False}).enable("table")
# As GitHub reads Markdown: bare addresses in plain text become links.
GITHUB_LIKE = MarkdownIt("gfm-like", {"html": False})


def tables(tokens) -> list[list[int]]:
    """The number of cells in each row of each table."""
    result: list[list[int]] = []
    cells = 0
    for token in tokens:
        if token.type == "table_open":
            result.append([])
        elif token.type == "tr_open":
            cells = 0
        elif token.type in ("th_open", "td_open"):
            cells += 1
        elif token.type == "tr_close":
            result[-1].append(cells)
    return result


def github_cells(text: str) -> list[list[int]]:
    """The cells of each table row as GitHub splits them: at every pipe without a
    backslash right before it, inside code spans too (markdown-it-py is laxer)."""
    result: list[list[int]] = []
    previous = False
    for line in text.splitlines():
        is_row = line.startswith("|")
        if is_row and not previous:
            result.append([])
        if is_row:
            result[-1].append(len(re.findall(r"(?<!\\)\|", line)))
        previous = is_row
    return result


def hrefs(html: str) -> list[str]:
    return re.findall(r'<a href="([^"]*)"', html)


# --- pipes -----------------------------------------------------------------------------


def piped() -> Assessment:
    """Identifiers with pipes everywhere a table shows one: check ids (in the errors,
    passed and coverage tables), an answer to a question no longer in the catalogue."""
    a = samples.assessment()
    renamed = {cid: f"{cid}|x|y" for cid in a.checks}
    a.checks = {renamed[cid]: replace(r, id=renamed[cid]) for cid, r in a.checks.items()}
    a.findings = [
        replace(f, check=renamed.get(f.check, f.check), region=f"{f.region}|r") for f in a.findings
    ]
    a.answers["gone|q|1"] = Answer(
        "gone|q|1", "incident_response|s", selected=("a|b",), risk=Risk.HIGH
    )
    return a


def test_a_pipe_in_any_identifier_never_splits_a_table_cell():
    a = piped()
    text = formats.report(a, samples.sections())
    clean_text = formats.report(samples.assessment(), samples.sections())
    shape = tables(COMMONMARK.parse(text))
    assert shape == tables(COMMONMARK.parse(clean_text))  # same tables, same widths
    assert github_cells(text) == github_cells(clean_text)
    assert all(len(set(rows)) == 1 for rows in github_cells(text))
    assert "<code>iam.root_mfa|x|y</code>" in COMMONMARK.render(text)  # shown whole
    # The comparison of two reviews lists check ids and question ids in tables too.
    before = samples.assessment()
    result = diff.compare(before, a, samples.sections())
    compared = diff_report.markdown(result)
    assert result.new_failures and result.risks
    assert all(len(set(rows)) == 1 for rows in github_cells(compared))
    assert all(len(set(rows)) == 1 for rows in tables(COMMONMARK.parse(compared)))


# --- links -----------------------------------------------------------------------------

_ADDRESS = re.compile(r"https?://[^\s<>()\"']+")


def _addresses(text: str) -> list[str]:
    return [m.rstrip(".,;:") for m in _ADDRESS.findall(text)]


def catalogue_assessment() -> tuple[Assessment, list[str]]:
    """Every check of the catalogue failing once, and the addresses its remediation
    texts give."""
    from srm_tui import checklist
    from srm_tui.model import CheckRecord

    a = Assessment(name="every check")
    a.scope.frameworks = ()
    addresses = []
    for meta in checklist.load().metas():
        a.checks[meta.id] = CheckRecord.from_meta(meta)
        a.findings.append(Finding(meta.id, "global", f"resource-of-{meta.id}", Status.FAIL))
        addresses += _addresses(meta.remediation)
    return a, addresses


def test_every_remediation_link_is_a_real_link():
    a, addresses = catalogue_assessment()
    assert len(addresses) >= 14
    text = formats.report(a, [])
    for reader in (COMMONMARK, GITHUB_LIKE):
        found = set(hrefs(reader.render(text)))
        missing = [url for url in addresses if url not in found]
        assert not missing, missing
        assert not [h for h in found if "\\" in h or "%5C" in h]
    page = formats.report(a, [], "html")
    assert set(addresses) <= set(hrefs(page))  # anchors in the HTML page


def test_an_address_from_outside_never_becomes_a_link():
    a = samples.assessment()
    bait = (
        "Call us: https://evil.example/login?next=a_b, www.evil.example/x, "
        "mailto:boss@evil.example and (http://evil.example/p_(1))."
    )
    for answer in a.answers.values():
        answer.notes = bait + "\nsecond line https://evil.example/2"
        answer.owner = "see https://evil.example/owner"
    a.name = "Review https://evil.example/name"
    a.findings = [
        replace(f, detail=bait, resource=f.resource + " www.evil.example") for f in a.findings
    ]
    a.checks = {
        cid: replace(r, remediation=f"{r.remediation} {bait}") for cid, r in a.checks.items()
    }
    text = formats.report(a, samples.sections())
    for reader in (COMMONMARK, GITHUB_LIKE):
        html = reader.render(text)
        assert not [h for h in hrefs(html) if "evil" in h]
        assert "https://evil.example/login?next=a_b" in html  # still shown, as text
    page = formats.report(a, samples.sections(), "html")
    assert not [h for h in hrefs(page) if "evil" in h]
    # Evidence is the reader's own link, and stays one.
    assert "https://wiki.example.com/ir-plan" in hrefs(GITHUB_LIKE.render(text))


# --- invisible characters ----------------------------------------------------------------


def _invisible_characters() -> list[str]:
    """Every Unicode format character and line or paragraph separator, and the
    invisible letters and marks a reader cannot see either."""
    found = [
        chr(cp) for cp in range(0x110000) if unicodedata.category(chr(cp)) in ("Cf", "Zl", "Zp")
    ]
    extra = "\u034f\u115f\u1160\u17b4\u17b5\u180b\u180c\u180d\u180f\u3164\ufe0f\uffa0\U000e0100"
    return found + list(extra)


INVISIBLE = _invisible_characters()


def test_the_sanitizer_drops_every_invisible_or_bidirectional_character():
    for char in INVISIBLE:
        assert clean(f"a{char}b") in ("ab", "a\nb"), f"U+{ord(char):04X}"
    assert clean("a\u2028b\u2029c") == "a\nb\nc"
    assert clean("tab\tnew\nline") == "tab\tnew\nline"
    assert clean("plain ASCII, über, 東京, emoji 🙂") == "plain ASCII, über, 東京, emoji 🙂"


HIDDEN = "\u2060\u2061\u2062\u2063\u2064\u061c\u180e\u00ad\u2028\u2029\u202e\u2066\U000e0041\U000e0042\ufeff"


def full_of_hidden_text() -> Assessment:
    a = samples.assessment()
    h = HIDDEN
    a.name = f"Quarterly{h} review"
    a.scope.regions = tuple(f"{r}{h}" for r in a.scope.regions)
    a.scope.services = tuple(f"{s}{h}" for s in a.scope.services)
    a.scope.profile = f"audit{h}"
    a.findings = [
        replace(f, resource=f"{f.resource}{h}", detail=f"{h}{f.detail}", region=f"{f.region}{h}")
        for f in a.findings
    ]
    a.checks = {
        cid: replace(
            r, title=f"{r.title}{h}", remediation=f"{r.remediation}{h}", service=r.service + h
        )
        for cid, r in a.checks.items()
    }
    for answer in a.answers.values():
        answer.notes = f"notes{h}\nmore{h}"
        answer.owner = f"Sam{h}"
        # One address broken by a separator, one whole but for invisible characters.
        answer.evidence = (
            Evidence.link(f"https://wiki.example.com/{h}x"),
            Evidence.link("https://wiki.example.com/\u2060y\u202e"),
        )
        answer.selected = tuple(f"{c}" for c in answer.selected)
    a.answers["retired" + h] = Answer("retired" + h, "gone" + h, selected=("x" + h,))
    a.scan = replace(a.scan, errors=(f"denied{h}",))
    return a


VARIANTS = [(f.name, False) for f in formats.FORMATS] + [
    (f.name, True) for f in formats.FORMATS if f.offers_plan
]


@pytest.mark.parametrize(("name", "plan"), VARIANTS)
def test_no_invisible_character_reaches_any_report(name, plan):
    text = formats.report(full_of_hidden_text(), samples.sections(), name, plan_only=plan)
    left = sorted({f"U+{ord(c):04X}" for c in text if c in set(INVISIBLE)})
    assert not left, left
    assert text.strip()


@pytest.mark.parametrize("name", list(diff_report.FORMATS))
def test_no_invisible_character_reaches_a_comparison(name):
    before = samples.assessment()
    result = diff.compare(
        before, full_of_hidden_text(), samples.sections(), "old\u2066", "new\u202e"
    )
    text = diff_report.render(result, name)
    left = sorted({f"U+{ord(c):04X}" for c in text if c in set(INVISIBLE)})
    assert not left, left


def test_json_strings_are_cleaned_not_just_escaped():
    text = formats.report(full_of_hidden_text(), samples.sections(), "json")
    data = json.loads(text)
    assert data["assessment"]["name"] == "Quarterly\n\n review"  # separators: newlines
    assert data["scope"]["profile"] == "audit\n\n"  # the separators became newlines
    owners = {a["owner"] for a in data["answers"]}
    assert owners <= {"Sam\n\n", ""}
    rows = list(
        csv.DictReader(
            io.StringIO(
                formats.report(full_of_hidden_text(), samples.sections(), "csv"), newline=""
            )
        )
    )
    assert all("\u2060" not in value for row in rows for value in row.values())


# --- redaction ---------------------------------------------------------------------------


def _saved(tmp_path: Path, name: str = "review.toml") -> Path:
    path = tmp_path / name
    store.save(samples.assessment(), path)
    return path


@pytest.mark.parametrize("name", formats.names())
def test_redact_masks_the_account_in_milestone_names_and_file_names(run_cli, tmp_path, name):
    path = _saved(tmp_path, f"review-{samples.ACCOUNT}.toml")
    milestones.create(path, f"before-{samples.ACCOUNT}-q3")
    result = run_cli("report", path, "--format", name)
    assert result.code == 0, result.err
    if name in ("markdown", "html"):
        assert f"before-{samples.ACCOUNT}-q3" in result.out  # the milestones are listed
    result = run_cli("report", path, "--format", name, "--redact")
    assert result.code == 0, result.err
    assert samples.ACCOUNT not in result.out
    if name in ("markdown", "html"):
        assert f"before-{MASK}-q3" in result.out


def test_redact_reaches_text_the_format_takes_from_the_questionnaire():
    sections = samples.sections()
    first = sections[0]
    question = replace(
        first.questions[0], title=f"Is account {samples.ACCOUNT} in the organization?"
    )
    sections = (replace(first, questions=(question, *first.questions[1:])), *sections[1:])
    for fmt in formats.FORMATS:
        text = fmt.render(formats_input(sections))
        assert samples.ACCOUNT not in text, fmt.name


def formats_input(sections) -> ReportInput:
    from srm_tui.report.inputs import prepare

    return prepare(samples.assessment(), sections, redact=True, checks={})


def _later() -> Assessment:
    a = samples.assessment()
    a.findings = [replace(f, status=Status.PASS, detail="") for f in a.findings]
    a.answers["s_ir_plan"].notes = f"moved to account {samples.ACCOUNT}"
    return a


@pytest.mark.parametrize("name", list(diff_report.FORMATS))
def test_diff_offers_redact(run_cli, tmp_path, name):
    old = _saved(tmp_path, f"{samples.ACCOUNT}-q2.toml")
    milestones.create(old, f"m-{samples.ACCOUNT}")
    new = tmp_path / "q3.toml"
    store.save(_later(), new)
    result = run_cli("diff", f"{old}@m-{samples.ACCOUNT}", new, "--format", name)
    assert result.code == 0, result.err
    assert samples.ACCOUNT in result.out
    result = run_cli("diff", f"{old}@m-{samples.ACCOUNT}", new, "--format", name, "--redact")
    assert result.code == 0, result.err
    assert samples.ACCOUNT not in result.out and samples.OTHER_ACCOUNT not in result.out
    assert MASK in result.out


def test_diff_of_two_different_accounts_says_so(run_cli, tmp_path):
    old = _saved(tmp_path, "ours.toml")
    theirs = samples.assessment()
    theirs.scope.account_id = samples.OTHER_ACCOUNT
    new = tmp_path / "theirs.toml"
    store.save(theirs, new)
    result = run_cli("diff", old, new)
    assert result.code == 2
    assert samples.ACCOUNT in result.err and samples.OTHER_ACCOUNT in result.err
    assert "--force" in result.err and result.out == ""
    result = run_cli("diff", old, new, "--redact")
    assert result.code == 2
    assert samples.ACCOUNT not in result.err and samples.OTHER_ACCOUNT not in result.err
    result = run_cli("diff", old, new, "--force")
    assert result.code == 0, result.err
    assert "two different accounts" in result.out
    assert f"| Account | {samples.ACCOUNT} | {samples.OTHER_ACCOUNT} |" in result.out
    data = json.loads(run_cli("diff", old, new, "--force", "--format", "json").out)
    assert (data["old"]["account_id"], data["new"]["account_id"]) == (
        samples.ACCOUNT,
        samples.OTHER_ACCOUNT,
    )
    # An assessment not yet scanned names no account: nothing to refuse.
    blank = samples.assessment()
    blank.scope.account_id = ""
    store.save(blank, new)
    assert run_cli("diff", old, new).code == 0
