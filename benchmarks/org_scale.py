"""Organizations of 10, 50 and 100 emulated accounts: srm-tui's organization scan side
by side with Prowler run once per account with ``--role``, three at a time.

    PYTHONPATH=. python benchmarks/org_scale.py --sizes 10 50 100 \
        --prowler-venv /work/prowler-venv --results org.jsonl

For each size N the emulator (moto's server, in a child process on 127.0.0.1) is
started afresh and seeded in-process with an organization: the demo account as
management account (its usual demo seed, one region) and N-1 member accounts made with
``organizations:CreateAccount``, each seeded through its own assumed role with the
demo's "development" posture (an IAM user with an access key, a security group open to
SSH, a bucket). Then, one after the other:

- **srm-tui**: ``python -m srm_tui scan FILE --organization --endpoint-url URL --region
  us-east-1``, every check, its defaults (4 accounts at a time, 8 workers each);
- **Prowler**: ``prowler aws --region us-east-1 --compliance cis_7.0_aws --output-formats
  json-ocsf`` once for the management account and once per member with ``--role
  arn:aws:iam::ID:role/OrganizationAccountAccessRole``, three processes at a time as
  its documentation's multi-account example does (``xargs -P 3``), kept off the network
  as in ``compare_prowler.py``.

Columns: wall-clock seconds for the whole organization, the HTTP requests the emulator
answered (srm-tui's ledger beside it), and memory: srm-tui's one process's peak
resident size (``VmHWM``), Prowler's peak of the three processes running together (the
largest sum of their resident sizes, sampled every 0.1 s) and its largest single
process.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from compare_prowler import (  # noqa: E402
    _CREDENTIALS,
    _DROP,
    _REQUEST,
    ensure_prowler,
    free_port,
)

from srm_tui import recent, store  # noqa: E402
from srm_tui.demo.server import DEMO_ENV  # noqa: E402

REGION = "us-east-1"
ROLE = "OrganizationAccountAccessRole"
PROWLER_PARALLEL = 3


def serve(port: int, size: int) -> None:
    """The emulator's child process: seed the organization in-process, then answer on
    127.0.0.1:``port`` until terminated; werkzeug logs each request on stderr."""
    os.environ.update(DEMO_ENV)
    os.environ.update({k: v for k, v in _CREDENTIALS.items() if k.startswith("AWS_")})
    from moto import mock_aws
    from moto.server import ThreadedMotoServer

    from srm_tui.demo.organization import seed_organization
    from srm_tui.demo.seeds import run_seeds
    from srm_tui.demo.server import SeedSession

    mock_aws().start()  # data stays in this process's backends, which the server reads
    started = time.monotonic()
    session = SeedSession(None)  # type: ignore[arg-type]  # in-process: no endpoint
    run_seeds(session, (REGION,), 1)
    members = seed_organization(session, members=(), extra=size - 1)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    ids = ",".join(members.accounts.values())
    print(f"ready {time.monotonic() - started:.1f} {ids}", flush=True)
    os.dup2(2, 1)  # the emulator's own prints go to the log from now on
    threading.Event().wait()


class Emulator:
    """The organization's emulator in a child process, and its request log."""

    def __init__(self, workdir: Path, size: int) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = workdir / f"moto-{self.port}.log"
        self._log = self.log_path.open("wb")
        env = {k: v for k, v in os.environ.items() if k not in _DROP}
        env["PYTHONPATH"] = str(ROOT)
        self.process = subprocess.Popen(
            [sys.executable, __file__, "--serve", str(self.port), str(size)],
            env=env, stdout=subprocess.PIPE, stderr=self._log, text=True,
        )  # fmt: skip
        assert self.process.stdout is not None
        line = self.process.stdout.readline().split()
        if not line or line[0] != "ready":
            self.stop()
            raise SystemExit(f"the emulator did not start: see {self.log_path}")
        self.seed_seconds = float(line[1])
        self.members = line[2].split(",") if len(line) > 2 and line[2] else []

    def requests(self) -> int:
        count = 0
        with self.log_path.open("rb") as log:
            while chunk := log.read(1 << 22):
                count += sum(
                    1
                    for line in chunk.split(b"\n")
                    if _REQUEST.search(line.decode(errors="replace"))
                )
        return count

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self._log.close()
        self.log_path.unlink(missing_ok=True)


def _status_kb(pid: int, field: str) -> int:
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _DROP}
    env.update(_CREDENTIALS)
    env["PYTHONPATH"] = str(ROOT)
    env.update(extra or {})
    return env


def scan_srm(emulator: Emulator, workdir: Path) -> dict[str, object]:
    target = workdir / f"org-{emulator.port}.toml"  # a fresh review per organization
    argv = [sys.executable, "-m", "srm_tui", "scan", str(target), "--organization",
            "--endpoint-url", emulator.url, "--region", REGION]  # fmt: skip
    before = emulator.requests()
    started = time.monotonic()
    peak = 0
    with (workdir / "srm.log").open("wb") as out:
        process = subprocess.Popen(argv, env=_env(), stdout=out, stderr=subprocess.STDOUT)
        while process.poll() is None:
            peak = max(peak, _status_kb(process.pid, "VmHWM"))
            time.sleep(0.1)
    seconds = time.monotonic() - started
    review = store.load(target)
    org = review.organization
    done = sum(1 for a in org.accounts.values() if a.state.value == "done") if org else 0
    findings = sum(sum(a.findings.values()) for a in org.accounts.values()) if org else 0
    return {
        "seconds": seconds, "exit": process.returncode, "peak_mb": peak / 1024,
        "requests": emulator.requests() - before, "ledger": review.scan.api_calls,
        "accounts_done": done, "findings": findings,
    }  # fmt: skip


def _prowler_argv(exe: Path, out: Path, account: str | None) -> list[str]:
    argv = [
        str(exe), "aws", "--region", REGION, "--no-banner", "--no-color",
        "--ignore-exit-code-3", "--log-level", "ERROR", "--compliance", "cis_7.0_aws",
        "--output-formats", "json-ocsf", "--output-directory", str(out),
        "--output-filename", f"peer-{account or 'management'}",
    ]  # fmt: skip
    if account:
        argv += ["--role", f"arn:aws:iam::{account}:role/{ROLE}"]
    return argv


def scan_prowler(exe: Path, emulator: Emulator, workdir: Path) -> dict[str, object]:
    out = workdir / "prowler-out"
    shutil.rmtree(out, ignore_errors=True)
    env = _env(
        {
            "AWS_ENDPOINT_URL": emulator.url,
            "HTTP_PROXY": emulator.url,  # s3control's {account}.127.0.0.1 host
            "HTTPS_PROXY": "http://127.0.0.1:9",  # nothing listens: never the network
        }
    )
    queue: list[str | None] = [None, *emulator.members]
    running: list[subprocess.Popen[bytes]] = []
    before = emulator.requests()
    started = time.monotonic()
    peak_together = peak_one = 0
    failures = 0
    with (workdir / "prowler.log").open("wb") as log:
        while queue or running:
            while queue and len(running) < PROWLER_PARALLEL:
                argv = _prowler_argv(exe, out, queue.pop(0))
                running.append(subprocess.Popen(argv, env=env, stdout=log, stderr=log))
            sizes = [_status_kb(p.pid, "VmRSS") for p in running]
            peak_together = max(peak_together, sum(sizes))
            peak_one = max([peak_one, *(_status_kb(p.pid, "VmHWM") for p in running)])
            for process in [p for p in running if p.poll() is not None]:
                failures += process.returncode != 0
                running.remove(process)
            time.sleep(0.1)
    seconds = time.monotonic() - started
    findings = 0
    for report in out.glob("*.ocsf.json"):
        with contextlib.suppress(ValueError):
            findings += len(json.loads(report.read_text() or "[]"))
    return {
        "seconds": seconds, "requests": emulator.requests() - before,
        "peak_together_mb": peak_together / 1024, "peak_one_mb": peak_one / 1024,
        "failed_runs": failures, "findings": findings,
    }  # fmt: skip


def measure(size: int, exe: Path | None, workdir: Path) -> Iterator[dict[str, object]]:
    emulator = Emulator(workdir, size)
    try:
        load = os.getloadavg()[0]
        print(f"{size} accounts: seeded in {emulator.seed_seconds:.0f} s, load {load:.1f}",
              file=sys.stderr, flush=True)  # fmt: skip
        srm = scan_srm(emulator, workdir)
        print(f"  srm-tui {srm}", file=sys.stderr, flush=True)
        peer = scan_prowler(exe, emulator, workdir) if exe else None
        print(f"  Prowler {peer}", file=sys.stderr, flush=True)
        yield {"accounts": size, "seed_s": emulator.seed_seconds, "load": load,
               "srm": srm, "prowler": peer}  # fmt: skip
    finally:
        emulator.stop()


HEADER = (
    "| accounts | srm-tui s | Prowler s | ratio | srm-tui requests (ledger) | Prowler requests "
    "| srm-tui peak MB | Prowler peak MB (3 together / 1) |\n"
    "|---:|---:|---:|---:|---:|---:|---:|---:|"
)


def table_row(row: dict[str, object]) -> str:
    srm, peer = row["srm"], row["prowler"]
    assert isinstance(srm, dict)
    if not isinstance(peer, dict):
        return (f"| {row['accounts']} | {srm['seconds']:.1f} | - | - | {srm['requests']} "
                f"({srm['ledger']}) | - | {srm['peak_mb']:.0f} | - |")  # fmt: skip
    ratio = srm["seconds"] / peer["seconds"] if peer["seconds"] else float("nan")
    return (
        f"| {row['accounts']} | {srm['seconds']:.1f} | {peer['seconds']:.1f} | {ratio:.2f} "
        f"| {srm['requests']} ({srm['ledger']}) | {peer['requests']} | {srm['peak_mb']:.0f} "
        f"| {peer['peak_together_mb']:.0f} / {peer['peak_one_mb']:.0f} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 50, 100])
    parser.add_argument("--prowler-venv", type=Path, default=Path("/work/prowler-venv"))
    parser.add_argument("--no-prowler", action="store_true", help="srm-tui alone")
    parser.add_argument("--results", type=Path, help="append each row as JSON to this file")
    parser.add_argument("--serve", type=int, nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(*args.serve)
        return
    exe = None if args.no_prowler else ensure_prowler(args.prowler_venv)
    print(HEADER, flush=True)
    with tempfile.TemporaryDirectory(prefix="srm-org-") as tmp:
        for size in args.sizes:
            for row in measure(size, exe, Path(tmp)):
                print(table_row(row), flush=True)
                if args.results:
                    with args.results.open("a") as out:
                        out.write(json.dumps(row) + "\n")


if __name__ == "__main__":
    recent.use_temporary_data_dir()  # never the user's recent list
    main()
