"""An organization scan that is interrupted (SIGKILL, cancel) continues with the
accounts it had not done when run again with the same command; --rescan starts a new
round."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from srm_tui import store
from srm_tui.demo import demo_account
from srm_tui.demo.organization import seed_organization
from srm_tui.demo.server import SeedSession
from srm_tui.errors import InputFileError
from srm_tui.model import AccountState
from srm_tui.organization import files
from srm_tui.organization.runner import OrgScanOptions, scan_organization
from srm_tui.organization.selection import AccountFilter
from srm_tui.scan import ScanOptions
from tests.org.conftest import CHECKS, REGION, Org, account_files

EXTRA = 3  # more members, so that a kill lands mid-scan


@pytest.fixture(scope="module")
def big_org():
    with demo_account(seed=False) as demo:
        members = seed_organization(SeedSession(demo.endpoint_url), extra=EXTRA)
        yield Org(demo.endpoint_url, members)


def _done(path: Path) -> dict[str, object]:
    try:
        review = store.load(path)
    except InputFileError:
        return {}
    if review.organization is None:
        return {}
    return {
        a.account_id: a.scanned
        for a in review.organization.accounts.values()
        if a.state is AccountState.DONE
    }


def test_a_killed_scan_continues_where_it_stopped(big_org, tmp_path) -> None:
    path = tmp_path / "org.toml"
    command = [
        sys.executable,
        "-m",
        "srm_tui",
        *big_org.scan_args(path, "--parallel-accounts", "1"),
    ]
    # A wide scan of each account, one account at a time, so that the kill lands while
    # accounts remain.
    command[command.index(CHECKS)] = "iam,ec2,s3"
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 240
        while len(_done(path)) < 2 and time.monotonic() < deadline and child.poll() is None:
            time.sleep(0.05)
        assert child.poll() is None, "the scan ended before it could be killed"
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait(timeout=30)
    before = _done(path)
    active = EXTRA + 4  # management, production, development, sandbox and the extras
    assert 2 <= len(before) < active
    kept = account_files(path)

    again = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    assert again.returncode == 0, again.stderr
    assert "continuing round 1" in again.stderr
    after = store.load(path).organization
    assert after.round == 1 and after.round_finished is not None
    done = {a.account_id: a for a in after.accounts.values() if a.state is AccountState.DONE}
    assert len(done) == active
    for account_id, scanned in before.items():
        # Finished before the kill: not scanned again, its file untouched.
        assert done[account_id].scanned == scanned
        assert account_files(path)[account_id] == kept[account_id]
    # Nothing a killed write left behind survives the next run.
    leftovers = [p.name for p in (path.parent, files.folder(path)) for p in p.iterdir()
                 if p.name.endswith(".tmp")]  # fmt: skip
    assert leftovers == []


def test_cancel_keeps_finished_accounts_and_rescan_starts_a_new_round(big_org, tmp_path) -> None:
    path = tmp_path / "c.toml"
    options = OrgScanOptions(
        scan=ScanOptions(
            regions=(REGION,), endpoint_url=big_org.endpoint_url, checks=tuple(CHECKS.split(","))
        ),
        parallel=1,
    )
    cancel = threading.Event()

    def stop_after_two(event) -> None:
        if event.kind == "account_done" and event.done >= 2:
            cancel.set()

    with store.open_assessment(path) as opened:
        first = scan_organization(opened, options, stop_after_two, cancel)
    assert first.cancelled and len(first.scanned) >= 2 and first.unfinished
    assert not first.round_complete
    review = store.load(path)
    assert review.scan.status.value == "cancelled"
    pending = {a.account_id for a in review.organization.accounts.values()
               if a.state is AccountState.PENDING}  # fmt: skip
    assert pending == set(first.unfinished)

    with store.open_assessment(path) as opened:
        second = scan_organization(opened, options)
    assert second.resumed and second.round == 1
    assert set(second.scanned) == pending
    assert set(second.already_done) == set(first.scanned)
    assert second.round_complete

    with store.open_assessment(path) as opened:
        third = scan_organization(opened, options)
    assert not third.resumed and third.round == 2  # a finished round: the next one
    with store.open_assessment(path) as opened:
        cut = threading.Event()
        fourth = scan_organization(
            opened, options, lambda e: cut.set() if e.kind == "account_done" else None, cut
        )
    assert fourth.round == 3 and fourth.cancelled
    with store.open_assessment(path) as opened:
        fifth = scan_organization(
            opened, OrgScanOptions(scan=options.scan, parallel=1, rescan=True)
        )
    assert fifth.round == 4 and not fifth.resumed and fifth.round_complete
    assert len(fifth.scanned) == EXTRA + 4


def test_explicit_accounts_in_an_unfinished_round_are_rescanned(big_org, tmp_path) -> None:
    path = tmp_path / "e.toml"
    scan = ScanOptions(regions=(REGION,), endpoint_url=big_org.endpoint_url,
                       checks=("iam.password_min_length",))  # fmt: skip
    cancel = threading.Event()
    with store.open_assessment(path) as opened:
        first = scan_organization(
            opened, OrgScanOptions(scan=scan, parallel=1),
            lambda e: cancel.set() if e.kind == "account_done" else None, cancel,
        )  # fmt: skip
    done = first.scanned[0]
    with store.open_assessment(path) as opened:
        again = scan_organization(
            opened, OrgScanOptions(scan=scan, selection=AccountFilter(accounts=(done,)))
        )
    assert again.resumed and again.scanned == [done]


def test_a_cancel_set_while_a_result_is_handled_stops_the_rest_at_once(
    big_org, tmp_path, monkeypatch
) -> None:
    # The watcher that polls the cancel flag is switched off: what stops the round is
    # the runner looking at the flag as soon as it has handled a result.
    from srm_tui.organization import runner

    monkeypatch.setattr(runner, "_watch", lambda cancel, over, executor: None)
    scan = ScanOptions(regions=(REGION,), endpoint_url=big_org.endpoint_url,
                       checks=("iam.password_min_length",))  # fmt: skip
    cancel = threading.Event()
    with store.open_assessment(tmp_path / "c.toml") as opened:
        outcome = scan_organization(
            opened, OrgScanOptions(scan=scan, parallel=1),
            lambda e: cancel.set() if e.kind == "account_done" else None, cancel,
        )  # fmt: skip
    assert outcome.cancelled and not outcome.round_complete
    # The account done, and at most the one already running when the flag was set.
    assert 1 <= len(outcome.scanned) <= 2
    assert outcome.unfinished
