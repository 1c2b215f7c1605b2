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
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from srm_tui.aws.account_api import AccountApi, Memo
from srm_tui.aws.api import GLOBAL
from srm_tui.aws.collectors import Collector, UndeclaredRead
from srm_tui.aws.errors import DENIED, CollectError
from srm_tui.aws.ledger import Ledger
from srm_tui.aws.regions import check_names, enabled_regions
from srm_tui.aws.roles import RoleError, assumed_session
from srm_tui.aws.session import AwsSession, Cancelled, Identity, endpoint_from_env
from srm_tui.checklist import Checklist
from srm_tui.checklist import load as load_checklist
from srm_tui.checks.context import Check, Context, evaluate
from srm_tui.errors import SrmError, UsageError
from srm_tui.memory import limit_malloc_arenas
from srm_tui.model import (
    Assessment,
    CheckRecord,
    Finding,
    Parameter,
    ScanInfo,
    ScanStatus,
    Status,
    now,
)
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
    services: set[str] = field(default_factory=set)  # found in use so far
    broken: list[BaseException] = field(default_factory=list)  # programming errors
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


@dataclass(frozen=True, slots=True)
class AccountTask:
    """One account to scan, as plain data: everything a worker needs to build its own
    session and nothing it must not carry. Never a credential: the worker's own
    credential chain (``profile``, the environment, an instance role) is used as it
    is, or to assume ``role_name`` in ``account_id``. Picklable, so it can travel to
    another process or machine."""

    account_id: str = ""  # "": the account the credentials are in
    role_name: str = ""  # "": the credentials' own account, no role assumed
    external_id: str = ""  # the member role's sts:ExternalId condition, if it has one
    partition: str = "aws"
    profile: str | None = None
    regions: tuple[str, ...] = ()  # empty: the profile's/default region
    all_regions: bool = False
    endpoint_url: str | None = None
    checks: tuple[str, ...] = ()
    jobs: int = 8
    # Control parameters set by the scope: check id -> parameter -> value.
    parameters: Mapping[str, Mapping[str, Parameter]] = field(default_factory=dict)

    @classmethod
    def from_options(cls, options: ScanOptions, **more: object) -> AccountTask:
        """The task of scanning the credentials' own account with ``options``."""
        return cls(
            profile=options.profile, regions=options.regions, all_regions=options.all_regions,
            endpoint_url=options.endpoint_url, checks=options.checks, jobs=options.jobs,
            parameters=options.parameters, **more,  # type: ignore[arg-type]
        )  # fmt: skip


@dataclass(slots=True)
class AccountResult:
    """What scanning one account found: plain data, picklable, ready to merge into that
    account's assessment with ``apply_result``."""

    account_id: str
    partition: str = "aws"
    arn: str = ""  # who scanned it
    regions: tuple[str, ...] = ()
    skipped_regions: tuple[str, ...] = ()  # opt-in regions not enabled (--all-regions)
    checks: tuple[str, ...] = ()  # the checks that ran
    requested: tuple[str, ...] = ()  # the check ids or prefixes asked for (empty: all)
    findings: list[Finding] = field(default_factory=list)
    evaluated: frozenset[tuple[str, str]] = frozenset()  # (check id, region) evaluated
    services: tuple[str, ...] = ()  # found in use
    scan: ScanInfo = field(default_factory=ScanInfo)
    endpoint_url: str = ""
    #: Why the account could not be scanned at all (its role could not be assumed...);
    #: ``findings`` then holds one ``error`` finding per check saying so.
    error: str = ""

    @property
    def cancelled(self) -> bool:
        """Whether the scan was stopped before it finished."""
        return self.scan.status is ScanStatus.CANCELLED


def scan(
    assessment: Assessment,
    options: ScanOptions,
    on_progress: Callable[[Progress], None] = lambda p: None,
    cancel: threading.Event | None = None,
    *,
    ledger: Ledger | None = None,
    checklist: Checklist | None = None,
) -> Assessment:
    """Scan the credentials' own account into ``assessment``: one account through
    ``scan_account``, the same path every account of an organization takes.

    Identity first (sts:GetCallerIdentity); no/expired credentials or a dead endpoint
    raise SrmError with one clear sentence within seconds, before the assessment is
    changed. Then collects in parallel and evaluates the checks, updating the
    assessment in place (scope, scan, checks, and the findings of the checks that ran).
    On cancel it stops promptly, keeps the findings gathered so far, status 'cancelled'.
    The caller saves. ``ledger`` (optional) receives every API call, for inspection;
    ``checklist`` (optional) replaces the shipped checks and collectors."""
    if assessment.organization is not None:
        raise SrmError(
            f"{assessment.name!r} is an organization review: scan it with "
            "'srm-tui scan FILE --organization'."
        )
    checklist = checklist or load_checklist()
    result = scan_account(
        AccountTask.from_options(options), on_progress, cancel, ledger=ledger, checklist=checklist
    )
    apply_result(assessment, result, options.profile or "", options.all_regions, checklist)
    return assessment


def scan_account(
    task: AccountTask,
    on_progress: Callable[[Progress], None] | None = None,
    cancel: threading.Event | None = None,
    *,
    ledger: Ledger | None = None,
    checklist: Checklist | None = None,
    sts: Any = None,
) -> AccountResult:
    """Scan one account and return what it found; the one function every scan runs,
    importable and picklable so that a worker elsewhere can run it.

    With ``task.role_name`` the account is reached by assuming that role; a role that
    cannot be assumed, or credentials that reach another account than
    ``task.account_id``, give a result with ``error`` set and one ``error`` finding per
    check (never a pass or a fail). Without a role, missing or expired credentials and
    a dead endpoint raise SrmError, as the single-account scan always did.
    ``ledger``, ``checklist`` and ``sts`` (an STS client for AssumeRole) are for
    callers in this process (tests, benchmarks)."""
    report = on_progress or (lambda p: None)
    cancel = cancel or threading.Event()
    limit_malloc_arenas()  # before the scan's threads start allocating
    started = now()
    clock = time.monotonic()
    checklist = checklist or load_checklist()
    collectors = checklist.collectors
    checks = select_checks(task.checks, checklist)
    check_names(task.regions)
    ledger = ledger if ledger is not None else Ledger()
    jobs = max(1, min(int(task.jobs or 1), 64))
    try:
        session, identity, home = _connect(task, ledger, cancel, jobs, sts)
    except RoleError as exc:
        return failed_result(task, str(exc), checks, started, ledger)
    except Cancelled:
        return cancelled_result(task, started, ledger)
    _post(report, Progress("identity", message=f"account {identity.account_id} as {identity.arn}"))

    skipped: list[str] = []
    if task.all_regions:
        try:
            regions, skipped = enabled_regions(session, home)
        except Cancelled:
            return cancelled_result(task, started, ledger)
        except SrmError as exc:
            if not task.role_name:
                raise
            return failed_result(task, str(exc), checks, started, ledger)
        if skipped:
            _post(
                report,
                Progress(
                    "message",
                    message=f"skipped {len(skipped)} opt-in regions not enabled in the account: "
                    + ", ".join(skipped),
                ),
            )
        if home not in regions and regions:
            home = regions[0]
    else:
        regions = list(dict.fromkeys(task.regions or (home,)))
    api = AccountApi(
        session, identity.account_id, identity.partition, regions, home, Memo(),
        collectors=collectors,
    )  # fmt: skip

    evaluations, tasks = _plan(checks, regions, collectors, inventory=not task.checks)
    # Each shared answer is kept only while a collector run that may ask for it is to come.
    api.memo.responses.plan(
        (collectors[name].api_calls, "" if region == GLOBAL else region) for name, region in tasks
    )
    # Each collector's result is kept only until its readers, its checks and its own
    # task are done with it.
    api.memo.plan(*_holds(evaluations, tasks, collectors))
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

    def evaluate_now(ev: _Evaluation) -> None:
        found = _evaluate(ev, api, regions, identity.account_id, identity.partition, task)
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
        for key in ev.needs:
            api.memo.let_go(key)

    def finish_key(key: Key) -> None:
        ready: list[_Evaluation] = []
        with state.lock:
            state.done += 1
            for ev in waiting_on.get(key, ()):
                ev.waiting -= 1
                if ev.waiting == 0:
                    ready.append(ev)
        for ev in ready:
            evaluate_now(ev)

    def run_task(key: Key) -> None:
        if cancel.is_set():
            return
        _post(report, progress("task_started", key))
        error = ""
        try:
            api.run(*key)
        except CollectError as exc:
            # Remembered by the memo; the checks that need it report it.
            error = redact(clean(exc.reason))
        except Cancelled:
            return
        except UndeclaredRead as exc:
            state.broken.append(exc)  # raised once the pool has stopped
            cancel.set()
            return
        finally:
            name, region = key
            api.memo.responses.finished(
                collectors[name].api_calls, "" if region == GLOBAL else region
            )
        finish_key(key)
        service = _in_use(api, key, collectors)
        if service:
            with state.lock:
                state.services.add(service)
        api.memo.let_go(key)  # its own task's hold
        _post(report, progress("task_done", key, error=error))

    _post(
        report,
        progress(
            "planned",
            message=f"{len(checks)} check{'s' * (len(checks) != 1)} in {', '.join(regions)}",
        ),
    )
    for ev in evaluations:
        if not ev.needs:  # a check over no collected data runs at once
            evaluate_now(ev)
    cancelled = _run_pool(tasks, run_task, jobs, cancel)
    if state.broken:
        raise state.broken[0]

    with state.lock:
        findings = [_clean(f) for f in state.findings]
        evaluated = frozenset(state.evaluated)
    failures = sorted(
        {err.reason for key in tasks if api.memo.done(key) for err in [api.memo.error(key)] if err}
    )
    refused = _denied_everything(api.memo, tasks) if task.role_name and not cancelled else 0
    if refused:
        return failed_result(
            task,
            f"the role {identity.arn} was assumed, but AWS denied every read the scan made "
            f"({refused} collectors, e.g. {failures[0]}): give the role read access (the "
            "SecurityAudit managed policy) and scan the account again",
            checks, started, ledger,
        )  # fmt: skip
    if cancelled:
        status = ScanStatus.CANCELLED
    elif failures or state.errors:
        status = ScanStatus.PARTIAL
    else:
        status = ScanStatus.COMPLETE
    info = ScanInfo(
        status=status,
        started=started,
        finished=now(),
        api_calls=ledger.total,
        errors=tuple(redact(clean(e)) for e in failures),
        calls=ledger.by_operation(),
    )
    seconds = time.monotonic() - clock
    _post(report, progress("finished", message=f"{status.value} in {seconds:.1f} s"))
    return AccountResult(
        account_id=identity.account_id,
        partition=identity.partition,
        arn=identity.arn,
        regions=tuple(regions),
        skipped_regions=tuple(skipped),
        checks=tuple(c.meta.id for c in checks),
        requested=tuple(p.strip() for p in task.checks if p.strip()),
        findings=sorted(findings, key=lambda f: (f.check, f.region, f.resource)),
        evaluated=evaluated,
        services=tuple(sorted(state.services)),
        scan=info,
        endpoint_url=session.endpoint_url or "",
    )


def _connect(
    task: AccountTask, ledger: Ledger, cancel: threading.Event, jobs: int, sts: Any = None
) -> tuple[AwsSession, Identity, str]:
    """The session, the identity it runs as, and the home region. RoleError when a
    member account cannot be reached; SrmError for the caller's own credentials."""
    # Each collector may run a few detail calls at once (Api.each): room for all of them.
    session = AwsSession(task.profile, task.endpoint_url, ledger, cancel, pool=jobs * 5)
    home = task.regions[0] if task.regions else session.default_region
    if not task.role_name:
        identity = session.identity(home)
        if task.account_id and identity.account_id != task.account_id:
            raise SrmError(
                f"The credentials are for account {identity.account_id}, not "
                f"{task.account_id}: scan with the management account's credentials."
            )
        return session, identity, home
    base = session.boto_session
    assumed = assumed_session(
        base, account_id=task.account_id, role_name=task.role_name, partition=task.partition,
        region=home, endpoint_url=session.endpoint_url, external_id=task.external_id,
        ledger=ledger, sts=sts,
    )  # fmt: skip
    member = AwsSession(
        task.profile, task.endpoint_url, ledger, cancel, pool=jobs * 5, boto_session=assumed
    )
    try:
        identity = member.identity(home)
    except SrmError as exc:
        raise RoleError(f"the role's credentials did not work: {exc}") from None
    if identity.account_id != task.account_id:
        # Never file one account's findings under another's id.
        raise RoleError(
            f"the role {task.role_name} led to account {identity.account_id}, not "
            f"{task.account_id}: nothing was scanned"
        )
    return member, identity, home


def failed_result(
    task: AccountTask,
    reason: str,
    checks: Sequence[Check],
    started: datetime | None = None,
    ledger: Ledger | None = None,
) -> AccountResult:
    """The result of an account that could not be scanned: one ``error`` finding per
    check, at account level, saying why; never a pass or a fail."""
    reason = redact(clean(reason))
    findings = [
        Finding(c.meta.id, GLOBAL, _account_arn(task, c.meta.service), Status.ERROR, reason)
        for c in checks
    ]
    calls = ledger.total if ledger is not None else 0
    info = ScanInfo(
        status=ScanStatus.FAILED,
        started=started or now(),
        finished=now(),
        api_calls=calls,
        errors=(reason,),
        calls=ledger.by_operation() if ledger is not None else {},
    )
    return AccountResult(
        account_id=task.account_id,
        partition=task.partition,
        regions=task.regions,
        checks=tuple(c.meta.id for c in checks),
        findings=findings,
        scan=info,
        endpoint_url=task.endpoint_url or "",
        error=reason,
    )


def cancelled_result(
    task: AccountTask, started: datetime | None = None, ledger: Ledger | None = None
) -> AccountResult:
    """The result of an account whose scan was cancelled before it found anything."""
    info = ScanInfo(
        status=ScanStatus.CANCELLED,
        started=started or now(),
        finished=now(),
        api_calls=ledger.total if ledger is not None else 0,
        calls=ledger.by_operation() if ledger is not None else {},
    )
    return AccountResult(task.account_id, task.partition, scan=info)


def _account_arn(task: AccountTask, service: str) -> str:
    return f"arn:{task.partition}:{service}::{task.account_id}:account"


def apply_result(
    assessment: Assessment,
    result: AccountResult,
    profile: str = "",
    all_regions: bool = False,
    checklist: Checklist | None = None,
) -> None:
    """Merge one account's result into its assessment: scope, scan, the checks that
    ran and their findings (those of checks and regions not scanned now are kept)."""
    checklist = checklist or load_checklist()
    checks = [checklist.checks[cid] for cid in result.checks if cid in checklist.checks]
    partial = len(checks) < len(checklist.checks)
    scope = assessment.scope
    scope.account_id = result.account_id
    scope.all_regions = all_regions
    scope.profile = profile
    scope.endpoint_url = result.endpoint_url
    if result.error:
        pass  # nothing was seen: the services in use stay as last found
    elif not partial and not result.cancelled:
        scope.services = result.services
    else:
        # Some services' inventory did not run (some checks, or cancelled): keep what
        # an earlier scan found in use rather than forgetting it.
        scope.services = tuple(sorted(set(scope.services) | set(result.services)))
    for found in checks:
        assessment.checks[found.meta.id] = CheckRecord.from_meta(found.meta)
    scope_of = {c.meta.id: c.meta.scope for c in checks}

    def replaced(old: Finding) -> bool:
        kind = scope_of.get(old.check)
        if kind is None:
            return False
        if result.error:
            return True  # the account could not be read: its old findings are stale
        if kind == "regional":
            return (old.check, old.region) in result.evaluated
        return (old.check, GLOBAL) in result.evaluated

    kept = [f for f in assessment.findings if not replaced(f)]
    assessment.findings = kept + result.findings
    # The regions of the review are those its findings come from, this scan's first.
    older = [f.region for f in kept if f.region != GLOBAL and f.region not in result.regions]
    if not result.error:
        scope.regions = tuple(dict.fromkeys([*result.regions, *older]))
    # A scan of some checks or some regions leaves earlier findings in place: it is
    # partial, and says what it covered.
    subset = not result.error and (partial or bool(older))
    status = result.scan.status
    if subset and status is ScanStatus.COMPLETE:
        status = ScanStatus.PARTIAL
    assessment.scan = replace(
        result.scan,
        status=status,
        errors=tuple(result.scan.errors),
        checks=tuple(result.requested),
        regions=tuple(result.regions),
        subset=subset,
    )
    assessment.updated = now()


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
    task: AccountTask,
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
    parameters = {**meta.parameter_defaults(), **task.parameters.get(meta.id, {})}
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


def _denied_everything(memo: Memo, tasks: Sequence[Key]) -> int:
    """How many collectors ran, when AWS denied every one of them (else 0): a member
    role that may be assumed but may read nothing has not been scanned at all."""
    ran = [memo.error(key) for key in tasks if memo.done(key)]
    if ran and all(err is not None and err.kind == DENIED for err in ran):
        return len(ran)
    return 0


def _clean(finding: Finding) -> Finding:
    # The last guard: no secret value seen in AWS leaves the scan in a detail text, and
    # no terminal escape hidden in a resource's name or policy reaches a file or screen.
    detail = redact(clean(finding.detail))
    resource = redact(clean(finding.resource))
    if detail == finding.detail and resource == finding.resource:
        return finding
    return Finding(finding.check, finding.region, resource, finding.status, detail)


def _in_use(api: AccountApi, key: Key, collectors: Mapping[str, Collector]) -> str:
    """The service a finished task's result shows in use, or ""."""
    test = _in_use_test(collectors[key[0]])
    if test is None or not api.memo.done(key) or api.memo.error(key) is not None:
        return ""
    try:
        in_use = test(api.memo.outcome(key)[0])
    except Exception:
        return ""
    return _IN_USE.get(key[0], collectors[key[0]].service) if in_use else ""


def _holds(
    evaluations: list[_Evaluation], tasks: list[Key], collectors: Mapping[str, Collector]
) -> tuple[dict[Key, int], dict[Key, tuple[Key, ...]]]:
    """Who holds each collector result of the scan (its own task, each collector run
    that reads it, each check evaluation that needs it) and which results each run
    reads; a result read only by another collector (never a task itself) counts too."""
    holds: Counter[Key] = Counter(tasks)
    reads: dict[Key, tuple[Key, ...]] = {}
    pending = list(tasks)
    while pending:
        key = pending.pop()
        if key in reads:
            continue
        name, region = key
        reads[key] = tuple(
            dict.fromkeys(
                (other, GLOBAL if collectors[other].scope == GLOBAL else region)
                for other in collectors[name].reads
            )
        )
        for read in reads[key]:
            holds[read] += 1
            pending.append(read)
    for ev in evaluations:
        holds.update(ev.needs)
    return dict(holds), reads
