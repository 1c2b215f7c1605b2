"""Evidence: files recorded by path, size and SHA-256 (never copied), links kept as links,
and every report flagging a file that changed or vanished since it was attached."""

from __future__ import annotations

import hashlib
import json
import os
import threading
from datetime import UTC, datetime

import pytest
from report_samples import ACCOUNT, assessment, sections

from srm_tui import evidence, store
from srm_tui.errors import InputFileError, UsageError
from srm_tui.evidence import State
from srm_tui.model import Answer, Evidence
from srm_tui.report import formats, json_report, markdown
from srm_tui.report.inputs import ReportInput, prepare

WHEN = datetime(2026, 9, 2, 10, 0, tzinfo=UTC)


def test_a_file_is_recorded_by_path_size_and_hash_relative_to_the_assessment(tmp_path):
    folder = tmp_path / "review"
    (folder / "docs").mkdir(parents=True)
    pdf = folder / "docs" / "ir-plan.pdf"
    pdf.write_bytes(b"%PDF-1.7 plan")
    entry = evidence.attach_file(pdf, base=folder, by="Jane", note="signed", when=WHEN)
    assert entry == Evidence(
        kind="file",
        ref="docs/ir-plan.pdf",
        size=13,
        sha256=hashlib.sha256(b"%PDF-1.7 plan").hexdigest(),
        added=WHEN,
        by="Jane",
        note="signed",
    )
    # Outside the assessment's folder: kept absolute.
    other = tmp_path / "elsewhere.txt"
    other.write_text("x")
    assert evidence.attach_file(other, base=folder).ref == str(other.resolve())


def test_the_file_itself_never_enters_the_assessment(tmp_path):
    secret = b"content-that-must-stay-in-the-file-" * 10
    (tmp_path / "e.bin").write_bytes(secret)
    a = assessment()
    evidence.add(a.answers["s_ir_plan"], evidence.attach_file(tmp_path / "e.bin", base=tmp_path))
    store.save(a, tmp_path / "a.toml")
    text = (tmp_path / "a.toml").read_text()
    assert b"content-that-must" not in text.encode() and "e.bin" in text
    again = store.load(tmp_path / "a.toml")
    assert again.answers["s_ir_plan"].evidence == a.answers["s_ir_plan"].evidence


@pytest.mark.parametrize(
    ("edit", "state"),
    [
        (lambda p: None, State.UNCHANGED),
        (lambda p: p.write_bytes(b"version B"), State.CHANGED),  # same size, other content
        (lambda p: p.write_bytes(b"version A, longer"), State.CHANGED),
        (lambda p: p.unlink(), State.VANISHED),
        (lambda p: (p.unlink(), p.mkdir()), State.CHANGED),  # no longer a file at all
    ],
)
def test_check_tells_unchanged_changed_and_vanished(tmp_path, edit, state):
    path = tmp_path / "plan.txt"
    path.write_bytes(b"version A")
    entry = evidence.attach_file(path, base=tmp_path)
    edit(path)
    assert evidence.check(entry, tmp_path) is state


def test_a_pipe_in_place_of_the_file_does_not_hang_a_report(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_bytes(b"version A")
    entry = evidence.attach_file(path, base=tmp_path)
    path.unlink()
    os.mkfifo(path)
    result: list[State] = []
    worker = threading.Thread(target=lambda: result.append(evidence.check(entry, tmp_path)))
    worker.start()
    worker.join(5)
    assert not worker.is_alive() and result == [State.CHANGED]
    with pytest.raises(InputFileError, match="pipe"):
        evidence.attach_file(path, base=tmp_path)


def test_links_and_what_cannot_be_checked():
    assert evidence.is_link("https://wiki.example.com/ir") and evidence.is_link("mailto:a@b.c")
    assert not evidence.is_link("docs/ir-plan.pdf") and not evidence.is_link("C:\\plan.pdf")
    link = evidence.link("https://wiki.example.com/ir", by="Sam", when=WHEN)
    assert (link.kind, link.ref, link.by) == ("link", "https://wiki.example.com/ir", "Sam")
    assert evidence.check(link, None) is State.UNCHECKED and State.UNCHECKED.changed is None
    with pytest.raises(UsageError):
        evidence.link("not a link")
    for secret in ("https://ann:tok@wiki.example.com/ir", "https://tok@wiki.example.com"):
        with pytest.raises(UsageError, match="user name or password"):
            evidence.link(secret)
    signed = (
        "https://b.s3.amazonaws.com/plan.pdf?X-Amz-Algorithm=AWS4-HMAC-SHA256"
        "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20261202%2Fus-east-1%2Fs3%2Faws4_request"
        "&X-Amz-Signature=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
    )
    with pytest.raises(UsageError, match="access key or session token") as refused:
        evidence.link(signed)
    assert "AKIA" not in str(refused.value)
    # An @ past the host is no credential.
    assert evidence.link("https://wiki.example.com/u/@ann?x=a@b#c@d").ref.endswith("c@d")
    relative = Evidence("file", "docs/x.pdf", size=1, sha256="ab")
    assert evidence.check(relative, None) is State.UNCHECKED  # no folder to look in


def test_replace_all_keeps_files_and_adds_links_for_new_refs(tmp_path):
    (tmp_path / "f.txt").write_text("x")
    answer = Answer("q", "s")
    evidence.add(answer, evidence.attach_file(tmp_path / "f.txt", base=tmp_path))
    evidence.add(answer, evidence.link("https://a.example/1"))
    kept = answer.evidence[0]
    evidence.replace_all(answer, ["f.txt", "https://b.example/2", "f.txt"], by="Ann")
    assert answer.evidence[0] is kept
    assert [(e.kind, e.ref, e.by) for e in answer.evidence[1:]] == [
        ("link", "https://b.example/2", "Ann")
    ]
    # Attaching the same file again records it as it is now, in place of the old entry.
    (tmp_path / "f.txt").write_text("changed")
    evidence.add(answer, evidence.attach_file(tmp_path / "f.txt", base=tmp_path))
    assert [e.ref for e in answer.evidence] == ["https://b.example/2", "f.txt"]
    assert answer.evidence[1].size == len("changed")


def _report_with_files(tmp_path):
    (tmp_path / "kept.txt").write_text("kept")
    (tmp_path / "edited.txt").write_text("before")
    (tmp_path / "gone.txt").write_text("gone")
    a = assessment()
    answer = a.answers["s_ir_plan"]
    for name in ("kept.txt", "edited.txt", "gone.txt"):
        evidence.add(answer, evidence.attach_file(tmp_path / name, base=tmp_path, by="Jane"))
    path = tmp_path / "a.toml"
    store.save(a, path)
    (tmp_path / "edited.txt").write_text("after!")
    (tmp_path / "gone.txt").unlink()
    return store.load(path), path


def test_every_format_flags_evidence_that_changed_or_vanished(tmp_path):
    a, path = _report_with_files(tmp_path)
    data = json.loads(formats.report(a, sections(), "json", path=path))
    entries = {e["ref"]: e for e in data["answers"][0]["evidence"]}
    assert entries["https://wiki.example.com/ir-plan"]["changed"] is None
    assert (entries["kept.txt"]["changed"], entries["kept.txt"]["state"]) == (False, "unchanged")
    assert (entries["edited.txt"]["changed"], entries["edited.txt"]["state"]) == (True, "changed")
    assert (entries["gone.txt"]["changed"], entries["gone.txt"]["state"]) == (True, "vanished")
    assert entries["kept.txt"]["sha256"] == hashlib.sha256(b"kept").hexdigest()
    assert entries["kept.txt"]["size"] == 4 and entries["kept.txt"]["by"] == "Jane"
    text = formats.report(a, sections(), "markdown", path=path)
    table = text.split("### Evidence that changed")[1].split("\n###")[0]
    assert "edited.txt" in table and "gone.txt" in table and "kept.txt" not in table
    assert "`edited.txt`" in text and "**changed since attached**" in text
    assert "**missing: the file is gone**" in text
    html = formats.report(a, sections(), "html", path=path)
    assert "changed since attached" in html and "missing: the file is gone" in html


def test_redacted_reports_still_check_the_real_file(tmp_path):
    folder = tmp_path / f"acct-{ACCOUNT}"
    folder.mkdir()
    (folder / "plan.txt").write_text("plan")
    a = assessment()
    evidence.add(a.answers["s_ir_plan"], evidence.attach_file(folder / "plan.txt"))
    report = prepare(a, sections(), path=tmp_path / "a.toml", redact=True)
    data = json.loads(json_report.render(report))
    entry = data["answers"][0]["evidence"][-1]
    assert ACCOUNT not in entry["ref"] and entry["state"] == "unchanged"


def test_the_report_date_does_not_change_what_a_file_check_says(tmp_path):
    a, path = _report_with_files(tmp_path)
    report = ReportInput(a, sections(), source=path)
    assert report.evidence_state("s_ir_plan", 1) is State.UNCHANGED
    assert report.evidence_state("s_ir_plan", 99) is State.UNCHECKED
    assert "Evidence that changed" not in markdown.render(ReportInput(assessment(), sections()))


def test_evidence_in_a_file_is_checked_when_read():
    a = assessment()
    a.answers["s_ir_plan"].evidence = (Evidence("file", "x.pdf", size=3, sha256="ab"),)
    text = store.dumps(a)
    with pytest.raises(InputFileError, match="size cannot be negative"):
        store.loads(text.replace("size = 3", "size = -3"))
    with pytest.raises(InputFileError, match="must be an integer"):
        store.loads(text.replace("size = 3", 'size = "3"'))
    kept = store.loads(text.replace('sha256 = "ab"', 'sha256 = "ab", pages = 4'))
    assert kept.answers["s_ir_plan"].evidence[0].extra == {"pages": 4}
    assert "pages = 4" in store.dumps(kept)


@pytest.mark.parametrize(
    "ref",
    ["/tmp/" + "n" * 5000, "docs/x\x00y.pdf", "~no-such-user-here/plan.pdf", "/dev/null/x"],
    ids=["too-long", "nul", "unknown-user", "below-a-device"],
)
def test_a_hand_written_path_no_file_can_have_is_missing_and_never_breaks_a_report(tmp_path, ref):
    # A name too long for the system, with a NUL byte, under an unknown user's home or
    # below a device: the file is not there. Every report still comes out.
    entry = Evidence("file", ref, size=4, sha256="ab" * 32)
    assert evidence.check(entry, tmp_path) is State.VANISHED
    a = assessment()
    evidence.add(a.answers["s_ir_plan"], entry)
    path = tmp_path / "a.toml"
    store.save(a, path)
    a = store.load(path)
    data = json.loads(formats.report(a, sections(), "json", path=path))
    states = [e["state"] for e in data["answers"][0]["evidence"] if e["kind"] == "file"]
    assert states == ["vanished"]
    assert "**missing: the file is gone**" in formats.report(a, sections(), "markdown", path=path)


def test_a_file_that_cannot_be_read_now_is_not_called_changed(tmp_path, monkeypatch):
    # Permissions that keep this user from reading the file say nothing of its content:
    # the report says it could not be checked, and JSON's changed is unknown.
    path = tmp_path / "plan.txt"
    path.write_bytes(b"version A")
    entry = evidence.attach_file(path, base=tmp_path)

    def denied(where, limit=0):
        raise InputFileError(where, "cannot read: Permission denied")

    monkeypatch.setattr(evidence.files, "digest", denied)
    state = evidence.check(entry, tmp_path)
    assert state is State.UNREADABLE and state.changed is None and state.alarming
    assert "not checked" in state.label and "changed" not in state.label


def test_replace_all_refuses_a_new_link_with_credentials_and_changes_nothing():
    from srm_tui.review import set_answer

    a = assessment()
    question = sections()[0].questions[0]
    before = set_answer(a, question, selected=[question.practices[0].id], evidence=["w/ok"])
    kept = (before.selected, before.evidence)
    for bad in (
        "https://bob:hunter2@wiki.example.com/ir",
        "https://b.example/x?X-Amz-Credential=AKIAIOSFODNN7EXAMPLE",
    ):
        with pytest.raises(UsageError) as refused:
            set_answer(a, question, selected=[], evidence=["w/ok", bad])
        assert "hunter2" not in str(refused.value) and "AKIA" not in str(refused.value)
        assert (a.answers[question.id].selected, a.answers[question.id].evidence) == kept
