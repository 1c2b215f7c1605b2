"""The findings filter: pure, fast, and what the Findings tab shows."""

from __future__ import annotations

from srm_tui import finding_filter
from srm_tui.finding_filter import Filter
from tests.tui import apps


def test_rows_put_failures_first_worst_severity_first():
    rows = finding_filter.rows(apps.assessment())
    assert [(r.status, r.severity) for r in rows[:3]] == [
        ("fail", "high"), ("fail", "medium"), ("fail", "low"),
    ]  # fmt: skip
    assert rows[3].status == "error"
    assert {r.status for r in rows[4:]} == {"pass"}


def test_each_filter_narrows():
    rows = finding_filter.rows(apps.assessment())
    assert len(finding_filter.apply(rows, Filter())) == 6
    assert len(finding_filter.apply(rows, Filter(status="fail"))) == 3
    assert len(finding_filter.apply(rows, Filter(severity="high"))) == 3
    assert len(finding_filter.apply(rows, Filter(service="s3"))) == 2
    assert len(finding_filter.apply(rows, Filter(region="global"))) == 1
    assert len(finding_filter.apply(rows, Filter(responsibility="customer"))) == 6
    assert len(finding_filter.apply(rows, Filter(responsibility="aws"))) == 0
    assert len(finding_filter.apply(rows, Filter(framework="aws-fsbp"))) == 5
    both = finding_filter.apply(rows, Filter(status="fail", framework="aws-fsbp"))
    assert [r.check for r in both] == ["ec2.sg_admin_ports_ipv4", "s3.bucket_versioning"]


def test_text_matches_every_word_anywhere():
    rows = finding_filter.rows(apps.assessment())
    found = finding_filter.apply(rows, Filter(text="PORT 22 eu-west"))
    assert [r.resource.rsplit("/", 1)[1] for r in found] == ["sg-0001"]
    assert finding_filter.apply(rows, Filter(text="logs-bucket versioning"))[0].status == "fail"
    assert finding_filter.apply(rows, Filter(text="nothing-like-this")) == []


def test_values_for_the_filter_choices():
    rows = finding_filter.rows(apps.assessment())
    assert finding_filter.values(rows, "region") == ["eu-west-1", "global", "us-east-1"]
    assert finding_filter.values(rows, "framework") == ["aws-fsbp", "cis-aws-7.0"]


def test_a_finding_of_a_check_the_assessment_does_not_describe():
    a = apps.assessment()
    del a.checks["s3.bucket_versioning"]
    rows = finding_filter.rows(a)
    orphan = [r for r in rows if r.check == "s3.bucket_versioning"]
    assert orphan and orphan[0].service == "s3" and orphan[0].title == "s3.bucket_versioning"
