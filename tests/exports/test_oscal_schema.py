"""report --format oscal and oscal-poam read against the OSCAL 1.1 metaschema's own
definitions (what compliance-trestle's models cannot check: what a date means, where
a tool is declared, what a risk's log says)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta

from oscal_controls import nodes

from srm_tui.report import oscal, oscal_poam


def _ar(report) -> dict:
    return json.loads(oscal.render(report))["assessment-results"]


def test_last_modified_is_when_the_document_was_made(trusted_report):
    """metadata.last-modified: "In some cases, an OSCAL document may be derived from
    some source material in a different format. In such a case, the last-modified
    value should indicate the last modification time of the OSCAL document instance,
    not the source material." (OSCAL 1.1.2, metadata)."""
    a = trusted_report.assessment
    later = replace(trusted_report, generated=a.updated + timedelta(days=30))
    for module, key in (
        (oscal, "assessment-results"),
        (oscal_poam, "plan-of-action-and-milestones"),
    ):
        meta = json.loads(module.render(later))[key]["metadata"]
        assert meta["last-modified"] == later.generated.isoformat()


def _tool_actors(document: dict) -> set[str]:
    return {
        node["actor-uuid"]
        for node in nodes(document)
        if node.get("type") == "tool" and "actor-uuid" in node
    }


def test_tools_are_assessment_assets_not_system_components(trusted_report):
    """An origin actor of type ``tool`` is "a reference to a tool component defined
    with the assessment assets", whose components are "represented here to avoid
    mixing with system components" (OSCAL 1.1.2 assessment-common): srm-tui is no part
    of the system under review."""
    for module, key in (
        (oscal, "assessment-results"),
        (oscal_poam, "plan-of-action-and-milestones"),
    ):
        doc = json.loads(module.render(trusted_report))[key]
        where = doc["results"][0] if key == "assessment-results" else doc
        local = where["local-definitions"]
        assert "components" not in local  # the system's own components: none declared
        assets = local["assessment-assets"]
        tools = {c["uuid"] for c in assets["components"]}
        actors = _tool_actors(doc)
        assert actors and actors <= tools
        platform = assets["assessment-platforms"][0]
        assert {u["component-uuid"] for u in platform["uses-components"]} == tools


def test_the_poam_names_its_system(trusted_report):
    """ "Either an OSCAL-based SSP must be imported, or a unique system-id must be
    specified" (OSCAL 1.1.2, plan-of-action-and-milestones): srm-tui imports no SSP,
    so it gives the reviewed scope a system id, the same in every export."""
    import uuid

    doc = json.loads(oscal_poam.render(trusted_report))["plan-of-action-and-milestones"]
    assert "import-ssp" not in doc
    system = doc["system-id"]
    assert system["identifier-type"] == "http://ietf.org/rfc/rfc4122"
    assert uuid.UUID(system["id"]).version == 5
    again = json.loads(oscal_poam.render(trusted_report))["plan-of-action-and-milestones"]
    assert again["system-id"] == system


def test_a_review_with_nothing_to_plan_gives_no_invalid_poam(run_cli, tmp_path):
    """A POA&M holds at least one poam-item (min-occurs 1 in OSCAL 1.1.2; compliance-
    trestle refuses an empty list): with nothing to plan the command says so in one
    sentence instead of writing a document no GRC tool accepts."""
    from srm_tui import store
    from srm_tui.model import Assessment, Scope

    review = tmp_path / "clean.toml"
    store.save(Assessment("clean", scope=Scope(account_id="111122223333")), review)
    out = tmp_path / "plan.oscal-poam.json"
    result = run_cli("report", review, "--format", "oscal-poam", "-o", out)
    assert result.code == 1
    assert "nothing to plan" in result.err and "Traceback" not in result.err
    assert len(result.err.strip().splitlines()) == 1
    assert not out.exists()


def test_an_acceptance_and_a_due_date_hold_through_their_last_day(trusted_report):
    """An acceptance "holds through its last day" (``srm-tui accept --expires``: the
    last day it holds) and a due date is the day by which the work is done; OSCAL's
    risk ``deadline`` is "the date/time by which the risk must be resolved" and a
    risk-log entry's ``end`` when the event ends: both are the end of that day, not
    its midnight, a day early."""
    result = _ar(trusted_report)["results"][0]
    accepted = next(r for r in result["risks"] if r["status"] == "deviation-approved")
    assert accepted["deadline"] == "2026-12-31T23:59:59+00:00"
    assert accepted["risk-log"]["entries"][0]["end"] == "2026-12-31T23:59:59+00:00"
    dues = {r["deadline"] for r in result["risks"] if r["status"] == "open" and "deadline" in r}
    assert "2026-10-15T23:59:59+00:00" in dues
    poam = json.loads(oscal_poam.render(trusted_report))["plan-of-action-and-milestones"]
    assert "2026-10-15T23:59:59+00:00" in {r.get("deadline") for r in poam["risks"]}


def test_an_expired_acceptance_stays_in_the_open_risks_log(trusted_report):
    """After its expiry an accepted failure is open again (risk status ``open``); the
    risk log ("a log of all risk-related tasks taken", OSCAL 1.1.2) still shows the
    deviation that was approved, from when to when, and the day it ended, instead of
    losing the acceptance from the document."""
    from datetime import UTC, datetime

    later = replace(trusted_report, generated=datetime(2027, 1, 5, 12, tzinfo=UTC))
    result = _ar(later)["results"][0]
    risks = {r["uuid"]: r for r in result["risks"]}
    finding = next(
        f for f in result["findings"] if f["target"]["target-id"] == "ec2.sg_admin_ports_ipv4"
    )
    related = [risks[r["risk-uuid"]] for r in finding["related-risks"]]
    assert [r["status"] for r in related] == ["open"]
    entries = related[0]["risk-log"]["entries"]
    approved, lapsed = entries
    assert approved["status-change"] == "deviation-approved"
    assert approved["end"] == "2026-12-31T23:59:59+00:00"
    assert "bastion" in approved["description"]
    assert lapsed["status-change"] == "open" and lapsed["start"].startswith("2027-01-01T00:00")
    props = {(p["name"], p["value"]) for p in related[0]["props"]}
    assert ("expired-acceptance-id", "A1") in props
    # The approval keeps its UUID: the same log entry as while it was in force.
    before = _ar(trusted_report)["results"][0]
    held = next(r for r in before["risks"] if r["status"] == "deviation-approved")
    assert held["risk-log"]["entries"][0]["uuid"] == approved["uuid"]


def test_an_answer_given_for_one_account_or_ou_is_observed_and_found(org_report, tmp_path):
    """An organization review's own answer for one account or OU is what holds there:
    its INTERVIEW observation (``applies-to`` the account or OU), its finding and its
    risk, beside the organization's answer, each with its own UUID."""
    from trestle.oscal.assessment_results import AssessmentResults

    text = oscal.render(org_report)
    path = tmp_path / "ar.json"
    path.write_text(text, "utf-8")
    AssessmentResults.oscal_read(path)
    result = json.loads(text)["assessment-results"]["results"][0]

    def applies_to(node) -> str:
        return next((p["value"] for p in node.get("props", []) if p["name"] == "applies-to"), "")

    interviews = {
        applies_to(o): o
        for o in result["observations"]
        if o["methods"] == ["INTERVIEW"]
        and {"name": "question", "value": "s_ir_contacts", "ns": "urn:srm-tui:oscal"} in o["props"]
    }
    assert set(interviews) == {"", "222222222222", "ou-ab12-sandbox1"}
    assert "Does not apply" in interviews["ou-ab12-sandbox1"]["description"]
    findings = [f for f in result["findings"] if f["target"]["target-id"] == "s_ir_contacts"]
    states = sorted(f["target"]["status"]["state"] for f in findings)
    assert states == ["not-satisfied", "satisfied"]  # the organization's, the account's
    uuids = [x["uuid"] for x in (*result["observations"], *result["findings"], *result["risks"])]
    assert len(uuids) == len(set(uuids))


def test_each_member_account_has_its_own_inventory_items(trusted_report):
    """Two member accounts can hold a resource of the same name (an id that is no ARN,
    an account-wide setting): each is its own inventory item, with its account, so a
    subject never points at another account's resource."""
    from srm_tui.model import OrgAccount, Organization

    a = trusted_report.assessment
    finding = next(f for f in a.findings if f.check == "iam.root_mfa")
    accounts = ("111111111111", "222222222222")
    twins = [replace(finding, resource="root", account_id=account) for account in accounts]
    org = Organization("o-abcdefghij", accounts[0], accounts={x: OrgAccount(x) for x in accounts})
    report = replace(trusted_report, assessment=replace(a, findings=twins, organization=org))
    result = _ar(report)["results"][0]
    items = result["local-definitions"]["inventory-items"]
    assert len(items) == 2
    owners = sorted(p["value"] for i in items for p in i["props"] if p["name"] == "aws-account-id")
    assert owners == list(accounts)
    test = next(o for o in result["observations"] if o["methods"] == ["TEST"])
    assert len({s["subject-uuid"] for s in test["subjects"]}) == 2


def test_a_contradicted_answer_relates_the_failing_checks_observation(contradicted_report):
    """An answer whose claimed practice a failing check contradicts: its finding relates
    the check's TEST observation too (evidence against the claim), and the interview
    names the check (``contradicted-by``)."""
    result = _ar(contradicted_report)["results"][0]
    observations = {o["uuid"]: o for o in result["observations"]}
    plan = next(f for f in result["findings"] if f["target"]["target-id"] == "s_ir_plan")
    related = [observations[r["observation-uuid"]] for r in plan["related-observations"]]
    tests = [o for o in related if o["methods"] == ["TEST"]]
    assert [p["value"] for o in tests for p in o["props"] if p["name"] == "check"] == [
        "iam.root_mfa"
    ]
    interview = next(o for o in related if o["methods"] == ["INTERVIEW"])
    assert {
        "name": "contradicted-by",
        "value": "iam.root_mfa",
        "ns": "urn:srm-tui:oscal",
    } in interview["props"]


def test_the_declared_oscal_version_accepts_a_sha256_hash(trusted_report):
    """oscal-version is "the OSCAL model version the document was authored against and
    will conform to as valid". OSCAL 1.1.2's metadata says a SHA-256 hash matches
    ``^[0-9a-fA-F]{32}$`` (oscal-check-hash-length, fixed to 64 in 1.1.3): a document
    claiming 1.1.2 fails its own version's validation with every real SHA-256."""
    doc = _ar(trusted_report)
    hashes = [
        h
        for r in doc["back-matter"]["resources"]
        for link in r.get("rlinks", [])
        for h in link.get("hashes", [])
    ]
    assert hashes and all(len(h["value"]) == 64 for h in hashes if h["algorithm"] == "SHA-256")
    version = tuple(int(x) for x in doc["metadata"]["oscal-version"].split("."))
    assert version >= (1, 1, 3)
