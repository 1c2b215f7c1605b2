"""The organization review's file parts and plain-data pieces, without AWS: the
[organization]/[accounts]/[overrides] tables, hostile ids refused, account files,
tasks that carry no credential, rounds and filters."""

from __future__ import annotations

import pickle
from datetime import UTC, datetime
from pathlib import Path

import pytest

from srm_tui import store
from srm_tui.aws.organization import ListedAccount, Listing
from srm_tui.errors import InputFileError, SrmError, UsageError
from srm_tui.model import (
    AccountState,
    Assessment,
    Finding,
    Organization,
    ScanStatus,
    Status,
)
from srm_tui.organization import files
from srm_tui.organization.runner import OrgScanOptions, _task
from srm_tui.organization.selection import AccountFilter, merge_listing, plan_round
from srm_tui.scan import AccountResult, AccountTask, ScanOptions

ROOT, WORK, TEAM, SANDBOX = "r-ab12", "ou-ab12-11111111", "ou-ab12-33333333", "ou-ab12-22222222"
A, B, C, D = "111111111111", "222222222222", "333333333333", "444444444444"
WHEN = datetime(2026, 9, 1, tzinfo=UTC)


def member(account_id: str, name: str, path: tuple[str, ...], names: tuple[str, ...],
           status: str = "ACTIVE") -> ListedAccount:  # fmt: skip
    return ListedAccount(account_id, name, status, path[-1], names[-1], path, names)


def listing() -> Listing:
    accounts = (
        member(A, "prod", (ROOT, WORK), ("Root", "Workloads")),
        member(B, "team", (ROOT, WORK, TEAM), ("Root", "Workloads", "Team")),
        member(C, "play", (ROOT, SANDBOX), ("Root", "Sandbox")),
        member(D, "old", (ROOT, SANDBOX), ("Root", "Sandbox"), "SUSPENDED"),
    )
    return Listing("o-abcdefghij", A, accounts)


def test_filters_take_nested_ous_and_exclusions() -> None:
    org = Organization()
    merge_listing(org, listing())
    chosen = lambda f: sorted(a for a, acc in org.accounts.items() if f.matches(acc))  # noqa: E731
    assert chosen(AccountFilter(ous=(WORK,))) == [A, B]
    assert chosen(AccountFilter(ous=(ROOT,), exclude=(B,))) == [A, C, D]
    assert chosen(AccountFilter(accounts=(C,))) == [C]
    assert AccountFilter(ous=("ou-ab12-99999999",), accounts=("999999999999",)).unknown(org) == [
        "999999999999", "ou-ab12-99999999"
    ]  # fmt: skip
    with pytest.raises(UsageError):
        AccountFilter(accounts=("../1",))
    with pytest.raises(UsageError):
        AccountFilter(ous=("Sandbox",))


def test_rounds_resume_until_every_chosen_account_is_done() -> None:
    org = Organization()
    merge_listing(org, listing())
    first = plan_round(org, AccountFilter(), rescan=False, when=WHEN)
    assert (first.number, first.resumed) == (1, False)
    assert first.to_scan == [A, B, C] and first.skipped == [D]
    assert org.accounts[D].state is AccountState.SKIPPED
    # A finishes, then the scan is interrupted.
    org.accounts[A].state, org.accounts[A].round = AccountState.DONE, 1
    again = plan_round(org, AccountFilter(), rescan=False, when=WHEN)
    assert (again.number, again.resumed, again.to_scan, again.already_done) == (
        1,
        True,
        [B, C],
        [A],
    )
    # Naming an account rescans it even though the round had done it.
    named = plan_round(org, AccountFilter(accounts=(A,)), rescan=False, when=WHEN)
    assert named.to_scan == [A] and named.resumed
    fresh = plan_round(org, AccountFilter(), rescan=True, when=WHEN)
    assert (fresh.number, fresh.resumed, fresh.to_scan) == (2, False, [A, B, C])


def test_accounts_that_leave_are_kept_as_removed_and_come_back() -> None:
    org = Organization()
    merge_listing(org, listing())
    org.accounts[C].scanned = WHEN
    shorter = Listing("o-abcdefghij", A, tuple(a for a in listing().accounts if a.account_id != C))
    merge_listing(org, shorter)
    assert org.accounts[C].state is AccountState.REMOVED
    assert C not in plan_round(org, AccountFilter(), rescan=False, when=WHEN).to_scan
    merge_listing(org, listing())
    assert org.accounts[C].state is not AccountState.REMOVED


def organization_review() -> Assessment:
    review = Assessment("org")
    org = Organization("o-abcdefghij", A, "Audit", True, 2, WHEN)
    merge_listing(org, listing())
    org.accounts[A].state = AccountState.DONE
    org.accounts[A].scanned = WHEN
    org.accounts[A].findings = {"pass": 3, "fail": 1}
    org.accounts[A].failures = {"high": 1}
    org.accounts[A].scan_status = ScanStatus.PARTIAL
    review.organization = org
    return review


def test_the_tables_survive_a_save_and_a_load(tmp_path: Path) -> None:
    path = tmp_path / "org.toml"
    review = organization_review()
    store.save(review, path)
    again = store.load(path)
    assert again.organization == review.organization
    assert "[organization]" in path.read_text() and f"[accounts.{A}]" in path.read_text()
    assert "external_id = true" in path.read_text()


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('[accounts."../../etc"]\nname = "x"', "is not an AWS account id"),
        ('[accounts."1111111111111"]\nname = "x"', "is not an AWS account id"),
        (f'[accounts.{A}]\nou_path = ["../x"]', "is not an OU or root id"),
        (f'[accounts.{A}]\nstate = "gone"', "unknown account state"),
        (f"[accounts.{A}]\napi_calls = -4", "must not be negative"),
        ('[overrides.ir_plan."../x"]\napplicable = false', "is not an account, OU or root id"),
    ],
)
def test_hostile_organization_tables_are_refused_with_the_line(tmp_path, table, message) -> None:
    path = tmp_path / "bad.toml"
    text = f'schema = 2\n\n[assessment]\nname = "x"\n\n[organization]\nid = "o-abcdefghij"\n\n{table}\n'
    path.write_text(text)
    with pytest.raises(InputFileError) as caught:
        store.load(path)
    assert message in str(caught.value) and ":" in str(caught.value)
    assert caught.value.line is not None and caught.value.line >= 8


def test_accounts_without_an_organization_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.toml"
    path.write_text(f'schema = 2\n[assessment]\nname = "x"\n[accounts.{A}]\nname = "y"\n')
    with pytest.raises(InputFileError, match=r"\[accounts\] belongs to an \[organization\]"):
        store.load(path)


def test_account_files_are_named_only_after_account_ids(tmp_path: Path) -> None:
    path = tmp_path / "org.toml"
    with pytest.raises(SrmError):
        files.account_file(path, "../../etc/passwd")
    assert files.load_account(path, A) is None
    found = Assessment("a")
    found.scope.account_id = A
    found.findings = [Finding("iam.root_mfa", "global", f"arn:aws:iam::{A}:root", Status.FAIL)]
    written = files.save_account(path, found)
    assert written == tmp_path / "org.toml.accounts" / f"{A}.toml"
    assert oct(written.stat().st_mode & 0o777) == "0o600"
    review = organization_review()
    merged = files.merged(review, path)
    assert [f.account_id for f in merged.findings] == [A]
    assert review.findings == []  # the review itself is not changed
    assert files.merged(review, None) is review


def test_a_task_carries_no_credential_and_pickles(monkeypatch) -> None:
    secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", secret)
    monkeypatch.setenv("AWS_SESSION_TOKEN", "FwoGZXIvYXdzEXAMPLETOKEN")
    options = OrgScanOptions(
        scan=ScanOptions(regions=("eu-west-1",), checks=("iam",)), role_name="Audit",
        external_id="xid-42",
    )  # fmt: skip
    task = _task(options, B, A, "aws-us-gov")
    data = pickle.dumps(task)
    for value in ("AKIAIOSFODNN7EXAMPLE", secret, "FwoGZXIvYXdzEXAMPLETOKEN"):
        assert value.encode() not in data
    assert pickle.loads(data) == task
    assert (task.account_id, task.role_name, task.partition) == (B, "Audit", "aws-us-gov")
    assert set(AccountTask.__slots__) == {
        "account_id", "role_name", "external_id", "partition", "profile", "regions",
        "all_regions", "endpoint_url", "checks", "jobs", "parameters",
    }  # fmt: skip
    result = AccountResult(B, findings=[Finding("iam.root_mfa", "global", "x", Status.PASS)])
    assert pickle.loads(pickle.dumps(result)).findings == result.findings
