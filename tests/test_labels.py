"""Risks, reasons, statuses, severities and responsibilities are named once, on the
enums, and every output uses those names."""

from __future__ import annotations

import io
import json
from dataclasses import replace

import pytest
import report_samples as samples
from test_plain import Canned
from test_report_markdown import PARSER, table_after

from srm_tui import plain
from srm_tui.model import Reason, Responsibility, Risk, Severity, Status
from srm_tui.plain import NOT_APPLICABLE
from srm_tui.report import diff, diff_report, formats


@pytest.mark.parametrize("enum", [Reason, Responsibility, Risk, Severity, Status])
def test_every_member_has_its_own_label(enum):
    labels = [member.label for member in enum]
    assert all(label.strip() and label[0].isupper() for label in labels)
    assert len(set(labels)) == len(labels)


def test_the_reasons_read_the_same_in_the_wizard_the_plain_mode_and_the_reports(tmp_path):
    from srm_tui.tui.widgets.question import REASONS

    assert [(r.label, r.value) for r in Reason] == REASONS
    # The plain mode offers the same words.
    sections = samples.sections()
    first = sections[0].questions[0]
    prompter = Canned([], NOT_APPLICABLE, Reason.OUT_OF_SCOPE.value, "", KeyboardInterrupt)
    plain.run(tmp_path / "a.toml", sections, prompter, out=io.StringIO())
    asked = next(options for kind, _, options in prompter.asked if kind == "select" and options
                 and options[0].value == Reason.OUT_OF_SCOPE.value)  # fmt: skip
    assert [o.title for o in asked] == [r.label for r in Reason]
    assert "Out of scope" in [o.title for o in asked]
    # And the report names the reason the same way.
    a = samples.assessment()
    a.answers[first.id] = replace(
        a.answers.get(first.id) or a.answer_for(first),
        selected=(),
        applicable=False,
        reason=Reason.OUT_OF_SCOPE,
    )
    html = PARSER.render(formats.report(a, sections))
    assert "Does not apply: Out of scope" in html
    assert "for this review" not in html


def test_reports_name_risks_statuses_and_severities_by_their_labels():
    a = samples.assessment()
    text = formats.report(a, samples.sections())
    tokens = PARSER.parse(text)
    split = table_after(tokens, "Findings and risks by responsibility")
    assert split[0][3:8] == [
        r.label for r in (Risk.HIGH, Risk.MEDIUM, Risk.NONE, Risk.NOT_APPLICABLE, Risk.UNANSWERED)
    ]
    assert split[0][10] == Status.ERROR.label
    assert [row[0] for row in split[1:]] == [r.label for r in Responsibility]
    assert f"### {Severity.CRITICAL.label} severity" in text
    # The comparison says it the same way.
    later = samples.assessment()
    later.answers["s_ir_contacts"].selected = ("s_ir_contacts_p1",)
    later.findings = [replace(f, status=Status.PASS) for f in later.findings]
    from srm_tui.review import refresh_risks

    refresh_risks(later, samples.sections())
    result = diff.compare(a, later, samples.sections())
    rows = table_after(PARSER.parse(diff_report.markdown(result)), "Risks that went down")
    assert rows[1][3:] == [Risk.HIGH.label, Risk.MEDIUM.label]
    fixed = table_after(PARSER.parse(diff_report.markdown(result)), "Findings fixed")
    assert {row[2] for row in fixed[1:]} <= {s.label for s in Severity}
    assert {(row[5], row[6]) for row in fixed[1:]} == {(Status.FAIL.label, Status.PASS.label)}
    # Machine-readable formats keep the values.
    data = json.loads(diff_report.to_json(result))
    assert {r["old"] for r in data["risks"]} <= {r.value for r in Risk}
