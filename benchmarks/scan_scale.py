"""How the scan grows with the account: seed the emulated demo account at several
scales, scan it, and report scan seconds, API calls and peak memory.

    PYTHONPATH=. python benchmarks/scan_scale.py --scales 1 100 500 --jobs 8

Scale N adds, on top of the demo account, N-1 security groups per region (every fifth
open to SSH), N-1 IAM users with an access key each, N-1 buckets, and what the Lambda
seed adds per step; the other services keep their base demo set. The emulator runs in
a child process so that the scanner's time and memory are measured on their own.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import time
import tracemalloc
import urllib.request
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from srm_tui import recent
from srm_tui.demo.seeds import run_seeds
from srm_tui.demo.server import DEMO_ENV, DEMO_REGIONS, SeedSession
from srm_tui.model import Assessment
from srm_tui.scan import ScanOptions, scan

GROW = ("iam", "ec2", "s3", "lambda_fn")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_emulator() -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {**os.environ, **DEMO_ENV}
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{url}/moto-api/", timeout=1).close()
            return process, url
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("the emulator did not start within 30 seconds")


def measure(scale: int, jobs: int) -> dict[str, object]:
    process, url = start_emulator()
    try:
        os.environ.update({k: v for k, v in DEMO_ENV.items() if k.startswith("AWS_")})
        started = time.monotonic()
        run_seeds(SeedSession(url), DEMO_REGIONS, scale, grow=GROW)
        seeded = time.monotonic() - started
        assessment = Assessment(f"scale {scale}")
        tracemalloc.start()
        started = time.monotonic()
        scan(assessment, ScanOptions(regions=DEMO_REGIONS, endpoint_url=url, jobs=jobs))
        seconds = time.monotonic() - started
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    finally:
        process.terminate()
        process.wait(timeout=10)
    statuses = Counter(f.status.value for f in assessment.findings)
    return {
        "scale": scale,
        "seed_s": seeded,
        "scan_s": seconds,
        "api_calls": assessment.scan.api_calls,
        "findings": len(assessment.findings),
        "fail": statuses["fail"],
        "error": statuses["error"],
        "peak_mb": peak / 1e6,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 100, 500])
    parser.add_argument("--jobs", type=int, default=8)
    args = parser.parse_args()
    print("| scale | seed s | scan s | API calls | findings | fail | error | peak MB |")
    print("|------:|-------:|-------:|----------:|---------:|-----:|------:|--------:|")
    for scale in args.scales:
        row = measure(scale, args.jobs)
        print(
            f"| {row['scale']} | {row['seed_s']:.1f} | {row['scan_s']:.1f} | {row['api_calls']} "
            f"| {row['findings']} | {row['fail']} | {row['error']} | {row['peak_mb']:.1f} |",
            flush=True,
        )


if __name__ == "__main__":
    recent.use_temporary_data_dir()  # never the user's recent list
    main()
