"""The scan: identity first, then collectors in parallel, checks as soon as their data
is in, and the assessment updated in place.

Collectors run in a thread pool, each (collector, region) once; a check for a region
is evaluated the moment every collector it needs for that region has finished, so
progress shows real pass/fail counts while the scan runs. A collector that fails
turns into one ``error`` finding per check and region that needed it.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field

from srm_tui.aws.account_api import AccountApi, Memo
from srm_tui.aws.api import GLOBAL
from srm_tui.aws.collectors import Collector
from srm_tui.aws.errors import CollectError
from srm_tui.aws.ledger import Ledger
from srm_tui.aws.regions import check_names, enabled_regions
from srm_tui.aws.session import AwsSession, Cancelled, endpoint_from_env
from srm_tui.checklist import Checklist
from srm_tui.checklist import load as load_checklist
from srm_tui.checks.context import Check, Context, evaluate
from srm_tui.errors import UsageError
from srm_tui.model import Assessment, CheckRecord, Finding, Parameter, ScanStatus, Status, now
from srm_tui.sanitize import clean
from srm_tui.secrets import redact

Key = tuple[str, str]  # (collector, region or "global")

__all__ = ["Progress", "ScanOptions", "endpoint_from_env", "scan", "select_checks"]

# Collectors whose non-empty result shows a service in use, for those registered
# without an ``in_use`` test of their own.
_IN_USE = {
    "ec2.instances": "ec2", "s3.buckets": "s3", "lambda.functions": "lambda",
    "ecs.task_definitions": "ecs", "ecs.clusters": "ecs", "eks.clusters": "eks",
    "rds.instances": "rds", "dynamodb.tables": "dynamodb", "efs.file_systems": "efs",
    "ecr.repositories": "ecr", "secretsmanager.secrets": "secretsmanager",
}  # fmt: skip


def _in_use_test(col: Collector) -> Callable[[object], bool] | None:
    if col.in_use is not None:
        return col.in_use
    return bool if col.name in _IN_USE else None


@dataclass(frozen=True, slots=True)
class ScanOptions:
    """What to scan and how."""

    profile: str | None = None
    regions: tuple[str, ...] = ()  # empty: the profile's/default region
    all_regions: bool = False  # the account's enabled regions (ec2:DescribeRegions)
    endpoint_url: str | None = None  # else AWS_ENDPOINT_URL, else real AWS
    checks: tuple[str, ...] = ()  # check ids or service prefixes; empty = all
    jobs: int = 8
    # Control parameters set by the scope: check id -> parameter -> value.
    parameters: Mapping[str, Mapping[str, Parameter]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Progress:
    """One progress event, posted from worker threads, often."""

    kind: str  # "identity" | "planned" | "task_started" | "task_done" | "message" | "finished"
    service: str = ""
    region: str = ""
    done: int = 0  # tasks (collector runs) finished so far
    total: int = 0  # tasks planned
    passed: int = 0  # running totals of findings
    failed: int = 0
    errors: int = 0
    api_calls: int = 0
    message: str = ""
    not_applicable: int = 0  # running total of findings that do not apply
    error: str = ""  # task_done of a collection that failed: why, in one sentence


@dataclass(slots=True)
class _Evaluation:
    """One check for one region ("global" for global checks) and the data it awaits."""

    check: Check
    region: str
    needs: tuple[Key, ...]
    waiting: int = 0


@dataclass(slots=True)
class _State:
    lock: threading.Lock = field(default_factory=threading.Lock)
    findings: list[Finding] = field(default_factory=list)
    evaluated: set[tuple[str, str]] = field(default_factory=set)  # (check id, region)
    done: int = 0
    passed: int = 0
    failed: int = 0
    errors: int = 0
    not_applicable: int = 0


def select_checks(patterns: Iterable[str], checklist: Checklist | None = None) -> list[Check]:
    """The checks to run: all, or those named by id or service prefix (exit 2 if none)."""
    checklist = checklist or load_checklist()
    wanted = [p.strip() for p in patterns if p.strip()]
    if not wanted:
        return [checklist.checks[cid] for cid in checklist.ids()]
    chosen = checklist.select(wanted)
    matched = {
        p for p in wanted if any(c.meta.id == p or c.meta.id.startswith(p + ".") for c in chosen)
    }
    unknown = [p for p in wanted if p not in matched]
    if unknown:
        raise UsageError(
            f"no check matches {', '.join(unknown)}; 'srm-tui checks' lists the check ids."
        )
    return chosen


def scan(
    assessment: Assessment,
    options: ScanOptions,
    on_progress: Callable[[Progress], None] = lambda p: None,
    cancel: threading.Event | None = None,
    *,
    ledger: Ledger | None = None,
    checklist: Checklist | None = None,
) -> Assessment:
    """Identity first (sts:GetCallerIdentity); no/expired credentials or a dead endpoint
    raise SrmError with one clear sentence within seconds, before the assessment is
    changed. Then collects in parallel and evaluates the checks, updating the
    assessment in place (scope, scan, checks, and the findings of the checks that ran).
    On cancel it stops promptly, keeps the findings gathered so far, status 'cancelled'.
    The caller saves. ``ledger`` (optional) receives every API call, for inspection;
    ``checklist`` (optional) replaces the shipped checks and collectors."""
    cancel = cancel or threading.Event()
    started = now()
    clock = time.monotonic()
    checklist = checklist or load_checklist()
    collectors = checklist.collectors
    checks = select_checks(options.checks, checklist)
    check_names(options.regions)
    ledger = ledger if ledger is not None else Ledger()
    jobs = max(1, min(int(options.jobs or 1), 64))
    # Each collector may run a few detail calls at once (Api.each): room for all of them.
    session = AwsSession(options.profile, options.endpoint_url, ledger, cancel, pool=jobs * 5)
    home = options.regions[0] if options.regions else session.default_region
    identity = session.identity(home)
    _post(
        on_progress,
        Progress("identity", message=f"account {identity.account_id} as {identity.arn}"),
    )

    skipped: list[str] = []
    if options.all_regions:
        regions, skipped = enabled_regions(session, home)
        if skipped:
            _post(
                on_progress,
                Progress(
                    "message",
                    message=f"skipped {len(skipped)} opt-in regions not enabled in the account: "
                    + ", ".join(skipped),
                ),
            )
        if home not in regions and regions:
            home = regions[0]
    else:
        regions = list(dict.fromkeys(options.regions or (home,)))
    api = AccountApi(
        session, identity.account_id, identity.partition, regions, home, Memo(),
        collectors=collectors,
    )  # fmt: skip

    evaluations, tasks = _plan(checks, regions, collectors, inventory=not options.checks)
    waiting_on: dict[Key, list[_Evaluation]] = {}
    for ev in evaluations:
        for key in ev.needs:
            waiting_on.setdefault(key, []).append(ev)
    state = _State()
    total = len(tasks)

    def progress(kind: str, key: Key = ("", ""), message: str = "", error: str = "") -> Progress:
        service = collectors[key[0]].service if key[0] in collectors else ""
        return Progress(
            kind, service, key[1], state.done, total, state.passed, state.failed,
            state.errors, ledger.total, message, state.not_applicable, error,
        )  # fmt: skip

    def finish_key(key: Key) -> None:
        ready: list[_Evaluation] = []
        with state.lock:
            state.done += 1
            for ev in waiting_on.get(key, ()):
                ev.waiting -= 1
                if ev.waiting == 0:
                    ready.append(ev)
        for ev in ready:
            found = _evaluate(ev, api, regions, identity.account_id, identity.partition, options)
            with state.lock:
                state.findings.extend(found)
                state.evaluated.add((ev.check.meta.id, ev.region))
                for finding in found:
                    if finding.status is Status.PASS:
                        state.passed += 1
                    elif finding.status is Status.FAIL:
                        state.failed += 1
                    elif finding.status is Status.ERROR:
                        state.errors += 1
                    else:
                        state.not_applicable += 1

    def run_task(key: Key) -> None:
        if cancel.is_set():
            return
        _post(on_progress, progress("task_started", key))
        error = ""
        try:
            api.run(*key)
        except CollectError as exc:
            # Remembered by the memo; the checks that need it report it.
            error = redact(clean(exc.reason))
        except Cancelled:
            return
        finish_key(key)
        _post(on_progress, progress("task_done", key, error=error))

    _post(on_progress, progress("planned", message=f"{len(checks)} checks in {', '.join(regions)}"))
    for ev in evaluations:
        if not ev.needs:  # a check over no collected data runs at once
            state.findings.extend(
                _evaluate(ev, api, regions, identity.account_id, identity.partition, options)
            )
            state.evaluated.add((ev.check.meta.id, ev.region))
    cancelled = _run_pool(tasks, run_task, jobs, cancel)

    with state.lock:
        new_findings = [_clean(f) for f in state.findings]
        evaluated = set(state.evaluated)
    failures = sorted(
        {
            err.reason
            for key in tasks
            if api.memo.done(key)
            for err in [api.memo.outcome(key)[1]]
            if err
        }
    )
    subset = _update(
        assessment, options, identity.account_id, regions, checks, new_findings, evaluated,
        services=_services_in_use(api, tasks, collectors), endpoint_url=session.endpoint_url,
        whole=not cancelled,
    )  # fmt: skip
    scan_info = assessment.scan
    scan_info.checks = tuple(p.strip() for p in options.checks if p.strip())
    scan_info.regions = tuple(regions)
    scan_info.subset = subset
    if cancelled:
        scan_info.status = ScanStatus.CANCELLED
    elif failures or state.errors or subset:
        # A scan of some checks or regions says so: the other findings are older.
        scan_info.status = ScanStatus.PARTIAL
    else:
        scan_info.status = ScanStatus.COMPLETE
    scan_info.started = started
    scan_info.finished = now()
    scan_info.api_calls = ledger.total
    scan_info.calls = ledger.by_operation()
    scan_info.errors = tuple(redact(clean(e)) for e in failures)
    seconds = time.monotonic() - clock
    _post(on_progress, progress("finished", message=f"{scan_info.status.value} in {seconds:.1f} s"))
    return assessment


def _post(on_progress: Callable[[Progress], None], event: Progress) -> None:
    # A broken display must not break the scan.
    with contextlib.suppress(Exception):
        on_progress(event)


def _plan(
    checks: list[Check], regions: list[str], collectors: Mapping[str, Collector], inventory: bool
) -> tuple[list[_Evaluation], list[Key]]:
    def keys(name: str, region: str | None) -> list[Key]:
        if collectors[name].scope == GLOBAL:
            return [(name, GLOBAL)]
        return [(name, region)] if region else [(name, r) for r in regions]

    evaluations: list[_Evaluation] = []
    for found in checks:
        targets = regions if found.meta.scope == "regional" else [None]
        for region in targets:
            needs = tuple(dict.fromkeys(k for n in found.needs for k in keys(n, region)))
            evaluations.append(_Evaluation(found, region or GLOBAL, needs, len(needs)))
    tasks = list(dict.fromkeys(k for ev in evaluations for k in ev.needs))
    if inventory:
        for name in sorted(collectors):
            if _in_use_test(collectors[name]) is not None:
                tasks.extend(k for k in keys(name, None) if k not in tasks)
    # Global collectors first: IAM's credential report is the slowest single item.
    tasks.sort(key=lambda k: (k[1] != GLOBAL,))
    return evaluations, tasks


def _run_pool(
    tasks: list[Key], run_task: Callable[[Key], None], jobs: int, cancel: threading.Event
) -> bool:
    """Run every task; True when cancelled (also by Ctrl-C in the calling thread)."""
    pool = ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="srm-scan")
    futures: set[Future[None]] = {pool.submit(run_task, key) for key in tasks}
    try:
        while futures:
            _, futures = wait(futures, timeout=0.2, return_when=FIRST_COMPLETED)
            if cancel.is_set():
                break
    except KeyboardInterrupt:
        cancel.set()
    pool.shutdown(wait=True, cancel_futures=True)
    return cancel.is_set()


def _evaluate(
    ev: _Evaluation,
    api: AccountApi,
    regions: list[str],
    account_id: str,
    partition: str,
    options: ScanOptions,
) -> list[Finding]:
    data: dict[Key, object] = {}
    failed: list[tuple[Key, CollectError]] = []
    for key in ev.needs:
        value, error = api.memo.outcome(key)
        if error is not None:
            failed.append((key, error))
        else:
            data[key] = value
    meta = ev.check.meta
    parameters = {**meta.parameter_defaults(), **options.parameters.get(meta.id, {})}
    ctx = Context(meta.id, ev.region, account_id, data, partition, regions, parameters)
    if failed:
        # One error per region whose data is missing, naming why; never a pass or fail.
        by_region: dict[str, list[str]] = {}
        for (_, region), error in failed:
            where = ev.region if region == GLOBAL else region
            by_region.setdefault(where, [])
            if error.reason not in by_region[where]:
                by_region[where].append(error.reason)
        return [
            ctx.error(ctx.account_arn(meta.service, region), "; ".join(reasons), region)
            for region, reasons in sorted(by_region.items())
        ]
    return evaluate(ev.check, ctx)


def _clean(finding: Finding) -> Finding:
    # The last guard: no secret value seen in AWS leaves the scan in a detail text, and
    # no terminal escape hidden in a resource's name or policy reaches a file or screen.
    detail = redact(clean(finding.detail))
    resource = redact(clean(finding.resource))
    if detail == finding.detail and resource == finding.resource:
        return finding
    return Finding(finding.check, finding.region, resource, finding.status, detail)


def _services_in_use(
    api: AccountApi, tasks: list[Key], collectors: Mapping[str, Collector]
) -> set[str]:
    services: set[str] = set()
    for key in tasks:
        test = _in_use_test(collectors[key[0]])
        if test is None or not api.memo.done(key):
            continue
        value, error = api.memo.outcome(key)
        if error is None:
            try:
                if test(value):
                    services.add(_IN_USE.get(key[0], collectors[key[0]].service))
            except Exception:
                continue
    return services


def _update(
    assessment: Assessment,
    options: ScanOptions,
    account_id: str,
    regions: list[str],
    checks: list[Check],
    findings: list[Finding],
    evaluated: set[tuple[str, str]],
    services: set[str],
    endpoint_url: str | None,
    whole: bool = True,
) -> bool:
    """Put the scan's findings into the assessment, replacing those of the checks and
    regions it evaluated and keeping the others; True when findings of earlier scans
    were kept (the scan covered a subset: some checks or some regions)."""
    scope = assessment.scope
    scope.account_id = account_id
    scope.all_regions = options.all_regions
    scope.profile = options.profile or ""
    scope.endpoint_url = endpoint_url or ""
    if not options.checks and whole:
        scope.services = tuple(sorted(services))
    else:
        # Some services' inventory did not run (a subset, or cancelled): keep what an
        # earlier scan found in use rather than forgetting it.
        scope.services = tuple(sorted(set(scope.services) | services))
    for found in checks:
        assessment.checks[found.meta.id] = CheckRecord.from_meta(found.meta)
    scope_of = {c.meta.id: c.meta.scope for c in checks}

    def replaced(old: Finding) -> bool:
        kind = scope_of.get(old.check)
        if kind is None:
            return False
        if kind == "regional":
            return (old.check, old.region) in evaluated
        return (old.check, GLOBAL) in evaluated

    kept = [f for f in assessment.findings if not replaced(f)]
    assessment.findings = kept + sorted(findings, key=lambda f: (f.check, f.region, f.resource))
    # The regions of the review are those its findings come from, this scan's first.
    older = [f.region for f in kept if f.region != GLOBAL and f.region not in regions]
    scope.regions = tuple(dict.fromkeys([*regions, *older]))
    assessment.updated = now()
    return bool(options.checks) or bool(older)
