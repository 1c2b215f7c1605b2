"""`srm-tui scan FILE --organization` against an emulated organization: every active
account scanned into its own file, findings never cross accounts, suspended accounts
skipped, `--accounts` rescans only those, reports carry every account."""

from __future__ import annotations

import csv
import io
import json
import re
import stat
from datetime import date, timedelta
from pathlib import Path

import pytest

from srm_tui import store
from srm_tui.model import Acceptance, AccountState, ScanStatus, Status, now, today
from srm_tui.organization import files
from tests.org.conftest import MANAGEMENT, REGION, account_files


@pytest.fixture(scope="module")
def scanned(org, tmp_path_factory) -> tuple[Path, str]:
    """One full organization scan, shared by the tests that only read it."""
    from srm_tui import cli

    path = tmp_path_factory.mktemp("org") / "org.toml"
    code = cli.main(org.scan_args(path))
    assert code == 0
    return path, ""


def test_every_active_account_is_scanned_into_its_own_private_file(org, scanned) -> None:
    path, _ = scanned
    review = store.load(path)
    organization = review.organization
    assert organization is not None and organization.id == org.members.id
    assert organization.management_account == MANAGEMENT
    assert organization.round == 1 and organization.round_finished is not None
    active = {MANAGEMENT, org.id("production"), org.id("development"), org.id("sandbox")}
    assert set(account_files(path)) == active
    assert review.findings == []  # the assessment itself stays small: no findings in it
    folder = files.folder(path)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    for account_id in active:
        account = organization.accounts[account_id]
        assert account.state is AccountState.DONE and account.round == 1
        assert account.scanned is not None and account.api_calls > 0
        assert stat.S_IMODE(files.account_file(path, account_id).stat().st_mode) == 0o600
        found = files.load_account(path, account_id)
        assert found is not None and found.scope.account_id == account_id
        assert found.findings, account_id
    dev = organization.accounts[org.id("development")]
    assert dev.name == "development" and dev.ou_names == ("Root", "Workloads", "Development")
    assert dev.ou_path[0] == org.members.root and dev.ou_id == dev.ou_path[-1]


def test_findings_never_cross_accounts(org, scanned) -> None:
    path, _ = scanned
    ids = {MANAGEMENT, org.id("production"), org.id("development"), org.id("sandbox")}
    groups: dict[str, dict[str, Status]] = {}
    for account_id in ids:
        found = files.load_account(path, account_id)
        for finding in found.findings:
            # Every ARN that names an account names this one, and no other account's
            # id appears anywhere in this account's findings.
            named = set(re.findall(r"arn:aws:[a-z0-9-]*:[a-z0-9-]*:(\d{12}):", finding.resource))
            assert named <= {account_id}, (account_id, finding)
            others = ids - {account_id}
            assert not any(o in finding.resource or o in finding.detail for o in others)
            if finding.check == "ec2.sg_admin_ports_ipv4" and finding.detail.startswith("web"):
                groups[account_id] = finding.status
    # The same security group name in three members, judged by each one's own rules.
    assert groups == {
        org.id("production"): Status.PASS,
        org.id("development"): Status.FAIL,
        org.id("sandbox"): Status.FAIL,
    }


def test_the_same_user_name_in_two_accounts_stays_two_findings(org, scanned) -> None:
    path, _ = scanned
    users = {}
    for name in ("development", "sandbox"):
        found = files.load_account(path, org.id(name))
        users[name] = [
            f for f in found.findings
            if f.check == "iam.user_direct_policies" and f.resource.endswith(":user/deploy")
        ]  # fmt: skip
    # development's deploy user has no policy of its own; sandbox's has an inline one.
    assert [f.status for f in users["development"]] == [Status.PASS]
    assert [f.status for f in users["sandbox"]] == [Status.FAIL]
    assert users["development"][0].resource != users["sandbox"][0].resource


def test_suspended_accounts_are_listed_as_skipped_and_not_scanned(org, scanned, run_cli) -> None:
    path, _ = scanned
    retired = store.load(path).organization.accounts[org.id("retired")]
    assert retired.status == "SUSPENDED" and retired.state is AccountState.SKIPPED
    assert retired.scanned is None
    assert not files.account_file(path, org.id("retired")).exists()
    listed = run_cli("accounts", path)
    assert listed.code == 0
    row = next(line for line in listed.out.splitlines() if org.id("retired") in line)
    assert "SUSPENDED" in row and "skipped" in row and "never" in row


def test_accounts_lists_name_ou_status_last_scan_and_failures(org, scanned, run_cli) -> None:
    path, _ = scanned
    result = run_cli("accounts", path, "--format", "json")
    assert result.code == 0
    rows = {r["account_id"]: r for r in json.loads(result.out)}
    assert set(rows) == set(org.members.accounts.values()) | {MANAGEMENT}
    sandbox = rows[org.id("sandbox")]
    assert sandbox["name"] == "sandbox" and sandbox["status"] == "ACTIVE"
    assert sandbox["ou"] == {
        "id": org.members.ous[("Sandbox",)],
        "name": "Sandbox",
        "path": "Root/Sandbox",
    }
    assert sandbox["state"] == "done" and sandbox["scanned"]
    # The sandbox's public bucket is a critical failure; production has none.
    assert sandbox["summary"]["failures_by_severity"]["critical"] >= 1
    assert rows[org.id("production")]["summary"]["failures_by_severity"].get("critical", 0) == 0
    table = run_cli("accounts", path)
    assert "Root/Workloads/Production" in table.out and "round 1 complete" in table.out


def test_json_and_csv_name_the_account_of_every_finding(org, scanned, run_cli) -> None:
    path, _ = scanned
    data = json.loads(run_cli("report", path, "--format", "json").out)
    ids = {MANAGEMENT, org.id("production"), org.id("development"), org.id("sandbox")}
    assert {f["account_id"] for f in data["findings"]} == ids
    for finding in data["findings"]:
        account_files_named = re.findall(r":(\d{12}):", finding["resource"])
        assert set(account_files_named) <= {finding["account_id"]}
    entries = {a["account_id"]: a for a in data["accounts"]}
    assert set(entries) == ids | {org.id("retired")}
    assert entries[org.id("retired")]["state"] == "skipped"
    per_account = sum(sum(a["summary"]["findings"].values()) for a in data["accounts"])
    assert per_account == len(data["findings"])
    rows = list(csv.DictReader(io.StringIO(run_cli("report", path, "--format", "csv").out)))
    assert len(rows) == len(data["findings"])
    assert {r["account_id"] for r in rows} == ids
    public = [r for r in rows if r["check"] == "s3.bucket_public_policy" and r["status"] == "fail"]
    assert {r["account_id"] for r in public} == {org.id("sandbox")}


def test_markdown_and_html_list_every_account_and_its_failures(org, scanned, run_cli) -> None:
    path, _ = scanned
    text = run_cli("report", path).out
    assert "## Accounts" in text
    for name in ("production", "development", "sandbox", "retired"):
        assert f"`{org.id(name)}`" in text
    sandbox_bucket = f"sandbox-share-{org.id('sandbox')}"
    assert sandbox_bucket in text and f"account {org.id('sandbox')}, us-east-1" in text
    html = run_cli("report", path, "--format", "html").out
    assert sandbox_bucket in html and org.id("development") in html


def test_redacted_reports_mask_every_account(org, scanned, run_cli) -> None:
    path, _ = scanned
    for fmt in ("json", "markdown", "csv"):
        text = run_cli("report", path, "--format", fmt, "--redact").out
        for account_id in (*org.members.accounts.values(), MANAGEMENT):
            assert account_id not in text, (fmt, account_id)


def test_report_output_never_replaces_an_account_file(org, scanned, run_cli) -> None:
    path, _ = scanned
    target = files.account_file(path, org.id("sandbox"))
    before = target.read_bytes()
    result = run_cli("report", path, "-o", target)
    assert result.code == 2 and "srm-tui assessment" in result.err
    assert target.read_bytes() == before


def test_accounts_option_rescans_only_those_and_keeps_the_others(org, tmp_path, run_cli) -> None:
    path = tmp_path / "o.toml"
    assert run_cli(*org.scan_args(path)).code == 0
    before = store.load(path).organization
    kept = account_files(path)
    dev = org.id("development")
    result = run_cli(*org.scan_args(path, "--accounts", dev))
    assert result.code == 0, result.err
    after = store.load(path).organization
    assert after.accounts[dev].scanned >= before.accounts[dev].scanned
    assert after.accounts[dev].round == 2
    now = account_files(path)
    for account_id, data in kept.items():
        if account_id != dev:
            assert now[account_id] == data  # untouched, byte for byte
            assert after.accounts[account_id].round == 1
    assert set(now) == set(kept)
    assert "1 accounts scanned" in result.err


def test_ou_filter_takes_in_nested_ous(org, tmp_path, run_cli) -> None:
    path = tmp_path / "w.toml"
    workloads = org.members.ous[("Workloads",)]
    assert run_cli(*org.scan_args(path, "--ou", workloads)).code == 0
    scanned = set(account_files(path))
    assert scanned == {org.id("production"), org.id("development")}
    accounts = store.load(path).organization.accounts
    assert accounts[org.id("sandbox")].state is AccountState.NOT_SCANNED
    excluded = tmp_path / "x.toml"
    assert run_cli(*org.scan_args(excluded, "--exclude-accounts", org.id("sandbox"))).code == 0
    assert set(account_files(excluded)) == {MANAGEMENT, org.id("production"), org.id("development")}


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (("--accounts", "12345"), "is not an AWS account id"),
        (("--ou", "sandbox"), "is not an OU id"),
        (("--parallel-accounts", "0"), "--parallel-accounts must be between"),
        (("--accounts", "999999999999"), "has no account or OU 999999999999"),
    ],
)
def test_bad_organization_options_are_exit_2(org, tmp_path, run_cli, extra, message) -> None:
    path = tmp_path / "bad.toml"
    result = run_cli(*org.scan_args(path, *extra))
    assert result.code == 2 and message in result.err
    assert not files.folder(path).exists()


def test_organization_options_need_organization(org, tmp_path, run_cli) -> None:
    result = run_cli("scan", tmp_path / "x.toml", "--accounts", "123456789012")
    assert result.code == 2 and "--accounts goes with --organization" in result.err


def test_a_single_account_review_is_not_turned_into_an_organization(org, tmp_path, run_cli):
    path = tmp_path / "single.toml"
    single = ["scan", path, "--endpoint-url", org.endpoint_url, "--region", "us-east-1",
              "--checks", "iam.password_min_length"]  # fmt: skip
    assert run_cli(*single).code == 0
    before = path.read_bytes()
    result = run_cli(*org.scan_args(path))
    assert result.code == 2 and "review of one account" in result.err
    assert path.read_bytes() == before
    # ...and an organization review refuses a single-account scan the same way.
    org_path = tmp_path / "org.toml"
    assert run_cli(*org.scan_args(org_path, "--accounts", MANAGEMENT)).code == 0
    refused = run_cli("scan", org_path, "--endpoint-url", org.endpoint_url, "--region", REGION)
    assert refused.code == 1 and "is an organization review" in refused.err


def test_fail_on_counts_failures_in_every_account(org, tmp_path, run_cli) -> None:
    path = tmp_path / "f.toml"
    result = run_cli(*org.scan_args(path, "--fail-on", "critical"))
    assert result.code == 3  # the sandbox's public bucket
    again = run_cli(
        *org.scan_args(path, "--accounts", org.id("production"), "--fail-on", "critical")
    )
    assert again.code == 0


def test_fail_on_passes_over_failures_accepted_in_that_account(org, tmp_path, run_cli) -> None:
    # As in a single account's scan: an accepted risk counts as accepted, not failed,
    # until it expires; an acceptance for another account covers nothing here.
    path = tmp_path / "f.toml"
    sandbox = org.id("sandbox")
    assert run_cli(*org.scan_args(path, "--fail-on", "critical")).code == 3
    rescan = org.scan_args(path, "--accounts", sandbox, "--fail-on", "critical")
    accept = ("accept", path, "s3.bucket_public_policy", "--reason", "public web site")
    until = ("--owner", "Web team", "--expires", (date.today() + timedelta(days=30)).isoformat())
    assert run_cli(*accept, "--account", org.id("production"), *until).code == 0
    assert run_cli(*rescan).code == 3
    assert run_cli(*accept, "--account", sandbox, *until).code == 0
    assert run_cli(*rescan).code == 0


def test_fail_on_counts_failures_under_an_acceptance_out_of_the_reviews_policy(
    org, tmp_path, run_cli
) -> None:
    # The review allows 30 days; a rule edited in by hand to run 60 covers nothing in
    # any account, so the run still fails and says why, until a rule within it is made.
    path = tmp_path / "f.toml"
    sandbox = org.id("sandbox")
    assert run_cli(*org.scan_args(path, "--fail-on", "critical")).code == 3
    with store.open_assessment(path) as opened:
        opened.assessment.max_acceptance_days = 30
        opened.assessment.acceptances.append(
            Acceptance("A1", "s3.bucket_public_policy", reason="public web site",
                       owner="Web team", expires=today() + timedelta(days=60),
                       account=sandbox, created=now())
        )  # fmt: skip
        opened.save()
    rescan = org.scan_args(path, "--accounts", sandbox, "--fail-on", "critical")
    result = run_cli(*rescan)
    assert result.code == 3, result.err
    assert "A1: runs 60 days, longer than the 30 the assessment allows" in result.err
    until = (today() + timedelta(days=20)).isoformat()
    assert run_cli("accept", path, "s3.bucket_public_policy", "--account", sandbox,
                   "--reason", "public web site", "--owner", "Web team",
                   "--expires", until).code == 0  # fmt: skip
    assert run_cli(*rescan).code == 0


def test_scan_status_of_the_review(org, scanned) -> None:
    path, _ = scanned
    review = store.load(path)
    assert review.scan.status in (ScanStatus.COMPLETE, ScanStatus.PARTIAL)
    assert review.scan.api_calls >= sum(a.api_calls for a in review.organization.accounts.values())
    assert review.scope.account_id == MANAGEMENT
    assert review.scope.endpoint_url == org.endpoint_url


def test_the_recent_list_shows_the_progress_the_wizard_shows(org, tmp_path, monkeypatch, run_cli):
    # The organization scan remembered its file without the questionnaires: "0/0 answered".
    from srm_tui import recent
    from srm_tui.workbench import Workbench, load_sections

    monkeypatch.setenv(recent.ENV, str(tmp_path / "data"))
    path = tmp_path / "org.toml"
    assert run_cli("answer", path, "--set", "so_inventory=so_inventory_accounts").code == 0
    assert run_cli(*org.scan_args(path, "--accounts", org.id("sandbox"))).code == 0
    (entry,) = recent.load()
    with Workbench.open(path, load_sections()[0], data_dir=tmp_path / "wizard") as wizard:
        answered, total = wizard.progress()
    assert answered >= 1 and total > answered
    assert (entry.answered, entry.total) == (answered, total)
