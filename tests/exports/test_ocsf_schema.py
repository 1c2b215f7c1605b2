"""report --format ocsf read against the OCSF 1.5 schema itself (not only py-ocsf-models,
which accepts any integer or string): the units of its timestamps, what its enum values
mean, and finding ids that stay the same when the review is exported again."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from srm_tui.report import ocsf

ComplianceFinding = pytest.importorskip(
    "py_ocsf_models.events.findings.compliance_finding",
    reason="py-ocsf-models comes with the test extra: pip install -e '.[test]'",
).ComplianceFinding


def _events(report):
    return json.loads(ocsf.render(report))


def test_times_are_milliseconds_since_the_epoch(trusted_report):
    """OCSF's ``timestamp_t`` is "the number of milliseconds since the Epoch"
    (dictionary.json, types): seconds would put every finding in January 1970."""
    a = trusted_report.assessment
    events = _events(trusted_report)
    scanned = a.scan.finished or a.updated
    finding = next(e for e in events if e["compliance"]["control"] == "iam.root_mfa")
    assert finding["time"] == int(scanned.timestamp() * 1000)
    answer = a.answers["s_ir_plan"]
    plan = next(e for e in events if e["compliance"]["control"] == "s_ir_plan")
    assert plan["time"] == int((answer.attested or answer.answered or a.updated).timestamp() * 1000)
    for event in events:
        assert datetime.fromtimestamp(event["time"] / 1000, UTC).year >= 2020


def _uids(report) -> dict[tuple[str, str, str, str], str]:
    """Each finding event's ``finding_info.uid`` by check, account, region, resource."""
    return {
        (
            e["compliance"]["control"],
            e["cloud"].get("account", {}).get("uid", ""),
            e["cloud"].get("region", ""),
            e["resources"][0]["uid"],
        ): e["finding_info"]["uid"]
        for e in _events(report)
        if "resources" in e
    }


def test_a_finding_keeps_its_id_when_other_findings_come_and_go(trusted_report):
    """``finding_info.uid`` is "the unique identifier of the reported finding": a SIEM
    updates the finding of that id, so the id of a resource's finding may not depend
    on what else the scan found."""
    before = _uids(trusted_report)
    a = trusted_report.assessment
    first = min(a.findings, key=lambda f: (f.check, f.region, f.resource))
    rest = [f for f in a.findings if f is not first]
    after = _uids(replace(trusted_report, assessment=replace(a, findings=rest)))
    assert len(after) == len(before) - 1
    for key, uid in after.items():
        assert before[key] == uid, key


def test_the_same_resource_in_two_accounts_gives_two_ids(trusted_report):
    """An organization review: the same check on the same resource name in two member
    accounts is two findings, each with its own id and its own account."""
    a = trusted_report.assessment
    finding = next(f for f in a.findings if f.check == "iam.root_mfa")
    twins = [
        replace(finding, account_id="111111111111"),
        replace(finding, account_id="222222222222"),
    ]
    uids = _uids(replace(trusted_report, assessment=replace(a, findings=twins)))
    assert sorted(k[1] for k in uids) == ["111111111111", "222222222222"]
    assert len(set(uids.values())) == 2


def test_an_answer_at_medium_risk_is_a_failure_of_medium_severity(trusted_report):
    """OCSF 1.5 compliance.status_id 2 "Warning": "The compliance check did not yield a
    result due to missing information". An answer that leaves a medium risk did yield
    one: the control is not met (3 "Fail"), and severity_id says how much."""
    events = {e["compliance"]["control"]: e for e in _events(trusted_report)}
    plan = events["s_ir_plan"]  # one practice of three: a medium risk
    assert plan["unmapped"]["risk"] == "medium"
    assert (plan["compliance"]["status_id"], plan["compliance"]["status"]) == (3, "Fail")
    assert (plan["severity_id"], plan["severity"]) == (3, "Medium")
    contacts = events["s_ir_contacts"]  # "None of these": a high risk
    assert (contacts["compliance"]["status_id"], contacts["severity_id"]) == (3, 4)
    assert all(e["compliance"]["status_id"] != 2 for e in events.values())


def test_a_file_of_evidence_is_an_ocsf_file_with_its_hash(trusted_report):
    """OCSF 1.5 evidences: a file is the ``file`` object (name required, type_id
    required, ``hashes`` a list of fingerprints: SHA-256 is algorithm_id 3), so a
    consumer finds the hash where OCSF puts it, not only in free-form ``data``."""
    from py_ocsf_models.objects.fingerprint import FingerPrint

    plan = next(e for e in _events(trusted_report) if e["compliance"]["control"] == "s_ir_plan")
    files = [ev["file"] for ev in plan["evidences"] if ev["data"]["kind"] == "file"]
    assert len(files) == 1
    file = files[0]
    assert file["name"] == "ir-plan.pdf" and file["type_id"] == 1
    assert file["size"] == len(b"%PDF-1.7 incident response plan")
    digest = FingerPrint.model_validate(file["hashes"][0])
    assert digest.algorithm_id == 3 and digest.value == file["hashes"][0]["value"]
    assert len(digest.value) == 64
    links = [ev for ev in plan["evidences"] if ev["data"]["kind"] == "link"]
    assert links and all("file" not in ev for ev in links)


def _organization_review(trusted_report):
    """The sample review as an organization review of two member accounts, one in an
    OU, each with its own failing root MFA finding."""
    from srm_tui.model import OrgAccount, Organization

    a = trusted_report.assessment
    accounts = {
        "111111111111": OrgAccount(
            "111111111111", name="payments-prod", ou_id="ou-ab12-prod0001", ou_name="Production"
        ),
        "222222222222": OrgAccount("222222222222", name="sandbox"),
    }
    finding = next(f for f in a.findings if f.check == "iam.root_mfa")
    members = [replace(finding, account_id=account) for account in accounts]
    org = Organization("o-abcdefghij", "111111111111", accounts=accounts)
    return replace(trusted_report, assessment=replace(a, findings=members, organization=org))


def test_an_organization_review_names_each_members_account_and_organization(trusted_report):
    """OCSF 1.5 cloud: ``account`` ("AWS Account name" as its name) and ``org`` (the
    organization's uid, "its ... AWS Org ID", and the OU as ``ou_uid``/``ou_name``):
    a SIEM can group the findings of an organization review by member and OU."""
    from py_ocsf_models.objects.cloud import Cloud

    events = _events(_organization_review(trusted_report))
    members = {
        e["cloud"]["account"]["uid"]: e["cloud"]
        for e in events
        if e["compliance"]["control"] == "iam.root_mfa"
    }
    prod, sandbox = members["111111111111"], members["222222222222"]
    assert prod["account"]["name"] == "payments-prod" and sandbox["account"]["name"] == "sandbox"
    assert prod["org"] == {
        "uid": "o-abcdefghij",
        "ou_uid": "ou-ab12-prod0001",
        "ou_name": "Production",
    }
    assert sandbox["org"] == {"uid": "o-abcdefghij"}
    answers = [e for e in events if e["unmapped"].get("kind") == "question"]
    assert answers and all(e["cloud"]["org"]["uid"] == "o-abcdefghij" for e in answers)
    for event in events:
        Cloud.model_validate(event["cloud"])


def test_an_answer_given_for_one_account_or_ou_is_its_own_event(trusted_report):
    """An organization review may answer a question differently for one account or OU
    ("does not apply to the sandbox OU"): the export says what holds there, in that
    account or OU, beside the organization's own answer, instead of leaving it out."""
    from srm_tui.model import Override, Reason

    report = _organization_review(trusted_report)
    a = report.assessment
    everything = tuple(f"s_ir_contacts_p{i}" for i in (1, 2, 3))
    a.overrides["s_ir_contacts"] = {
        "222222222222": Override("s_ir_contacts", "222222222222", selected=everything),
        "ou-ab12-prod0001": Override(
            "s_ir_contacts", "ou-ab12-prod0001", applicable=False, reason=Reason.OUT_OF_SCOPE
        ),
    }
    events = [e for e in _events(report) if e["compliance"]["control"] == "s_ir_contacts"]
    by_target = {e["unmapped"].get("applies_to", ""): e for e in events}
    assert set(by_target) == {"", "222222222222", "ou-ab12-prod0001"}
    assert by_target[""]["compliance"]["status"] == "Fail"  # the organization's answer
    sandbox = by_target["222222222222"]
    assert sandbox["compliance"]["status"] == "Pass"
    assert sandbox["cloud"]["account"]["uid"] == "222222222222"
    prod_ou = by_target["ou-ab12-prod0001"]
    assert prod_ou["compliance"]["status_id"] == 99 and "account" not in prod_ou["cloud"]
    assert prod_ou["cloud"]["org"]["ou_uid"] == "ou-ab12-prod0001"
    assert len({e["finding_info"]["uid"] for e in events}) == 3
    for event in events:
        ComplianceFinding.model_validate(event)


def test_a_contradicted_answer_names_the_checks_that_contradict_it(contradicted_report):
    """The review's contradictions (an answer claiming a practice whose check fails)
    travel with the answer's event, as the JSON report's ``contradictions`` do."""
    events = {e["compliance"]["control"]: e for e in _events(contradicted_report)}
    assert events["s_ir_plan"]["unmapped"]["contradictions"] == ["iam.root_mfa"]
    assert "contradictions" not in events["s_ir_logs"]["unmapped"]


def test_an_imported_finding_names_the_tool_that_made_it():
    """srm-tui reports every event (``metadata.product``); an imported finding was made
    by Prowler or Security Hub, which OCSF 1.5 puts in ``finding_info.product``, "the
    product that reported the finding", and its time is when it was imported."""
    from test_imported_reports import _with_prowler

    from srm_tui.report import formats

    a = _with_prowler()
    events = json.loads(formats.report(a, (), "ocsf"))
    imported = [e for e in events if e["unmapped"]["source"] == "prowler"]
    assert imported
    for event in imported:
        assert event["metadata"]["product"]["name"] == "srm-tui"
        assert event["finding_info"]["product"]["name"] == "Prowler"
        assert event["finding_info"]["product_uid"] == "prowler"
        assert event["time"] == int(a.imports["prowler"].imported.timestamp() * 1000)
        ComplianceFinding.model_validate(event)
    own = [e for e in events if e["unmapped"]["source"] == "srm-tui"]
    assert own and all("product" not in e["finding_info"] for e in own)


def test_an_accepted_imported_failure_is_suppressed_like_an_own_one():
    """Acceptances cover an imported check like any other (docs/exchange.md): an
    imported failure under an acceptance in force is ``Suppressed`` (OCSF 1.5 finding
    status_id 3) with its acceptance, its control still failing."""
    from datetime import date, timedelta

    from test_imported_reports import _with_prowler

    from srm_tui import acceptances
    from srm_tui.report import formats

    a = _with_prowler()
    acceptances.accept(
        a,
        "ec2_ebs_public_snapshot",
        reason="shared on purpose",
        owner="Data team",
        expires=date.today() + timedelta(days=30),
        known_checks=("ec2_ebs_public_snapshot",),
    )
    events = json.loads(formats.report(a, (), "ocsf"))
    snapshot = [
        e
        for e in events
        if e["compliance"]["control"] == "ec2_ebs_public_snapshot" and e["status_code"] == "FAIL"
    ]
    assert snapshot and all(e["unmapped"]["source"] == "prowler" for e in snapshot)
    for event in snapshot:
        assert (event["status_id"], event["status"]) == (3, "Suppressed")
        assert event["compliance"]["status"] == "Fail"
        assert event["unmapped"]["exception"]["owner"] == "Data team"
        assert "shared on purpose" in event["comment"]
    others = [e for e in events if e["unmapped"]["source"] == "prowler" and e not in snapshot]
    assert others and all(e["status"] == "New" for e in others)
