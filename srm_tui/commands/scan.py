"""Commands over the automatic checks: scan, checks, policy."""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

from srm_tui.commands.base import aws_options, command, format_option
from srm_tui.commands.common import warn_out_of_policy
from srm_tui.commands.live_line import LiveLine
from srm_tui.demo.target import demo_in_background
from srm_tui.errors import SrmError, UsageError
from srm_tui.model import Assessment, ScanStatus, Severity, Status
from srm_tui.report.text import plural
from srm_tui.sanitize import clean
from srm_tui.workbench import Workbench, load_sections

if TYPE_CHECKING:
    from srm_tui.scan import Progress

SEVERITIES = [s.value for s in Severity]


def _scan_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, metavar="FILE.toml", help="created when missing")
    aws_options(parser)
    group = parser.add_argument_group("scan")
    group.add_argument(
        "--checks",
        metavar="ID,...",
        help="only these check ids or services (e.g. iam,s3.bucket_tls_only)",
    )
    group.add_argument(
        "--jobs", type=int, default=8, metavar="N", help="parallel workers (default 8)"
    )
    group.add_argument(
        "--fail-on",
        choices=SEVERITIES,
        metavar="SEVERITY",
        help="exit 3 when a check of this severity or worse fails, accepted risks aside ("
        + "|".join(SEVERITIES)
        + ")",
    )
    from srm_tui.commands.organization_scan import organization_options

    organization_options(parser)


@command("scan", "Run the automatic read-only checks; creates or updates FILE.toml.", _scan_options)
def scan_command(args: argparse.Namespace) -> int:
    from srm_tui import scan as engine

    if args.jobs < 1 or args.jobs > 64:
        raise UsageError("--jobs must be between 1 and 64.")
    if args.regions and args.all_regions:
        raise UsageError("use either --region or --all-regions, not both.")
    if args.demo and (args.endpoint_url or args.profile):
        raise UsageError(
            "--demo uses the built-in emulated account: drop --endpoint-url and --profile."
        )
    if not args.demo:
        engine.endpoint_from_env(args.endpoint_url)  # credentials in the address: exit 2
    checks = tuple(c.strip() for c in (args.checks or "").split(",") if c.strip())
    engine.select_checks(checks)  # an unknown id is bad usage, before anything else
    from srm_tui.commands import organization_scan as organization

    organization.refuse_without_organization(args)
    if args.organization:
        return organization.scan_organization_command(args, checks)
    # A broken file: exit 2, untouched. Held by another srm-tui or not writable: exit 1,
    # before any call to AWS.
    with Workbench.open(args.file, load_sections()[0]) as bench:
        if not args.demo:
            return _scan(args, bench, checks)
        print(
            "Starting the demo: an emulated AWS account on 127.0.0.1, not your AWS.",
            file=sys.stderr,
        )
        with demo_in_background() as target:
            bench.use_demo(target)
            return _scan(args, bench, checks)


def _scan(args: argparse.Namespace, bench: Workbench, checks: tuple[str, ...]) -> int:
    from srm_tui import scan as engine

    options = bench.scan_options(
        profile=args.profile,
        regions=args.regions or (),
        all_regions=args.all_regions,
        endpoint_url=args.endpoint_url,
        checks=checks,
        jobs=args.jobs,
    )  # on the demo account, once it is up
    display = Display(sys.stderr)
    cancel = threading.Event()
    started = time.monotonic()  # the scan's own time, without starting a demo
    bench.scan(options, display.update, cancel)
    display.close()
    bench.save()
    assessment = bench.assessment
    ran = {c.meta.id for c in engine.select_checks(checks)}
    text = summary(assessment, ran, time.monotonic() - started, args.file)
    print(clean(text), file=sys.stderr)  # names the file, quotes AWS's errors
    if assessment.scan.status is ScanStatus.CANCELLED:
        return 130
    if not args.fail_on:
        return 0
    judged, unchecked = _checked(assessment, ran)
    if unchecked and not judged:
        raise SrmError(
            f"--fail-on {args.fail_on}: the scan could check nothing, every check ended in an "
            "error (see the reasons above); nothing was judged."
        )
    if unchecked:
        print(
            f"--fail-on {args.fail_on}: {len(unchecked)} of {len(ran)} checks could not be "
            "checked everywhere (error findings); only what was checked is judged.",
            file=sys.stderr,
        )
    # Their failures count: say why an accepted risk did not keep the scan from failing.
    warn_out_of_policy(assessment, args.file)
    return 3 if _fails_at(assessment, ran, Severity(args.fail_on)) else 0


class Display(LiveLine):
    """Progress on the terminal: one updating line, or plain lines when redirected."""

    def update(self, event: object) -> None:
        from srm_tui.scan import Progress

        assert isinstance(event, Progress)
        with self.lock:
            if self.live:
                self._live(event)
            else:
                self._plain(event)

    def _live(self, p: Progress) -> None:
        if p.kind in ("identity", "message"):
            self.say(clean(p.message))
            return
        if p.kind == "task_started" or not self.due(force=p.kind == "finished"):
            return
        where = f" {p.service} {p.region}" if p.service else ""
        self.show(
            f"scanning {p.done}/{p.total}  pass {p.passed}  fail {p.failed}  "
            f"error {p.errors}  calls {p.api_calls}{where}"
        )

    def _plain(self, p: Progress) -> None:
        if p.kind in ("identity", "message", "planned"):
            message = clean(p.message)  # an ARN or a region list from AWS
            print(message if p.kind != "planned" else f"planned {plural(p.total, 'collection')}: {message}",
                  file=self.stream)  # fmt: skip
        elif p.kind == "task_done":
            print(
                f"[{p.done}/{p.total}] {p.service} {p.region}: pass {p.passed}, fail {p.failed}, "
                f"error {p.errors}",
                file=self.stream,
            )


def summary(assessment: Assessment, ran: set[str], seconds: float, path: Path) -> str:
    """Pass/fail/error by severity of the checks that ran, API calls and time."""
    counts: Counter[tuple[str, str]] = Counter()
    for finding in assessment.findings:
        if finding.check in ran:
            record = assessment.checks.get(finding.check)
            severity = record.severity.value if record else "medium"
            counts[(severity, finding.status.value)] += 1
    lines = [f"{'severity':<10}{'pass':>7}{'fail':>7}{'error':>7}{'n/a':>7}"]
    for sev in SEVERITIES:
        row = [
            counts[(sev, s.value)]
            for s in (Status.PASS, Status.FAIL, Status.ERROR, Status.NOT_APPLICABLE)
        ]
        if any(row):
            lines.append(f"{sev:<10}" + "".join(f"{n:>7}" for n in row))
    order = [Status.PASS, Status.FAIL, Status.ERROR, Status.NOT_APPLICABLE]
    totals = [sum(counts[(sev, s.value)] for sev in SEVERITIES) for s in order]
    lines.append(f"{'total':<10}" + "".join(f"{n:>7}" for n in totals))
    scan = assessment.scan
    scope = assessment.scope
    lines.append(
        f"Scan {scan.status.value}: account {scope.account_id}, {plural(len(scope.regions), 'region')}, "
        f"{plural(len(ran), 'check')}, {plural(scan.api_calls, 'API call')}, {seconds:.1f} s. "
        f"Saved to {path}."
    )
    if scan.subset:
        lines.append(f"Partial: this scan covered {scan.covered()}.")
    if scan.errors:
        # Expired credentials explain every error after them: say so first.
        first = next((e for e in scan.errors if "credentials expired" in e), scan.errors[0])
        lines.append(f"{len(scan.errors)} collections could not complete, e.g.: {first}")
    if scan.status is ScanStatus.CANCELLED:
        lines.append("Cancelled: the findings gathered so far are saved.")
    return "\n".join(lines)


def _checked(assessment: Assessment, ran: set[str]) -> tuple[set[str], set[str]]:
    """(checks that gave at least one pass, fail or n/a; checks with an error finding)."""
    judged: set[str] = set()
    unchecked: set[str] = set()
    for finding in assessment.findings:
        if finding.check in ran:
            (unchecked if finding.status is Status.ERROR else judged).add(finding.check)
    return judged, unchecked


def _fails_at(assessment: Assessment, ran: set[str], threshold: Severity) -> bool:
    # A failure accepted as a known risk does not count until its acceptance expires.
    from srm_tui.acceptances import Index

    accepted = Index.of(assessment)
    for finding in assessment.findings:
        if finding.check in ran and finding.status is Status.FAIL:
            record = assessment.checks.get(finding.check)
            serious = record is not None and record.severity.rank >= threshold.rank
            if serious and not (accepted and accepted.accepted(finding)):
                return True
    return False


# --- checks and policy -------------------------------------------------------------------


def _checks_options(parser: argparse.ArgumentParser) -> None:
    format_option(parser, "table", "json")


@command("checks", "List the automatic checks.", _checks_options)
def checks_command(args: argparse.Namespace) -> int:
    from srm_tui import checklist

    metas = checklist.load().metas()
    if args.format == "json":
        rows = [
            {
                "id": m.id,
                "title": m.title,
                "service": m.service,
                "severity": m.severity.value,
                "responsibility": m.responsibility.value,
                "scope": m.scope,
                "frameworks": {k: list(v) for k, v in m.frameworks.items()},
                "remediation": m.remediation,
                "api_calls": list(m.api_calls),
                "parameters": {k: list(v) if isinstance(v, tuple) else v for k, v in m.parameters},
            }
            for m in metas
        ]
        sys.stdout.write(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")
        return 0
    for m in metas:
        print(f"{m.id:<44} {m.severity.value:<9} {m.scope:<9} {m.title}")
    print(f"\n{len(metas)} checks.")
    return 0


def policy_document() -> dict[str, object]:
    """The least-privilege IAM policy of the identity that scans: every action the
    checks' collectors may call, plus the Organizations reads of an organization scan."""
    from srm_tui import policy

    # securityhub:GetFindings is read-only too: 'import --security-hub' reads with it.
    return policy.policy_document(sorted({*policy.management_actions(), "securityhub:GetFindings"}))


def _policy_options(parser: argparse.ArgumentParser) -> None:
    format_option(parser, "json", "cloudformation")
    parser.add_argument(
        "--wa-sync",
        action="store_true",
        help="the separate write policy of 'wa-sync' (the Well-Architected Tool only)",
    )
    parser.epilog = (
        "json: the read-only policy of the identity that runs srm-tui. cloudformation: a "
        "template for the member accounts' read-only role (checks only, trusted by the "
        "management account, optional external id), to deploy with a StackSet."
    )


@command(
    "policy",
    "Print the least-privilege IAM policy (JSON), the member accounts' role as a "
    "CloudFormation template, or (--wa-sync) the Well-Architected sync's own policy.",
    _policy_options,
)
def policy_command(args: argparse.Namespace) -> int:
    if args.wa_sync and args.format == "cloudformation":
        # Else the JSON policy came out, and a StackSet was handed the wrong document.
        raise UsageError(
            "--wa-sync prints the Well-Architected sync's policy as JSON only; --format "
            "cloudformation is the member accounts' read-only role: ask for one at a time."
        )
    if args.wa_sync:
        from srm_tui import wa_sync

        sys.stdout.write(json.dumps(wa_sync.policy_document(), indent=2) + "\n")
        return 0
    if args.format == "cloudformation":
        from srm_tui import policy

        sys.stdout.write(policy.template_text())
        return 0
    sys.stdout.write(json.dumps(policy_document(), indent=2) + "\n")
    return 0
