"""Builds wizard apps and assessments for the tests; never calls run()."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import AsyncIterator, Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from srm_tui import store
from srm_tui.catalog import questionnaires
from srm_tui.demo.target import DemoTarget
from srm_tui.model import (
    Assessment,
    CheckRecord,
    Finding,
    Responsibility,
    ScanStatus,
    Section,
    Severity,
    Status,
)
from srm_tui.tui.app import SrmApp

HERE = Path(__file__).parent
FIXED_TIME = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)


def sections() -> tuple[Section, ...]:
    """The fixed test questionnaire (two sections, four questions)."""
    catalog = questionnaires.load([HERE / "questionnaires"])
    assert not catalog.problems, catalog.problems
    return catalog.sections


def checks() -> dict[str, CheckRecord]:
    return {
        "account.security_contact": CheckRecord(
            "account.security_contact", "A security contact is registered", "account",
            Severity.MEDIUM, Responsibility.CUSTOMER, {"cis-aws-7.0": ("2.3",)},
            "Set the security alternate contact.",
        ),
        "ec2.sg_admin_ports_ipv4": CheckRecord(
            "ec2.sg_admin_ports_ipv4", "Security groups do not open admin ports to the world",
            "ec2", Severity.HIGH, Responsibility.CUSTOMER, {"aws-fsbp": ("EC2.53",)},
            "Remove the rule that opens port 22 or 3389 to 0.0.0.0/0.",
        ),
        "s3.bucket_versioning": CheckRecord(
            "s3.bucket_versioning", "Buckets keep versions", "s3", Severity.LOW,
            Responsibility.CUSTOMER, {"aws-fsbp": ("S3.14",)}, "Turn on versioning.",
        ),
    }  # fmt: skip


def findings() -> list[Finding]:
    sg = "arn:aws:ec2:{r}:123456789012:security-group/sg-{n:04d}"
    return [
        Finding("account.security_contact", "global", "123456789012", Status.FAIL,
                "no security contact is set"),
        Finding("ec2.sg_admin_ports_ipv4", "eu-west-1", sg.format(r="eu-west-1", n=1),
                Status.FAIL, "port 22 open to 0.0.0.0/0"),
        Finding("ec2.sg_admin_ports_ipv4", "us-east-1", sg.format(r="us-east-1", n=2),
                Status.PASS),
        Finding("ec2.sg_admin_ports_ipv4", "us-east-1", sg.format(r="us-east-1", n=3),
                Status.ERROR, "access denied: ec2:DescribeSecurityGroups"),
        Finding("s3.bucket_versioning", "us-east-1", "arn:aws:s3:::logs-bucket", Status.FAIL,
                "versioning is off"),
        Finding("s3.bucket_versioning", "us-east-1", "arn:aws:s3:::site-bucket", Status.PASS),
    ]  # fmt: skip


def assessment(scanned: bool = True) -> Assessment:
    """A small assessment with findings of three checks (or none before a scan)."""
    a = Assessment(name="Test review", created=FIXED_TIME, updated=FIXED_TIME)
    a.scope.regions = ("us-east-1", "eu-west-1")
    if scanned:
        a.scope.account_id = "123456789012"
        a.scope.services = ("ec2", "s3")
        a.checks = checks()
        a.findings = findings()
        a.scan.status = ScanStatus.COMPLETE
        a.scan.api_calls = 42
    return a


def write(path: Path, a: Assessment | None = None) -> Path:
    store.save(a or assessment(), path)
    return path


def make_app(
    path: Path | None,
    data_dir: Path,
    *,
    scanner: Callable[..., Any] | None = None,
    demo: DemoTarget | None = None,
    section_list: Sequence[Section] | None = None,
    profiles: Sequence[str] = ("default", "audit"),
) -> SrmApp:
    """An app on the test questionnaire with its own data folder."""
    return SrmApp(
        path,
        sections=sections() if section_list is None else section_list,
        scanner=scanner,
        demo=demo,
        data_dir=data_dir,
        profiles=profiles,
    )


class FakeScanner:
    """Stands in for srm_tui.scan.scan: reports progress and adds findings, or fails."""

    def __init__(self, error: str = "", block: bool = False) -> None:
        self.error = error
        self.block = block  # wait for cancel after the first task
        self.started = threading.Event()
        self.calls: list[Any] = []

    def __call__(self, assessment: Assessment, options: Any, on_progress: Any, cancel: Any):
        from srm_tui.errors import SrmError
        from srm_tui.scan import Progress

        self.calls.append(options)
        if self.error:
            raise SrmError(self.error)
        on_progress(Progress("identity", message="account 123456789012"))
        on_progress(Progress("planned", total=2))
        on_progress(Progress("task_started", "ec2", "us-east-1", 0, 2))
        on_progress(Progress("task_done", "ec2", "us-east-1", 1, 2, 1, 1, 0, 3))
        self.started.set()
        assessment.scope.account_id = "123456789012"
        assessment.scope.services = ("ec2", "s3")
        assessment.checks.update(checks())
        if self.block:
            cancel.wait(10)
            assessment.findings = findings()[:2]
            assessment.scan.status = ScanStatus.CANCELLED
            return assessment
        assessment.findings = findings()
        assessment.scan.status = ScanStatus.COMPLETE
        on_progress(Progress("task_done", "s3", "us-east-1", 2, 2, 2, 3, 1, 5))
        on_progress(Progress("finished", "", "", 2, 2, 2, 3, 1, 5, "complete in 0.1 s"))
        return assessment


async def until(pilot: Any, ready: Callable[[], bool], rounds: int = 400) -> None:
    """Let the app run until ``ready()``: its workers finish, then up to ``rounds`` turns
    of its event loop. Counted in turns, not seconds, so a busy machine only makes it
    slower; an app that never gets there still fails the assertion."""
    await pilot.app.workers.wait_for_complete()
    for _ in range(rounds):
        if ready():
            return
        await pilot.pause()
    assert ready()


async def settle(pilot: Any) -> None:
    """Wait for the app's workers, then for two refreshes."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


@contextlib.asynccontextmanager
async def opened(
    path: Path, own_data_dir: Path, size: tuple[int, int], key: str = ""
) -> AsyncIterator[tuple[SrmApp, Any]]:
    """The wizard on ``path``, settled, with ``key`` pressed (a tab or a dialog) and
    settled again: (app, pilot)."""
    app = make_app(path, own_data_dir)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        if key:
            await pilot.press(key)
            await settle(pilot)
        yield app, pilot
