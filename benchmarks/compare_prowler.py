"""srm-tui side by side with Prowler: the same emulated account and region, scanned by
both, one after the other, at several scales.

    PYTHONPATH=. python benchmarks/compare_prowler.py --scales 100 300 1000 3000

Prowler gets its own virtual environment (``--prowler-venv``, created with
``python3 -m venv`` and ``pip install prowler`` when missing: about two minutes and
2.3 GB). For each scale the emulator (moto's server, in a child process on 127.0.0.1)
is started afresh and seeded with the demo account in one region, grown like
``scan_scale.py`` does: N-1 security groups (every fifth open to SSH), N-1 IAM users
with an access key, N-1 buckets and 2N Lambda functions. Then, for each comparison:

- ``default``: both at their default settings (Prowler retries each failed call up to
  three times; srm-tui makes one attempt against a local endpoint);
- ``one-attempt``: both with one attempt per call (Prowler
  ``--aws-retries-max-attempts 0``; srm-tui's own default against an emulator),

srm-tui's ``scan`` (all of its checks) and Prowler's CIS v7.0 checks
(``--compliance cis_7.0_aws``, in its default mode, which skips resources not in use;
``--scan-unused-services`` switches that) run as child processes, and the table shows
wall-clock seconds (process start to exit), their ratio, the HTTP requests the
emulator answered for each, srm-tui's ledger count and each process's peak resident
memory (its VmHWM, read every 0.1 s while it runs). Each row's JSON (``--results``) also
holds each tool's own CPU seconds (``cpu_s``) and the emulator's CPU seconds spent while
that tool ran (``emulator_cpu_s``): the emulator is one Python process, so its CPU time
is a floor under the tool's wall-clock time.

``--keep-alive`` serves the emulator with waitress (``pip install waitress``) instead of
werkzeug's development server, which closes the connection after every answer (a new
TCP connection and a new thread per call, as no AWS endpoint does); both tools then
reuse their connections, as they would against AWS. ``--no-prowler`` runs srm-tui
alone (its memory does not depend on the machine's load; its time does).

Prowler is kept off the network: ``AWS_ENDPOINT_URL`` points at the emulator, HTTPS goes
to a dead local port and plain HTTP through the emulator (so that s3control's
``{account}.127.0.0.1`` host still reaches it); NO_PROXY is unset.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from srm_tui import recent, store  # noqa: E402
from srm_tui.demo.seeds import run_seeds  # noqa: E402
from srm_tui.demo.server import DEMO_ENV  # noqa: E402

REGION = "us-east-1"
GROW = ("iam", "ec2", "s3", "lambda_fn")
COMPARISONS = {
    # name: (Prowler's extra options, srm-tui's environment)
    "default": ([], {}),
    "one-attempt": (["--aws-retries-max-attempts", "0"], {}),
}
_REQUEST = re.compile(r"(?:GET|POST|PUT|HEAD|DELETE|PATCH) \S+ HTTP/1\.[01]\S*\" \d{3}")
_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": REGION,
    "AWS_CONFIG_FILE": os.devnull,
    "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
}
_DROP = (
    "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL",
    "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "no_proxy",
)  # fmt: skip


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def ensure_prowler(venv: Path) -> Path:
    """The prowler executable in ``venv``, installing it there when missing."""
    exe = venv / "bin" / "prowler"
    if exe.exists():
        return exe
    print(f"installing Prowler into {venv} (a few minutes, about 2.3 GB)", file=sys.stderr)
    # The system Python, not this one's venv: Prowler pins its own boto3.
    subprocess.run(["python3", "-m", "venv", str(venv)], check=True)
    subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "prowler"], check=True)
    return exe


class _LocalSeedSession:
    """Seeds' ``client(service, region_name=...)`` on the in-process emulator."""

    def __init__(self) -> None:
        import boto3

        self._clients: dict[tuple[str, str], object] = {}
        self._session = boto3.Session(region_name=REGION)

    def client(self, service: str, region_name: str | None = None, **_: object) -> object:
        key = (service, region_name or REGION)
        if key not in self._clients:
            self._clients[key] = self._session.client(service, region_name=key[1])
        return self._clients[key]


class _RequestLog:
    """Logs each request on stderr as werkzeug does (method, path, protocol, status),
    for ``Emulator.requests`` to count, in front of a server that logs none."""

    def __init__(self, app: Any) -> None:
        self._app = app

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        def logged(status: str, headers: Any, exc_info: Any = None) -> Any:
            line = f'"{environ["REQUEST_METHOD"]} {environ.get("PATH_INFO") or "/"} HTTP/1.1" '
            sys.stderr.write(f"{line}{status.split()[0]} -\n")
            return start_response(status, headers, exc_info)

        return self._app(environ, logged)


def _serve_keeping_connections(port: int) -> None:
    # The same moto application as ThreadedMotoServer's, behind waitress: HTTP/1.1
    # connections kept open between requests, eight threads answering.
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
    from waitress.server import create_server

    app = _RequestLog(DomainDispatcherApplication(create_backend_app))
    server = create_server(app, host="127.0.0.1", port=port, threads=8, connection_limit=500)
    threading.Thread(target=server.run, daemon=True).start()


def serve(port: int, scale: int, keep_alive: bool = False) -> None:
    """The emulator's child process: seed in-process (no HTTP, about three times
    faster), then answer on 127.0.0.1:``port`` until terminated; each request is
    logged on stderr."""
    os.environ.update(DEMO_ENV)
    os.environ.update({k: v for k, v in _CREDENTIALS.items() if k.startswith("AWS_")})
    from moto import mock_aws
    from moto.server import ThreadedMotoServer

    mock_aws().start()  # data stays in this process's backends, which the server reads
    started = time.monotonic()
    run_seeds(_LocalSeedSession(), (REGION,), scale, grow=GROW)
    if keep_alive:
        _serve_keeping_connections(port)
    else:
        ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False).start()
    print(f"ready {time.monotonic() - started:.1f}", flush=True)
    # From now on the emulator's own prints (one per request to a service it lacks)
    # go to the log: a pipe nobody reads would fill and stall the requests.
    os.dup2(2, 1)
    threading.Event().wait()


class Emulator:
    """moto's server in a child process, seeded at ``scale``; its request log counts
    the calls answered."""

    def __init__(self, workdir: Path, scale: int, keep_alive: bool = False) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = workdir / f"moto-{self.port}.log"
        self._log = self.log_path.open("wb")
        env = {k: v for k, v in os.environ.items() if k not in _DROP}
        env["PYTHONPATH"] = str(ROOT)
        self.process = subprocess.Popen(
            [sys.executable, __file__, "--serve", str(self.port), str(scale)]
            + (["--keep-alive"] if keep_alive else []),
            env=env,
            stdout=subprocess.PIPE,
            stderr=self._log,
            text=True,
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line.startswith("ready"):
            self.stop()
            raise SystemExit(f"the emulator did not start: see {self.log_path}")
        self.seed_seconds = float(line.split()[1])

    def requests(self) -> int:
        """HTTP requests answered so far (the log is read in pieces: at scale it grows
        to hundreds of megabytes, which must not swell this process)."""
        count = 0
        with self.log_path.open("rb") as log:
            while chunk := log.read(1 << 22):
                lines = chunk.split(b"\n")
                count += sum(1 for line in lines if _REQUEST.search(line.decode(errors="replace")))
        return count

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self._log.close()
        self.log_path.unlink(missing_ok=True)


def _high_water_mb(pid: int) -> float:
    # VmHWM belongs to the process's own memory since its exec; getrusage's maxrss
    # would also count this parent's size at the fork.
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def cpu_seconds(pid: int) -> float:
    """User plus system CPU seconds a live process has used (from /proc; 0 if gone)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_child(argv: list[str], env: dict[str, str], log: Path) -> tuple[float, float, int, float]:
    """(wall seconds, peak resident MB, exit code, CPU seconds) of one child process."""
    started = time.monotonic()
    peak = 0.0
    with log.open("wb") as out:
        process = subprocess.Popen(argv, env=env, stdout=out, stderr=subprocess.STDOUT)
        while True:
            peak = max(peak, _high_water_mb(process.pid))
            # wait4 reaps the child and returns its own CPU time (threads included)
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            time.sleep(0.1)
    seconds = time.monotonic() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    return seconds, peak, process.returncode, usage.ru_utime + usage.ru_stime


def scan_srm(emulator: Emulator, workdir: Path, extra_env: dict[str, str]) -> dict[str, object]:
    target = workdir / "srm.toml"
    target.unlink(missing_ok=True)
    env = {k: v for k, v in os.environ.items() if k not in _DROP}
    env.update(_CREDENTIALS)
    env.update(extra_env)
    env["PYTHONPATH"] = str(ROOT)
    argv = [
        sys.executable, "-m", "srm_tui", "scan", str(target),
        "--endpoint-url", emulator.url, "--region", REGION,
    ]  # fmt: skip
    before, cpu_before = emulator.requests(), cpu_seconds(emulator.process.pid)
    seconds, peak, code, cpu = run_child(argv, env, workdir / "srm.log")
    requests = emulator.requests() - before
    emulator_cpu = cpu_seconds(emulator.process.pid) - cpu_before
    calls = findings = 0
    if target.exists():
        assessment = store.load(target)
        calls = assessment.scan.api_calls
        findings = len(assessment.findings)
    return {
        "seconds": seconds, "peak_mb": peak, "exit": code, "requests": requests,
        "ledger": calls, "findings": findings, "cpu_s": cpu, "emulator_cpu_s": emulator_cpu,
    }  # fmt: skip


def scan_prowler(
    exe: Path, emulator: Emulator, workdir: Path, options: list[str], unused: bool
) -> dict[str, object]:
    out = workdir / "prowler-out"
    shutil.rmtree(out, ignore_errors=True)
    env = {k: v for k, v in os.environ.items() if k not in _DROP}
    env.update(_CREDENTIALS)
    env.update(
        {
            "AWS_ENDPOINT_URL": emulator.url,
            "HTTP_PROXY": emulator.url,  # s3control's {account}.127.0.0.1 host
            "HTTPS_PROXY": "http://127.0.0.1:9",  # nothing listens: never the network
        }
    )
    argv = [
        str(exe), "aws", "--region", REGION, "--no-banner", "--no-color",
        "--ignore-exit-code-3", "--log-level", "ERROR", "--compliance", "cis_7.0_aws",
        "--output-formats", "json-ocsf", "--output-directory", str(out),
        "--output-filename", "peer", *options,
    ]  # fmt: skip
    if unused:
        argv.append("--scan-unused-services")
    before, cpu_before = emulator.requests(), cpu_seconds(emulator.process.pid)
    seconds, peak, code, cpu = run_child(argv, env, workdir / "prowler.log")
    requests = emulator.requests() - before
    emulator_cpu = cpu_seconds(emulator.process.pid) - cpu_before
    findings = 0
    report = out / "peer.ocsf.json"
    if report.exists():
        try:
            findings = len(json.loads(report.read_text() or "[]"))
        except ValueError:
            findings = -1
    return {
        "seconds": seconds, "peak_mb": peak, "exit": code, "requests": requests,
        "findings": findings, "cpu_s": cpu, "emulator_cpu_s": emulator_cpu,
    }  # fmt: skip


def measure(
    scale: int,
    comparisons: list[str],
    exe: Path | None,
    workdir: Path,
    unused: bool,
    keep_alive: bool = False,
) -> list[dict[str, object]]:
    emulator = Emulator(workdir, scale, keep_alive)
    seeded = emulator.seed_seconds
    rows = []
    try:
        print(f"scale {scale}: seeded in {seeded:.0f} s", file=sys.stderr, flush=True)
        for name in comparisons:
            prowler_options, srm_env = COMPARISONS[name]
            srm = scan_srm(emulator, workdir, srm_env)
            print(f"  {name} srm-tui {srm}", file=sys.stderr, flush=True)
            peer: dict[str, object] = {"seconds": 0.0, "peak_mb": 0.0, "requests": 0}
            if exe is not None:
                peer = scan_prowler(exe, emulator, workdir, prowler_options, unused)
                print(f"  {name} Prowler {peer}", file=sys.stderr, flush=True)
            rows.append(
                {"scale": scale, "comparison": name, "seed_s": seeded, "srm": srm, "prowler": peer}
            )
    finally:
        emulator.stop()
    return rows


def table_row(row: dict[str, object]) -> str:
    srm, peer = row["srm"], row["prowler"]
    assert isinstance(srm, dict) and isinstance(peer, dict)
    ratio = srm["seconds"] / peer["seconds"] if peer["seconds"] else float("nan")
    return (
        f"| {row['scale']} | {row['comparison']} | {srm['seconds']:.1f} | {peer['seconds']:.1f} "
        f"| {ratio:.2f} | {srm['requests']} ({srm['ledger']}) | {peer['requests']} "
        f"| {srm['peak_mb']:.0f} | {peer['peak_mb']:.0f} |"
    )


HEADER = (
    "| scale | comparison | srm-tui s | Prowler s | ratio | srm-tui requests (ledger) "
    "| Prowler requests | srm-tui peak MB | Prowler peak MB |\n"
    "|---:|---|---:|---:|---:|---:|---:|---:|---:|"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[100, 300, 1000, 3000])
    parser.add_argument(
        "--comparisons", nargs="+", choices=sorted(COMPARISONS), default=list(COMPARISONS)
    )
    parser.add_argument("--prowler-venv", type=Path, default=Path("/work/prowler-venv"))
    parser.add_argument(
        "--scan-unused-services", action="store_true", help="Prowler checks unused resources too"
    )
    parser.add_argument("--results", type=Path, help="append each row as JSON to this file")
    parser.add_argument(
        "--keep-alive",
        action="store_true",
        help="serve the emulator with waitress, which keeps connections open as AWS does",
    )
    parser.add_argument("--no-prowler", action="store_true", help="run srm-tui alone")
    parser.add_argument("--serve", type=int, nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(*args.serve, keep_alive=args.keep_alive)
        return
    exe = None if args.no_prowler else ensure_prowler(args.prowler_venv)
    print(HEADER, flush=True)
    with tempfile.TemporaryDirectory(prefix="srm-vs-prowler-") as tmp:
        for scale in args.scales:
            rows = measure(
                scale, args.comparisons, exe, Path(tmp), args.scan_unused_services,
                args.keep_alive,
            )  # fmt: skip
            for row in rows:
                print(table_row(row), flush=True)
                if args.results:
                    with args.results.open("a") as out:
                        out.write(json.dumps(row) + "\n")


if __name__ == "__main__":
    recent.use_temporary_data_dir()  # never the user's recent list
    main()
