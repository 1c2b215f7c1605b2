"""The demo organization has the same ids in every demo run: a review of it made in
one run can be scanned again in the next, which refuses another organization."""

from __future__ import annotations

from srm_tui.demo import demo_account
from srm_tui.demo.organization import Member, seed_organization
from srm_tui.demo.server import SeedSession

#: One closed member: its account and OU are made, no resources (a fast seed).
ONE = (Member("retired", ("Sandbox",), "closed"),)


def _seeded() -> tuple[str, str, dict[str, str], dict[tuple[str, ...], str]]:
    with demo_account(seed=False) as demo:
        org = seed_organization(SeedSession(demo.endpoint_url), members=ONE)
    return org.id, org.root, org.accounts, org.ous


def test_two_demo_runs_make_the_same_organization() -> None:
    first, second = _seeded(), _seeded()
    assert first == second
    assert first[0].startswith("o-") and first[2]["retired"].isdigit()
