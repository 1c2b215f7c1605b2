"""Accepted risks out of the assessment's own policy (no owner, no reason, a term longer
than ``max_acceptance_days``), as a hand-edited or a colleague's file can carry them:
kept as written, but covering nothing. Their failures count as failed in the verdict,
and every listing shows them with the flaw."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

import pytest
from report_samples import ACCOUNT, assessment, sections

from srm_tui import acceptances, store
from srm_tui.acceptances import Index, accept, flaw
from srm_tui.model import Acceptance, Assessment, Severity, Status, today
from srm_tui.report import csv_report, diff, diff_report, json_report, markdown, ocsf, oscal
from srm_tui.report.inputs import ReportInput
from srm_tui.scoring import summarise

ON = date(2026, 9, 10)
MADE = datetime(2026, 9, 1, 9, 0, tzinfo=UTC)
ROOT = f"arn:aws:iam::{ACCOUNT}:root"
CONTACT = f"arn:aws:account::{ACCOUNT}:account"
SG = f"arn:aws:ec2:eu-west-1:{ACCOUNT}:security-group/sg-0a"
#: Each acceptance the sample carries, and the flaw it is read with on ON.
FLAWS = {
    "A1": "no owner",
    "A2": "no reason",
    "A3": "runs 400 days, longer than the 365 the assessment allows",
    "A4": "runs 400 days from today, longer than the 365 the assessment allows",
    "A5": None,
}


def rule(id_: str, check: str, **fields) -> Acceptance:
    made = {"reason": "known", "owner": "Platform team", "expires": date(2026, 12, 31)}
    return Acceptance(id_, check, **(made | {"created": MADE} | fields))


def breaking(day: date = ON) -> Assessment:
    """The sample assessment with five acceptances as a hand edit can leave them: one
    per flaw, and a valid one beside them, all as read on ``day`` (made nine days
    before it; the one without a creation date runs 400 days from it)."""
    made = datetime.combine(day - timedelta(days=9), time(9), UTC)
    a = assessment()
    a.acceptances = [
        rule("A1", "iam.root_mfa", owner="", created=made, expires=day + timedelta(days=112)),
        rule("A2", "account.security_contact", reason="  ", created=made,
             expires=day + timedelta(days=112)),
        rule("A3", "ec2.sg_admin_ports_ipv4", resource="*sg-0a", created=made,
             expires=made.date() + timedelta(days=400)),
        rule("A4", "s3.public_access_block", resource="arn:aws:s3:::bucket-1*",  # 10 .. 19
             created=None, expires=day + timedelta(days=400)),
        rule("A5", "s3.public_access_block", resource="arn:aws:s3:::bucket-0*", created=made,
             expires=day + timedelta(days=112)),
    ]  # fmt: skip
    return a


def report_on(a: Assessment, day: date = ON) -> ReportInput:
    return ReportInput(a, sections(), generated=datetime.combine(day, datetime.min.time(), UTC))


# --- the rule ---------------------------------------------------------------------------


def test_each_flaw_is_named_in_a_few_words():
    a = breaking()
    assert {x.id: flaw(x, 365, ON) for x in a.acceptances} == FLAWS
    read = {c.acceptance.id: c.state for c in acceptances.standings(a, ON)}
    assert read == {"A1": "out of policy", "A2": "out of policy", "A3": "out of policy",
                    "A4": "out of policy", "A5": "in force"}  # fmt: skip
    assert [c.acceptance.id for c in acceptances.out_of_policy(a, ON)] == ["A1", "A2", "A3", "A4"]
    assert [x.id for x in acceptances.active(a, ON)] == ["A5"]


def test_the_term_is_the_assessments_and_its_last_day_is_allowed():
    made = rule("A1", "iam.root_mfa", expires=date(2027, 9, 1))  # 365 days after MADE
    assert flaw(made, 365, ON) is None
    assert flaw(replace(made, expires=date(2027, 9, 2)), 365, ON) == (
        "runs 366 days, longer than the 365 the assessment allows"
    )
    assert flaw(replace(made, expires=date(2027, 9, 2)), 730, ON) is None
    # Without a creation date the term runs from the day asked about.
    undated = replace(made, created=None, expires=ON + timedelta(days=31))
    assert flaw(undated, 30, ON) is not None and flaw(undated, 30, ON + timedelta(days=1)) is None
    both = replace(made, owner="", reason="")
    assert flaw(both, 365, ON) == "no owner; no reason"


# --- the verdict ------------------------------------------------------------------------


def test_an_out_of_policy_acceptance_covers_nothing():
    plain = summarise(assessment(), sections(), ON)
    a = breaking()
    summary = summarise(a, sections(), ON)
    # Only the valid one (ten buckets) is accepted; the thirteen others stay failed.
    assert summary.accepted == 10 and summary.out_of_policy == 13 and summary.expired == 0
    assert summary.findings_by_status[Status.FAIL] == plain.findings_by_status[Status.FAIL] - 10
    assert summary.failures_by_severity[Severity.CRITICAL] == 1  # the root user's MFA
    index = Index.of(a, ON)
    for resource, id_ in ((ROOT, "A1"), (CONTACT, "A2"), (SG, "A3"),
                          ("arn:aws:s3:::bucket-12", "A4")):  # fmt: skip
        finding = next(f for f in a.findings if f.resource == resource)
        covered = index.covering(finding)
        assert covered is not None and covered.acceptance.id == id_
        assert (covered.state, covered.flaw, covered.in_force) == (
            "out of policy",
            FLAWS[id_],
            False,
        )
        assert not index.accepted(finding)
    assert index.accepted(next(f for f in a.findings if f.resource == "arn:aws:s3:::bucket-03"))
    # The plan keeps every failure the broken acceptances name.
    plan = {p.id: p for p in report_on(a).plan if p.kind == "check"}
    assert {"iam.root_mfa", "account.security_contact", "ec2.sg_admin_ports_ipv4"} <= set(plan)
    assert plan["s3.public_access_block"].resources == 15


def test_an_expired_acceptance_out_of_policy_is_out_of_policy():
    a = breaking()
    late = Index.of(a, date(2027, 1, 1)).covering(next(f for f in a.findings if f.resource == ROOT))
    assert late is not None
    assert (late.state, late.expired, late.flaw) == ("out of policy", True, "no owner")
    assert summarise(a, sections(), date(2027, 1, 1)).expired == 10  # A5, lapsed


def test_lowering_the_assessments_term_puts_longer_acceptances_out_of_it():
    a = breaking()
    a.max_acceptance_days = 90  # A5 runs 121 days
    assert summarise(a, sections(), ON).accepted == 0
    assert (
        flaw(a.acceptances[4], 90, ON) == "runs 121 days, longer than the 90 the assessment allows"
    )


def test_renewing_an_out_of_policy_acceptance_through_accept_covers_again():
    day = today()
    a = breaking(day)
    # Running longer than the renewal: read by expiry alone, it would still win.
    a.acceptances[0] = replace(a.acceptances[0], expires=day + timedelta(days=200))
    kept = a.acceptances[0]
    made = accept(a, "iam.root_mfa", reason="break-glass", owner="CISO",
                  expires=day + timedelta(days=30), on=day)  # fmt: skip
    index = Index.of(a, day)
    root = next(f for f in a.findings if f.resource == ROOT)
    covered = index.covering(root)
    assert covered is not None and covered.acceptance is made and covered.in_force
    assert index.accepted(root)
    # The broken one is kept as written, covering nothing now.
    assert a.acceptances[0] is kept and flaw(kept, 365, day) == "no owner"
    assert acceptances.covered_counts(a, day)["A1"] == 0


# --- every listing --------------------------------------------------------------------


def test_json_report_gives_each_acceptance_its_state_and_flaw():
    data = json.loads(json_report.render(report_on(breaking())))
    listed = {x["id"]: (x["state"], x["flaw"], x["findings"]) for x in data["acceptances"]}
    assert listed == {
        "A1": ("out of policy", FLAWS["A1"], 1),
        "A2": ("out of policy", FLAWS["A2"], 1),
        "A3": ("out of policy", FLAWS["A3"], 1),
        "A4": ("out of policy", FLAWS["A4"], 10),
        "A5": ("in force", None, 10),
    }
    assert all(x["expired"] is False for x in data["acceptances"])
    by_resource = {f["resource"]: f for f in data["findings"]}
    root = by_resource[ROOT]["exception"]
    assert (root["id"], root["state"], root["flaw"], root["expired"]) == (
        "A1", "out of policy", "no owner", False,
    )  # fmt: skip
    assert by_resource["arn:aws:s3:::bucket-03"]["exception"]["state"] == "in force"
    summary = data["summary"]
    assert (summary["accepted"], summary["out_of_policy_exceptions"]) == (10, 13)
    assert summary["findings"]["fail"] == 18  # 28 failing, 10 accepted
    assert summary["failures_by_severity"]["critical"] == 1


def test_csv_says_out_of_policy_and_why():
    rows = list(csv.DictReader(io.StringIO(csv_report.findings(report_on(breaking())))))
    by_resource = {r["resource"]: r for r in rows}
    assert (by_resource[ROOT]["accepted"], by_resource[ROOT]["acceptance"]) == (
        "out of policy", "A1",
    )  # fmt: skip
    assert by_resource[ROOT]["acceptance_flaw"] == "no owner"
    assert by_resource[SG]["acceptance_flaw"] == FLAWS["A3"]
    bucket = by_resource["arn:aws:s3:::bucket-03"]
    assert (bucket["accepted"], bucket["acceptance_flaw"]) == ("yes", "")
    assert list(rows[0])[-1] == "acceptance_flaw"  # appended: no column moved


def test_markdown_lists_acceptances_out_of_policy_apart_with_the_flaw():
    text = markdown.render(report_on(breaking()))
    section = text.split("## Accepted risks")[1].split("\n## ")[0]
    in_force, flawed = section.split("### In force")[1].split("### Out of policy")
    assert "`A5`" in in_force and not any(f"`A{n}`" in in_force for n in range(1, 5))
    for id_ in ("A1", "A2", "A3", "A4"):
        line = next(x for x in flawed.splitlines() if f"`{id_}`" in x)
        assert line.rstrip(" |").endswith(FLAWS[id_])
    assert "(acceptance `A1` **out of policy**: no owner)" in text
    assert "1 in force, covering 10 failing findings; 4 out of policy, covering nothing" in text


def test_ocsf_does_not_suppress_a_failure_under_an_out_of_policy_acceptance():
    events = json.loads(ocsf.render(report_on(breaking())))
    root = next(e for e in events if e["compliance"]["control"] == "iam.root_mfa")
    assert root["status"] != "Suppressed" and "comment" not in root
    assert root["unmapped"]["exception"]["state"] == "out of policy"
    assert root["unmapped"]["exception"]["flaw"] == "no owner"
    suppressed = {e["resources"][0]["uid"] for e in events if e["status"] == "Suppressed"}
    assert suppressed == {f"arn:aws:s3:::bucket-0{i}" for i in range(10)}


def test_oscal_keeps_failures_under_an_out_of_policy_acceptance_open():
    result = json.loads(oscal.render(report_on(breaking())))["assessment-results"]["results"][0]
    risks = {r["uuid"]: r for r in result["risks"]}
    findings = {f["target"]["target-id"]: f for f in result["findings"]}
    root = [risks[r["risk-uuid"]] for r in findings["iam.root_mfa"]["related-risks"]]
    assert [r["status"] for r in root] == ["open"]
    props = {(p["name"], p["value"]) for p in root[0]["props"]}
    assert ("out-of-policy-acceptance-id", "A1") in props
    (entry,) = root[0]["risk-log"]["entries"]
    assert entry["status-change"] == "open" and "no owner" in entry["description"]
    approved = [r for r in risks.values() if r["status"] == "deviation-approved"]
    assert [p["value"] for r in approved for p in r["props"] if p["name"] == "acceptance-id"] == [
        "A5"
    ]


def test_diff_shows_acceptances_that_fell_out_of_policy():
    old = assessment()
    old.acceptances = [rule("A5", "s3.public_access_block", resource="arn:aws:s3:::bucket-0*")]
    old.updated = datetime(2026, 9, 5, tzinfo=UTC)
    new = breaking()
    result = diff.compare(old, new, sections(), on=ON)
    assert [c.acceptance.id for c in result.acceptances_out_of_policy] == ["A1", "A2", "A3", "A4"]
    text = diff_report.markdown(result)
    flawed = text.split("## Acceptances out of policy")[1]
    assert "no owner" in flawed and "`A4`" in flawed
    # Added but out of policy: not listed as a risk accepted.
    assert "## Risks accepted" not in text
    data = json.loads(diff_report.to_json(result))
    assert [(x["id"], x["flaw"]) for x in data["acceptances"]["out_of_policy"]] == [
        (id_, FLAWS[id_]) for id_ in ("A1", "A2", "A3", "A4")
    ]
    # A shorter term in the newer file puts the one kept from before out of it.
    shorter = store.loads(store.dumps(old))
    shorter.max_acceptance_days = 90
    moved = diff.compare(old, shorter, sections(), on=ON)
    assert [c.acceptance.id for c in moved.acceptances_out_of_policy] == ["A5"]
    assert not moved.empty
    # Already out of policy in the older one: not news.
    assert not diff.compare(new, new, sections(), on=ON).acceptances_out_of_policy


@pytest.mark.parametrize("fmt", ["markdown", "json", "csv"])
def test_a_redacted_report_reads_the_same_states(fmt):
    from srm_tui.report.formats import report

    text = report(breaking(), sections(), fmt, redact=True)
    assert ACCOUNT not in text and "out of policy" in text


# --- the command line -----------------------------------------------------------------


def test_the_commands_say_which_acceptances_are_out_of_policy(run_cli, tmp_path):
    path = tmp_path / "review.toml"
    store.save(breaking(today()), path)
    before = path.read_bytes()
    listed = run_cli("accepted", path)
    assert listed.code == 0, listed.err
    lines = {line.split()[0]: line for line in listed.out.splitlines()}
    for id_, failing in (("A1", "1 failing finding"), ("A2", "1 failing finding"),
                         ("A3", "1 failing finding"), ("A4", "10 failing findings")):  # fmt: skip
        assert lines[id_].split()[1:4] == ["out", "of", "policy"]
        assert f": covers nothing ({FLAWS[id_]}), {failing} counted as failed; owner" in lines[id_]
    assert lines["A1"].endswith("counted as failed; owner ?. known")
    assert lines["A5"].split()[1:3] == ["in", "force"] and "covers nothing" not in lines["A5"]
    assert "4 accepted risks out of the assessment's policy cover nothing" in listed.err
    data = json.loads(run_cli("accepted", path, "--format", "json").out)
    assert {x["id"]: (x["state"], x["flaw"]) for x in data} == {
        id_: ("out of policy" if f else "in force", f) for id_, f in FLAWS.items()
    }
    report = run_cli("report", path, "--format", "json")
    assert report.code == 0 and "A1: no owner" in report.err
    assert json.loads(report.out)["summary"]["out_of_policy_exceptions"] == 13
    scope = run_cli("scope", path)
    assert scope.code == 0 and "Out of policy:" in scope.out and "A2: no reason" in scope.out
    # Read, listed and reported: the file is exactly as it was written.
    assert path.read_bytes() == before
    assert 'owner = ""' in before.decode()
