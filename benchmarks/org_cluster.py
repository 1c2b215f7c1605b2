"""Organizations of 50 and 200 emulated accounts scanned by local threads and by a local
Dask cluster: seconds, accounts per minute, and the client's peak memory.

    PYTHONPATH=. python benchmarks/org_cluster.py --sizes 50 200 --results cluster.jsonl

For each size N the emulator (moto's server, in a child process on 127.0.0.1) is
started afresh and seeded in-process: the demo account as management account (its
demo seed, one region) and N-1 members made with ``organizations:CreateAccount``, each
seeded through its own assumed role with a mixed posture. Then, one after the other,
against that one emulator, every check in one region:

- **local**: ``srm-tui scan FILE --organization --parallel-accounts 8`` (threads in
  the one process);
- **dask**: a scheduler and two worker processes of four threads each started with
  the ``dask`` command on 127.0.0.1 (eight accounts at a time, as above), then
  ``srm-tui scan FILE --organization --executor dask://127.0.0.1:PORT``.

Columns: wall-clock seconds of the client process (start-up included; for Dask not
the cluster's start), accounts per minute, the client's peak resident memory (its own
``VmHWM``), each worker process's peak, and whether both runs wrote the same findings
for every account.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from compare_prowler import (  # noqa: E402
    _CREDENTIALS,
    _DROP,
    _high_water_mb,
    _LocalSeedSession,
    free_port,
)

from srm_tui import recent, store  # noqa: E402
from srm_tui.demo.server import DEMO_ENV  # noqa: E402
from srm_tui.organization import files  # noqa: E402

REGION = "us-east-1"
PARALLEL = 8  # accounts at a time, both ways
WORKERS, THREADS = 2, 4


def serve(port: int, size: int) -> None:
    """The emulator's child process: seed the organization in-process, then answer on
    127.0.0.1:``port`` until terminated."""
    os.environ.update(DEMO_ENV)
    os.environ.update({k: v for k, v in _CREDENTIALS.items() if k.startswith("AWS_")})
    from moto import mock_aws
    from moto.server import ThreadedMotoServer

    from srm_tui.demo.organization import seed_organization
    from srm_tui.demo.seeds import run_seeds

    mock_aws().start()  # the data stays in this process's backends, which the server reads
    started = time.monotonic()
    session = _LocalSeedSession()
    session.endpoint_url = None  # type: ignore[attr-defined]  # in-process: members too
    run_seeds(session, (REGION,), 1)
    seed_organization(session, members=(), extra=size - 1)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    print(f"ready {time.monotonic() - started:.1f}", flush=True)
    os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
    threading.Event().wait()


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _DROP}
    env.update(_CREDENTIALS)
    env["PYTHONPATH"] = str(ROOT)
    return env


def _run(argv: list[str], log: Path) -> tuple[float, float, int]:
    started = time.monotonic()
    peak = 0.0
    with log.open("wb") as out:
        process = subprocess.Popen(argv, env=_env(), stdout=out, stderr=subprocess.STDOUT)
        while process.poll() is None:
            peak = max(peak, _high_water_mb(process.pid))
            time.sleep(0.1)
    return time.monotonic() - started, peak, process.returncode


def _findings(path: Path) -> dict[str, list[tuple[str, ...]]]:
    found = {}
    for account in sorted(files.folder(path).glob("*.toml")):
        review = files.load_account(path, account.stem)
        found[account.stem] = sorted(
            (f.check, f.region, f.resource, f.status.value, f.detail) for f in review.findings
        )
    return found


def _scan(url: str, target: Path, *more: str) -> dict[str, object]:
    argv = [sys.executable, "-m", "srm_tui", "scan", str(target), "--organization",
            "--endpoint-url", url, "--region", REGION, *more]  # fmt: skip
    seconds, peak, code = _run(argv, target.with_suffix(".log"))
    org = store.load(target).organization
    done = sum(1 for a in org.accounts.values() if a.state.value == "done") if org else 0
    return {"seconds": round(seconds, 1), "exit": code, "client_peak_mb": round(peak, 1),
            "accounts_done": done, "per_minute": round(done / seconds * 60, 1)}  # fmt: skip


class Cluster:
    """A Dask scheduler and workers on 127.0.0.1, started with the ``dask`` command."""

    def __init__(self, workdir: Path) -> None:
        self.port = free_port()
        dask = [sys.executable, "-m"]
        log = (workdir / "dask.log").open("wb")
        self.scheduler = subprocess.Popen(
            [*dask, "distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port",
             str(self.port), "--no-dashboard"], env=_env(), stdout=log, stderr=log,
        )  # fmt: skip
        self.workers = subprocess.Popen(
            [*dask, "distributed.cli.dask_worker", f"tcp://127.0.0.1:{self.port}",
             "--nworkers", str(WORKERS), "--nthreads", str(THREADS), "--no-dashboard",
             "--host", "127.0.0.1"], env=_env(), stdout=log, stderr=log,
        )  # fmt: skip
        from distributed import Client

        with Client(f"tcp://127.0.0.1:{self.port}", timeout=60) as client:
            client.wait_for_workers(WORKERS, timeout=120)
            self.worker_pids = list(client.run(os.getpid).values())

    def worker_peaks(self) -> list[float]:
        return [round(_high_water_mb(pid), 1) for pid in self.worker_pids]

    def stop(self) -> None:
        for process in (self.workers, self.scheduler):
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


def measure(size: int, workdir: Path) -> list[dict[str, object]]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in _DROP}
    env["PYTHONPATH"] = str(ROOT)
    emulator = subprocess.Popen(
        [sys.executable, __file__, "--serve", str(port), str(size)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )  # fmt: skip
    assert emulator.stdout is not None
    line = emulator.stdout.readline().split()
    if not line or line[0] != "ready":
        emulator.kill()
        raise SystemExit("the emulator did not start")
    url = f"http://127.0.0.1:{port}"
    rows = []
    try:
        local = workdir / f"local-{size}.toml"
        row = {"size": size, "engine": "local", "seed_s": float(line[1])}
        row.update(_scan(url, local, "--parallel-accounts", str(PARALLEL)))
        rows.append(row)
        print(json.dumps(row), flush=True)
        cluster = Cluster(workdir)
        try:
            there = workdir / f"dask-{size}.toml"
            address = f"dask://127.0.0.1:{cluster.port}"
            row = {"size": size, "engine": f"dask {WORKERS}x{THREADS}"}
            row.update(_scan(url, there, "--executor", address))
            row["worker_peak_mb"] = cluster.worker_peaks()
        finally:
            cluster.stop()
        row["same_findings"] = _findings(local) == _findings(there)
        rows.append(row)
        print(json.dumps(row), flush=True)
    finally:
        emulator.terminate()
        emulator.wait(30)
    return rows


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--serve":
        serve(int(sys.argv[2]), int(sys.argv[3]))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 200])
    parser.add_argument("--results", type=Path, help="append each row as JSON to this file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="srm-cluster-") as folder:
        for size in args.sizes:
            for row in measure(size, Path(folder)):
                if args.results:
                    with args.results.open("a") as out:
                        out.write(json.dumps(row) + "\n")


if __name__ == "__main__":
    recent.use_temporary_data_dir()  # never the user's recent list
    main()
