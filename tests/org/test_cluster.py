"""Organization scans on a Dask cluster (``--executor dask://HOST:PORT``): a local
cluster of two worker processes on 127.0.0.1 against the emulated organization.
The same findings as local threads, no credential in what the client submits,
cancellation, a worker that dies, a scheduler that goes away, and Dask not installed."""

from __future__ import annotations

import functools
import os
import pickle
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

distributed = pytest.importorskip("distributed", reason="the cluster extra is not installed")

from srm_tui import cli, store  # noqa: E402
from srm_tui.errors import SrmError  # noqa: E402
from srm_tui.model import AccountState  # noqa: E402
from srm_tui.organization import files  # noqa: E402
from srm_tui.organization.cluster import DaskExecutor  # noqa: E402
from srm_tui.organization.runner import OrgScanOptions, scan_organization  # noqa: E402
from srm_tui.scan import AccountResult, AccountTask, ScanOptions, scan_account  # noqa: E402
from tests.org.conftest import CHECKS, MANAGEMENT, REGION, account_files  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def cluster(org):
    """Two worker processes of one thread each, started inside the demo's environment
    (the workers' own credentials, as an instance role would give them)."""
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
            dashboard_address=None, silence_logs=50,
        ) as local,
        distributed.Client(local, set_as_default=False) as client,
    ):  # fmt: skip
        yield local, client


def _options(org, **more) -> OrgScanOptions:
    scan = ScanOptions(
        regions=(REGION,), endpoint_url=org.endpoint_url, checks=tuple(CHECKS.split(","))
    )
    return OrgScanOptions(scan=scan, **more)


def _findings(path: Path) -> dict[str, list[tuple[str, str, str, str, str]]]:
    found = {}
    for account_id in account_files(path):
        review = files.load_account(path, account_id)
        found[account_id] = sorted(
            (f.check, f.region, f.resource, f.status.value, f.detail) for f in review.findings
        )
    return found


def test_a_cluster_finds_exactly_what_local_threads_find(org, cluster, tmp_path) -> None:
    local, client = cluster
    here, there = tmp_path / "local.toml", tmp_path / "cluster.toml"
    assert cli.main(org.scan_args(here)) == 0
    address = local.scheduler_address.replace("tcp://", "dask://")
    assert cli.main(org.scan_args(there, "--executor", address)) == 0
    ours, theirs = _findings(here), _findings(there)
    assert set(ours) == {MANAGEMENT, org.id("production"), org.id("development"), org.id("sandbox")}
    assert all(ours.values())
    assert theirs == ours
    # Each account ran once, on the workers (each task counts its attempts there).
    runs = client.get_metadata(["srm-tui"])
    assert [sorted(r.values()) for r in runs.values()] == [[1, 1, 1, 1]]
    review = store.load(there)
    assert review.organization.round_finished is not None
    assert {a.state for a in review.organization.accounts.values() if a.status == "ACTIVE"} == {
        AccountState.DONE
    }


def test_no_credential_is_in_what_the_client_submits(org, cluster, tmp_path, monkeypatch) -> None:
    """The client's own credentials are sentinels; every task the scheduler receives is
    pickled again and searched for them."""
    local, client = cluster
    secrets = ("AKIASENTINELKEY00001", "sentinel/Secret+Key/0123456789abcdef", "sentinelTOKENvalue")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", secrets[0])
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", secrets[1])
    monkeypatch.setenv("AWS_SESSION_TOKEN", secrets[2])
    seen: list[bytes] = []

    class Recorder(distributed.diagnostics.plugin.SchedulerPlugin):
        def transition(self, key, start, finish, *args, **kwargs) -> None:
            if start == "released" and str(key).startswith("srm-account"):
                spec = local.scheduler.tasks[key].run_spec
                seen.append(distributed.protocol.pickle.dumps(spec))

    local.scheduler.add_plugin(Recorder(), name="srm-recorder")
    try:
        path = tmp_path / "org.toml"
        options = _options(org, external_id="xid-1234")
        with store.open_assessment(path) as opened:
            done = scan_organization(opened, options, executor=DaskExecutor(client=client))
    finally:
        local.scheduler.remove_plugin(name="srm-recorder")
    assert len(done.scanned) == 4 and len(seen) == 4
    sent = b"".join(seen)
    for account_id in (MANAGEMENT, org.id("production")):
        assert account_id.encode() in sent  # the tasks were seen
    for secret in secrets:
        assert secret.encode() not in sent
    task = pickle.loads(seen[0]).args[0]  # the run_spec: run_account(task, run_id, function)
    assert isinstance(task, AccountTask) and task.role_name and task.profile is None


def _block(task, on_progress, cancel):
    """Stands in for a long account scan: waits for the cancel event."""
    cancel.wait(30)
    return scan_account(task, on_progress, cancel)


def test_cancel_stops_running_accounts_and_drops_pending_ones(org, cluster, tmp_path) -> None:
    _, client = cluster
    stop = threading.Event()
    started: list[str] = []

    def progress(event) -> None:
        if event.kind == "account_started":
            started.append(event.account_id)
            stop.set()

    path = tmp_path / "org.toml"
    clock = time.monotonic()
    with store.open_assessment(path) as opened:
        executor = DaskExecutor(client=client, function=_block)
        done = scan_organization(opened, _options(org), progress, stop, executor=executor)
    assert done.cancelled and done.unfinished and not done.scanned
    assert time.monotonic() - clock < 20  # the blocked accounts saw the cancel
    assert started  # progress came back from the workers
    accounts = store.load(path).organization.accounts.values()
    assert {a.state for a in accounts if a.status == "ACTIVE"} == {AccountState.PENDING}
    # Two worker threads: at most two accounts started, the other two never ran.
    runs = client.get_metadata(["srm-tui", executor._run_id], {})
    assert len(runs) <= 2 < 4


def _die(marker: Path, task: AccountTask, on_progress, cancel) -> AccountResult:
    """Kills its worker process: every time, or only the first time (then a marker)."""
    if task.account_id == "111111111111":
        os._exit(1)
    if not marker.exists():
        marker.touch()
        os._exit(1)
    return AccountResult(task.account_id)


def test_a_worker_that_dies_is_retried_once_then_the_account_fails(cluster, tmp_path) -> None:
    _, client = cluster
    function = functools.partial(_die, tmp_path / "died-once")
    outcomes = {}
    for account_id in ("222222222222", "111111111111"):  # one at a time: no bystanders
        with DaskExecutor(client=client, function=function) as executor:
            executor.submit(AccountTask(account_id=account_id, role_name="Audit"))
            outcomes.update((o.task.account_id, o) for o in executor.results())
    survived, failed = outcomes["222222222222"], outcomes["111111111111"]
    assert survived.result is not None and survived.result.account_id == "222222222222"
    assert failed.result is None and "worker stopped while scanning it (2 tries)" in failed.error


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_forever(task, on_progress, cancel):
    if task.account_id != MANAGEMENT:
        time.sleep(60)
    return scan_account(task, on_progress, cancel)


def test_a_scheduler_that_goes_away_is_one_sentence_and_keeps_finished_accounts(
    org, tmp_path
) -> None:
    port = _free_port()
    # The scheduler and the worker unpickle this module's functions, named as pytest
    # imported them.
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(map(str, (ROOT, ROOT / "tests")))}
    dask = [sys.executable, "-m", "distributed.cli"]
    scheduler = subprocess.Popen(
        [*dask[:2], "distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port",
         str(port), "--no-dashboard"], env=env, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    worker = subprocess.Popen(
        [*dask[:2], "distributed.cli.dask_worker", f"tcp://127.0.0.1:{port}", "--nthreads",
         "4", "--no-dashboard", "--no-nanny", "--death-timeout", "5"],
        env=env, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:

        def progress(event) -> None:
            if event.kind == "account_done":
                scheduler.send_signal(signal.SIGKILL)

        path = tmp_path / "org.toml"
        executor = None
        for _ in range(60):  # the scheduler starts in a few seconds
            try:
                executor = DaskExecutor(
                    f"tcp://127.0.0.1:{port}", function=_wait_forever, timeout=2
                )
                break
            except SrmError:
                time.sleep(0.5)
        assert executor is not None
        executor._client.wait_for_workers(1, timeout=30)
        with store.open_assessment(path) as opened, pytest.raises(SrmError) as raised:
            scan_organization(opened, _options(org), progress, executor=executor)
        executor.close()
        message = str(raised.value)

        assert "went away" in message and "1 accounts finished are kept" in message
        assert "\n" not in message
        accounts = store.load(path).organization.accounts
        assert accounts[MANAGEMENT].state is AccountState.DONE
        assert list(account_files(path)) == [MANAGEMENT]
        pending = [a for a in accounts.values() if a.state is AccountState.PENDING]
        assert len(pending) == 3
    finally:
        for process in (worker, scheduler):
            process.kill()
            process.wait(10)


def test_without_dask_a_cluster_is_one_sentence(org, tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # import fails as if absent
    path = tmp_path / "org.toml"
    assert cli.main(org.scan_args(path, "--executor", "dask://127.0.0.1:8786")) == 1
    err = capsys.readouterr().err
    assert "install srm-tui[cluster]" in err and "Traceback" not in err
    assert not path.exists()  # refused before anything was written


@pytest.mark.parametrize(
    "spec", ["dask://", "tcp://127.0.0.1:8786", "dask://h:99999", "dask://a b:1"]
)
def test_a_bad_executor_is_bad_usage(org, tmp_path, capsys, spec) -> None:
    assert cli.main(org.scan_args(tmp_path / "org.toml", "--executor", spec)) == 2
    assert "neither 'local' nor dask://HOST:PORT" in capsys.readouterr().err


def test_a_scheduler_that_does_not_answer_is_one_sentence(
    org, tmp_path, capsys, monkeypatch
) -> None:
    monkeypatch.setattr("srm_tui.organization.cluster.CONNECT_TIMEOUT", 1.0)
    port = _free_port()
    code = cli.main(org.scan_args(tmp_path / "org.toml", "--executor", f"dask://127.0.0.1:{port}"))
    assert code == 1
    err = capsys.readouterr().err
    assert f"No Dask scheduler answered at 127.0.0.1:{port}" in err and "Traceback" not in err
