"""The assessment file: round trip, atomic 0600 saves, refusals that touch nothing."""

import os
import stat
from datetime import date

import pytest

from srm_tui import store
from srm_tui.errors import InputFileError, SrmError
from srm_tui.model import (
    Answer,
    Assessment,
    CheckRecord,
    Evidence,
    Finding,
    Reason,
    Responsibility,
    Risk,
    ScanStatus,
    Severity,
    Status,
)


def sample() -> Assessment:
    a = Assessment(name="Quarterly review")
    a.scope.account_id = "123456789012"
    a.scope.regions = ("us-east-1", "eu-west-1")
    a.scan.status = ScanStatus.COMPLETE
    a.scan.api_calls = 42
    a.scan.calls = {"ec2:DescribeSecurityGroups": 2}
    a.answers["ir_plan"] = Answer(
        "ir_plan",
        "incident_response",
        selected=("ir_plan_written",),
        notes='Line one\nLine "two" with \\ and """ quotes\n',
        evidence=(Evidence.link("https://wiki.example.com/ir"),),
        owner="Alice",
        due=date(2027, 1, 31),
        risk=Risk.HIGH,
    )
    a.answers["at_phishing"] = Answer(
        "at_phishing", "awareness_training", applicable=False, reason=Reason.OUT_OF_SCOPE
    )
    a.checks["ec2.sg_admin_ports_ipv4"] = CheckRecord(
        "ec2.sg_admin_ports_ipv4",
        "Security groups do not open admin ports",
        "ec2",
        Severity.HIGH,
        Responsibility.CUSTOMER,
        {"cis-aws-7.0": ("6.3",)},
        "Close them.",
    )
    a.findings = [
        Finding("ec2.sg_admin_ports_ipv4", "us-east-1", "arn:aws:ec2:sg-1", Status.FAIL, "22 open"),
        Finding("ec2.sg_admin_ports_ipv4", "eu-west-1", "arn:aws:ec2:sg-2", Status.PASS),
        Finding("ec2.sg_admin_ports_ipv4", "eu-west-1", "arn:aws:ec2:sg-3", Status.ERROR,
                "AccessDenied on ec2:DescribeSecurityGroups\x1b[2J\x7f"),
    ]  # fmt: skip
    return a


def test_round_trip_keeps_everything(tmp_path):
    path = tmp_path / "a.toml"
    original = sample()
    store.save(original, path)
    loaded = store.load(path)
    assert loaded.name == original.name
    assert loaded.scope == original.scope
    assert loaded.scan.api_calls == 42 and loaded.scan.calls == original.scan.calls
    assert loaded.answers == original.answers
    assert loaded.checks == original.checks
    key = lambda f: (f.region, f.resource)  # noqa: E731
    assert sorted(loaded.findings, key=key) == sorted(original.findings, key=key)
    # saving again changes nothing but the time stamp
    first = path.read_text()
    store.save(loaded, path)
    again = path.read_text()
    strip = lambda t: [x for x in t.splitlines() if not x.startswith("updated")]  # noqa: E731
    assert strip(first) == strip(again)


def test_file_is_readable_and_diff_friendly(tmp_path):
    path = tmp_path / "a.toml"
    store.save(sample(), path)
    text = path.read_text()
    assert text.startswith(f"schema = {store.SCHEMA}\n")
    assert "[answers.ir_plan]" in text
    # one finding per line
    assert sum(1 for line in text.splitlines() if "arn:aws:ec2:sg-" in line) == 3


def test_saved_with_mode_0600_and_no_temp_left(tmp_path):
    path = tmp_path / "a.toml"
    store.save(sample(), path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert os.listdir(tmp_path) == ["a.toml"]
    path.chmod(0o644)
    store.save(sample(), path)  # replacing keeps it private
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_unknown_entries_and_retired_questions_are_kept(tmp_path):
    path = tmp_path / "a.toml"
    store.save(sample(), path)
    text = path.read_text()
    text = text.replace("[scope]\n", '[scope]\nfuture_key = "kept"\n')
    text = text.replace("[answers.ir_plan]\n", "[answers.ir_plan]\nconfidence = 3\n")
    text += '\n[answers.retired_question]\nsection = "gone"\nselected = ["x"]\nrisk = "high"\n'
    text += "\n[plugins.extra]\nvalue = [1, 2]\n"
    path.write_text(text)
    loaded = store.load(path)
    assert loaded.answers["retired_question"].risk is Risk.HIGH
    store.save(loaded, path)
    again = store.load(path)
    assert again.extra["plugins"] == {"extra": {"value": [1, 2]}}
    assert again.extra["__tables__"]["scope"] == {"future_key": "kept"}
    assert again.answers["ir_plan"].extra == {"confidence": 3}
    assert "retired_question" in again.answers


def test_control_characters_are_escaped_in_the_file(tmp_path):
    path = tmp_path / "a.toml"
    store.save(sample(), path)
    raw = path.read_bytes()
    assert b"\x1b" not in raw and b"\x7f" not in raw
    details = {f.detail for f in store.load(path).findings}
    assert "AccessDenied on ec2:DescribeSecurityGroups\x1b[2J\x7f" in details


def test_secret_shaped_values_never_reach_the_file(tmp_path):
    a = sample()
    secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
    a.findings.append(
        Finding("ec2.sg_admin_ports_ipv4", "us-east-1", "arn:x", Status.FAIL, f"value {secret}")
    )
    a.scan.errors = (f"failed with AKIAIOSFODNN7EXAMPLE and {secret}",)
    path = tmp_path / "a.toml"
    store.save(a, path)
    text = path.read_text()
    assert secret not in text
    assert "AKIAIOSFODNN7EXAMPLE" not in text
    assert "[redacted]" in text


@pytest.mark.parametrize(
    ("content", "line", "message"),
    [
        ('schema = 1\n[assessment]\nname = "x"\nbroken = \n', 4, "not valid TOML"),
        ('title = "my notes"\n', 1, "not an srm-tui assessment"),
        ('schema = "one"\n[assessment]\n', 1, "schema must be a positive integer"),
        (
            'schema = 1\n[assessment]\nname = "x"\n[answers.q1]\nselected = "a"\n',
            5,  # the line of the wrong value itself
            "'selected' must be a list of strings",
        ),
        (
            'schema = 1\n[assessment]\n[findings."c.x"]\nresults = [["r", "arn", "maybe", ""]]\n',
            4,  # the line of the result itself
            "unknown status 'maybe'",
        ),
    ],
)
def test_broken_or_foreign_file_is_refused_and_untouched(run_cli, tmp_path, content, line, message):
    path = tmp_path / "broken.toml"
    path.write_text(content)
    before = path.read_bytes()
    with pytest.raises(InputFileError) as info:
        store.load(path)
    assert info.value.line == line
    assert message in str(info.value)
    for command in (["report"], ["answer"]):
        result = run_cli(*command, path)
        assert result.code == 2
        assert result.err.startswith(f"srm-tui: {path}:{line}: ")
        assert "Traceback" not in result.err
    assert path.read_bytes() == before


def test_binary_file_is_refused(run_cli, tmp_path):
    path = tmp_path / "image.toml"
    path.write_bytes(b"schema = 1\n\xff\xd8\xff\xe0 JFIF")
    result = run_cli("report", path)
    assert result.code == 2
    assert f"{path}:2: not UTF-8 text" in result.err
    assert path.read_bytes() == b"schema = 1\n\xff\xd8\xff\xe0 JFIF"


def test_newer_schema_is_refused(run_cli, tmp_path):
    path = tmp_path / "future.toml"
    path.write_text('schema = 99\n[assessment]\nname = "from the future"\n')
    result = run_cli("report", path)
    assert result.code == 2
    assert "made by a newer srm-tui" in result.err
    assert f"{path}:1:" in result.err
    assert path.read_text().startswith("schema = 99")


def test_missing_file_for_report(run_cli, tmp_path):
    result = run_cli("report", tmp_path / "nope.toml")
    assert result.code == 2
    assert "no such file" in result.err


def test_missing_folder_is_one_sentence_exit_1(tmp_path):
    with pytest.raises(SrmError, match="does not exist") as info:
        store.save(sample(), tmp_path / "nowhere" / "a.toml")
    assert info.value.exit_code == 1


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write to read-only folders")
def test_read_only_folder_is_one_sentence_exit_1(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(SrmError, match="not writable"):
            store.save(sample(), folder / "a.toml")
    finally:
        folder.chmod(0o700)


def test_unwritable_location_reports_clearly(tmp_path, monkeypatch):
    # Even as root, a failing write must end in one sentence and leave the old file.
    path = tmp_path / "a.toml"
    store.save(sample(), path)
    before = path.read_bytes()

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises(SrmError, match="No space left on device"):
        store.save(sample(), path)
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["a.toml"]


def test_twenty_thousand_findings_round_trip(tmp_path):
    a = sample()
    a.findings = [
        Finding("ec2.sg_admin_ports_ipv4", "us-east-1", f"arn:aws:ec2:sg-{i}", Status.FAIL, "x")
        for i in range(20_000)
    ]
    path = tmp_path / "big.toml"
    store.save(a, path)
    loaded = store.load(path)
    assert len(loaded.findings) == 20_000
    assert loaded.findings[-1].status is Status.FAIL


def test_reports_are_written_owner_only(run_cli, tmp_path):
    path = tmp_path / "a.toml"
    store.save(sample(), path)
    out = tmp_path / "report.md"
    result = run_cli("report", path, "-o", out)
    assert result.code == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_a_milestone_is_never_saved_over(tmp_path):
    folder = tmp_path / "a.toml.milestones"
    folder.mkdir()
    with pytest.raises(SrmError, match="milestones never change"):
        store.save(sample(), folder / "q3.toml")
    assert list(folder.iterdir()) == []
