"""Organizations the other tests do not build: accounts AWS reports by their newer
``State``, accounts that leave or move between two runs of a round."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import boto3
import pytest
from botocore.stub import Stubber

from srm_tui import store
from srm_tui.aws.ledger import Ledger
from srm_tui.aws.organization import read_organization
from srm_tui.aws.session import AwsSession, Identity
from srm_tui.demo import demo_account
from srm_tui.demo.managed_policies import without_managed_policies
from srm_tui.errors import SrmError, UsageError
from srm_tui.model import AccountState, OrgAccount, Organization
from srm_tui.organization.executor import LocalExecutor
from srm_tui.organization.runner import OrgScanOptions, OrgScanOutcome, scan_organization
from srm_tui.organization.selection import AccountFilter, merge_listing, plan_round
from srm_tui.scan import AccountResult, ScanOptions, scan_account

REGION = "us-east-1"
ORG = "o-exampleorg1"
MANAGEMENT = "012345678901"  # a leading zero, as real account ids may have
ROOT = "r-ab12"
CALLER = Identity(MANAGEMENT, f"arn:aws:iam::{MANAGEMENT}:user/auditor", "aws")
WHEN = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)


def _account(account_id: str, name: str, **status: str) -> dict:
    """An ``Account`` as ListAccountsForParent answers it; ``status`` gives State
    and/or the retired Status."""
    return {"Id": account_id, "Arn": f"arn:aws:organizations::{MANAGEMENT}:account/{ORG}/{account_id}",
            "Email": f"{name}@example.com", "Name": name, "JoinedMethod": "CREATED",
            "JoinedTimestamp": dt.datetime(2026, 1, 1, tzinfo=dt.UTC), **status}  # fmt: skip


def _listed(accounts: list[dict]):
    session = AwsSession(None, "http://127.0.0.1:9", Ledger())
    stub = Stubber(session.client("organizations", REGION))
    stub.add_response("describe_organization", {"Organization": {
        "Id": ORG, "Arn": f"arn:aws:organizations::{MANAGEMENT}:organization/{ORG}",
        "FeatureSet": "ALL", "MasterAccountId": MANAGEMENT,
        "MasterAccountArn": f"arn:aws:organizations::{MANAGEMENT}:account/{ORG}/{MANAGEMENT}",
        "MasterAccountEmail": "root@example.com"}})  # fmt: skip
    stub.add_response("list_roots", {"Roots": [{"Id": ROOT, "Name": "Root", "PolicyTypes": [],
                      "Arn": f"arn:aws:organizations::{MANAGEMENT}:root/{ORG}/{ROOT}"}]})  # fmt: skip
    stub.add_response("list_accounts_for_parent", {"Accounts": accounts}, {"ParentId": ROOT})
    stub.add_response(
        "list_organizational_units_for_parent", {"OrganizationalUnits": []}, {"ParentId": ROOT}
    )
    stub.activate()
    listing = read_organization(session, REGION, CALLER)
    stub.assert_no_pending_responses()
    return listing


def test_the_account_state_is_trusted_over_the_retired_status() -> None:
    # AWS retired Status for State: where both are given, State says what the account
    # is; a closed account is CLOSED, one whose sign-up is not finished is not scanned.
    listing = _listed([
        _account(MANAGEMENT, "management", Status="ACTIVE", State="ACTIVE"),
        _account("000000000011", "closed", Status="SUSPENDED", State="CLOSED"),
        _account("000000000012", "new", Status="ACTIVE", State="PENDING_ACTIVATION"),
        _account("000000000013", "closing", State="PENDING_CLOSURE"),
        _account("000000000014", "older answer", Status="SUSPENDED"),
    ])  # fmt: skip
    status = {a.account_id: a.status for a in listing.accounts}
    assert status == {
        MANAGEMENT: "ACTIVE",
        "000000000011": "CLOSED",
        "000000000012": "PENDING_ACTIVATION",
        "000000000013": "PENDING_CLOSURE",
        "000000000014": "SUSPENDED",
    }
    org = Organization()
    merge_listing(org, listing)
    plan = plan_round(org, AccountFilter(), rescan=False, when=WHEN)
    assert plan.to_scan == [MANAGEMENT]
    assert plan.skipped == ["000000000011", "000000000012", "000000000013", "000000000014"]
    assert org.accounts["000000000012"].state is AccountState.SKIPPED


# --- an emulated organization that changes between two runs ---------------------------


class Changing:
    """An organization on the emulator: OUs A and B under the root, members in A."""

    def __init__(self, endpoint_url: str, members: int) -> None:
        self.endpoint_url = endpoint_url
        self.client = boto3.client("organizations", region_name=REGION, endpoint_url=endpoint_url)
        self.client.create_organization(FeatureSet="ALL")
        self.root = self.client.list_roots()["Roots"][0]["Id"]
        self.a, self.b = (
            self.client.create_organizational_unit(ParentId=self.root, Name=n)[
                "OrganizationalUnit"
            ]["Id"]
            for n in ("A", "B")
        )
        self.members: list[str] = []
        with without_managed_policies():
            for n in range(members):
                created = self.client.create_account(AccountName=f"m{n}", Email=f"m{n}@example.com")
                account_id = created["CreateAccountStatus"]["AccountId"]
                self.client.move_account(
                    AccountId=account_id, SourceParentId=self.root, DestinationParentId=self.a
                )
                self.members.append(account_id)

    def scan(
        self, path: Path, selection: AccountFilter | None = None, stop_after: int = 0
    ) -> OrgScanOutcome:
        """One run, one account at a time; cancelled once ``stop_after`` accounts are
        done (before the next one starts: the pool has one thread)."""
        options = OrgScanOptions(
            scan=ScanOptions(regions=(REGION,), endpoint_url=self.endpoint_url,
                             checks=("iam.password_min_length",)),
            selection=selection or AccountFilter(), parallel=1,
        )  # fmt: skip
        cancel = threading.Event()
        done = []

        def scan_then_stop(task, on_progress, stop) -> AccountResult:
            result = scan_account(task, on_progress, stop)
            done.append(task.account_id)
            if stop_after and len(done) >= stop_after:
                cancel.set()
                pool.cancel()  # the accounts not started are dropped now
            return result

        pool = LocalExecutor(1, function=scan_then_stop)
        with store.open_assessment(path) as opened, pool:
            return scan_organization(opened, options, cancel=cancel, executor=pool)


@contextmanager
def changing(members: int = 3) -> Iterator[Changing]:
    with demo_account(seed=False) as demo:
        yield Changing(demo.endpoint_url, members)


def test_naming_an_account_that_left_the_organization_is_refused(tmp_path) -> None:
    path = tmp_path / "org.toml"
    with changing() as org:
        first = org.scan(path)
        assert first.round_complete and first.round == 1
        gone = org.members[0]
        org.client.remove_account_from_organization(AccountId=gone)
        before = path.read_bytes()
        with pytest.raises(UsageError, match=f"has no account or OU {gone}"):
            org.scan(path, AccountFilter(accounts=(gone,)))
        # Nothing changed: no empty round started, the last scan's record kept.
        assert path.read_bytes() == before
        # Excluding it stays harmless, and what was found there is kept.
        again = org.scan(path, AccountFilter(exclude=(gone,)))
        assert gone not in again.scanned and again.round == 2
        review = store.load(path)
        assert review.organization.accounts[gone].state is AccountState.REMOVED
        assert review.organization.accounts[gone].round == 1


def test_an_account_that_moves_out_of_the_ou_mid_round_is_not_left_pending(tmp_path) -> None:
    path = tmp_path / "org.toml"
    with changing(members=4) as org:
        first = org.scan(path, AccountFilter(ous=(org.a,)), stop_after=1)
        assert first.cancelled and len(first.scanned) == 1 and len(first.unfinished) == 3
        moved = first.unfinished[-1]
        org.client.move_account(AccountId=moved, SourceParentId=org.a, DestinationParentId=org.b)
        second = org.scan(path, AccountFilter(ous=(org.a,)))
        assert second.resumed and second.round_complete and moved not in second.scanned
        review = store.load(path)
        account = review.organization.accounts[moved]
        # The round is over: the account it no longer covers is not "to be scanned".
        assert review.organization.round_finished is not None
        assert account.state is AccountState.NOT_SCANNED and account.ou_id == org.b
        assert not [a for a in review.organization.accounts.values()
                    if a.state is AccountState.PENDING]  # fmt: skip
        # Its own OU's scan takes it in a round of its own.
        third = org.scan(path, AccountFilter(ous=(org.b,)))
        assert third.scanned == [moved] and third.round == 2


# --- the wizard -------------------------------------------------------------------------


async def test_the_wizard_asks_for_the_external_id_the_roles_need_and_never_keeps_it(
    tmp_path, monkeypatch
) -> None:
    from textual.widgets import Input

    from srm_tui.organization import runner
    from srm_tui.tui.screens.external_id import ExternalIdDialog
    from srm_tui.tui.widgets.organization import OrganizationPane
    from tests.tui import apps

    monkeypatch.setenv("SRM_TUI_DATA_DIR", str(tmp_path / "data"))
    path = tmp_path / "org.toml"
    review = apps.assessment()
    member = "000000000021"
    review.organization = Organization(
        ORG, MANAGEMENT, "AuditRole", external_id=True, round=1,
        accounts={member: OrgAccount(member, "member", ROOT, "Root", (ROOT,), ("Root",), "ACTIVE")},
    )  # fmt: skip
    store.save(review, path)
    started: list[OrgScanOptions] = []

    def scan(opened, options, *more, **named) -> OrgScanOutcome:
        started.append(options)
        return OrgScanOutcome(ORG, 1, resumed=False)

    monkeypatch.setattr(runner, "scan_organization", scan)
    app = apps.make_app(path, tmp_path / "data")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        pane = app.screen.query_one(OrganizationPane)
        # Cancelled: no scan. Without the id every member's role would refuse.
        pane.action_scan_organization()
        await pilot.pause()
        assert isinstance(app.screen, ExternalIdDialog)
        await pilot.press("escape")
        await pilot.pause()
        assert started == [] and not isinstance(app.screen, ExternalIdDialog)
        # Too short for AWS: refused in the dialog, which stays open.
        pane.action_scan_organization()
        await pilot.pause()
        await pilot.press("x", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ExternalIdDialog) and started == []
        box = app.screen.query_one("#external-id", Input)
        assert box.password  # hidden as it is typed
        box.value = "shared-secret-77"
        await pilot.press("enter")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
    assert [o.external_id for o in started] == ["shared-secret-77"]
    assert [o.role_name for o in started] == ["AuditRole"]
    assert store.load(path).organization.external_id is True
    assert b"shared-secret-77" not in path.read_bytes()


def test_filters_that_choose_no_account_are_refused_and_keep_the_round(tmp_path) -> None:
    path = tmp_path / "org.toml"
    with changing(members=3) as org:
        first = org.scan(path, stop_after=1)
        assert first.cancelled and first.unfinished
        org.client.move_account(
            AccountId=org.members[2], SourceParentId=org.a, DestinationParentId=org.b
        )
        before = path.read_bytes()
        one = org.members[0]
        for nothing in (
            AccountFilter(accounts=(one,), exclude=(one,)),
            AccountFilter(accounts=(one,), ous=(org.b,)),  # it is in A; B has another
        ):
            with pytest.raises(UsageError, match="choose no account"):
                org.scan(path, nothing)
            # The interrupted round is neither closed nor replaced by an empty one.
            assert path.read_bytes() == before
        again = org.scan(path)
        assert again.resumed and again.round == 1 and again.round_complete
        assert sorted(again.scanned) == sorted(first.unfinished)


def test_a_run_without_role_name_reaches_the_members_as_the_review_did(
    tmp_path, monkeypatch, run_cli
) -> None:
    from srm_tui.organization import executor

    roles: list[tuple[str, str]] = []

    def recording(task, on_progress=None, cancel=None) -> AccountResult:
        roles.append((task.account_id, task.role_name))
        return scan_account(task, on_progress, cancel)

    monkeypatch.setattr(executor, "scan_account", recording)
    path = tmp_path / "org.toml"
    with changing(members=2) as org:
        args = ["scan", str(path), "--organization", "--endpoint-url", org.endpoint_url,
                "--region", REGION, "--checks", "iam.password_min_length"]  # fmt: skip
        assert run_cli(*args, "--role-name", "AuditRole").code == 0
        roles.clear()
        # Run again without --role-name: the members the review reached through
        # AuditRole are reached through it again, not through the default role.
        assert run_cli(*args, "--rescan").code == 0
    members = sorted(org.members)
    assert sorted(r for r in roles if r[0] in members) == [(m, "AuditRole") for m in members]
    assert store.load(path).organization.role_name == "AuditRole"


def test_a_failed_listing_is_one_sentence_with_one_full_stop() -> None:
    session = AwsSession(None, "http://127.0.0.1:9", Ledger())
    stub = Stubber(session.client("organizations", REGION))
    stub.add_response(
        "describe_organization", {"Organization": {"Id": ORG, "MasterAccountId": MANAGEMENT}}
    )
    stub.add_response("list_roots", {"Roots": [{"Id": ROOT, "Name": "Root"}]})
    stub.add_client_error(
        "list_accounts_for_parent",
        service_error_code="ParentNotFoundException",
        service_message="You specified parent that doesn't exist.",
        http_status_code=400,
    )
    stub.activate()
    with pytest.raises(SrmError) as caught:
        read_organization(session, REGION, CALLER)
    message = str(caught.value)
    assert message.startswith("Could not list the organization's accounts: ")
    assert "ParentNotFoundException" in message
    assert message.endswith("doesn't exist.") and ".." not in message
