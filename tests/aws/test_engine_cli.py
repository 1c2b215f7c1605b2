"""`srm-tui scan`, `checks` and `policy` on the command line."""

from __future__ import annotations

import io
import json
import os
import signal
import socket
import stat
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from srm_tui import store
from srm_tui.aws.actions import is_read_only
from srm_tui.commands import scan as scan_command
from srm_tui.demo import demo_account
from srm_tui.demo.server import SeedSession
from srm_tui.model import ScanStatus, Status
from srm_tui.report import json_report, markdown
from srm_tui.report.inputs import ReportInput
from srm_tui.scan import Progress

# A fake secret access key (key-shaped, so the guard must catch it) and a marker
# that only lives inside collected documents and must never be echoed.
KEY_SHAPED = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
MARKER = "hunter2-Zq81-planted-value"


@pytest.fixture(scope="module")
def account() -> Iterator[Any]:
    with demo_account() as demo:
        session = SeedSession(demo.endpoint_url)
        ec2 = session.client("ec2", region_name="us-east-1")
        ec2.create_security_group(GroupName=f"leak-{KEY_SHAPED}", Description=f"password {MARKER}")
        iam = session.client("iam")
        policy = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
                                 "Condition": {"StringEquals": {"aws:UserAgent": MARKER}}}]}  # fmt: skip
        iam.put_user_policy(UserName="bob", PolicyName="marker", PolicyDocument=json.dumps(policy))
        yield demo


def scan_args(demo: Any, path: Path, *more: str) -> list[str]:
    return ["scan", str(path), "--endpoint-url", demo.endpoint_url,
            "--region", demo.regions[0], "--region", demo.regions[1], *more]  # fmt: skip


def test_scan_creates_the_file_then_updates_it_keeping_answers(account, run_cli, tmp_path) -> None:
    path = tmp_path / "a.toml"
    result = run_cli(*scan_args(account, path, "--checks", "iam,s3.bucket_versioning"))
    assert result.code == 0, result.err
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    saved = store.load(path)
    assert saved.scope.account_id == "123456789012"
    assert {f.check.split(".")[0] for f in saved.findings} == {"iam", "s3"}
    # The summary: counts by severity, API calls, seconds.
    assert "severity" in result.err and "API calls" in result.err and " s. Saved to" in result.err
    assert "[1/" in result.err  # plain progress lines when not on a terminal

    from srm_tui.model import Answer

    saved.answers["ir_plan"] = Answer("ir_plan", "incident_response", selected=("ir_plan_tested",))
    store.save(saved, path)
    assert run_cli(*scan_args(account, path, "--checks", "ec2.imdsv2")).code == 0
    again = store.load(path)
    assert again.answers["ir_plan"].selected == ("ir_plan_tested",)
    assert {f.check.split(".")[0] for f in again.findings} == {"iam", "s3", "ec2"}


def test_fail_on_gives_exit_3_only_when_met(account, run_cli, tmp_path) -> None:
    path = tmp_path / "f.toml"
    assert run_cli(*scan_args(account, path, "--checks", "s3", "--fail-on", "critical")).code == 3
    assert (
        run_cli(
            *scan_args(account, path, "--checks", "iam.password_reuse", "--fail-on", "info")
        ).code
        == 0
    )


def test_no_secret_reaches_file_report_or_terminal(account, run_cli, tmp_path) -> None:
    path = tmp_path / "s.toml"
    # Every check of the two services the secrets were planted in: the other services'
    # checks never see them.
    result = run_cli(*scan_args(account, path, "--checks", "ec2,iam"))
    assert result.code == 0, result.err
    saved = store.load(path)
    leak_group = [
        f for f in saved.findings if f.check == "ec2.sg_admin_ports_ipv4" and "leak-" in f.detail
    ]
    assert leak_group and "[redacted]" in leak_group[0].detail
    texts = {
        "file": path.read_text(),
        "terminal": result.out + result.err,
        "markdown": markdown.render(ReportInput(saved, [])),
        "json": json_report.render(ReportInput(saved, [])),
    }
    for where, text in texts.items():
        assert KEY_SHAPED not in text, where
        assert MARKER not in text, where


def test_scan_then_report_on_the_demo(run_cli, tmp_path) -> None:
    path = tmp_path / "demo.toml"
    result = run_cli("scan", path, "--demo", "--checks", "ec2,s3,cloudtrail")
    assert result.code == 0, result.err
    assert "emulated AWS account" in result.err
    saved = store.load(path)
    assert saved.scope.demo is True and saved.scope.endpoint_url == ""
    report = run_cli("report", path, "--format", "json")
    assert report.code == 0, report.err
    data = json.loads(report.out)
    assert {"pass", "fail"} <= {f["status"] for f in data["findings"]}
    assert data["scan"]["api_calls"] > 0
    markdown_report = run_cli("report", path)
    assert markdown_report.code == 0 and "demo-public-website" in markdown_report.out


def test_ctrl_c_saves_partial_results_marked_cancelled(
    account, run_cli, tmp_path, monkeypatch, ctrl_c_delivered
) -> None:
    path = tmp_path / "c.toml"
    original = scan_command.Display.update

    def interrupt_once(self: Any, event: Progress) -> None:
        original(self, event)
        if event.kind == "task_done" and event.done == 2:
            os.kill(os.getpid(), signal.SIGINT)

    monkeypatch.setattr(scan_command.Display, "update", interrupt_once)
    result = run_cli(*scan_args(account, path, "--jobs", "1"))
    assert result.code == 130
    saved = store.load(path)
    assert saved.scan.status is ScanStatus.CANCELLED
    assert saved.findings
    assert "Cancelled" in result.err


def test_a_broken_file_is_exit_2_and_left_untouched(account, run_cli, tmp_path) -> None:
    path = tmp_path / "broken.toml"
    path.write_text("schema = 1\n[assessment\n")
    result = run_cli(*scan_args(account, path))
    assert result.code == 2 and "broken.toml:2" in result.err
    assert path.read_text() == "schema = 1\n[assessment\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--checks", "nope"], "no check matches nope"),
        (["--region", "moon-1"], "not an AWS region"),
        (["--region", "us-east-1,eu-west-1"], "(e.g. eu-west-1); repeat --region for several."),
        (["--region", "us-east-1", "--all-regions"], "not both"),
        (["--jobs", "0"], "--jobs"),
        (["--demo", "--endpoint-url", "http://x"], "--demo"),
    ],
)
def test_bad_usage_is_exit_2(run_cli, tmp_path, args: list[str], message: str) -> None:
    path = tmp_path / "u.toml"
    result = run_cli("scan", path, *args)
    assert result.code == 2 and message in result.err
    assert "Traceback" not in result.err and not path.exists()


def test_a_dead_endpoint_exits_1_quickly(run_cli, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "x")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "y")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    path = tmp_path / "d.toml"
    started = time.monotonic()
    result = run_cli(
        "scan", path, "--endpoint-url", f"http://127.0.0.1:{port}", "--region", "us-east-1"
    )
    assert time.monotonic() - started < 10
    assert result.code == 1
    assert result.err.count("\n") == 1 and "Cannot reach" in result.err
    assert not path.exists()


def test_live_progress_is_one_updating_line() -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    stream = Terminal()
    display = scan_command.Display(stream)
    display.update(Progress("identity", message="account 1"))
    for n in range(1, 4):
        display.update(Progress("task_done", "ec2", "us-east-1", n, 3, passed=n))
        time.sleep(0.11)
    display.close()
    text = stream.getvalue()
    assert text.startswith("account 1\n")
    assert "\r" in text and text.count("\n") == 1
    assert "scanning 3/3" in text


def test_checks_json_has_the_contract_fields(run_cli) -> None:
    result = run_cli("checks", "--format", "json")
    assert result.code == 0
    rows = json.loads(result.out)
    assert len(rows) >= 35
    fields = {"id", "title", "service", "severity", "responsibility", "scope", "frameworks",
              "remediation", "api_calls", "parameters"}  # fmt: skip
    # The contract's fields, and only fields added since (parameters: the control's own).
    assert all(set(row) == fields for row in rows)
    assert all(isinstance(row["parameters"], dict) for row in rows)
    by_id = {row["id"]: row for row in rows}
    assert by_id["ec2.sg_admin_ports_ipv4"]["frameworks"]["cis-aws-7.0"] == ["6.3"]
    assert by_id["ec2.sg_admin_ports_ipv4"]["api_calls"] == ["ec2:DescribeSecurityGroups"]
    assert run_cli("checks").code == 0


def test_policy_is_read_only_json_covering_every_check(run_cli) -> None:
    result = run_cli("policy")
    assert result.code == 0
    document = json.loads(result.out)
    actions = document["Statement"][0]["Action"]
    assert document["Statement"][0]["Effect"] == "Allow"
    assert all(is_read_only(a) for a in actions)
    checks = json.loads(run_cli("checks", "--format", "json").out)
    assert {a for c in checks for a in c["api_calls"]} <= set(actions)
    assert "sts:GetCallerIdentity" in actions


def test_error_findings_are_counted_apart(account, run_cli, tmp_path) -> None:
    path = tmp_path / "e.toml"
    result = run_cli(*scan_args(account, path, "--checks", "iam.root_recent_use"))
    assert result.code == 0
    saved = store.load(path)
    assert [f.status for f in saved.findings] == [Status.ERROR]
    assert "partial" in result.err
    # A first scan of one check: counts read as counts, and no earlier scan is claimed.
    assert " 1 check, " in result.err and " 1 checks" not in result.err
    assert "any other findings are from earlier scans" in result.err


def test_demo_without_the_emulator_installed_says_which_extra(
    run_cli, tmp_path, monkeypatch
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "moto.server", None)  # as if moto were not installed
    path = tmp_path / "m.toml"
    result = run_cli("scan", path, "--demo")
    assert result.code == 1
    assert "srm-tui[demo]" in result.err and "Traceback" not in result.err
    assert not path.exists()


def test_the_demo_leaves_the_environment_as_it_found_it(monkeypatch) -> None:
    monkeypatch.setenv("AWS_PROFILE", "work")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAREALUSERKEY00000")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY", raising=False)
    before = dict(os.environ)
    with demo_account(seed=False) as demo:
        assert "AWS_PROFILE" not in os.environ
        assert os.environ["AWS_ACCESS_KEY_ID"] == "demo"
        assert demo.endpoint_url.startswith("http://127.0.0.1:")
    assert dict(os.environ) == before


def test_the_scope_parameters_decide_the_scan(account, run_cli, tmp_path) -> None:
    # 8 characters and symbols, no other character class (set here: a demo started by
    # another test of this module resets the emulator's accounts).
    iam = SeedSession(account.endpoint_url).client("iam")
    iam.update_account_password_policy(
        MinimumPasswordLength=8, PasswordReusePrevention=24, RequireSymbols=True
    )
    path = tmp_path / "p.toml"
    args = scan_args(account, path, "--checks", "iam.password_policy_strong")

    def verdict() -> tuple[Status, str]:
        assert run_cli(*args).code == 0
        (found,) = store.load(path).findings
        return found.status, found.detail

    status, detail = verdict()
    assert status is Status.FAIL and "does not require an uppercase letter" in detail
    text = path.read_text("utf-8") + (
        '\n[scope.parameters."iam.password_policy_strong"]\n'
        "require_uppercase = false\nrequire_lowercase = false\nrequire_numbers = false\n"
    )
    path.write_text(text, "utf-8")
    assert verdict()[0] is Status.PASS
    saved = store.load(path)
    saved.scope.parameters["iam.password_policy_strong"]["minimum_password_length"] = 12
    store.save(saved, path)
    status, detail = verdict()
    assert status is Status.FAIL and detail == "minimum length 8 < 12"
