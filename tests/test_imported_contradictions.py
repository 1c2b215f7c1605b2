"""Failures imported from another tool contradict answers as srm-tui's own would: an
imported failure that counts on its own (no own verdict on that control and resource)
contradicts a choice naming an srm-tui check it maps to, and a "does not apply" linked
to one; an import disagreeing with an own pass, one whose own check could not tell,
and an imported pass do not. Every report says it as imported, with the producer's
check id, never as srm-tui's check failing; another tool's hostile id stays text."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from srm_tui import checklist, contradictions
from srm_tui.model import (
    Assessment,
    CheckRecord,
    Finding,
    ImportedFinding,
    ImportedSet,
    Reason,
    Scope,
    Section,
    Severity,
    Status,
)
from srm_tui.report import formats, html_report, markdown
from srm_tui.report.inputs import ReportInput
from srm_tui.review import choose, set_answer, set_override
from tests import report_samples as samples
from tests.json_text import strings
from tests.org.test_overrides import PLAY, PROD, SANDBOX, organization_review

ACCOUNT = "123456789012"
HARDWARE_MFA = "iam.root_hardware_mfa"  # AWS FSBP IAM.6, CIS 2.6
ACCESS_KEYS = "iam.root_access_keys"  # AWS FSBP IAM.4, CIS 2.4
PROWLER_CHECK = "iam_root_hardware_mfa_enabled"
ROOT = f"arn:aws:iam::{ACCOUNT}:root"
WHEN = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
NS = "urn:srm-tui:oscal"
SAID = "Prowler's iam_root_hardware_mfa_enabled (maps to iam.root_hardware_mfa)"


def claim_sections() -> tuple[Section, ...]:
    """The sample catalogue whose first question's practice 1 claims what the root
    hardware MFA check tests, and practice 2 what the root access keys check tests."""
    secs = samples.sections()
    base = secs[0].questions[0]
    choices = list(base.choices)
    choices[0] = replace(choices[0], checks=(HARDWARE_MFA,))
    choices[1] = replace(choices[1], checks=(ACCESS_KEYS,))
    question = replace(base, choices=tuple(choices))
    return (replace(secs[0], questions=(question, *secs[0].questions[1:])), secs[1])


def imported(
    status: Status = Status.FAIL, check: str = PROWLER_CHECK, account: str = "", **more
) -> ImportedFinding:
    """Prowler's root hardware MFA result (FSBP IAM.6, CIS 2.6) on the account's root."""
    fields = {
        "source": "prowler",
        "check": check,
        "title": "Hardware MFA is enabled for the root account",
        "region": "us-east-1",
        "resource": ROOT,
        "status": status,
        "severity": Severity.CRITICAL,
        "frameworks": {"aws-fsbp": ("IAM.6",), "cis-aws-7.0": ("2.6",)},
        "account_id": account,
    }
    return ImportedFinding(**(fields | more))


def with_import(*found: ImportedFinding, own: Status | None = None, a: Assessment | None = None):
    """A review with srm-tui's root MFA checks on record (``own``: the hardware MFA
    check's verdict on the root, none when not given) and a Prowler import."""
    metas = {m.id: m for m in checklist.load().metas()}
    if a is None:
        a = Assessment("imported", scope=Scope(account_id=ACCOUNT, regions=("us-east-1",)))
    a.checks = {c: CheckRecord.from_meta(metas[c]) for c in (HARDWARE_MFA, ACCESS_KEYS)}
    if own is not None:
        a.findings = [Finding(HARDWARE_MFA, "global", ROOT, own, "root")]
    single = "" if a.organization is not None else ACCOUNT
    a.imports = {"prowler": ImportedSet("prowler", "prowler.ocsf.json", WHEN, single, found)}
    return a


def claimed(a: Assessment, *choices: str):
    secs = claim_sections()
    question = secs[0].questions[0]
    choose(a, question, [f"{question.id}_{c}" for c in choices])
    return secs, question, a.answers[question.id]


def _against(a: Assessment, secs, question, answer, target: str | None = None):
    by_account = contradictions.imported_by_account(a)
    found = contradictions.imported_for(a, question, by_account, target)
    return contradictions.imported_of_answer(question, answer, found)


# --- the rule --------------------------------------------------------------------------------


def test_an_imported_failure_that_counts_contradicts_the_choice_naming_its_check():
    a = with_import(imported())
    secs, question, answer = claimed(a, "p1", "p3")
    [found] = _against(a, secs, question, answer)
    assert (found.source, found.check, found.checks) == ("prowler", PROWLER_CHECK, (HARDWARE_MFA,))
    assert (found.resource, found.account_id) == (ROOT, ACCOUNT)
    by_account = contradictions.imported_by_account(a)
    failing = contradictions.imported_for(a, question, by_account)
    assert contradictions.imported_by_choice(question, answer, failing) == {
        f"{question.id}_p1": (found,)
    }
    assert contradictions.all_imported(a, secs) == [(question, (found,))]
    # Never disguised as srm-tui's check failing.
    assert contradictions.all_of(a, secs) == []
    # A choice naming another check is not contradicted by it.
    secs, question, answer = claimed(a, "p2")
    assert _against(a, secs, question, answer) == ()


@pytest.mark.parametrize(
    ("own", "status"),
    [
        (Status.PASS, Status.FAIL),  # disagrees with srm-tui's pass: srm-tui's stands
        (Status.ERROR, Status.FAIL),  # srm-tui's check could not tell: it stands
        (Status.NOT_APPLICABLE, Status.FAIL),
        (None, Status.PASS),  # an imported pass counts, but claims nothing failed
    ],
)
def test_only_an_imported_failure_that_counts_contradicts(own, status):
    a = with_import(imported(status), own=own)
    secs, question, answer = claimed(a, "p1")
    assert _against(a, secs, question, answer) == ()
    assert contradictions.all_imported(a, secs) == []
    set_answer(a, question, applicable=False, reason=Reason.OUT_OF_SCOPE)
    assert _against(a, secs, question, a.answers[question.id]) == ()


def test_an_imported_failure_contradicts_does_not_apply():
    a = with_import(imported())
    secs = claim_sections()
    question = secs[0].questions[0]
    set_answer(a, question, applicable=False, reason=Reason.OUT_OF_SCOPE)
    answer = a.answers[question.id]
    [found] = _against(a, secs, question, answer)
    assert found.checks == (HARDWARE_MFA,)
    assert contradictions.imported_by_choice(question, answer, [found]) == {}
    assert contradictions.imported_not_applying_said([found]) == (
        f"marked as not applying, but an imported finding fails a linked check: {SAID}"
    )
    # An import mapping to no check linked to the question says nothing of it.
    other = imported(check="s3_x", frameworks={"aws-fsbp": ("S3.8",)})
    assert _against(with_import(other), secs, question, answer) == ()


def test_an_imported_failure_belongs_to_its_account_in_an_organization_review():
    # The organization claims hardware root MFA; Prowler finds it missing in PLAY (the
    # sandbox OU). PLAY's own answer claiming nothing is what that failure is judged
    # by; once PLAY holds the organization's answer, the failure contradicts it.
    a = with_import(imported(account=PLAY), a=organization_review())
    secs, question, answer = claimed(a, "p1")
    set_override(a, question, PLAY, selected=(f"{question.id}_no",))
    assert _against(a, secs, question, answer) == ()
    assert ReportInput(a, secs).imported_contradicted == []
    assert ReportInput(a, secs).override_imported_contradictions(question, PLAY) == ()
    # The same failure in PROD, where the organization's answer holds, contradicts it.
    a.imports["prowler"] = replace(a.imports["prowler"], findings=(imported(account=PROD),))
    assert [f.account_id for f in _against(a, secs, question, answer)] == [PROD]
    # PLAY's own answer claiming the practice is contradicted by PLAY's failure only.
    a.imports["prowler"] = replace(a.imports["prowler"], findings=(imported(account=PLAY),))
    set_override(a, question, SANDBOX, selected=(f"{question.id}_p1",))
    a.overrides[question.id].pop(PLAY)
    report = ReportInput(a, secs)
    [found] = report.override_imported_contradictions(question, SANDBOX)
    assert found.account_id == PLAY and report.imported_contradictions(question, answer) == ()
    data = json.loads(formats.report(a, secs, "json"))
    [entry] = [o for o in data["overrides"] if o["target"] == SANDBOX]
    assert entry["contradictions"] == []
    assert entry["imported_contradictions"][0]["account_id"] == PLAY
    row = next(x for x in markdown.render(report).splitlines() if f"`{SANDBOX}`" in x)
    assert (
        "**contradicted by an imported finding**: Prowler's `iam_root_hardware_mfa_enabled`" in row
    )
    # Without its override, PLAY holds the organization's claim again: contradicted.
    a.overrides[question.id].pop(SANDBOX)
    assert [f.account_id for f in _against(a, secs, question, answer)] == [PLAY]


# --- the reports -----------------------------------------------------------------------------


def test_the_json_report_gives_each_answer_its_imported_contradictions():
    a = with_import(imported(), imported(resource=f"{ROOT}-2"))
    secs, question, _ = claimed(a, "p1")
    other = secs[0].questions[1]  # no choice of it names a check
    choose(a, other, [other.choices[0].id])
    data = json.loads(formats.report(a, secs, "json"))
    answers = {x["question"]: x for x in data["answers"]}
    assert answers[question.id]["contradictions"] == []  # srm-tui's own check: no failure
    assert answers[question.id]["imported_contradictions"] == [
        {
            "source": "prowler",
            "check": PROWLER_CHECK,
            "checks": [HARDWARE_MFA],
            "resource": resource,
            "account_id": ACCOUNT,
        }
        for resource in (ROOT, f"{ROOT}-2")
    ]
    assert answers[other.id]["imported_contradictions"] == []
    assert data["summary"]["contradictions"] == 0
    assert data["summary"]["imported_contradictions"] == 1
    # Disagreeing with srm-tui's pass: the field stays empty, the count 0.
    passed = with_import(imported(), own=Status.PASS)
    secs, question, _ = claimed(passed, "p1")
    data = json.loads(formats.report(passed, secs, "json"))
    assert [x["imported_contradictions"] for x in data["answers"]] == [[]]
    assert data["summary"]["imported_contradictions"] == 0


def test_markdown_and_html_say_the_contradiction_as_imported():
    a = with_import(imported())
    secs, question, _ = claimed(a, "p1")
    report = ReportInput(a, secs)
    text = markdown.render(report)
    line = next(x for x in text.splitlines() if "Practice 1 of" in x and "\\[x\\]" in x)
    assert line.endswith(
        " **contradicted by an imported finding**: Prowler's `iam_root_hardware_mfa_enabled` "
        "(maps to `iam.root_hardware_mfa`)"
    )
    assert "contradicted by the scan" not in line and "fails" not in line
    summary = text.split("## Executive summary")[1].split("\n## ")[0]
    assert "### Answers the scan contradicts" not in summary
    assert "### Answers imported findings contradict" in summary
    row = next(x for x in summary.splitlines() if f"`{question.id}`" in x)
    assert "a practice" in row and "`iam_root_hardware_mfa_enabled`" in row
    page = html_report.render(report)
    assert "contradicted by an imported finding" in page
    assert "<code>iam_root_hardware_mfa_enabled</code>" in page
    # "Does not apply", two resources failing the same check.
    a = with_import(imported(), imported(resource=f"{ROOT}-2"))
    set_answer(a, question, applicable=False, reason=Reason.OUT_OF_SCOPE)
    line = next(
        x for x in markdown.render(ReportInput(a, secs)).splitlines() if x.startswith("- Does not")
    )
    assert line.endswith(
        " **contradicted by imported findings**: marked as not applying, but imported "
        "findings fail linked checks: Prowler's `iam_root_hardware_mfa_enabled` on 2 "
        "resources (maps to `iam.root_hardware_mfa`)"
    )


HOSTILE = "\x1b[31mred\x1b]8;;http://evil.example\x07 `x` | <script>alert(1)</script>\n# Heading"


def test_a_hostile_producer_check_id_stays_text_in_every_report():
    a = with_import(imported(check=HOSTILE))
    evil = "<b>evil</b>"  # a source is the name of a table in the assessment file
    a.imports[evil] = ImportedSet(
        evil, "x.json", WHEN, ACCOUNT, (replace(imported(), source=evil),)
    )
    secs, question, _ = claimed(a, "p1")
    report = ReportInput(a, secs)
    text = markdown.render(report)
    assert "\x1b" not in text and "\x07" not in text
    # Each id is code: it opens no heading, and its markup stays literal text.
    assert not any(x.startswith("# Heading") for x in text.splitlines())
    flagged = [x for x in text.splitlines() if "contradicted by imported findings" in x]
    assert len(flagged) == 1  # one line: the id's newline opened none
    page = html_report.render(report)
    assert "<script>" not in page and "<b>evil" not in page and "\x1b" not in page
    assert 'href="http://evil.example' not in page
    rows = [x for x in text.splitlines() if x.startswith("| ") and f"`{question.id}`" in x]
    assert all(x.count("|") - x.count("\\|") == 5 for x in rows)  # no cell was split
    data = formats.report(a, secs, "json")
    assert not any("\x1b" in s or "\x07" in s for s in strings(json.loads(data)))
    [hostile] = [
        f
        for x in json.loads(data)["answers"]
        for f in x["imported_contradictions"]
        if "Heading" in f["check"]
    ]
    assert "\x1b" not in hostile["check"] and "<script>" in hostile["check"]  # text, kept


def test_the_plain_front_end_says_an_answer_is_contradicted_by_an_import(tmp_path):
    from test_plain import Canned

    from srm_tui import plain, store
    from srm_tui.catalog import questionnaires

    sections = questionnaires.load().sections
    a = with_import(imported(check=HOSTILE))
    for section in sections:
        if section.id == "identity_governance":
            for q in section.questions:
                if q.id != "ig_root":
                    set_answer(a, q, selected=[q.none_choice.id], by="Ann")
    path = tmp_path / "a.toml"
    store.save(a, path)
    out = io.StringIO()
    prompter = Canned(["ig_root_hardware_mfa"], "")  # tick hardware MFA, no notes
    assert plain.run(path, sections, prompter, out=out, section_id="identity_governance") == 0
    text = out.getvalue()
    [line] = [x for x in text.splitlines() if x.startswith("Contradicted by an imported")]
    assert line.startswith("Contradicted by an imported finding: 'Every root user")
    assert "but Prowler's" in line and line.endswith("(maps to iam.root_hardware_mfa) fails.")
    assert "\x1b" not in text and "\x07" not in text  # the hostile id's escapes are gone
    assert "Contradicted by the scan" not in text  # srm-tui's own check does not fail
    # "Does not apply" the same import disproves.
    again = store.load(path)
    del again.answers["ig_root"]
    store.save(again, path)
    prompter = Canned([], plain.NOT_APPLICABLE, "out_of_scope", "")
    out = io.StringIO()
    assert plain.run(path, sections, prompter, out=out, section_id="identity_governance") == 0
    said = "Contradicted by an imported finding: marked as not applying, but an imported "
    assert said + "finding fails a linked check: Prowler's" in out.getvalue()


def test_ocsf_and_oscal_carry_the_imported_contradiction(tmp_path):
    compliance = pytest.importorskip(
        "py_ocsf_models.events.findings.compliance_finding",
        reason="py-ocsf-models comes with the test extra: pip install -e '.[test]'",
    )
    trestle_ar = pytest.importorskip(
        "trestle.oscal.assessment_results",
        reason="compliance-trestle comes with the test extra: pip install -e '.[test]'",
    )
    a = with_import(imported(check=HOSTILE))
    secs = claim_sections()
    question = secs[0].questions[0]
    set_answer(a, question, applicable=False, reason=Reason.OUT_OF_SCOPE)
    events = json.loads(formats.report(a, secs, "ocsf"))
    event = next(e for e in events if e["compliance"]["control"] == question.id)
    [found] = event["unmapped"]["imported_contradictions"]
    assert (found["source"], found["checks"], found["resource"]) == (
        "prowler",
        [HARDWARE_MFA],
        ROOT,
    )
    assert "contradictions" not in event["unmapped"]  # srm-tui's own checks: none fail
    assert "but an imported finding fails a linked check: Prowler's" in event["message"]
    assert "\x1b" not in event["message"] and "\n" not in event["message"]
    compliance.ComplianceFinding.model_validate(event)

    def results() -> dict:
        text = formats.report(a, secs, "oscal")
        path = tmp_path / "ar.json"
        path.write_text(text, encoding="utf-8")
        trestle_ar.AssessmentResults.oscal_read(path)  # still valid OSCAL
        return json.loads(text)["assessment-results"]["results"][0]

    def interview_of(result: dict) -> dict:
        return next(
            o
            for o in result["observations"]
            if o["methods"] == ["INTERVIEW"]
            and {"name": "question", "value": question.id, "ns": NS} in o["props"]
        )

    # "Does not apply" (an observation without a finding) says it and names the import.
    interview = interview_of(results())
    [by] = [p["value"] for p in interview["props"] if p["name"] == "contradicted-by-import"]
    assert by.startswith("prowler ") and "\x1b" not in by
    assert "Contradicted by an imported finding: marked as not applying" in interview["description"]
    # A claimed practice: its finding relates the import's TEST observation too.
    choose(a, question, [f"{question.id}_p1"])
    result = results()
    observations = {o["uuid"]: o for o in result["observations"]}
    finding = next(f for f in result["findings"] if f["target"]["target-id"] == question.id)
    related = [observations[r["observation-uuid"]] for r in finding["related-observations"]]
    [tool] = [o for o in related if o["methods"] == ["TEST"]]
    assert {"name": "source", "value": "prowler", "ns": NS} in tool["props"]
    assert [p["name"] for p in interview_of(result)["props"]].count("contradicted-by-import") == 1
    # An answer nothing contradicts relates no imported observation.
    choose(a, question, [f"{question.id}_p3"])
    result = results()
    finding = next(f for f in result["findings"] if f["target"]["target-id"] == question.id)
    methods = {o["uuid"]: o["methods"] for o in result["observations"]}
    assert [methods[r["observation-uuid"]] for r in finding["related-observations"]] == [
        ["INTERVIEW"]
    ]
