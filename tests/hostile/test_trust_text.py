"""Hostile text in what makes a review trustworthy: accepted risks, evidence entries,
attestations, carried-forward answers, plan owners and workload properties come from
people and files; in every report format they stay text."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
import report_samples as samples
from json_text import held, strings
from markdown_it import MarkdownIt

from srm_tui.model import Acceptance, Assignment, Evidence
from srm_tui.report import diff, diff_report, formats

HOSTILE = (
    "pipe | hash # <script>alert(1)</script> `tick` [link](javascript:alert(1)) "
    "*star* _under_ \x1b[2J\x07 \u202eevil\u2060\n# heading\n| a | b |\n1. list\n> quote"
)
PARSER = MarkdownIt("commonmark", {"html": False}).enable("table")
ON = datetime(2026, 9, 10, tzinfo=UTC)


def with_trust(text: str) -> samples.Assessment:
    """The sample review with every trust field filled with ``text`` (a plain word for
    the clean twin)."""
    a = samples.assessment()
    a.scope.environment = f"prod {text}"
    a.scope.review_owner = f"owner {text}"
    a.scope.signed_off_by = f"signer {text}"
    a.scope.signed_off = date(2026, 9, 9)
    a.acceptances = [
        Acceptance(
            id="A1",
            check="s3.public_access_block",
            reason=f"reason {text}",
            owner=f"owner {text}",
            expires=date(2026, 12, 31),
            resource=f"arn:aws:s3:::bucket-0*{text}",
            approved_by=f"approver {text}",
            created=ON,
        ),
        Acceptance(
            id="A2",
            check="iam.root_mfa",
            reason=f"old {text}",
            owner=f"o {text}",
            expires=date(2026, 9, 1),
            created=ON,
        ),
    ]
    a.assignments = [
        Assignment("ec2.sg_admin_ports_ipv4", owner=f"fixer {text}", due=date(2026, 9, 1))
    ]
    for answer in a.answers.values():
        answer.attested_by = f"attester {text}"
        answer.attested = ON
        answer.carried_from = f"q2 {text}.toml"
        answer.evidence = (
            Evidence(
                "file",
                f"docs/{text}.pdf",
                size=12,
                sha256=f"ab{text}",
                added=ON,
                by=f"by {text}",
                note=f"note {text}",
            ),
            Evidence.link(f"https://wiki.example.com/{text}", by=f"by {text}"),
        )
    return a


def headings(tokens):
    return [t.tag for t in tokens if t.type == "heading_open"]


def table_widths(tokens):
    widths, row = [], 0
    for t in tokens:
        if t.type == "tr_open":
            row = 0
        elif t.type in ("th_open", "td_open"):
            row += 1
        elif t.type == "tr_close":
            widths.append(row)
    return widths


def test_markdown_keeps_its_outline_and_tables_whatever_the_trust_fields_say():
    clean = formats.report(with_trust("plain"), samples.sections(), generated=ON)
    text = formats.report(with_trust(HOSTILE), samples.sections(), generated=ON)
    assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text
    tokens, clean_tokens = PARSER.parse(text), PARSER.parse(clean)
    assert headings(tokens) == headings(clean_tokens)
    assert table_widths(tokens) == table_widths(clean_tokens)
    inline = {c.type for t in tokens if t.children for c in t.children}
    assert "html_inline" not in inline and "em_open" not in inline
    html = PARSER.render(text)
    assert "<script" not in html
    assert not any(h.startswith("javascript:") for h in re.findall(r'href="([^"]*)"', html))
    assert "Accepted risks" in text and "Evidence file" in text  # the fields were shown


VARIANTS = [(f.name, False) for f in formats.FORMATS] + [
    (f.name, True) for f in formats.FORMATS if f.offers_plan
]


@pytest.mark.parametrize(("name", "plan"), VARIANTS)
def test_no_control_or_invisible_character_reaches_any_format(name, plan):
    text = formats.report(
        with_trust(HOSTILE), samples.sections(), name, plan_only=plan, generated=ON
    )
    assert not set(held(text)) & {"\x1b", "\x07", "\u202e", "\u2060"}


def test_json_trust_fields_are_cleaned():
    data = json.loads(formats.report(with_trust(HOSTILE), samples.sections(), "json"))
    values = " ".join(strings(data))
    assert "\u202e" not in values and "\x1b" not in values
    assert data["acceptances"][0]["reason"].startswith("reason pipe | hash")
    assert data["answers"][0]["evidence"][0]["ref"].startswith("docs/pipe")


@pytest.mark.parametrize("name", list(diff_report.FORMATS))
def test_a_comparison_of_acceptances_stays_text(name):
    old = samples.assessment()
    new = with_trust(HOSTILE)
    result = diff.compare(old, new, samples.sections(), on=date(2026, 9, 10))
    text = diff_report.render(result, name)
    assert not set(text) & {"\x1b", "\x07", "\u202e", "\u2060"}
    if name == "markdown":
        assert "<script" not in PARSER.render(text)
        clean = diff_report.render(
            diff.compare(old, with_trust("plain"), samples.sections(), on=date(2026, 9, 10)),
            name,
        )
        assert table_widths(PARSER.parse(text)) == table_widths(PARSER.parse(clean))


def test_redact_masks_the_account_in_every_trust_field():
    a = with_trust(f"acct {samples.ACCOUNT}")
    a.acceptances[0] = replace(a.acceptances[0], account=samples.ACCOUNT)
    for fmt in formats.FORMATS:
        text = formats.report(a, samples.sections(), fmt.name, redact=True)
        assert samples.ACCOUNT not in text, fmt.name
