"""Faults during a scan, injected by a proxy in front of the emulated account.

Each scan runs through ``srm-tui scan`` (which saves) and must end within a bound,
with every check whose data was hit an ``error`` naming why, and no pass or fail
that the clean scan does not have.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from botocore.config import Config
from botocore.retries.standard import ExponentialBackoff

from srm_tui import checklist, store
from srm_tui.aws import session as session_module
from srm_tui.model import Assessment, Finding, ScanStatus, Severity, Status
from tests.faults.conftest import Account, scan_args
from tests.faults.proxy import (
    DENY,
    DRIP,
    EMPTY,
    EXPIRED,
    FAIL,
    GARBAGE,
    HANG,
    RESET,
    THROTTLE,
    FaultProxy,
    Rule,
)  # fmt: skip

BOUND = 60.0  # seconds: a scan that hangs fails the test instead of the suite

# boto3 service name -> the signing name the proxy sees.
SIGNING = {"cloudwatch": "monitoring", "efs": "elasticfilesystem",
           "accessanalyzer": "access-analyzer", "elbv2": "elasticloadbalancing",
           "elb": "elasticloadbalancing", "s3control": "s3"}  # fmt: skip


def run_scan(
    run_cli: Callable[..., object], tmp_path: Path, account: Account, proxy: FaultProxy,
    *rules: Rule, only: set[str] | None = None,
) -> tuple[Assessment, float, str]:  # fmt: skip
    """Scan through ``proxy`` with ``rules``; ``only``: just these checks (those of the
    faulted services: the others would only repeat the clean scan)."""
    proxy.reset(*rules)
    path = tmp_path / "faulted.toml"
    started = time.monotonic()
    more = ["--checks", ",".join(sorted(only))] if only else []
    result = run_cli(*scan_args(path, proxy.url, account.regions), *more)
    seconds = time.monotonic() - started
    assert result.code == 0, result.err
    assert "Traceback" not in result.err
    assert seconds < BOUND, f"the scan took {seconds:.0f} s"
    return store.load(path), seconds, result.err


def by_key(assessment: Assessment) -> dict[tuple[str, str, str], Finding]:
    return {(f.check, f.region, f.resource): f for f in assessment.findings}


def calls(assessment: Assessment) -> dict[str, int]:
    # How often the credential report is polled until built varies from scan to scan.
    return {k: n for k, n in assessment.scan.calls.items() if "CredentialReport" not in k}


def statuses(assessment: Assessment, only: set[str] | None = None) -> dict[tuple, Status]:
    """Each finding's status by (check, region, resource); ``only``: of these checks."""
    return {k: f.status for k, f in by_key(assessment).items() if only is None or k[0] in only}


def assert_nothing_invented(clean: Assessment, faulted: Assessment) -> None:
    """Every pass or fail of the faulted scan is in the clean scan, the same."""
    truth = by_key(clean)
    for key, finding in by_key(faulted).items():
        if finding.status in (Status.PASS, Status.FAIL):
            assert key in truth, f"invented finding {key}: {finding.status.value}"
            assert truth[key].status is finding.status, f"{key} flipped to {finding.status}"


def checks_using(signing_names: set[str]) -> set[str]:
    """Ids of the checks that need data from any of these services."""
    found = set()
    shipped = checklist.load()
    for check_id, check in shipped.checks.items():
        for name in check.needs:
            service = shipped.collectors[name].service
            if SIGNING.get(service, service) in signing_names:
                found.add(check_id)
    return found


def assert_errors(
    faulted: Assessment, checks: set[str], reason: str, regions: set[str] | None = None
) -> None:
    """Every finding of ``checks`` (in ``regions``, else everywhere) is an error
    whose detail contains ``reason``; and there is at least one."""
    hit = [
        f for f in faulted.findings
        if f.check in checks and (regions is None or f.region in regions)
    ]  # fmt: skip
    assert hit
    for finding in hit:
        assert finding.status is Status.ERROR, finding
        assert reason in finding.detail, finding


def test_a_clean_scan_through_the_proxy_is_complete(account: Account) -> None:
    statuses = {f.status for f in account.clean.findings}
    assert {Status.PASS, Status.FAIL} <= statuses
    assert len(account.clean.findings) > 200


def test_a_throttling_burst_is_absorbed_by_the_retries(
    account, run_cli, tmp_path, monkeypatch
) -> None:
    # botocore waits up to a second before retrying a throttled call; a twentieth
    # keeps the same retries, without the suite sleeping through them.
    scale = {"throttling_base_scale": 0.05, "non_throttling_base_scale": 0.05}
    monkeypatch.setattr(ExponentialBackoff, "_DEFAULT_BACKOFF_CONFIG", scale)
    # The first attempt of every call to six services (one per protocol: query, EC2,
    # JSON, REST-JSON, REST-XML, CBOR) is throttled; the regional ones in one region.
    regional = frozenset({"ec2", "kms", "lambda", "monitoring"})
    only = checks_using({"iam", "s3", *regional})
    faulted, _, _ = run_scan(
        run_cli, tmp_path, account, account.remote,
        Rule(THROTTLE, frozenset({"iam", "s3"}), first_attempt=True),
        Rule(THROTTLE, regional, regions=frozenset({"eu-west-1"}), first_attempt=True),
        only=only,
    )  # fmt: skip
    assert account.remote.injected[THROTTLE] > 20
    assert statuses(faulted) == statuses(account.clean, only)
    # Retries are not calls: no call is counted more often than in the clean scan (a
    # listing that other services' checks share may be counted less), and every call
    # the clean scan made to a throttled service was made.
    made, clean = calls(faulted), calls(account.clean)
    assert {k: n for k, n in made.items() if n > clean.get(k, 0)} == {}
    assert {"iam", "s3", "ec2", "kms", "lambda", "cloudwatch"} <= {k.split(":")[0] for k in made}


def test_connection_resets_are_retried(account, run_cli, tmp_path) -> None:
    only = checks_using({"iam", "s3", "ec2", "kms"})
    faulted, _, _ = run_scan(
        run_cli, tmp_path, account, account.remote,
        Rule(RESET, frozenset({"iam", "s3"}), first_attempt=True),
        Rule(RESET, frozenset({"ec2", "kms"}), regions=frozenset({"eu-west-1"}),
             first_attempt=True),
        only=only,
    )  # fmt: skip
    assert account.remote.injected[RESET] > 20
    assert statuses(faulted) == statuses(account.clean, only)


def test_throttling_that_lasts_makes_errors(account, run_cli, tmp_path) -> None:
    services = {"kms", "s3"}
    faulted, _, err = run_scan(
        run_cli, tmp_path, account, account.local, Rule(THROTTLE, frozenset(services)),
        only=checks_using(services),
    )  # fmt: skip
    assert_errors(faulted, checks_using(services), "throttled by AWS")
    assert_nothing_invented(account.clean, faulted)
    assert faulted.scan.status is ScanStatus.PARTIAL
    assert "could not complete" in err


def test_access_denied_on_some_services(account, run_cli, tmp_path) -> None:
    faulted, _, _ = run_scan(
        run_cli, tmp_path, account, account.local,
        Rule(DENY, frozenset({"guardduty"})),
        Rule(DENY, frozenset({"ec2"}), regions=frozenset({"eu-west-1"})),
    )  # fmt: skip
    assert_errors(faulted, checks_using({"guardduty"}), "access denied to guardduty:ListDetectors")
    assert_errors(faulted, checks_using({"ec2"}), "access denied to ec2:", {"eu-west-1"})
    assert_nothing_invented(account.clean, faulted)
    # Where nothing was denied, the findings are the clean scan's.
    clean_east = {k: f.status for k, f in by_key(account.clean).items() if k[1] == "us-east-1"}
    east = {k: f.status for k, f in by_key(faulted).items() if k[1] == "us-east-1"}
    guard = checks_using({"guardduty"})
    assert {k: s for k, s in east.items() if k[0] not in guard} == {
        k: s for k, s in clean_east.items() if k[0] not in guard
    }


def test_connections_reset_every_time_make_errors(account, run_cli, tmp_path) -> None:
    services = {"lambda", "dynamodb"}
    faulted, _, _ = run_scan(
        run_cli, tmp_path, account, account.local, Rule(RESET, frozenset(services)),
        only=checks_using(services),
    )  # fmt: skip
    assert_errors(faulted, checks_using(services), "could not reach")
    assert_nothing_invented(account.clean, faulted)


def short_read_timeout(monkeypatch) -> None:
    """A 3 s read timeout instead of the emulator's 10 s: what a hung endpoint costs is
    the same number of timeouts, each shorter, which keeps these tests quick."""
    made = session_module.client_config

    def shorter(endpoint_url: str | None, pool: int):
        config = made(endpoint_url, pool)
        return config.merge(Config(read_timeout=3))

    monkeypatch.setattr(session_module, "client_config", shorter)


def test_a_service_that_never_answers_costs_one_timeout(
    account, run_cli, tmp_path, monkeypatch
) -> None:
    short_read_timeout(monkeypatch)
    # run_scan holds the whole scan to BOUND seconds: a scan that waited on the hung
    # service more than once per call would not finish in time. Seconds alone are not
    # asserted more tightly: they vary with the machine's load.
    faulted, _, _ = run_scan(
        run_cli, tmp_path, account, account.local, Rule(HANG, frozenset({"ecr"})),
        only=checks_using({"ecr"}),
    )  # fmt: skip
    assert_errors(faulted, checks_using({"ecr"}), "did not answer in time")
    assert_nothing_invented(account.clean, faulted)


def test_the_endpoint_stops_answering_mid_scan(account, run_cli, tmp_path, monkeypatch) -> None:
    short_read_timeout(monkeypatch)
    faulted, seconds, _ = run_scan(run_cli, tmp_path, account, account.local, Rule(HANG, after=80))
    assert_nothing_invented(account.clean, faulted)
    errors = [f for f in faulted.findings if f.status is Status.ERROR]
    assert len(errors) > len([f for f in account.clean.findings if f.status is Status.ERROR])
    assert any("did not answer in time" in f.detail for f in errors)
    assert faulted.scan.status is ScanStatus.PARTIAL
    # What was gathered before the endpoint went silent is kept.
    assert any(f.status in (Status.PASS, Status.FAIL) for f in faulted.findings)
    assert seconds < 30


def test_credentials_that_expire_mid_scan(account, run_cli, tmp_path) -> None:
    faulted, _, err = run_scan(run_cli, tmp_path, account, account.local, Rule(EXPIRED, after=60))
    assert_nothing_invented(account.clean, faulted)
    expired = [f for f in faulted.findings if "credentials expired" in f.detail]
    assert expired and all(f.status is Status.ERROR for f in expired)
    assert any(f.status in (Status.PASS, Status.FAIL) for f in faulted.findings)
    # Once told, the scan stops asking: only the calls already on their way are refused.
    refused = account.local.injected[EXPIRED]
    assert refused < 45, f"{refused} calls after the credentials expired"
    assert "expired" in err


def test_an_error_message_full_of_escapes_is_shown_safely(account, run_cli, tmp_path) -> None:
    faulted, _, err = run_scan(
        run_cli, tmp_path, account, account.local, Rule(FAIL, frozenset({"eks"})),
        only=checks_using({"eks"}),
    )  # fmt: skip
    assert_errors(faulted, checks_using({"eks"}), "InternalFailure: broken")
    assert_nothing_invented(account.clean, faulted)
    shown = [f.detail for f in faulted.findings] + list(faulted.scan.errors) + [err]
    for text in shown:
        assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", text), text


# One service for each protocol: REST-JSON, query, EC2, JSON, REST-XML.
EACH_PROTOCOL = frozenset({"securityhub", "iam", "ec2", "kms", "s3"})


def test_an_empty_answer_is_an_error_never_a_pass(account, run_cli, tmp_path) -> None:
    # "200 OK" and no body: botocore reads it as an empty answer ("no hub": a pass).
    faulted, _, _ = run_scan(
        run_cli, tmp_path, account, account.local, Rule(EMPTY, EACH_PROTOCOL),
        only=checks_using(set(EACH_PROTOCOL)),
    )  # fmt: skip
    assert account.local.injected[EMPTY] >= len(EACH_PROTOCOL)
    assert_errors(faulted, checks_using(set(EACH_PROTOCOL)), "answer that cannot be read (empty)")
    assert_nothing_invented(account.clean, faulted)
    hub = [f for f in faulted.findings if f.check == "securityhub.enabled"]
    assert hub and all(f.status is Status.ERROR for f in hub)
    assert any(
        f.status is Status.PASS for f in account.clean.findings if f.check == "securityhub.enabled"
    )


def test_an_empty_answer_about_one_resource_spoils_that_resource_only(
    account, run_cli, tmp_path
) -> None:
    faulted, _, _ = run_scan(
        run_cli, tmp_path, account, account.local,
        Rule(EMPTY, frozenset({"kms"}), operations=frozenset({"GetKeyPolicy"})),
        only=checks_using({"kms"}),
    )  # fmt: skip
    policies = [f for f in faulted.findings if f.check == "kms.key_policy_public"]
    assert policies and all(f.status is Status.ERROR for f in policies)
    assert all("kms:GetKeyPolicy" in f.detail and "(empty)" in f.detail for f in policies)
    assert {f.resource for f in policies} <= {f.resource for f in account.clean.findings}
    rotation = {k: f.status for k, f in by_key(faulted).items() if k[0] == "kms.key_rotation"}
    assert rotation == {k: f.status for k, f in by_key(account.clean).items()
                        if k[0] == "kms.key_rotation"}  # fmt: skip
    assert_nothing_invented(account.clean, faulted)


def test_a_web_page_for_an_answer_is_an_error(account, run_cli, tmp_path) -> None:
    faulted, _, err = run_scan(
        run_cli,
        tmp_path,
        account,
        account.local,
        Rule(GARBAGE, EACH_PROTOCOL),
        only=checks_using(set(EACH_PROTOCOL)),
    )
    assert_errors(faulted, checks_using(set(EACH_PROTOCOL)), "answer that cannot be read")
    assert_nothing_invented(account.clean, faulted)
    assert "Service unavailable" not in err
    assert all("Service unavailable" not in f.detail for f in faulted.findings)


def test_a_garbage_identity_is_one_sentence(account, run_cli, tmp_path) -> None:
    for kind in (EMPTY, GARBAGE):
        account.local.reset(Rule(kind, frozenset({"sts"})))
        path = tmp_path / f"{kind}.toml"
        result = run_cli(*scan_args(path, account.local.url, account.regions))
        assert result.code == 1, result.err
        assert "Traceback" not in result.err
        lines = result.err.strip().splitlines()
        assert len(lines) == 1 and "did not answer sts:GetCallerIdentity" in lines[0], lines
        assert not path.exists() or store.load(path).findings == []


def test_an_endpoint_that_drips_cannot_hold_the_scan(
    account, run_cli, tmp_path, monkeypatch
) -> None:
    # One byte every two seconds: no single read of the socket (10 s) ever times out, and
    # the answer would take minutes. The deadline on the whole answer, made short here to
    # keep the test quick, ends the call.
    monkeypatch.setattr(session_module, "answer_deadline", lambda url: 4.0, raising=False)
    faulted, seconds, _ = run_scan(
        run_cli, tmp_path, account, account.local, Rule(DRIP, frozenset({"securityhub"})),
        only=checks_using({"securityhub"}),
    )  # fmt: skip
    assert account.local.injected[DRIP] >= 1
    assert_errors(faulted, checks_using({"securityhub"}), "did not answer in time")
    assert_nothing_invented(account.clean, faulted)
    assert seconds < 30, f"the scan took {seconds:.0f} s"


def test_ctrl_c_ends_a_scan_held_by_a_slow_endpoint_within_5_s(
    account, tmp_path, ctrl_c_delivered
) -> None:
    # A real process and a real SIGINT, while every call after the 80th drips.
    account.local.reset(Rule(DRIP, after=80))
    path = tmp_path / "interrupted.toml"
    command = [
        sys.executable,
        "-m",
        "srm_tui",
        *scan_args(path, account.local.url, account.regions),
    ]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=dict(os.environ), text=True,
        preexec_fn=ctrl_c_delivered,
    )  # fmt: skip
    try:
        waited = time.monotonic()
        while account.local.injected[DRIP] < 3 and time.monotonic() - waited < BOUND:
            assert process.poll() is None, process.communicate()
            time.sleep(0.1)
        time.sleep(0.5)  # the dripping calls are in flight
        process.send_signal(signal.SIGINT)
        sent = time.monotonic()
        _, err = process.communicate(timeout=BOUND)
        seconds = time.monotonic() - sent
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert seconds < 5, f"the scan took {seconds:.1f} s to stop"
    assert process.returncode == 130, err
    assert "Traceback" not in err
    saved = store.load(path)
    assert saved.scan.status is ScanStatus.CANCELLED
    assert any(f.status in (Status.PASS, Status.FAIL) for f in saved.findings)
    assert_nothing_invented(account.clean, saved)


def _every_signing_name_but_sts() -> frozenset[str]:
    """The names requests to the shipped collectors' services are signed with (and the
    proxy matches on): botocore's models know them (OpenSearch signs as "es", Step
    Functions as "states")."""
    import botocore.exceptions
    import botocore.session

    session = botocore.session.get_session()

    def signing_name(service: str) -> str:
        try:
            return session.get_service_model(service).signing_name
        except botocore.exceptions.UnknownServiceError:
            return SIGNING.get(service, service)

    services = {c.service for c in checklist.load().collectors.values()}
    return frozenset(signing_name(service) for service in services)


def test_fail_on_never_passes_a_scan_that_checked_nothing(account, run_cli, tmp_path) -> None:
    account.local.reset(Rule(DENY, _every_signing_name_but_sts()))
    path = tmp_path / "nothing.toml"
    # Three services' checks, every call denied: as nothing as every service's.
    more = ("--checks", "ec2,iam,s3", "--fail-on", "low")
    result = run_cli(*scan_args(path, account.local.url, account.regions), *more)
    assert result.code == 1, result.err
    assert "Traceback" not in result.err
    assert "the scan could check nothing" in result.err.strip().splitlines()[-1]
    saved = store.load(path)  # what the scan saw (every check denied) is kept
    assert saved.findings and all(f.status is Status.ERROR for f in saved.findings)


def test_fail_on_says_how_many_checks_could_not_be_checked(account, run_cli, tmp_path) -> None:
    account.local.reset(Rule(DENY, frozenset({"guardduty", "kms"})))
    path = tmp_path / "some.toml"
    # The denied services' checks and the checks failing at critical in the clean scan.
    critical_checks = {
        f.check for f in account.clean.findings
        if f.status is Status.FAIL and account.clean.checks[f.check].severity is Severity.CRITICAL
    }  # fmt: skip
    only = ",".join(sorted(checks_using({"guardduty", "kms"}) | critical_checks))
    more = ("--checks", only, "--fail-on", "critical")
    result = run_cli(*scan_args(path, account.local.url, account.regions), *more)
    saved = store.load(path)
    errored = {f.check for f in saved.findings if f.status is Status.ERROR}
    assert checks_using({"guardduty", "kms"}) <= errored
    assert f"{len(errored)} of {len(saved.checks)} checks could not be checked" in result.err
    # What could be checked still fails at critical, as in the clean scan.
    critical = [
        f for f in account.clean.findings
        if f.status is Status.FAIL and account.clean.checks[f.check].severity is Severity.CRITICAL
        and f.check not in errored
    ]  # fmt: skip
    assert critical and result.code == 3
