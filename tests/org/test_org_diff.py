"""`diff` and milestones across an organization: a milestone keeps every account's
findings as they were, a comparison matches findings account by account (the same
resource name in two accounts stays two), names the accounts added and removed and
each account's progress. Built from files, no AWS."""

from __future__ import annotations

import json
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

from srm_tui import milestones, store
from srm_tui.model import AccountState, CheckRecord, Finding, Responsibility, Severity, Status
from srm_tui.organization import files
from tests.org_reviews import scanned_account, write_org_review

A, B, C = "111111111111", "222222222222", "333333333333"
WHEN = datetime(2026, 9, 1, tzinfo=UTC)
CHECK = "s3.bucket_public_policy"


def _write(path: Path, results: dict[str, dict[str, Status]], removed: tuple[str, ...] = ()):
    """An organization review at ``path``: per account, bucket name -> status."""
    accounts = {
        a: scanned_account(a, name=f"acct-{a[0]}", scanned=WHEN, ou_id="ou-ab12-11111111",
                           ou_names=("Root", "Work"))
        for a in results
    }  # fmt: skip
    for a in removed:
        accounts[a].state = AccountState.REMOVED
    record = CheckRecord(CHECK, "Bucket not public", "s3", Severity.HIGH, Responsibility.CUSTOMER)
    found = {
        account_id: [Finding(CHECK, "us-east-1", b, s) for b, s in buckets.items()]
        for account_id, buckets in results.items()
    }
    write_org_review(path, record, accounts, found, management=A)


def test_a_milestone_keeps_every_account_as_it_was(tmp_path, run_cli) -> None:
    path = tmp_path / "org.toml"
    _write(path, {A: {"shared": Status.FAIL}, B: {"shared": Status.PASS}})
    assert run_cli("milestone", path, "q3").code == 0
    kept = files.folder(milestones.folder(path) / "q3.toml")
    assert sorted(p.name for p in kept.iterdir()) == [f"{A}.toml", f"{B}.toml"]
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o400 for p in kept.iterdir())
    # Fixing A later does not change the milestone's report of it.
    _write(path, {A: {"shared": Status.PASS}, B: {"shared": Status.PASS}})
    data = json.loads(run_cli("report", f"{path}@q3", "--format", "json").out)
    failing = [f for f in data["findings"] if f["status"] == "fail"]
    assert [(f["account_id"], f["resource"]) for f in failing] == [(A, "shared")]


def test_diff_matches_findings_account_by_account(tmp_path, run_cli) -> None:
    old, new = tmp_path / "old.toml", tmp_path / "new.toml"
    # The same bucket name in A and B: A's is fixed, B's newly fails.
    _write(old, {A: {"shared": Status.FAIL}, B: {"shared": Status.PASS}})
    _write(new, {A: {"shared": Status.PASS}, B: {"shared": Status.FAIL}})
    data = json.loads(run_cli("diff", old, new, "--format", "json").out)
    assert [(f["account_id"], f["resource"]) for f in data["fixed"]] == [(A, "shared")]
    assert [(f["account_id"], f["resource"]) for f in data["new_failures"]] == [(B, "shared")]
    progress = {p["account_id"]: p for p in data["organization"]["accounts"]}
    assert progress[A]["fixed"] == 1 and progress[A]["failing"] == {"old": 1, "new": 0}
    assert progress[B]["new_failures"] == 1 and progress[B]["failing"] == {"old": 0, "new": 1}


def test_diff_names_accounts_added_and_removed(tmp_path, run_cli) -> None:
    old, new = tmp_path / "old.toml", tmp_path / "new.toml"
    _write(old, {A: {"a": Status.FAIL}, B: {"b": Status.FAIL}})
    # B left the organization (kept, marked removed); C joined.
    _write(new, {A: {"a": Status.FAIL}, B: {"b": Status.FAIL}, C: {"c": Status.FAIL}}, (B,))
    data = json.loads(run_cli("diff", old, new, "--format", "json").out)
    assert data["organization"]["added"] == [C] and data["organization"]["removed"] == [B]
    text = run_cli("diff", old, new).out
    assert f"Accounts added to the organization: `{C}`." in text
    assert f"Accounts removed from it: `{B}`." in text
    row = next(line for line in text.splitlines() if line.startswith(f"| `{C}`"))
    assert "| Added |" in row
    # An account that did not change is counted, not listed.
    assert f"| `{A}`" not in text and "1 other account did not change." in text


def test_diff_of_a_milestone_and_now_shows_progress(tmp_path, run_cli) -> None:
    path = tmp_path / "org.toml"
    _write(path, {A: {"x": Status.FAIL, "y": Status.FAIL}, B: {"x": Status.PASS}})
    assert run_cli("milestone", path, "start").code == 0
    _write(path, {A: {"x": Status.PASS, "y": Status.FAIL}, B: {"x": Status.PASS}})
    text = run_cli("diff", f"{path}@start", path).out
    assert "1 failing resource fixed" in text
    row = next(line for line in text.splitlines() if line.startswith(f"| `{A}`"))
    cells = [c.strip() for c in row.split("|")[1:-1]]
    assert cells[4:8] == ["2", "1", "1", "0"]
    # The fixed resource names its account.
    assert f"| `{A}` | us-east-1 | x |" in text


def test_two_organizations_are_not_compared_without_force(tmp_path, run_cli) -> None:
    old, new = tmp_path / "old.toml", tmp_path / "new.toml"
    _write(old, {A: {"a": Status.FAIL}})
    _write(new, {A: {"a": Status.PASS}})
    other = store.load(new)
    assert other.organization is not None
    other.organization.id = "o-zyxwvutsrq"
    store.save(other, new)
    result = run_cli("diff", old, new)
    assert result.code == 2 and "organization o-abcdefghij" in result.err
    assert run_cli("diff", old, new, "--force").code == 0


def test_accept_and_accepted_count_the_findings_in_the_accounts_files(tmp_path, run_cli):
    # The review's findings live in its accounts' files: the count an acceptance covers
    # must come from them, not from the (empty) findings of the review file itself.
    import json
    from datetime import date, timedelta

    path = tmp_path / "org.toml"
    _write(path, {A: {"shared": Status.FAIL, "web": Status.FAIL}, B: {"shared": Status.FAIL}})
    until = (date.today() + timedelta(days=30)).isoformat()
    args = ("--reason", "static site", "--owner", "Web", "--expires", until)
    made = run_cli("accept", path, CHECK, "--account", A, *args)
    assert made.code == 0, made.err
    assert "covers 2 failing findings now" in made.out
    assert "covers 1 failing finding now" in run_cli("accept", path, CHECK, "--account", B,
                                                       "--resource", "shared", *args).out  # fmt: skip
    listed = json.loads(run_cli("accepted", path, "--format", "json").out)
    assert [(a["account"], a["findings"]) for a in listed] == [(A, 2), (B, 1)]


def test_accept_for_an_account_outside_the_organization_is_refused(tmp_path, run_cli):
    # A mistyped account id was kept as an acceptance covering nothing, and the message
    # ("on *") did not even name the account.
    from datetime import date, timedelta

    path = tmp_path / "org.toml"
    _write(path, {A: {"web": Status.FAIL}})
    before = path.read_bytes()
    until = (date.today() + timedelta(days=30)).isoformat()
    args = ("--reason", "static site", "--owner", "Web", "--expires", until)
    result = run_cli("accept", path, CHECK, "--account", C, *args)
    assert result.code == 2
    assert f"{C} is not an account of organization o-abcdefghij" in result.err
    assert path.read_bytes() == before
    made = run_cli("accept", path, CHECK, "--account", A, *args)
    assert f"on * in account {A} until" in made.out
    revoked = run_cli("accepted", path, "--revoke", "A1")
    assert revoked.out == f"Revoked A1: {CHECK} on * in account {A}.\n"


def test_an_accounts_findings_file_is_not_worked_on_as_a_review(tmp_path, run_cli):
    # 'accept' or 'answer' on org.toml.accounts/ID.toml wrote into it, where the
    # organization review never reads an acceptance or an answer: they counted nowhere.
    path = tmp_path / "org.toml"
    _write(path, {A: {"web": Status.FAIL}})
    kept = files.account_file(path, A)
    before = kept.read_bytes()
    until = (datetime.now(UTC).date() + timedelta(days=30)).isoformat()
    for args in (
        ("accept", kept, CHECK, "--reason", "r", "--owner", "o", "--expires", until),
        ("answer", kept, "--set", "ir_plan=ir_plan_written"),
    ):
        result = run_cli(*args)
        assert result.code == 1
        assert "holds one account's findings of" in result.err and "org.toml instead" in result.err
    result = run_cli("milestone", kept, "q3")  # it would be kept inside the accounts folder
    assert result.code == 2 and "a milestone of" in result.err
    assert sorted(p.name for p in kept.parent.iterdir()) == [kept.name]
    assert kept.read_bytes() == before
    assert run_cli("report", kept).code == 0  # reading it stays possible
