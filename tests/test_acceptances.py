"""Accepted risks in the domain: what may be accepted, what an acceptance covers, its
expiry read on a given day, and how summaries, the plan, every report format and a diff
count and show it."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from report_samples import ACCOUNT, OTHER_ACCOUNT, assessment, sections

from srm_tui import acceptances, store
from srm_tui.acceptances import Index, accept, revoke
from srm_tui.errors import UsageError
from srm_tui.model import Acceptance, Finding, Status
from srm_tui.report import csv_report, diff, diff_report, json_report, markdown
from srm_tui.report.inputs import ReportInput
from srm_tui.scoring import summarise

ON = date(2026, 9, 10)
BUCKETS = "arn:aws:s3:::bucket-0*"  # bucket-00 .. bucket-09: ten of the 25


def accepted_sample(expires: date = date(2026, 12, 31), **more: str):
    a = assessment()
    made = accept(
        a,
        "s3.public_access_block",
        reason="static web site buckets",
        owner="Web team",
        expires=expires,
        resource=more.pop("resource", BUCKETS),
        on=ON,
        **more,
    )
    return a, made


def report_on(a, day: date) -> ReportInput:
    return ReportInput(a, sections(), generated=datetime.combine(day, datetime.min.time(), UTC))


# --- making and revoking ---------------------------------------------------------------


def test_accept_records_the_rule_with_an_id_and_when_it_was_made():
    a, made = accepted_sample(approved_by="CISO")
    assert a.acceptances == [made]
    assert (made.id, made.check, made.resource, made.owner, made.approved_by) == (
        "A1", "s3.public_access_block", BUCKETS, "Web team", "CISO",
    )  # fmt: skip
    assert made.created is not None and made.created.tzinfo is not None
    second = accept(a, "iam.root_mfa", reason="r", owner="o", expires=ON, on=ON)
    assert second.id == "A2"  # an expiry on the day itself holds that day


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"reason": "  "}, "needs a reason"),
        ({"owner": ""}, "needs an owner"),
        ({"expires": ON - timedelta(days=1)}, "is in the past"),
        ({"expires": ON + timedelta(days=366)}, "beyond the longest an acceptance may run"),
        ({"account": "12345"}, "not an AWS account id"),
        ({"check": "no.such_check"}, "no check 'no.such_check'"),
    ],
)
def test_what_cannot_be_accepted(change, message):
    a = assessment()
    fields = {
        "check": "iam.root_mfa",
        "reason": "break-glass",
        "owner": "CISO",
        "expires": ON + timedelta(days=30),
    } | change
    with pytest.raises(UsageError, match=message):
        accept(a, fields.pop("check"), on=ON, **fields)
    assert a.acceptances == []  # nothing half made


def test_the_longest_term_is_a_year_unless_the_assessment_allows_more():
    a = assessment()
    accept(a, "iam.root_mfa", reason="r", owner="o", expires=ON + timedelta(days=365), on=ON)
    a.max_acceptance_days = 730
    accept(a, "iam.root_mfa", reason="r", owner="o", expires=ON + timedelta(days=700), on=ON)
    a.max_acceptance_days = 30
    with pytest.raises(UsageError, match="30 days"):
        accept(a, "iam.root_mfa", reason="r", owner="o", expires=ON + timedelta(days=31), on=ON)


def test_a_check_known_only_from_imported_findings_may_be_accepted():
    a = assessment()
    a.findings.append(Finding("prowler.some_check", "global", "x", Status.FAIL))
    made = accept(a, "prowler.some_check", reason="r", owner="o", expires=ON, on=ON)
    assert made.check == "prowler.some_check"
    accept(
        a, "iam.new_check", reason="r", owner="o", expires=ON, on=ON, known_checks={"iam.new_check"}
    )


def test_a_check_of_an_imported_file_may_be_accepted():
    # Imported findings live apart from the scan's; their producer's check ids are
    # what an acceptance of them names (and what covers them in every report).
    from srm_tui.model import ImportedFinding, ImportedSet, Severity

    a = assessment()
    found = ImportedFinding("prowler", "s3_bucket_default_encryption", "t", "eu-west-1",
                            "arn:aws:s3:::b", Status.FAIL, Severity.MEDIUM)  # fmt: skip
    a.imports["prowler"] = ImportedSet("prowler", "p.json", datetime.now(UTC), ACCOUNT, (found,))
    made = accept(a, "s3_bucket_default_encryption", reason="r", owner="o", expires=ON, on=ON)
    assert (
        Index(a.acceptances, ACCOUNT, ON, a.max_acceptance_days).covering(found).acceptance is made
    )


def test_revoke_removes_one_and_an_unknown_id_is_refused():
    a, made = accepted_sample()
    with pytest.raises(UsageError, match="no accepted risk 'A9'; the ids are: A1"):
        revoke(a, "A9")
    assert revoke(a, "A1") == made and a.acceptances == []
    # The next id is never below one in use.
    a.acceptances = [replace(made, id="A7")]
    assert acceptances.next_id(a.acceptances) == "A8"


# --- matching and expiry ----------------------------------------------------------------------


def test_matching_by_check_resource_pattern_and_account():
    a, made = accepted_sample()
    index = Index.of(a, ON)
    covered = [f.resource for f in a.findings if index.accepted(f)]
    assert covered == [f"arn:aws:s3:::bucket-{i:02d}" for i in range(10)]
    # Another check, or a passing finding, is never covered.
    assert not any(index.covering(f) for f in a.findings if f.check != made.check)
    passing = Finding(made.check, "global", "arn:aws:s3:::bucket-01", Status.PASS)
    assert index.covering(passing) is None
    # An acceptance for another account covers nothing here.
    other, _ = accepted_sample(account=OTHER_ACCOUNT)
    assert not any(Index.of(other, ON).covering(f) for f in other.findings)
    mine, _ = accepted_sample(account=ACCOUNT)
    assert sum(1 for f in mine.findings if Index.of(mine, ON).accepted(f)) == 10


def test_expiry_is_read_on_the_day_asked_and_counts_as_failed_again():
    a, made = accepted_sample(expires=date(2026, 9, 30))
    before = summarise(a, sections(), date(2026, 9, 30))  # the last day it holds
    after = summarise(a, sections(), date(2026, 10, 1))
    assert (before.accepted, before.expired) == (10, 0)
    assert (after.accepted, after.expired) == (0, 10)
    assert before.findings_by_status[Status.FAIL] + 10 == after.findings_by_status[Status.FAIL]
    covered = Index.of(a, date(2026, 10, 1)).covering(
        next(f for f in a.findings if f.resource == "arn:aws:s3:::bucket-03")
    )
    assert covered is not None and covered.expired and covered.acceptance == made


def test_an_acceptance_in_force_wins_over_an_expired_one():
    a, _ = accepted_sample(expires=date(2026, 9, 12))
    accept(a, "s3.public_access_block", reason="again", owner="o", expires=date(2026, 12, 1), on=ON)
    covered = Index.of(a, date(2026, 10, 1)).covering(
        next(f for f in a.findings if f.resource == "arn:aws:s3:::bucket-01")
    )
    assert covered is not None and not covered.expired and covered.acceptance.id == "A2"


def test_summary_counts_accepted_apart_by_severity_and_responsibility():
    plain = summarise(assessment(), sections(), ON)
    a, _ = accepted_sample()
    summary = summarise(a, sections(), ON)
    assert summary.accepted == 10 and plain.accepted == 0
    assert summary.findings_by_status[Status.FAIL] == plain.findings_by_status[Status.FAIL] - 10
    severity = a.checks["s3.public_access_block"].severity
    assert summary.accepted_by_severity[severity] == 10
    assert summary.failures_by_severity[severity] == plain.failures_by_severity[severity] - 10
    owner = a.checks["s3.public_access_block"].responsibility
    assert summary.accepted_by_responsibility[owner] == 10


def test_accepted_failures_leave_the_plan_until_they_expire():
    a, _ = accepted_sample(resource="*", expires=date(2026, 9, 30))
    plan = {p.id: p for p in report_on(a, ON).plan}
    assert "s3.public_access_block" not in plan
    plan = {p.id: p for p in report_on(a, date(2026, 10, 1)).plan}
    assert plan["s3.public_access_block"].resources == 25


# --- in every format -------------------------------------------------------------------------


def test_json_carries_the_exception_and_counts_accepted_apart():
    a, _ = accepted_sample()
    data = json.loads(json_report.render(report_on(a, ON)))
    covered = [f for f in data["findings"] if f["exception"]]
    assert len(covered) == 10 and all(f["status"] == "fail" for f in covered)
    assert covered[0]["exception"] == {
        "id": "A1",
        "reason": "static web site buckets",
        "owner": "Web team",
        "approved_by": "",
        "created": a.acceptances[0].created.isoformat(),
        "expires": "2026-12-31",
        "expired": False,
        "state": "in force",
        "flaw": None,
    }
    assert data["summary"]["accepted"] == 10
    assert data["summary"]["findings"]["fail"] == 18  # 28 failing, 10 accepted
    assert data["acceptances"][0]["findings"] == 10
    late = json.loads(json_report.render(report_on(a, date(2027, 1, 1))))
    assert late["summary"]["accepted"] == 0 and late["summary"]["findings"]["fail"] == 28
    assert all(f["exception"]["expired"] for f in late["findings"] if f["exception"])
    assert late["acceptances"][0]["expired"] is True


def test_markdown_lists_acceptances_in_force_and_expired_and_marks_findings():
    a, _ = accepted_sample()
    accept(a, "iam.root_mfa", reason="break-glass", owner="CISO", expires=date(2026, 9, 20), on=ON)
    text = markdown.render(report_on(a, date(2026, 10, 1)))
    section = text.split("## Accepted risks")[1].split("\n## ")[0]
    in_force, expired = section.split("### In force")[1].split("### Expired")
    assert "`A1`" in in_force and "`A2`" not in in_force
    assert "`A2`" in expired and "break-glass" in expired
    assert "(accepted: `A1`, until 2026-12-31)" in text
    assert "(acceptance `A2` **expired** 2026-09-20)" in text
    assert "1 in force, covering 10 failing findings; 1 expired" in text


def test_csv_rows_say_which_failures_are_accepted():
    a, _ = accepted_sample(expires=date(2026, 9, 30))
    accept(a, "iam.root_mfa", reason="r", owner="CISO", expires=date(2026, 9, 12), on=ON)
    rows = list(csv.DictReader(io.StringIO(csv_report.findings(report_on(a, date(2026, 9, 20))))))
    by_resource = {r["resource"]: r for r in rows}
    bucket = by_resource["arn:aws:s3:::bucket-05"]
    assert (bucket["accepted"], bucket["acceptance"], bucket["acceptance_expires"]) == (
        "yes", "A1", "2026-09-30",
    )  # fmt: skip
    assert by_resource[f"arn:aws:iam::{ACCOUNT}:root"]["accepted"] == "expired"
    assert by_resource["arn:aws:s3:::bucket-15"]["accepted"] == ""


def test_acceptances_round_trip_through_the_file(tmp_path):
    a, made = accepted_sample(account=ACCOUNT, approved_by="CISO")
    a.max_acceptance_days = 500
    store.save(a, tmp_path / "a.toml")
    again = store.load(tmp_path / "a.toml")
    assert again.acceptances == [made] and again.max_acceptance_days == 500
    assert "[[acceptances]]" in (tmp_path / "a.toml").read_text()


def test_diff_shows_acceptances_added_expired_and_revoked():
    old, _ = accepted_sample(expires=date(2026, 9, 30))
    accept(old, "iam.root_mfa", reason="r", owner="o", expires=date(2026, 12, 1), on=ON)
    old.updated = datetime(2026, 9, 15, tzinfo=UTC)
    new = store.loads(store.dumps(old))
    revoke(new, "A2")
    accept(
        new,
        "ec2.sg_admin_ports_ipv4",
        reason="bastion",
        owner="o",
        expires=date(2026, 12, 1),
        on=ON,
    )
    result = diff.compare(old, new, sections(), on=date(2026, 10, 1))
    assert [a.id for a in result.acceptances_added] == ["A2"]
    assert result.acceptances_added[0].check == "ec2.sg_admin_ports_ipv4"
    assert [(a.id, a.check) for a in result.acceptances_revoked] == [("A2", "iam.root_mfa")]
    assert [a.id for a in result.acceptances_expired] == ["A1"]
    assert not result.empty
    text = diff_report.markdown(result)
    for title in ("## Risks accepted", "## Acceptances expired", "## Acceptances revoked"):
        assert title in text
    data = json.loads(diff_report.to_json(result))
    assert [a["id"] for a in data["acceptances"]["expired"]] == ["A1"]
    # Already expired when the older one was saved: not news.
    new.updated = datetime(2026, 10, 5, tzinfo=UTC)
    assert not diff.compare(new, new, sections(), on=date(2026, 10, 9)).acceptances_expired


def test_acceptance_fields_are_masked_by_redact():
    from srm_tui.report.formats import report

    a, _ = accepted_sample(resource=f"arn:aws:ec2:*:{ACCOUNT}:security-group/*", account=ACCOUNT)
    a.acceptances[0] = replace(a.acceptances[0], reason=f"see {ACCOUNT}")
    for fmt in ("markdown", "json", "csv"):
        assert ACCOUNT not in report(a, sections(), fmt, redact=True)


def test_an_acceptance_in_a_file_is_checked_when_read(tmp_path):
    from srm_tui.errors import InputFileError

    a, _ = accepted_sample()
    text = store.dumps(a)
    broken = text.replace("expires = 2026-12-31", 'expires = "soon"')
    with pytest.raises(InputFileError, match="expires") as info:
        store.loads(broken, "a.toml")
    assert broken.splitlines()[info.value.line - 1].startswith("expires")
    missing = text.replace('check = "s3.public_access_block"\n', "", 1)
    with pytest.raises(InputFileError, match="needs 'check'"):
        store.loads(missing, "a.toml")
    # Written by hand without an id: it gets one, so that it can be revoked.
    no_id = text.replace('id = "A1"\n', "", 1)
    assert [x.id for x in store.loads(no_id).acceptances] == ["A1"]
    assert isinstance(store.loads(no_id).acceptances[0], Acceptance)


def test_two_acceptances_under_one_id_in_a_file_are_refused(tmp_path):
    # Reports show an acceptance's owner and expiry by its id: a second rule under the
    # same id would lend its fields to the first one's findings.
    from srm_tui.errors import InputFileError

    a, _ = accepted_sample()
    accept(a, "iam.root_mfa", reason="break-glass", owner="CISO", expires=ON, on=ON)
    text = store.dumps(a).replace('id = "A2"', 'id = "A1"')
    with pytest.raises(InputFileError, match="two accepted risks have the id 'A1'") as info:
        store.loads(text, "a.toml")
    lines = [n for n, line in enumerate(text.splitlines(), 1) if line == 'id = "A1"']
    assert info.value.line == lines[1]  # the second one, where the clash is


def test_an_expiry_written_with_an_offset_is_read_on_the_utc_calendar():
    # Expiry is read in UTC: the same moment written with two offsets is the same day.
    a, _ = accepted_sample()
    text = store.dumps(a)
    days = set()
    for moment in (
        "2026-12-02T01:00:00Z",
        "2026-12-01T20:00:00-05:00",
        "2026-12-02T15:00:00+14:00",
    ):
        read = store.loads(text.replace("expires = 2026-12-31", f"expires = {moment}"))
        days.add(read.acceptances[0].expires)
    assert days == {date(2026, 12, 2)}
    local = text.replace("expires = 2026-12-31", "expires = 2026-12-01T23:00:00")
    assert store.loads(local).acceptances[0].expires == date(2026, 12, 1)


def test_diff_shows_an_acceptance_renewed_or_handed_over_in_place():
    # Same id, check, resources and account; a later expiry and another owner (the file
    # edited by hand): the comparison of the two reviews must say so.
    old, _ = accepted_sample(expires=date(2026, 10, 31))
    new = store.loads(store.dumps(old))
    new.acceptances[0] = replace(new.acceptances[0], expires=date(2027, 6, 30), owner="Ops")
    result = diff.compare(old, new, sections(), on=date(2026, 10, 1))
    assert not result.empty
    assert [(b.expires, a.expires) for b, a in result.acceptances_changed] == [
        (date(2026, 10, 31), date(2027, 6, 30))
    ]
    text = diff_report.markdown(result)
    assert "## Acceptances changed" in text
    assert "expires: 2026-10-31 → 2027-06-30" in text and "owner: Web team → Ops" in text
    data = json.loads(diff_report.to_json(result))
    [changed] = data["acceptances"]["changed"]
    assert (changed["expires"], changed["was"]["expires"]) == ("2027-06-30", "2026-10-31")
    assert (changed["owner"], changed["was"]["owner"]) == ("Ops", "Web team")
    assert not diff.compare(old, old, sections(), on=date(2026, 10, 1)).acceptances_changed
