"""Answers for one account or one OU of an organization review: stored in the
assessment, applied by scoring (the account's own beats its OU's, the deepest OU wins,
else the organization's answer), set and cleared from the command line, reported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from srm_tui import review, store
from srm_tui.errors import UsageError
from srm_tui.model import (
    AccountState,
    Answer,
    Assessment,
    OrgAccount,
    Organization,
    Reason,
    Risk,
)
from srm_tui.scoring import account_risks, effective_answer, risk_of, summarise
from tests import report_samples as samples

ROOT, WORK, SANDBOX, TEAM = "r-ab12", "ou-ab12-11111111", "ou-ab12-22222222", "ou-ab12-33333333"
PROD, DEV, PLAY = "111111111111", "222222222222", "333333333333"


def organization_review() -> Assessment:
    accounts = {
        PROD: OrgAccount(PROD, "prod", WORK, "Workloads", (ROOT, WORK), ("Root", "Workloads"),
                         "ACTIVE", AccountState.DONE),
        DEV: OrgAccount(DEV, "dev", TEAM, "Team", (ROOT, WORK, TEAM),
                        ("Root", "Workloads", "Team"), "ACTIVE", AccountState.DONE),
        PLAY: OrgAccount(PLAY, "play", SANDBOX, "Sandbox", (ROOT, SANDBOX), ("Root", "Sandbox"),
                         "ACTIVE", AccountState.DONE),
    }  # fmt: skip
    review_ = Assessment("org")
    review_.organization = Organization("o-abcdefghij", PROD, "Audit", accounts=accounts)
    return review_


def root_mfa_claim():
    """The sample questionnaire whose first question's first choice claims root MFA (the
    root MFA check's failure contradicts it): (sections, question, that choice)."""
    from dataclasses import replace

    sections = samples.sections()
    base = sections[0].questions[0]
    claim = replace(base.choices[0], checks=("iam.root_mfa",))
    question = replace(base, choices=(claim, *base.choices[1:]))
    return (
        (replace(sections[0], questions=(question, *sections[0].questions[1:])),),
        question,
        claim,
    )


def test_the_nearest_answer_holds_for_each_account() -> None:
    a = organization_review()
    question = samples.sections()[0].questions[0]
    qid = question.id
    review.set_answer(a, question, selected=(f"{qid}_p1",))  # the organization: medium
    review.set_override(a, question, SANDBOX, applicable=False, reason=Reason.OUT_OF_SCOPE)
    review.set_override(a, question, WORK, selected=(f"{qid}_no",))  # high under Workloads
    practices = [c.id for c in question.practices]
    review.set_override(a, question, DEV, selected=practices)  # dev does them all: none
    assert risk_of(question, effective_answer(a, question, PLAY)) is Risk.NOT_APPLICABLE
    assert risk_of(question, effective_answer(a, question, PROD)) is Risk.HIGH
    assert risk_of(question, effective_answer(a, question, DEV)) is Risk.NONE
    assert risk_of(question, effective_answer(a, question, "444444444444")) is Risk.MEDIUM
    # Without the account's own answer, the deepest OU above it wins.
    assert review.clear_override(a, qid, DEV)
    assert risk_of(question, effective_answer(a, question, DEV)) is Risk.HIGH
    assert not review.clear_override(a, qid, DEV)
    # The organization's own summary is its answers; an account's applies overrides.
    sections = samples.sections()
    assert summarise(a, sections).overall[Risk.MEDIUM] >= 1
    play = account_risks(a, sections, PLAY)
    assert play[Risk.NOT_APPLICABLE] == 1 + summarise(a, sections).overall[Risk.NOT_APPLICABLE]


def test_an_override_needs_an_organization_and_a_known_target() -> None:
    question = samples.sections()[0].questions[0]
    with pytest.raises(UsageError, match="review of one account"):
        review.set_override(Assessment("single"), question, PROD, applicable=False)
    a = organization_review()
    with pytest.raises(UsageError, match="not an account or OU of organization"):
        review.set_override(a, question, "999999999999", applicable=False)
    with pytest.raises(UsageError, match="neither an account id"):
        review.set_override(a, question, "../x", applicable=False)
    assert set(review.override_targets(a)) == {PROD, DEV, PLAY, ROOT, WORK, SANDBOX, TEAM}
    assert review.override_targets(a)[TEAM] == "Root/Workloads/Team"


def test_overrides_are_kept_in_the_file(tmp_path: Path) -> None:
    a = organization_review()
    question = samples.sections()[0].questions[0]
    review.set_override(a, question, SANDBOX, applicable=False, reason=Reason.OUT_OF_SCOPE,
                        notes="sandbox holds no data")  # fmt: skip
    path = tmp_path / "o.toml"
    store.save(a, path)
    text = path.read_text()
    assert f"[overrides.{question.id}.{SANDBOX}]" in text
    again = store.load(path)
    kept = again.overrides[question.id][SANDBOX]
    assert (kept.applicable, kept.reason, kept.notes) == (False, Reason.OUT_OF_SCOPE,
                                                          "sandbox holds no data")  # fmt: skip


def _org_file(tmp_path: Path) -> Path:
    path = tmp_path / "org.toml"
    a = organization_review()
    a.answers["so_inventory"] = Answer(
        "so_inventory", "scope_obligations", selected=("so_inventory_accounts",)
    )
    store.save(a, path)
    return path


def test_answer_sets_and_clears_overrides_without_prompts(tmp_path: Path, run_cli) -> None:
    path = _org_file(tmp_path)
    result = run_cli("answer", path, "--set", "so_inventory=so_inventory_no", "--account", DEV)
    assert result.code == 0, result.err
    result = run_cli("answer", path, "--not-applicable", "so_inventory", "--reason",
                     "out_of_scope", "--ou", SANDBOX, "--notes", "no data there")  # fmt: skip
    assert result.code == 0, result.err
    saved = store.load(path)
    assert saved.overrides["so_inventory"][DEV].selected == ("so_inventory_no",)
    assert saved.overrides["so_inventory"][SANDBOX].applicable is False
    assert saved.answers["so_inventory"].selected == ("so_inventory_accounts",)  # unchanged
    report = json.loads(run_cli("report", path, "--format", "json").out)
    by_target = {o["target"]: o for o in report["overrides"]}
    assert by_target[DEV]["risk"] == "high" and by_target[DEV]["kind"] == "account"
    assert by_target[SANDBOX]["risk"] == "not_applicable" and by_target[SANDBOX]["kind"] == "ou"
    accounts = {x["account_id"]: x for x in report["accounts"]}
    organisation = report["summary"]["questions"]
    assert accounts[DEV]["summary"]["questions"]["high"] == organisation["high"] + 1
    assert accounts[PLAY]["summary"]["questions"]["not_applicable"] == (
        organisation["not_applicable"] + 1
    )
    assert accounts[PROD]["summary"]["questions"] == organisation
    cleared = run_cli("answer", path, "--clear", "so_inventory", "--account", DEV)
    assert cleared.code == 0 and DEV not in store.load(path).overrides["so_inventory"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--set", "so_inventory=nope", "--account", DEV), "has no choice 'nope'"),
        (("--set", "nope=x"), "no question 'nope'"),
        (("--set", "so_inventory"), "write QID=CHOICE"),
        (("--not-applicable", "so_inventory"), "--not-applicable needs --reason"),
        (("--clear", "so_inventory"), "add --account or --ou"),
        (
            ("--set", "so_inventory=so_inventory_no", "--account", "999999999999"),
            "not an account or OU",
        ),
        (("--account", DEV), "go with --set"),
    ],
)
def test_bad_scripted_answers_are_exit_2_and_change_nothing(tmp_path, run_cli, args, message):
    path = _org_file(tmp_path)
    before = path.read_bytes()
    result = run_cli("answer", path, *args)
    assert result.code == 2 and message in result.err, result.err
    assert path.read_bytes() == before


def test_the_organization_answer_is_set_without_prompts_too(tmp_path, run_cli) -> None:
    path = tmp_path / "single.toml"
    result = run_cli(
        "answer", path, "--set", "so_inventory=so_inventory_accounts,so_inventory_tags"
    )
    assert result.code == 0, result.err
    saved = store.load(path)
    assert saved.answers["so_inventory"].selected == ("so_inventory_accounts", "so_inventory_tags")
    assert saved.answers["so_inventory"].risk is Risk.MEDIUM
    refused = run_cli("answer", path, "--set", "so_inventory=so_inventory_no", "--account", DEV)
    assert refused.code == 2 and "review of one account" in refused.err


def test_an_account_answering_otherwise_does_not_contradict_the_organization() -> None:
    # The organization claims root MFA; the sandbox says the question does not apply
    # to it. The sandbox's failing root MFA check says nothing about the claim; the
    # same failure in an account the claim holds for contradicts it.
    from dataclasses import replace

    from srm_tui.model import Finding, Status
    from srm_tui.report.formats import report
    from srm_tui.report.inputs import ReportInput

    sections, question, claim = root_mfa_claim()
    a = organization_review()
    review.set_answer(a, question, selected=(claim.id,))
    review.set_override(a, question, PLAY, applicable=False, reason=Reason.OUT_OF_SCOPE)
    root = Finding("iam.root_mfa", "global", "root", Status.FAIL, "no MFA", account_id=PLAY)
    a.findings = [root]
    answer = a.answers[question.id]
    assert ReportInput(a, sections).contradictions(question, answer) == ()
    assert ReportInput(a, sections).contradicted == []
    text = report(a, sections, "markdown")
    assert "contradicted by the scan" not in _claim_line(text, claim.title)
    # The sandbox account's own "does not apply" is what its failure disproves.
    row = next(x for x in text.splitlines() if f"`{PLAY}`" in x and "does not apply" in x)
    assert "contradicted by the scan**: marked as not applying" in row
    a.findings.append(replace(root, account_id=DEV))
    assert ReportInput(a, sections).contradictions(question, answer) == ("iam.root_mfa",)
    assert [q.id for q, _ in ReportInput(a, sections).contradicted] == [question.id]
    text = report(a, sections, "markdown")
    assert "contradicted by the scan" in _claim_line(text, claim.title)


def _claim_line(markdown_text: str, title: str) -> str:
    """The line of the organization's answer that ticks the choice ``title``."""
    return next(x for x in markdown_text.splitlines() if x.strip().startswith("- \\[x\\] " + title))


def test_an_account_answer_is_checked_against_its_own_accounts_failures() -> None:
    # The sandbox claims root MFA for itself, and its root has none: its own answer is
    # contradicted (in the overview and in JSON); a failure elsewhere says nothing of it.
    from dataclasses import replace

    from srm_tui.model import Finding, Status
    from srm_tui.report.inputs import ReportInput

    sections, question, claim = root_mfa_claim()
    a = organization_review()
    review.set_answer(a, question, selected=(f"{question.id}_no",))
    review.set_override(a, question, SANDBOX, selected=(claim.id,))
    root = Finding("iam.root_mfa", "global", "root", Status.FAIL, "no MFA", account_id=PROD)
    a.findings = [root]
    assert ReportInput(a, sections).override_contradictions(question, SANDBOX) == ()
    a.findings.append(replace(root, account_id=PLAY))  # PLAY is in the sandbox OU
    assert ReportInput(a, sections).override_contradictions(question, SANDBOX) == ("iam.root_mfa",)
    contradicted, row = _sandbox_reported(a, sections)
    assert contradicted == ["iam.root_mfa"]
    assert "contradicted by the scan" in row and "`iam.root_mfa` fails" in row


def _sandbox_reported(a: Assessment, sections) -> tuple[list[str], str]:
    """The sandbox OU's own answer as reported: its JSON ``contradictions`` and its row
    in the overview's table of differing answers."""
    from srm_tui.report.formats import report

    [entry] = [
        o for o in json.loads(report(a, sections, "json"))["overrides"] if o["target"] == SANDBOX
    ]
    text = report(a, sections, "markdown")
    return entry["contradictions"], next(
        x for x in text.splitlines() if f"`{SANDBOX}`" in x and "|" in x
    )


def test_does_not_apply_is_judged_by_the_failures_where_it_holds() -> None:
    # The organization says root MFA does not apply; the sandbox OU claims it for
    # itself. The sandbox's failing root MFA contradicts the sandbox's claim, not the
    # organization's "does not apply"; a failure in prod (where the organization's
    # answer holds) disproves "does not apply". Every export judges each answer alike.
    import json
    from dataclasses import replace

    from srm_tui.model import Finding, Status
    from srm_tui.report.formats import report
    from srm_tui.report.inputs import ReportInput

    sections, question, claim = root_mfa_claim()
    a = organization_review()
    review.set_answer(a, question, applicable=False, reason=Reason.OUT_OF_SCOPE)
    review.set_override(a, question, SANDBOX, selected=(claim.id,))
    root = Finding("iam.root_mfa", "global", "root", Status.FAIL, "no MFA", account_id=PLAY)
    a.findings = [root]
    answer = a.answers[question.id]
    assert ReportInput(a, sections).contradictions(question, answer) == ()
    assert ReportInput(a, sections).override_contradictions(question, SANDBOX) == ("iam.root_mfa",)
    data = json.loads(report(a, sections, "json"))
    assert data["summary"]["contradictions"] == 0
    [own] = [x for x in data["answers"] if x["question"] == question.id]
    assert own["contradictions"] == []
    ocsf = [
        e
        for e in json.loads(report(a, sections, "ocsf"))
        if e["compliance"]["control"] == question.id
    ]
    by_target = {e["unmapped"].get("applies_to", ""): e for e in ocsf}
    assert "contradictions" not in by_target[""]["unmapped"]
    assert by_target[SANDBOX]["unmapped"]["contradictions"] == ["iam.root_mfa"]

    # Prod fails too: the organization's "does not apply" is disproved, and said so.
    a.findings.append(replace(root, account_id=PROD))
    assert ReportInput(a, sections).contradictions(question, answer) == ("iam.root_mfa",)
    data = json.loads(report(a, sections, "json"))
    assert data["summary"]["contradictions"] == 1
    [own] = [x for x in data["answers"] if x["question"] == question.id]
    assert own["applicable"] is False and own["contradictions"] == ["iam.root_mfa"]
    text = report(a, sections, "markdown")
    line = next(x for x in text.splitlines() if x.startswith("- Does not apply: Out of scope"))
    assert "marked as not applying, but this linked check fails: `iam.root_mfa`" in line
    ocsf = [
        e
        for e in json.loads(report(a, sections, "ocsf"))
        if e["compliance"]["control"] == question.id
    ]
    own_event = next(e for e in ocsf if "applies_to" not in e["unmapped"])
    assert own_event["unmapped"]["contradictions"] == ["iam.root_mfa"]
    assert "marked as not applying" in own_event["message"]
    results = json.loads(report(a, sections, "oscal"))["assessment-results"]["results"][0]
    interviews = [
        o
        for o in results["observations"]
        if o["methods"] == ["INTERVIEW"]
        and {"name": "question", "value": question.id, "ns": "urn:srm-tui:oscal"} in o["props"]
    ]
    own_obs = next(o for o in interviews if not any(p["name"] == "applies-to" for p in o["props"]))
    assert {
        "name": "contradicted-by",
        "value": "iam.root_mfa",
        "ns": "urn:srm-tui:oscal",
    } in own_obs["props"]
    assert (
        "marked as not applying, but this linked check fails: iam.root_mfa"
        in own_obs["description"]
    )


def test_an_account_or_ou_marking_a_question_as_not_applying_is_contradicted_by_its_failures() -> (
    None
):
    # The sandbox says root MFA does not apply to it, but its account's root has none.
    import json

    from srm_tui.model import Finding, Status
    from srm_tui.report.formats import report
    from srm_tui.report.inputs import ReportInput

    sections, question, claim = root_mfa_claim()
    a = organization_review()
    review.set_answer(a, question, selected=(claim.id,))
    review.set_override(a, question, SANDBOX, applicable=False, reason=Reason.OUT_OF_SCOPE)
    a.findings = [Finding("iam.root_mfa", "global", "root", Status.FAIL, "no MFA", account_id=PROD)]
    # Prod's failure is the organization's business, not the sandbox's.
    assert ReportInput(a, sections).override_contradictions(question, SANDBOX) == ()
    ocsf = json.loads(report(a, sections, "ocsf"))
    sandbox = next(e for e in ocsf if e["unmapped"].get("applies_to") == SANDBOX)
    assert "contradictions" not in sandbox["unmapped"]
    a.findings = [Finding("iam.root_mfa", "global", "root", Status.FAIL, "no MFA", account_id=PLAY)]
    assert ReportInput(a, sections).override_contradictions(question, SANDBOX) == ("iam.root_mfa",)
    contradicted, row = _sandbox_reported(a, sections)
    assert contradicted == ["iam.root_mfa"]
    assert (
        "does not apply (out of scope) **contradicted by the scan**: marked as not applying, "
        "but this linked check fails: `iam.root_mfa`" in row
    )
    ocsf = json.loads(report(a, sections, "ocsf"))
    sandbox = next(e for e in ocsf if e["unmapped"].get("applies_to") == SANDBOX)
    assert sandbox["unmapped"]["contradictions"] == ["iam.root_mfa"]
    assert "marked as not applying" in sandbox["message"]
