"""The trust commands on the command line: accept, accepted, evidence, plan, scope and
answer without prompts. Every refusal is exit 2 with one sentence and leaves the file
exactly as it was."""

from __future__ import annotations

import json
import os
import shutil
from datetime import timedelta
from pathlib import Path

import pytest

from srm_tui import store
from srm_tui.model import today

DEMO = Path(__file__).parent / "fixtures" / "schema1" / "demo-review.toml"


@pytest.fixture
def review(tmp_path: Path) -> Path:
    """An answered, scanned review (written by 0.1.0), copied so it can be changed."""
    path = tmp_path / "review.toml"
    shutil.copy(DEMO, path)
    return path


def days(n: int) -> str:
    return (today() + timedelta(days=n)).isoformat()


def refused(run_cli, path: Path, *args: str, message: str) -> None:
    before = path.read_bytes()
    result = run_cli(*args)
    assert result.code == 2, result
    assert message in result.err, result.err
    assert "Traceback" not in result.err
    assert path.read_bytes() == before


# --- accept and accepted ----------------------------------------------------------------------


def test_accept_then_list_then_revoke(run_cli, review):
    result = run_cli(
        "accept", review, "iam.root_mfa", "--reason", "break-glass only", "--owner", "CISO",
        "--expires", days(30), "--approved-by", "Board",
    )  # fmt: skip
    assert result.code == 0, result.err
    assert "Accepted A1: iam.root_mfa on * until" in result.out
    assert "covers 1 failing finding now" in result.out
    saved = store.load(review)
    assert [(a.id, a.owner, a.approved_by) for a in saved.acceptances] == [("A1", "CISO", "Board")]
    listed = run_cli("accepted", review)
    assert listed.code == 0 and "A1" in listed.out and "in force" in listed.out
    assert ": 1 failing finding; owner CISO" in listed.out
    data = json.loads(run_cli("accepted", review, "--format", "json").out)
    assert data[0]["findings"] == 1 and data[0]["expired"] is False
    refused(run_cli, review, "accepted", review, "--revoke", "A9", message="no accepted risk 'A9'")
    assert run_cli("accepted", review, "--revoke", "A1").code == 0
    assert store.load(review).acceptances == []
    assert "has no accepted risks" in run_cli("accepted", review).err


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--expires", "2000-01-01"], "is in the past"),
        (["--expires", "NEXT-YEAR"], "is not a date"),
        (["--account", "abc"], "not an AWS account id"),
        (["--reason", " "], "needs a reason"),
    ],
)
def test_accept_refusals_are_exit_2(run_cli, review, extra, message):
    args = {"--reason": "r", "--owner": "o", "--expires": days(10)}
    for flag, value in zip(extra[::2], extra[1::2], strict=True):
        args[flag] = value
    flat = [x for pair in args.items() for x in pair]
    refused(run_cli, review, "accept", review, "iam.root_mfa", *flat, message=message)


def test_accept_beyond_the_maximum_and_a_raised_maximum(run_cli, review):
    args = ["accept", review, "iam.root_mfa", "--reason", "r", "--owner", "o"]
    refused(run_cli, review, *args, "--expires", days(400), message="beyond the longest")
    assert run_cli("scope", review, "--max-acceptance-days", "500").code == 0
    assert run_cli(*args, "--expires", days(400)).code == 0
    refused(
        run_cli, review, "scope", review, "--max-acceptance-days", "0", message="from 1 to 3650"
    )


def test_accept_needs_reason_owner_and_expiry_and_an_existing_file(run_cli, review, tmp_path):
    result = run_cli("accept", review, "iam.root_mfa", "--owner", "o", "--expires", days(1))
    assert result.code == 2 and "--reason" in result.err
    missing = tmp_path / "none.toml"
    result = run_cli("accept", missing, "iam.root_mfa", "--reason", "r", "--owner", "o",
                     "--expires", days(1))  # fmt: skip
    assert result.code == 2 and f"{missing}: no such file" in result.err
    assert not missing.exists()
    refused(
        run_cli, review, "accept", review, "no.check", "--reason", "r", "--owner", "o",
        "--expires", days(1), message="no check 'no.check'",
    )  # fmt: skip


# --- evidence -------------------------------------------------------------------------------


def test_evidence_attaches_a_file_by_hash_and_a_link(run_cli, review):
    doc = review.parent / "ir-plan.pdf"
    doc.write_bytes(b"%PDF plan")
    result = run_cli("evidence", review, "ir_plan", doc, "--note", "signed", "--by", "Jane")
    assert result.code == 0, result.err
    assert "Attached ir-plan.pdf to ir_plan: 9 bytes, SHA-256" in result.out
    assert run_cli("evidence", review, "ir_plan", "https://wiki.example.com/ir").code == 0
    entries = store.load(review).answers["ir_plan"].evidence
    assert [(e.kind, e.ref, e.by, e.note) for e in entries[-2:]] == [
        ("file", "ir-plan.pdf", "Jane", "signed"),
        ("link", "https://wiki.example.com/ir", "Jane Roe (consultant)", ""),
    ]
    doc.write_bytes(b"%PDF edit")
    report = json.loads(run_cli("report", review, "--format", "json").out)
    answer = next(a for a in report["answers"] if a["question"] == "ir_plan")
    assert [e["changed"] for e in answer["evidence"][-2:]] == [True, None]
    assert run_cli("evidence", review, "ir_plan", "ir-plan.pdf", "--remove").code == 0
    assert "ir-plan.pdf" not in store.load(review).answers["ir_plan"].links


def test_evidence_is_detached_with_the_words_that_attached_it(run_cli, review, monkeypatch):
    # Attached from its own folder, the file is kept as docs/plan.pdf (relative to the
    # review); '--remove plan.pdf' typed in that same folder said "has no evidence".
    docs = review.parent / "docs"
    docs.mkdir()
    (docs / "plan.pdf").write_bytes(b"%PDF plan")
    monkeypatch.chdir(docs)
    assert run_cli("evidence", review, "ir_plan", "plan.pdf").code == 0
    assert "docs/plan.pdf" in [e.ref for e in store.load(review).answers["ir_plan"].evidence]
    result = run_cli("evidence", review, "ir_plan", "plan.pdf", "--remove")
    assert result.code == 0, result.err
    assert "docs/plan.pdf" not in [e.ref for e in store.load(review).answers["ir_plan"].evidence]


def test_evidence_refusals_are_exit_2(run_cli, review):
    missing = review.parent / "nope.pdf"
    refused(run_cli, review, "evidence", review, "ir_plan", missing, message="no such file")
    refused(run_cli, review, "evidence", review, "no_question", "https://x.example",
            message="no question 'no_question'")  # fmt: skip
    fifo = review.parent / "pipe"
    os.mkfifo(fifo)
    refused(run_cli, review, "evidence", review, "ir_plan", fifo, message="a pipe")
    refused(run_cli, review, "evidence", review, "ir_plan", review.parent, message="is a folder")
    refused(run_cli, review, "evidence", review, "ir_plan", "https://x.example", "--remove",
            message="has no evidence")  # fmt: skip
    # A credential in a link would be kept in the assessment and shown in every report.
    result = run_cli("evidence", review, "ir_plan", "https://ann:s3cret-token@wiki.example.com/ir")
    assert result.code == 2 and "user name or password" in result.err
    assert "s3cret-token" not in result.err and b"s3cret-token" not in review.read_bytes()
    # A home folder of no user here: a path like any other, not a crash.
    refused(run_cli, review, "evidence", review, "ir_plan", "~no-such-user-here/plan.pdf",
            message="no such file")  # fmt: skip


# --- answer without prompts -------------------------------------------------------------------


def test_answer_set_and_not_applicable_without_a_terminal(run_cli, tmp_path):
    path = tmp_path / "new.toml"
    result = run_cli(
        "answer", path, "--set", "ig_root=ig_root_no_keys,ig_root_mfa",
        "--set", "ir_plan=ir_plan_no", "--not-applicable", "ct_eks", "--reason", "out_of_scope",
        "--by", "Sam",
    )  # fmt: skip
    assert result.code == 0, result.err
    saved = store.load(path)
    assert saved.answers["ig_root"].selected == ("ig_root_no_keys", "ig_root_mfa")
    assert saved.answers["ig_root"].attested_by == "Sam"
    assert saved.answers["ir_plan"].selected == ("ir_plan_no",)
    eks = saved.answers["ct_eks"]
    assert (eks.applicable, eks.reason.value) == (False, "out_of_scope")
    assert result.out.startswith("Answered 3 questions.")
    # One of a thing is not "1 questions".
    one = run_cli("answer", path, "--set", "ir_plan=ir_plan_written")
    assert one.out == f"Answered 1 question. Saved {path}.\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--set", "ig_root=nope"], "ig_root has no choice 'nope'"),
        (["--set", "ig_root"], "write QID=CHOICE"),
        (["--set", "nope=x"], "no question 'nope'"),
        (["--set", "ig_root=ig_root_no,ig_root_mfa"], "excludes the other choices"),
        (["--not-applicable", "ct_eks"], "--not-applicable needs --reason"),
        (["--set", "ig_root=ig_root_mfa", "--reason", "other"], "--reason goes with"),
        (["--confirm", "so_nothing"], "has no answer to confirm"),
    ],
)
def test_answer_refusals_are_exit_2_and_change_nothing(run_cli, review, args, message):
    refused(run_cli, review, "answer", review, *args, message=message)


def test_answer_from_carries_forward_to_confirm(run_cli, review, tmp_path):
    new = tmp_path / "next.toml"
    result = run_cli("answer", new, "--from", review)
    assert result.code == 0, result.err
    assert "Carried 59 answers forward from review.toml" in result.out
    carried = store.load(new)
    old = store.load(review)
    assert {q: a.selected for q, a in carried.answers.items()} == {
        q: a.selected for q, a in old.answers.items()
    }
    assert all(
        a.to_confirm and a.carried_from.startswith("review.toml (")
        for a in carried.answers.values()
    )
    report = json.loads(run_cli("report", new, "--format", "json").out)
    assert report["summary"]["to_confirm"] == 59
    assert run_cli("answer", new, "--confirm", "ig_root", "--by", "Dana").code == 0
    assert store.load(new).answers["ig_root"].attested_by == "Dana"
    assert run_cli("answer", new, "--confirm", "all").code == 0
    assert not any(a.to_confirm for a in store.load(new).answers.values())
    # Carrying again never overwrites an answer the new review has.
    assert "Carried 0 answers" in run_cli("answer", new, "--from", review).out


def test_answer_from_another_folder_keeps_evidence_files_found(run_cli, review, tmp_path):
    # The old review keeps its evidence relative to its folder; carried into a review
    # elsewhere, the entries must still name those files, not a same-named one (or none)
    # beside the new review.
    (review.parent / "docs").mkdir()
    doc = review.parent / "docs" / "ir-plan.pdf"
    doc.write_bytes(b"%PDF plan")
    assert run_cli("evidence", review, "ir_plan", doc).code == 0
    new = tmp_path / "2027" / "next.toml"
    new.parent.mkdir()
    (new.parent / "docs").mkdir()
    (new.parent / "docs" / "ir-plan.pdf").write_bytes(b"%PDF other")  # not the evidence
    assert run_cli("answer", new, "--from", review).code == 0
    entry = store.load(new).answers["ir_plan"].evidence[-1]
    assert Path(entry.ref).resolve() == doc.resolve()
    report = json.loads(run_cli("report", new, "--format", "json").out)
    answer = next(a for a in report["answers"] if a["question"] == "ir_plan")
    assert answer["evidence"][-1]["changed"] is False
    # Inside the new review's folder, it stays relative to it.
    inner = new.parent / "carried.toml"
    evidence = new.parent / "docs" / "own.pdf"
    evidence.write_bytes(b"own")
    assert run_cli("evidence", new, "ir_plan", evidence).code == 0
    assert run_cli("answer", inner, "--from", new).code == 0
    refs = [e.ref for e in store.load(inner).answers["ir_plan"].evidence]
    assert "docs/own.pdf" in refs


# --- plan and scope -------------------------------------------------------------------------------


def test_plan_assigns_owners_and_lists_by_owner(run_cli, review):
    result = run_cli("plan", review, "rds.public_access", "--owner", "DBA", "--due", days(-3))
    assert result.code == 0, result.err
    listed = run_cli("plan", review)
    assert listed.code == 0
    dba = listed.out.split("DBA\n")[1].splitlines()[0]
    assert "rds.public_access" in dba and "OVERDUE" in dba
    assert run_cli("plan", review, "rds.public_access", "--due", "none").code == 0
    assignment = store.load(review).assignments[0]
    assert (assignment.owner, assignment.due) == ("DBA", None)
    refused(run_cli, review, "plan", review, "rds.public_access", "--due", "soon",
            message="is not a date")  # fmt: skip
    refused(run_cli, review, "plan", review, "rds.public_access", message="say --owner, --due")
    refused(run_cli, review, "plan", review, "--owner", "x", message="need the CHECK")
    # The option may come before CHECK; an owner alone was said "due no due date".
    result = run_cli("plan", review, "--owner", "Net team", "ec2.sg_admin_ports_ipv4")
    assert result.code == 0, result.err
    assert result.out == "ec2.sg_admin_ports_ipv4: owner Net team, no due date.\n"
    # An owner for what fails nowhere was kept without a word, and the plan never shows it.
    result = run_cli("plan", review, "rds.public_access", "--resource", "*nomatch*", "--owner", "x")
    assert result.code == 0 and "Nothing fails there now" in result.out
    assert "nomatch" not in run_cli("plan", review).out


def test_scope_sets_and_shows_the_workload_properties(run_cli, review):
    result = run_cli("scope", review, "--environment", "production", "--review-owner", "Bob",
                     "--sign-off", "Carol", "--sign-off-date", "2026-09-30")  # fmt: skip
    assert result.code == 0, result.err
    shown = run_cli("scope", review).out
    assert "production" in shown and "Bob" in shown and "Carol on 2026-09-30" in shown
    text = run_cli("report", review).out
    cover = text[text.index("## Executive summary") :].split("### ")[0]
    assert (
        "| Environment | production |" in cover and "| Signed off | Carol on 2026-09-30 |" in cover
    )
    refused(run_cli, review, "scope", review, "--sign-off-date", "2026-09-30",
            message="--sign-off-date goes with --sign-off")  # fmt: skip


def test_new_commands_are_listed_in_the_help(run_cli):
    out = run_cli("--help").out
    for name in ("accept", "accepted", "evidence", "plan", "scope"):
        assert f"    {name} " in out or f"    {name}\n" in out
