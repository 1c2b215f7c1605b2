"""srm-tui import: a real Prowler json-ocsf file and Security Hub findings (ASFF) sit
beside srm-tui's own findings, mapped through their FSBP and CIS ids; srm-tui's verdict
counts, a disagreement is flagged, nothing is counted twice, a re-import replaces the
earlier one, and another account's or a malformed file is refused (exit 2) with
nothing changed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from srm_tui import checklist, store
from srm_tui.imports import combine, reading
from srm_tui.imports.combine import Agreement
from srm_tui.model import Assessment, CheckRecord, Finding, Scope, Status
from srm_tui.report import formats

FIXTURE = Path(__file__).parent.parent / "fixtures" / "prowler" / "demo-account.ocsf.json"
ACCOUNT = "123456789012"
EC2 = f"arn:aws:ec2:us-east-1:{ACCOUNT}"
# The demo account's resources as Prowler named them in the fixture.
FAILING_IMDS = f"{EC2}:instance/i-e1b5a83dafed6fdee"
PASSING_IMDS = f"{EC2}:instance/i-2e8d420464ea8c365"


def own_assessment() -> Assessment:
    """srm-tui's own findings on some of the resources Prowler judged: one agreeing, one
    disagreeing, an account-wide setting named differently, and a NACL check that
    judged another NACL only."""
    metas = {m.id: m for m in checklist.load().metas()}
    checks = ("ec2.imdsv2_tokens", "ec2.ebs_default_encryption", "ec2.nacl_admin_ports")
    return Assessment(
        name="With Prowler",
        scope=Scope(account_id=ACCOUNT, regions=("us-east-1",)),
        checks={c: CheckRecord.from_meta(metas[c]) for c in checks},
        findings=[
            Finding("ec2.imdsv2_tokens", "us-east-1", FAILING_IMDS, Status.FAIL, "IMDSv1"),
            # Prowler says PASS here: a disagreement to flag, srm-tui's verdict counts.
            Finding("ec2.imdsv2_tokens", "us-east-1", PASSING_IMDS, Status.FAIL, "IMDSv1"),
            Finding(
                "ec2.ebs_default_encryption", "us-east-1", f"{EC2}:account", Status.FAIL, "off"
            ),
            Finding(
                "ec2.nacl_admin_ports",
                "us-east-1",
                f"{EC2}:network-acl/acl-4d155b791902b03e2",
                Status.FAIL,
            ),
        ],
    )


@pytest.fixture
def review(tmp_path: Path) -> Path:
    path = tmp_path / "review.toml"
    store.save(own_assessment(), path)
    return path


def test_a_real_prowler_file_imports_beside_the_own_findings(run_cli, review):
    result = run_cli("import", review, "--prowler", FIXTURE)
    assert result.code == 0, result.err
    assert "Imported 38 prowler findings" in result.out
    assert "disagrees: prowler ec2_instance_imdsv2_enabled says pass" in result.out
    kept = store.load(review).imports["prowler"]
    assert len(kept.findings) == 38 and kept.account_id == ACCOUNT
    assert kept.origin == FIXTURE.name
    placed = {(p.finding.check, p.finding.resource): p for p in combine.place(store.load(review))}
    imds = placed[("ec2_instance_imdsv2_enabled", FAILING_IMDS)]
    assert imds.checks == ("ec2.imdsv2_tokens",) and imds.agreement is Agreement.CORROBORATES
    assert placed[("ec2_instance_imdsv2_enabled", PASSING_IMDS)].agreement is Agreement.DISAGREES
    ebs = placed[("ec2_ebs_default_encryption", f"{EC2}:volume")]
    assert ebs.agreement is Agreement.CORROBORATES  # the account-wide setting, named apart
    other_nacl = placed[
        ("ec2_networkacl_allow_ingress_tcp_port_22", f"{EC2}:network-acl/acl-98cb6fd5b298d698c")
    ]
    assert other_nacl.agreement is Agreement.BESIDE
    ssm = placed[("ec2_instance_managed_by_ssm", PASSING_IMDS)]
    assert ssm.checks == () and ssm.agreement is Agreement.COUNTS


def test_the_json_report_counts_nothing_twice(run_cli, review):
    assert run_cli("import", review, "--prowler", FIXTURE).code == 0
    report = json.loads(formats.report(store.load(review), (), "json"))
    own = [f for f in report["findings"] if f["source"] == "srm-tui"]
    imported = [f for f in report["findings"] if f["source"] == "prowler"]
    assert len(own) == 4
    keys = {(f["check"], f["resource"]) for f in imported}
    # The control and resource srm-tui judged itself is not in the findings again.
    assert ("ec2_instance_imdsv2_enabled", FAILING_IMDS) not in keys
    assert ("ec2_instance_managed_by_ssm", PASSING_IMDS) in keys
    summary = report["imports"][0]
    assert summary["source"] == "prowler" and summary["findings"] == 38
    assert summary["agreement"]["counts"] == len(imported)
    assert summary["disagreements"] == [
        {
            "check": "ec2_instance_imdsv2_enabled",
            "resource": PASSING_IMDS,
            "status": "pass",
            "own_checks": ["ec2.imdsv2_tokens"],
            "own_status": "fail",
            "account_id": ACCOUNT,
            "questions": [],
        }
    ]
    events = json.loads(formats.report(store.load(review), (), "ocsf"))
    sources = {e["unmapped"]["source"] for e in events}
    assert sources == {"srm-tui", "prowler"}
    assert len(events) == 4 + len(imported)


def test_a_reimport_replaces_the_earlier_one(run_cli, review, tmp_path):
    assert run_cli("import", review, "--prowler", FIXTURE).code == 0
    fewer = tmp_path / "fewer.json"
    fewer.write_text(json.dumps(json.loads(FIXTURE.read_text())[:5]))
    result = run_cli("import", review, "--prowler", fewer)
    assert result.code == 0 and "Replaced the earlier prowler import (38 findings" in result.err
    assert len(store.load(review).imports["prowler"].findings) == 5


def _refused(run_cli, review: Path, path: Path, *words: str) -> str:
    before = review.read_bytes()
    result = run_cli("import", review, "--prowler", path)
    assert result.code == 2, result.err
    assert "Traceback" not in result.err and len(result.err.strip().splitlines()) == 1
    for word in words:
        assert word in result.err
    assert review.read_bytes() == before  # nothing changed
    return result.err


def test_another_accounts_file_is_refused(run_cli, review, tmp_path):
    events = json.loads(FIXTURE.read_text())
    for e in events:
        e["cloud"]["account"]["uid"] = "444455556666"
    other = tmp_path / "other.json"
    other.write_text(json.dumps(events))
    _refused(run_cli, review, other, "444455556666", "nothing was imported")
    events[0]["cloud"]["account"]["uid"] = ACCOUNT
    other.write_text(json.dumps(events))
    _refused(run_cli, review, other, "2 accounts")


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"\x00\xff garbage", ("not UTF-8",)),
        (b'[{"status_code": ', ("not valid JSON", ":1:")),
        (b'{"findings": []}', ("must be a JSON array",)),
        (b"[42]", ("finding 1", "must be an object")),
        (b'[{"status_code": "MAYBE"}]', ("unknown status_code",)),
        (
            b'[{"status_code": "FAIL", "metadata": {"product": {"name": "Other"}}}]',
            ("not a Prowler",),
        ),
        (b"[" * 100_000, ("nested too deeply",)),
    ],
)
def test_a_malformed_file_is_one_sentence(run_cli, review, tmp_path, content, words):
    bad = tmp_path / "bad.json"
    bad.write_bytes(content)
    _refused(run_cli, review, bad, str(bad), *words)


def test_wrong_types_inside_a_finding_are_named(run_cli, review, tmp_path):
    events = json.loads(FIXTURE.read_text())[:3]
    events[2]["unmapped"]["compliance"]["CIS-7.0"] = "6.1.1"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(events))
    _refused(run_cli, review, bad, "finding 3", "list of strings")


def test_an_oversized_file_is_refused_before_it_is_read(run_cli, review, tmp_path, monkeypatch):
    monkeypatch.setattr(reading, "MAX_IMPORT_BYTES", 1024)
    _refused(run_cli, review, FIXTURE, "too large to import")


def test_a_missing_file_and_an_unscanned_assessment(run_cli, review, tmp_path):
    _refused(run_cli, review, tmp_path / "nope.json", "no such file")
    blank = tmp_path / "blank.toml"
    store.save(Assessment(name="blank"), blank)
    result = run_cli("import", blank, "--prowler", FIXTURE)
    assert result.code == 2 and "scan it first" in result.err


def test_the_assessment_may_be_named_after_the_files(run_cli, review):
    # --prowler takes every path that follows it: the assessment typed last is still
    # the assessment, not a file to import.
    result = run_cli("import", "--prowler", FIXTURE, review)
    assert result.code == 0, result.err
    assert "Imported 38 prowler findings" in result.out
    assert len(store.load(review).imports["prowler"].findings) == 38
    for args in (("--prowler", FIXTURE), ("--security-hub",)):
        missing = run_cli("import", *args)
        assert missing.code == 2 and "name the assessment to import into" in missing.err
        assert "Traceback" not in missing.err
