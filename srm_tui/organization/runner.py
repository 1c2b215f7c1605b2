"""The organization scan: list the organization, choose the accounts of this round,
scan them through an executor a few at a time, and keep each account's findings in
its own file the moment that account finishes.

The management side (the caller) lists the organization and writes the files; the
accounts are scanned by ``srm_tui.scan.scan_account`` wherever the executor runs it,
from a plain-data task. The caller's own account is scanned with its credentials,
every other account through the member role. At most ``parallel`` results are held
at once, and each is dropped once written: memory does not grow with the number of
accounts. After each account the assessment is saved too, so a scan that is killed
loses at most the accounts it was scanning; run again, it continues the round.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace

from srm_tui.acceptances import Index
from srm_tui.aws.ledger import Ledger
from srm_tui.aws.organization import read_organization
from srm_tui.aws.regions import check_names
from srm_tui.aws.roles import DEFAULT_ROLE
from srm_tui.aws.session import AwsSession
from srm_tui.checklist import Checklist
from srm_tui.checklist import load as load_checklist
from srm_tui.checks.context import Check
from srm_tui.errors import InputFileError, SrmError, UsageError
from srm_tui.model import (
    AccountState,
    Assessment,
    OrgAccount,
    Organization,
    ScanStatus,
    Status,
    now,
    today,
)
from srm_tui.organization import files
from srm_tui.organization.executor import (
    DEFAULT_PARALLEL,
    LOCAL,
    Executor,
    ExecutorLost,
    LocalExecutor,
    Outcome,
    cluster_address,
)
from srm_tui.organization.selection import (
    AccountFilter,
    chosen,
    finish_round,
    merge_listing,
    plan_round,
    round_finished,
)
from srm_tui.sanitize import clean
from srm_tui.scan import (
    AccountResult,
    AccountTask,
    Progress,
    ScanOptions,
    apply_result,
    failed_result,
    select_checks,
)
from srm_tui.secrets import redact
from srm_tui.store import OpenAssessment

MAX_PARALLEL = 64


@dataclass(frozen=True, slots=True)
class OrgScanOptions:
    """What an organization scan covers and how it reaches the accounts.
    ``scan`` holds the options of each account's scan (regions, checks, jobs...)."""

    scan: ScanOptions = field(default_factory=ScanOptions)
    role_name: str = DEFAULT_ROLE
    external_id: str = ""
    selection: AccountFilter = field(default_factory=AccountFilter)
    parallel: int = DEFAULT_PARALLEL
    rescan: bool = False
    demo: bool = False  # the emulated organization: no endpoint kept in the files
    executor: str = LOCAL  # where the accounts run: "local" or "dask://HOST:PORT"


@dataclass(frozen=True, slots=True)
class OrgProgress:
    """One event of an organization scan, posted from worker threads.

    ``kind``: "listed" (the organization read), "round" (the accounts of this run
    chosen), "account_started", "account_progress" (``account`` carries the account
    scan's own Progress), "account_done", "message", "finished"."""

    kind: str
    account_id: str = ""
    name: str = ""
    done: int = 0  # accounts finished in this run
    total: int = 0  # accounts to scan in this run
    running: tuple[str, ...] = ()  # accounts being scanned now
    failed: int = 0  # accounts that could not be scanned, so far
    state: str = ""  # the account's state once done
    message: str = ""
    account: Progress | None = None


@dataclass(slots=True)
class OrgScanOutcome:
    """How an organization scan went."""

    organization: str
    round: int
    resumed: bool
    scanned: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    already_done: list[str] = field(default_factory=list)
    unfinished: list[str] = field(default_factory=list)  # chosen, not done (cancelled)
    cancelled: bool = False
    round_complete: bool = False
    api_calls: int = 0
    seconds: float = 0.0
    #: Failing findings of the checks this run scanned, by severity (for --fail-on).
    failing: Counter[str] = field(default_factory=Counter)


def check_options(options: OrgScanOptions, checklist: Checklist | None = None) -> None:
    """Bad usage before any call to AWS (exit 2)."""
    if not 1 <= options.parallel <= MAX_PARALLEL:
        raise UsageError(f"--parallel-accounts must be between 1 and {MAX_PARALLEL}.")
    name = options.role_name
    if not name or len(name) > 512 or any(c.isspace() or c in ":*?\"'" for c in name):
        raise UsageError(f"{name!r} is not an IAM role name (letters, digits, +=,.@_- and /).")
    if options.external_id and not 2 <= len(options.external_id) <= 1224:
        raise UsageError("--external-id must be 2 to 1224 characters long.")
    select_checks(options.scan.checks, checklist)
    check_names(options.scan.regions)
    if cluster_address(options.executor) is not None:
        from srm_tui.organization.cluster import import_distributed

        import_distributed()  # without the extra: one sentence before any call to AWS


def executor_for(spec: str, parallel: int = DEFAULT_PARALLEL) -> Executor:
    """The executor an ``--executor`` value names: threads here, ``parallel`` accounts
    at a time, or the Dask cluster at ``dask://HOST:PORT`` (its workers' threads set
    how many accounts run at once). SrmError when the scheduler does not answer or
    Dask is not installed."""
    address = cluster_address(spec)
    if address is None:
        return LocalExecutor(parallel)
    from srm_tui.organization.cluster import DaskExecutor

    return DaskExecutor(address)


def scan_organization(
    opened: OpenAssessment,
    options: OrgScanOptions,
    on_progress: Callable[[OrgProgress], None] | None = None,
    cancel: threading.Event | None = None,
    *,
    executor: Executor | None = None,
    checklist: Checklist | None = None,
) -> OrgScanOutcome:
    """Scan the organization the credentials manage into the review ``opened``.

    Bad usage and a caller that may not list the organization raise before anything is
    written. Each account's file is written, and the assessment saved, as that account
    finishes. ``executor`` (default: threads here, ``options.parallel`` at a time) runs
    the accounts (``options.executor`` names one otherwise); ``cancel`` (or Ctrl-C) stops the scan, keeping every finished
    account. The assessment is saved before returning."""
    post = _poster(on_progress)
    cancel = cancel or threading.Event()
    clock = time.monotonic()
    checklist = checklist or load_checklist()
    check_options(options, checklist)
    assessment = opened.assessment
    _refuse_single_account(assessment, opened)
    checks = select_checks(options.scan.checks, checklist)

    ledger = Ledger()
    session = AwsSession(options.scan.profile, options.scan.endpoint_url, ledger, cancel)
    home = options.scan.regions[0] if options.scan.regions else session.default_region
    caller = session.identity(home)
    listing = read_organization(session, home, caller)
    org = assessment.organization
    if org is not None and org.id and listing.id and org.id != listing.id:
        raise SrmError(
            f"{opened.path} is a review of organization {org.id}; these credentials are in "
            f"organization {listing.id}: use another file."
        )
    if org is None:
        org = assessment.organization = Organization()
    merge_listing(org, listing)
    unknown = options.selection.unknown(org)
    if unknown:
        raise UsageError(
            f"organization {org.id} has no account or OU {', '.join(unknown)}; "
            f"'srm-tui accounts {opened.path}' lists them after a scan."
        )
    if not chosen(org, options.selection):
        # Run on, it would start (or close) a round of nothing over the last scan's record.
        raise UsageError(
            f"--accounts, --exclude-accounts and --ou together choose no account of "
            f"organization {org.id}: nothing to scan ('srm-tui accounts {opened.path}' "
            "lists the accounts and their OUs)."
        )
    if org.external_id and not options.external_id:
        post(OrgProgress("message", message="The accounts were reached with an external id "
                         "before: without --external-id their roles may refuse."))  # fmt: skip
    org.role_name = options.role_name
    org.external_id = bool(options.external_id)
    post(OrgProgress("listed", message=f"organization {org.id}: {len(listing.accounts)} "
                     f"accounts, management account {org.management_account}"))  # fmt: skip

    started = now()
    plan = plan_round(org, options.selection, options.rescan, started)
    _set_scope(assessment, options, caller.account_id, org)
    assessment.scan = replace(assessment.scan, status=ScanStatus.PARTIAL, started=started)
    opened.save()
    files.clean_folder(opened.path)
    outcome = OrgScanOutcome(
        org.id, plan.number, plan.resumed, skipped=plan.skipped, already_done=plan.already_done
    )
    for account_id in plan.skipped:
        status = org.accounts[account_id].status or "unknown"
        post(OrgProgress("message", account_id, message=f"skipped {account_id}: {status}"))
    verb = "continuing round" if plan.resumed else "round"
    post(OrgProgress("round", total=len(plan.to_scan), message=f"{verb} {plan.number}: "
                     f"{len(plan.to_scan)} accounts to scan, {len(plan.already_done)} done "
                     f"already, {len(plan.skipped)} skipped"))  # fmt: skip

    tracker = _Tracker(len(plan.to_scan), org, post)
    calls: Counter[str] = Counter(ledger.by_operation())
    total_calls = ledger.total
    own = executor or executor_for(options.executor, options.parallel)
    own.listen(tracker.event)
    if not plan.resumed and not options.selection.accounts and not options.selection.ous:
        assessment.scope.services = ()  # a whole new round: found in use anew
    # The caller's credentials stay here: on a cluster its own account takes the role too.
    caller_id = caller.account_id if own.own_credentials else ""
    lost: SrmError | None = None
    with own if executor is None else contextlib.nullcontext(own):
        for account_id in plan.to_scan:
            own.submit(_task(options, account_id, caller_id, caller.partition))
        try:
            for result in _outcomes(own, cancel, checks):
                total_calls += result.scan.api_calls
                calls.update(result.scan.calls)
                if result.cancelled:
                    continue  # stays pending: the next run of the round scans it again
                _keep(opened, org, result, options, checklist)
                _count_failing(outcome.failing, result, checklist, opened.assessment)
                (outcome.failed if result.error else outcome.scanned).append(result.account_id)
                tracker.finished(result.account_id, org.accounts[result.account_id].state)
        except ExecutorLost as exc:
            lost = exc  # the accounts finished are written; the rest stay pending

    outcome.cancelled = cancel.is_set()
    accounts = chosen(org, options.selection)
    outcome.unfinished = [a.account_id for a in accounts if a.state is AccountState.PENDING]
    outcome.round_complete = round_finished(org, accounts)
    if outcome.round_complete:
        finish_round(org, now())
    _set_scan(assessment, org, outcome, total_calls, dict(calls))
    opened.save()
    outcome.api_calls = total_calls
    outcome.seconds = time.monotonic() - clock
    post(OrgProgress("finished", done=tracker.done, total=tracker.total, failed=tracker.failed,
                     message=f"{assessment.scan.status.value} in {outcome.seconds:.1f} s"))  # fmt: skip
    if lost is not None:
        raise SrmError(
            f"{lost} The {tracker.done} accounts finished are kept in {opened.path}; "
            "run the same command again to scan the others."
        )
    return outcome


def _poster(on_progress: Callable[[OrgProgress], None] | None) -> Callable[[OrgProgress], None]:
    def post(event: OrgProgress) -> None:
        if on_progress is not None:
            with contextlib.suppress(Exception):  # a broken display must not break the scan
                on_progress(event)

    return post


def _refuse_single_account(assessment: Assessment, opened: OpenAssessment) -> None:
    if assessment.organization is None and (
        assessment.findings or assessment.scan.status is not ScanStatus.NEVER
    ):
        raise UsageError(
            f"{opened.path} is a review of one account ({assessment.scope.account_id or 'unknown'}): "
            "an organization review needs a file of its own; name a new file."
        )


def _task(options: OrgScanOptions, account_id: str, caller: str, partition: str) -> AccountTask:
    own = account_id == caller  # the caller's own account: its credentials, no role
    task = AccountTask.from_options(
        options.scan,
        account_id=account_id,
        role_name="" if own else options.role_name,
        external_id="" if own else options.external_id,
        partition=partition,
    )
    # Run elsewhere (a cluster, caller ""): the workers' own credential chain, whatever
    # profile names here.
    return task if caller else replace(task, profile=None)


def _outcomes(
    executor: Executor, cancel: threading.Event, checks: list[Check]
) -> Iterator[AccountResult]:
    """Each account's result as it arrives; a task that broke becomes a failed account;
    Ctrl-C or ``cancel`` stops the rest and still yields what finished."""
    over = threading.Event()
    watcher = threading.Thread(target=_watch, args=(cancel, over, executor), daemon=True)
    watcher.start()
    try:
        while True:
            try:
                for outcome in executor.results():
                    result = _result_of(outcome, checks)
                    if result is not None:
                        yield result
                    if cancel.is_set():
                        # Set while this result was handled (the wizard's Escape, a
                        # listener): stop the rest now, not when the watcher next looks.
                        executor.cancel()
                return
            except KeyboardInterrupt:
                cancel.set()
                executor.cancel()
    finally:
        over.set()


def _watch(cancel: threading.Event, over: threading.Event, executor: Executor) -> None:
    """Cancel the executor once ``cancel`` is set from elsewhere (the wizard)."""
    while not over.wait(0.2):
        if cancel.is_set():
            executor.cancel()
            return


def _result_of(outcome: Outcome, checks: list[Check]) -> AccountResult | None:
    if outcome.cancelled:
        return None
    if outcome.result is not None:
        return outcome.result
    reason = f"the account's scan stopped: {outcome.error or 'no reason given'}"
    return failed_result(outcome.task, reason, checks)


def _keep(
    opened: OpenAssessment,
    org: Organization,
    result: AccountResult,
    options: OrgScanOptions,
    checklist: Checklist,
) -> None:
    """Write one account's findings file, then record the account in the assessment."""
    account = org.accounts[result.account_id]
    try:
        previous = files.load_account(opened.path, result.account_id)
    except InputFileError:
        previous = None  # unreadable: this scan's findings take its place
    found = previous or Assessment(name="")
    found.name = f"{opened.assessment.name}: account {account.name or account.account_id}"
    apply_result(found, result, options.scan.profile or "", options.scan.all_regions, checklist)
    if options.demo:
        found.scope.demo = True
        found.scope.endpoint_url = ""
    try:
        files.save_account(opened.path, found)
    except SrmError as exc:
        account.state = AccountState.FAILED
        account.error = redact(clean(f"its findings could not be saved: {exc}"))
        opened.save()
        return
    account.state = AccountState.FAILED if result.error else AccountState.DONE
    account.error = result.error
    account.scanned = result.scan.finished or now()
    account.round = org.round
    account.api_calls = result.scan.api_calls
    account.scan_status = result.scan.status
    account.findings, account.failures = count_findings(found)
    scope = opened.assessment.scope
    scope.services = tuple(sorted(set(scope.services) | set(found.scope.services)))
    opened.save()


def _count_failing(
    into: Counter[str], result: AccountResult, checklist: Checklist, review: Assessment
) -> None:
    # What --fail-on weighs: a failure accepted as a known risk of this account does not
    # count until its acceptance expires, as in a single account's scan (nor ever, when
    # the acceptance breaks the review's policy).
    accepted = Index(review.acceptances, result.account_id, today(), review.max_acceptance_days)
    for finding in result.findings:
        if finding.status is Status.FAIL and not (accepted and accepted.accepted(finding)):
            found = checklist.checks.get(finding.check)
            into[found.meta.severity.value if found else "medium"] += 1


def count_findings(found: Assessment) -> tuple[dict[str, int], dict[str, int]]:
    """An account's findings by status, and its failures by severity."""
    statuses: Counter[str] = Counter()
    severities: Counter[str] = Counter()
    for finding in found.findings:
        statuses[finding.status.value] += 1
        if finding.status is Status.FAIL:
            record = found.checks.get(finding.check)
            severities[record.severity.value if record else "medium"] += 1
    return dict(statuses), dict(severities)


def _set_scope(
    assessment: Assessment, options: OrgScanOptions, caller: str, org: Organization
) -> None:
    scope = assessment.scope
    scope.account_id = org.management_account or caller
    scope.regions = tuple(options.scan.regions)
    scope.all_regions = options.scan.all_regions
    scope.profile = options.scan.profile or ""
    scope.endpoint_url = "" if options.demo else (options.scan.endpoint_url or "")
    scope.demo = options.demo


def _set_scan(
    assessment: Assessment,
    org: Organization,
    outcome: OrgScanOutcome,
    api_calls: int,
    calls: dict[str, int],
) -> None:
    if outcome.cancelled:
        status = ScanStatus.CANCELLED
    elif outcome.failed or outcome.unfinished or not outcome.round_complete:
        status = ScanStatus.PARTIAL
    else:
        status = ScanStatus.COMPLETE
    errors = tuple(
        f"account {a}: {org.accounts[a].error}" for a in outcome.failed if org.accounts[a].error
    )
    assessment.scan = replace(
        assessment.scan,
        status=status,
        finished=now(),
        api_calls=api_calls,
        errors=errors[:50],
        calls=dict(sorted(calls.items())),
    )


class _Tracker:
    """Counts accounts as they start and finish, and turns executor events into
    OrgProgress."""

    def __init__(self, total: int, org: Organization, post: Callable[[OrgProgress], None]) -> None:
        self.total = total
        self.done = 0
        self.failed = 0
        self._org = org
        self._post = post
        self._running: dict[str, None] = {}
        self._lock = threading.Lock()

    def _name(self, account_id: str) -> str:
        account: OrgAccount | None = self._org.accounts.get(account_id)
        return account.name if account else ""

    def event(self, task: AccountTask, event: Progress) -> None:
        account_id = task.account_id
        with self._lock:
            if event.kind == "account_started":
                self._running[account_id] = None
            running = tuple(self._running)
            done, failed = self.done, self.failed
        kind = "account_started" if event.kind == "account_started" else "account_progress"
        self._post(
            OrgProgress(
                kind,
                account_id,
                self._name(account_id),
                done,
                self.total,
                running,
                failed,
                account=event,
            )
        )

    def finished(self, account_id: str, state: AccountState) -> None:
        with self._lock:
            self._running.pop(account_id, None)
            self.done += 1
            if state is AccountState.FAILED:
                self.failed += 1
            running = tuple(self._running)
            done, failed = self.done, self.failed
        error = self._org.accounts[account_id].error
        self._post(
            OrgProgress(
                "account_done",
                account_id,
                self._name(account_id),
                done,
                self.total,
                running,
                failed,
                state.value,
                error,
            )
        )
