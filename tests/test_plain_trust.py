"""Plain mode asks again what needs someone: answers carried forward and not confirmed,
answers due for re-confirmation; and it says when the scan contradicts an answer."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from test_plain import Canned

from srm_tui import attestation, plain, store
from srm_tui.catalog import questionnaires
from srm_tui.model import Assessment, CheckRecord, Finding, Responsibility, Severity, Status
from srm_tui.review import choose, set_answer


@pytest.fixture
def sections():
    return questionnaires.load().sections


def section_answered(a: Assessment, sections, section_id: str) -> None:
    """Every question of one section answered "None of these"."""
    for section in sections:
        if section.id == section_id:
            for question in section.questions:
                set_answer(a, question, selected=[question.none_choice.id], by="Ann")


def run(path: Path, sections, prompter, **kwargs) -> tuple[int, str]:
    out = io.StringIO()
    code = plain.run(path, sections, prompter, out=out, **kwargs)
    return code, out.getvalue()


def test_a_carried_answer_is_asked_again_and_a_contradiction_is_said(tmp_path, sections):
    catalog = questionnaires.Catalog(tuple(sections))
    root = catalog.question("ig_root")
    a = Assessment("review")
    a.checks["iam.root_mfa"] = CheckRecord(
        "iam.root_mfa", "Root MFA", "iam", Severity.CRITICAL, Responsibility.CUSTOMER
    )
    a.findings = [Finding("iam.root_mfa", "global", "arn:aws:iam::123456789012:root", Status.FAIL)]
    section_answered(a, sections, "identity_governance")
    old = Assessment("q2")
    choose(old, root, ["ig_root_mfa"])
    del a.answers["ig_root"]
    attestation.carry_forward(a, old, "q2.toml (2026-06-30)")
    path = tmp_path / "a.toml"
    store.save(a, path)

    prompter = Canned(["ig_root_mfa"], "")  # keep the tick: confirms it
    code, out = run(path, sections, prompter, section_id="identity_governance")
    assert code == 0, out
    assert len(prompter.asked) == 2  # only ig_root: the rest of the section is confirmed
    assert "Carried forward from q2.toml (2026-06-30): to confirm" in out
    assert "Contradicted by the scan: 'Every root user" in out and "iam.root_mfa fails" in out
    saved = store.load(path).answers["ig_root"]
    assert not saved.to_confirm and saved.carried_from == "q2.toml (2026-06-30)"
    # Confirmed now: the next run has nothing to ask in that section.
    code, out = run(path, sections, Canned(), section_id="identity_governance")
    assert "answered and confirmed" in out


def test_does_not_apply_disproved_by_a_failing_linked_check_is_said(tmp_path, sections):
    a = Assessment("review")
    for cid in ("iam.root_mfa", "iam.root_access_keys"):
        a.checks[cid] = CheckRecord(cid, cid, "iam", Severity.CRITICAL, Responsibility.CUSTOMER)
    root = "arn:aws:iam::123456789012:root"
    a.findings = [
        Finding("iam.root_mfa", "global", root, Status.FAIL),
        Finding("iam.root_access_keys", "global", root, Status.FAIL),
    ]
    section_answered(a, sections, "identity_governance")
    del a.answers["ig_root"]
    path = tmp_path / "a.toml"
    store.save(a, path)

    # Nothing ticked, "does not apply", out of scope, no notes.
    prompter = Canned([], plain.NOT_APPLICABLE, "out_of_scope", "")
    code, out = run(path, sections, prompter, section_id="identity_governance")
    assert code == 0, out
    assert not store.load(path).answers["ig_root"].applicable
    said = (
        "Contradicted by the scan: marked as not applying, but these linked checks fail: "
        "iam.root_access_keys, iam.root_mfa."  # in the order of the choices naming them
    )
    assert said in out


def test_an_answer_due_for_re_confirmation_is_asked_again(tmp_path, sections):
    a = Assessment("review")
    section_answered(a, sections, "incident_response")  # the section asks for yearly review
    plan = a.answers["ir_plan"]
    attestation.attest(plan, "Dana", datetime.now(UTC) - timedelta(days=400))
    path = tmp_path / "a.toml"
    store.save(a, path)
    prompter = Canned(["ir_plan_written"], "")
    code, out = run(path, sections, prompter, section_id="incident_response")
    assert code == 0, out
    assert len(prompter.asked) == 2
    assert "Due for re-confirmation since" in out and "(last given by Dana)" in out
    saved = store.load(path).answers["ir_plan"]
    assert saved.selected == ("ir_plan_written",)
    assert saved.attested is not None and saved.attested > datetime.now(UTC) - timedelta(days=1)
