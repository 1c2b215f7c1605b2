"""The scan engine against the demo account over HTTP (moto's ThreadedMotoServer):
every call once, the policy covers every call, errors never pass or fail, cancel,
partial rescans, a dead endpoint, no credentials."""

from __future__ import annotations

import copy
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any, ClassVar

import pytest

from srm_tui import checklist
from srm_tui import scan as engine
from srm_tui.aws.account_api import Memo
from srm_tui.aws.actions import is_read_only
from srm_tui.aws.collectors import UndeclaredRead, collector
from srm_tui.aws.ledger import Ledger
from srm_tui.catalog import check_texts
from srm_tui.checks.context import check
from srm_tui.checks.index import FUNCTIONS
from srm_tui.commands.scan import policy_document
from srm_tui.demo import demo_account
from srm_tui.errors import SrmError
from srm_tui.model import (
    Assessment,
    CheckMeta,
    Finding,
    Responsibility,
    ScanStatus,
    Severity,
    Status,
)
from srm_tui.scan import Progress, ScanOptions, scan

ENGINE_SERVICES = ("iam", "account", "s3", "ec2", "cloudtrail", "config", "cloudwatch")
# One finding per account by nature: a single emulated account shows only one side;
# the unit tests show both.
ACCOUNT_LEVEL = {
    "account.contact_details", "account.security_contact", "cloudtrail.multi_region",
    "iam.access_key_rotation", "iam.cloudshell_full_access", "iam.expired_certificates",
    "iam.password_min_length", "iam.password_reuse", "iam.root_access_keys",
    "iam.root_hardware_mfa", "iam.root_mfa", "iam.root_recent_use", "iam.support_role",
    "iam.unused_credentials", "s3.account_public_access_block", "s3.bucket_mfa_delete",
    "iam.password_policy_strong", "iam.unused_user_credentials",
}  # fmt: skip
# What the emulator cannot show both sides of (docs/moto-services.md): it stamps every stop
# with the current time, keeps no VPN tunnel status or options and no Spot Fleet volumes,
# and calls instances paravirtual only while its stock images are not loaded (an earlier
# in-process emulator in the same test run may have loaded them); the unit tests show
# both sides.
ONE_SIDED = {
    "ec2.stopped_instances", "ec2.vpn_tunnels_up", "ec2.vpn_logging",
    "ec2.spot_fleet_ebs_encryption", "ec2.paravirtual_instances",
}  # fmt: skip
# Operations the emulator lacks: their checks can only report an error.
NOT_EMULATED = {"ec2.client_vpn_logging", "ec2.vpc_block_public_access"}
# The emulator lists general purpose buckets as directory buckets; no name ends in
# "--x-s3", so the demo has no directory bucket to judge (the unit tests do).
NOTHING_TO_JUDGE = {"s3.directory_bucket_lifecycle"}


@pytest.fixture(scope="module")
def demo() -> Iterator[Any]:
    with demo_account() as account:
        yield account


class WatchedMemo(Memo):
    """The scan's results, remembered after the scan for the tests to look at."""

    seen: ClassVar[list[Memo]] = []

    def __init__(self) -> None:
        super().__init__()
        WatchedMemo.seen.append(self)


@pytest.fixture(scope="module")
def full_scan(demo: Any) -> tuple[Assessment, Ledger, list[Progress], float]:
    ledger = Ledger()
    events: list[Progress] = []
    assessment = Assessment("demo")
    started = time.monotonic()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(engine, "Memo", WatchedMemo)
        scan(
            assessment,
            ScanOptions(regions=demo.regions, endpoint_url=demo.endpoint_url),
            events.append,
            ledger=ledger,
        )
    return assessment, ledger, events, time.monotonic() - started


def test_no_collector_result_is_kept_past_the_scan(full_scan) -> None:
    # Each result went once its checks, its own task and its declared readers were
    # done with it (a read after that would have raised UndeclaredRead).
    memo = WatchedMemo.seen[-1]
    assert memo.done(("s3.buckets", "global"))
    assert memo.done(("lambda.functions", "us-east-1"))
    assert memo.held() == []


def with_one_more(found: Any, fn: Any, scope: str) -> checklist.Checklist:
    """The shipped checklist plus one throwaway collector and the check over it."""
    texts = check_texts.load()
    texts.metas[fn.id] = CheckMeta(
        fn.id, "t", found.service, Severity.LOW, Responsibility.SHARED, scope, {}, "r", ()
    )
    shipped = checklist.load()
    return checklist.build(
        {**FUNCTIONS, fn.id: fn}, texts, {**shipped.collectors, found.name: found}
    )


def test_a_collector_reading_an_undeclared_result_stops_the_scan(demo) -> None:
    @collector("test.sneaky", service="s3", scope="global", api_calls=("s3:GetBucketAcl",))
    def sneaky(api: Any, region: str) -> Any:
        return len(api.data("s3.buckets"))  # not in reads=

    @check("test.sneaky_check", needs=("test.sneaky",))
    def sneaky_check(ctx: Any) -> Any:
        yield ctx.ok("x")

    extended = with_one_more(sneaky, sneaky_check, "global")
    with pytest.raises(UndeclaredRead, match=r"test\.sneaky .* reads s3\.buckets"):
        scan(Assessment("x"), ScanOptions(regions=demo.regions, endpoint_url=demo.endpoint_url,
                                          checks=(sneaky_check.id,)), checklist=extended)  # fmt: skip


def engine_checks(assessment: Assessment) -> dict[str, set[Status]]:
    result: dict[str, set[Status]] = {}
    for finding in assessment.findings:
        if finding.check.split(".")[0] in ENGINE_SERVICES:
            result.setdefault(finding.check, set()).add(finding.status)
    return result


def test_every_resource_check_passes_and_fails_somewhere_in_the_demo(full_scan) -> None:
    assessment, *_ = full_scan
    seen = engine_checks(assessment)
    assert len(seen) >= 35
    for check_id, states in seen.items():
        if check_id in NOT_EMULATED:
            assert states == {Status.ERROR}, check_id
        elif check_id in ONE_SIDED:
            assert Status.ERROR not in states, check_id
        elif check_id in NOTHING_TO_JUDGE:
            assert states == {Status.NOT_APPLICABLE}, check_id
        elif check_id in ACCOUNT_LEVEL or check_id.startswith("cloudwatch."):
            if check_id == "iam.root_recent_use":
                assert states == {Status.ERROR}  # the emulator's report has no root row
            else:
                assert Status.ERROR not in states, check_id
        else:
            assert {Status.PASS, Status.FAIL} <= states, check_id
    alarms = {c: s for c, s in seen.items() if c.startswith("cloudwatch.")}
    assert len(alarms) == 15
    assert {Status.PASS} in alarms.values() and {Status.FAIL} in alarms.values()


def test_findings_carry_arns_and_regions(full_scan) -> None:
    assessment, *_ = full_scan
    by_check: dict[str, list[Finding]] = {}
    for f in assessment.findings:
        by_check.setdefault(f.check, []).append(f)
    groups = {f.resource for f in by_check["ec2.sg_admin_ports_ipv4"]}
    assert all(r.startswith("arn:aws:ec2:") and ":security-group/sg-" in r for r in groups)
    assert {f.region for f in by_check["ec2.sg_admin_ports_ipv4"]} == {"us-east-1", "eu-west-1"}
    public = [f for f in by_check["s3.bucket_public_policy"] if f.status is Status.FAIL]
    assert [f.resource for f in public] == ["arn:aws:s3:::demo-public-website"]
    assert {f.region for f in by_check["s3.bucket_versioning"]} == {"us-east-1", "eu-west-1"}
    assert [f.region for f in by_check["iam.root_mfa"]] == ["global"]
    assert sorted(f.region for f in by_check["config.enabled"]) == ["eu-west-1", "us-east-1"]


def test_each_call_is_made_once(full_scan) -> None:
    _, ledger, *_ = full_scan
    repeated = [c for c in ledger.repeated() if c.operation != "GenerateCredentialReport"]
    assert repeated == []


def test_the_policy_allows_every_call_and_only_reads(full_scan) -> None:
    _, ledger, *_ = full_scan
    allowed = set(policy_document()["Statement"][0]["Action"])  # type: ignore[index]
    assert ledger.actions() <= allowed, ledger.actions() - allowed
    assert all(is_read_only(a) for a in allowed), [a for a in allowed if not is_read_only(a)]


def test_scan_records_scope_calls_and_status(full_scan, demo) -> None:
    assessment, ledger, events, seconds = full_scan
    assert assessment.scope.account_id == "123456789012"
    assert assessment.scope.regions == demo.regions
    assert {"ec2", "s3"} <= set(assessment.scope.services)
    assert assessment.scan.api_calls == ledger.total == sum(assessment.scan.calls.values())
    assert assessment.scan.calls["iam:GetAccountAuthorizationDetails"] == 1
    # iam.root_recent_use cannot be decided on the emulator: partial, not complete.
    assert assessment.scan.status is ScanStatus.PARTIAL
    assert assessment.scan.started and assessment.scan.finished
    # The recorded start and end bracket the scan's own run (its speed is measured in
    # benchmarks/, not here: a loaded machine must not fail this test).
    recorded = (assessment.scan.finished - assessment.scan.started).total_seconds()
    assert 0 < recorded <= seconds + 1
    kinds = [e.kind for e in events]
    assert kinds[0] == "identity" and kinds[-1] == "finished" and "planned" in kinds
    done = [e for e in events if e.kind == "task_done"]
    assert done[-1].done == done[-1].total == len(done)
    assert set(assessment.checks) >= {f.check for f in assessment.findings}


def test_a_partial_rescan_replaces_only_the_checks_it_ran(full_scan, demo) -> None:
    assessment = copy.deepcopy(full_scan[0])
    kept = [f for f in assessment.findings if f.check != "s3.bucket_versioning"]
    stale = Finding("s3.bucket_versioning", "us-east-1", "arn:aws:s3:::gone", Status.FAIL, "old")
    retired = Finding("retired.check", "global", "x", Status.FAIL, "from an older version")
    assessment.findings += [stale, retired]
    scan(assessment, ScanOptions(regions=demo.regions, endpoint_url=demo.endpoint_url,
                                 checks=("s3.bucket_versioning",)))  # fmt: skip
    assert stale not in assessment.findings and retired in assessment.findings
    others = [
        f for f in assessment.findings if f.check not in ("s3.bucket_versioning", "retired.check")
    ]
    assert others == kept
    fresh = [f for f in assessment.findings if f.check == "s3.bucket_versioning"]
    # Six buckets: five of the S3 demo and the origin bucket of the CloudFront demo.
    assert len(fresh) == 6 and assessment.scan.api_calls < 20


def test_cancel_stops_promptly_and_keeps_what_was_found(demo) -> None:
    cancel = threading.Event()
    assessment = Assessment("cancelled")
    old = Finding("ec2.imdsv2", "eu-west-1", "arn:old", Status.FAIL, "from the last scan")
    assessment.findings.append(old)

    def on_progress(event: Progress) -> None:
        if event.kind == "task_done" and event.done >= 3:
            cancel.set()

    started = time.monotonic()
    scan(assessment, ScanOptions(regions=demo.regions, endpoint_url=demo.endpoint_url, jobs=1),
         on_progress, cancel)  # fmt: skip
    assert time.monotonic() - started < 10
    assert assessment.scan.status is ScanStatus.CANCELLED
    assert assessment.findings, "the findings gathered before the cancel are kept"
    assert old in assessment.findings, "a check that did not run keeps its old findings"


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_dead_endpoint_is_one_sentence_within_seconds(monkeypatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "x")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "y")
    assessment = Assessment("dead")
    before = copy.deepcopy(assessment)
    started = time.monotonic()
    with pytest.raises(SrmError) as caught:
        scan(
            assessment,
            ScanOptions(regions=("us-east-1",), endpoint_url=f"http://127.0.0.1:{closed_port()}"),
        )
    assert time.monotonic() - started < 10
    message = str(caught.value)
    assert "Cannot reach" in message and "\n" not in message and "Traceback" not in message
    assert assessment == before


def test_no_credentials_is_one_clear_sentence(monkeypatch, tmp_path) -> None:
    for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    started = time.monotonic()
    with pytest.raises(SrmError, match=r"No AWS credentials found.*or try --demo"):
        scan(
            Assessment("x"),
            ScanOptions(regions=("us-east-1",), endpoint_url=f"http://127.0.0.1:{closed_port()}"),
        )
    assert time.monotonic() - started < 10


def test_an_unknown_profile_is_one_clear_sentence(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    with pytest.raises(SrmError, match="profile 'nope'"):
        scan(Assessment("x"), ScanOptions(profile="nope"))


@pytest.fixture
def unsupported_check() -> tuple[str, checklist.Checklist]:
    """The shipped checklist plus a throwaway check over an operation the emulator does
    not implement."""

    @collector("test.patch_states", service="ssm", api_calls=("ssm:DescribeInstancePatchStates",))
    def patch_states(api: Any, region: str) -> Any:
        return api.call("ssm", region, "describe_instance_patch_states", InstanceIds=["i-1"])

    @check("test.unsupported", needs=("test.patch_states",))
    def unsupported(ctx: Any) -> Any:
        yield ctx.ok("x")

    return unsupported.id, with_one_more(patch_states, unsupported, "regional")


def test_an_operation_the_endpoint_lacks_is_an_error_at_once(demo, unsupported_check) -> None:
    unsupported_check, extended = unsupported_check
    assessment = Assessment("x")
    started = time.monotonic()
    scan(assessment, ScanOptions(regions=demo.regions, endpoint_url=demo.endpoint_url,
                                 checks=(unsupported_check, "config.enabled")),
         checklist=extended)  # fmt: skip
    assert time.monotonic() - started < 8
    errors = [f for f in assessment.findings if f.check == unsupported_check]
    assert [f.status for f in errors] == [Status.ERROR, Status.ERROR]
    assert {f.region for f in errors} == {"us-east-1", "eu-west-1"}
    assert "ssm:DescribeInstancePatchStates" in errors[0].detail
    assert "not supported by this endpoint" in errors[0].detail
    others = {f.status for f in assessment.findings if f.check == "config.enabled"}
    assert others == {Status.PASS, Status.FAIL}
    assert assessment.scan.status is ScanStatus.PARTIAL
    assert assessment.scan.calls["ssm:DescribeInstancePatchStates"] == 2  # no retries


def test_unknown_check_ids_are_bad_usage() -> None:
    from srm_tui.errors import UsageError

    with pytest.raises(UsageError, match="no check matches nope"):
        scan(Assessment("x"), ScanOptions(checks=("nope",)))


def test_all_regions_skips_opt_in_regions_and_says_so(demo) -> None:
    events: list[Progress] = []
    assessment = Assessment("all")
    scan(assessment, ScanOptions(all_regions=True, endpoint_url=demo.endpoint_url,
                                 checks=("config.enabled",)), events.append)  # fmt: skip
    regions = set(assessment.scope.regions)
    assert {"us-east-1", "eu-west-1"} <= regions and len(regions) > 10
    assert "ap-east-1" not in regions  # an opt-in region the account has not enabled
    assert assessment.scope.all_regions is True
    skipped = [e.message for e in events if e.kind == "message" and "skipped" in e.message]
    assert skipped and "ap-east-1" in skipped[0]
    assert {f.region for f in assessment.findings} == regions


def test_a_whole_scan_is_not_a_subset(full_scan, demo) -> None:
    scan_info = full_scan[0].scan
    assert not scan_info.subset and scan_info.covered() == ""
    assert scan_info.checks == () and scan_info.regions == demo.regions


def test_a_scan_of_some_checks_is_partial_and_says_what_it_covered(full_scan, demo) -> None:
    assessment = copy.deepcopy(full_scan[0])
    services = assessment.scope.services
    scan(assessment, ScanOptions(regions=demo.regions, endpoint_url=demo.endpoint_url,
                                 checks=("s3.bucket_versioning",)))  # fmt: skip
    assert assessment.scan.status is ScanStatus.PARTIAL
    assert assessment.scan.subset and assessment.scan.checks == ("s3.bucket_versioning",)
    assert "only the checks s3.bucket_versioning" in assessment.scan.covered()
    assert assessment.scope.services == services, "the inventory of the full scan is kept"


def test_a_scan_of_one_region_replaces_only_that_region(full_scan, demo) -> None:
    assessment = copy.deepcopy(full_scan[0])
    first, second = demo.regions[:2]
    # Global checks read every region each time; the regional ones of the other region
    # are left as they were.
    checks = checklist.load().checks

    def of_second() -> list[Finding]:
        return [
            f for f in assessment.findings
            if f.region == second and checks[f.check].meta.scope == "regional"
        ]  # fmt: skip

    before_second = of_second()
    assert before_second
    scan(assessment, ScanOptions(regions=(first,), endpoint_url=demo.endpoint_url))
    assert of_second() == before_second
    assert assessment.scan.status is ScanStatus.PARTIAL and assessment.scan.subset
    assert assessment.scan.regions == (first,)
    assert assessment.scope.regions == (first, second), "the review still covers both"
    assert f"every check in {first}" in assessment.scan.covered()


def test_a_cancelled_rescan_keeps_the_services_found_before(full_scan, demo) -> None:
    assessment = copy.deepcopy(full_scan[0])
    services = set(assessment.scope.services)
    cancel = threading.Event()

    def on_progress(event: Progress) -> None:
        if event.kind == "task_done" and event.done >= 2:
            cancel.set()

    scan(assessment, ScanOptions(regions=demo.regions, endpoint_url=demo.endpoint_url, jobs=1),
         on_progress, cancel)  # fmt: skip
    assert assessment.scan.status is ScanStatus.CANCELLED
    assert services <= set(assessment.scope.services)
