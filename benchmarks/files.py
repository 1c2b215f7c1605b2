"""Assessment file speed and memory: load and save with 20,000 findings.

Run: PYTHONPATH=. python benchmarks/files.py [N]
Target: load and save each under 0.5 s. Prints the median of seven runs and the peak
of Python memory allocated during one save and one load (tracemalloc).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from srm_tui import recent, store
from srm_tui.model import Assessment, CheckRecord, Finding, Responsibility, Severity, Status


def build(n: int) -> Assessment:
    a = Assessment(name="benchmark")
    checks = [f"svc{i % 40}.check_{i % 60}" for i in range(60)]
    for cid in checks:
        a.checks[cid] = CheckRecord(cid, f"Title of {cid}", cid.split(".")[0], Severity.HIGH,
                                    Responsibility.CUSTOMER, {"cis-aws-7.0": ("6.3",)}, "Fix it.")  # fmt: skip
    statuses = (Status.PASS, Status.FAIL, Status.ERROR)
    a.findings = [
        Finding(
            checks[i % len(checks)],
            ("us-east-1", "eu-west-1")[i % 2],
            f"arn:aws:ec2:us-east-1:123456789012:security-group/sg-{i:017x}",
            statuses[i % 3],
            "Port 22 is open to 0.0.0.0/0" if i % 3 == 1 else "",
        )
        for i in range(n)
    ]
    return a


def timed(fn: Callable[[], object], repeat: int = 7) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def peak(fn: Callable[[], object]) -> float:
    """MB of Python memory allocated at the peak of one call."""
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    a = build(n)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "big.toml"
        save = timed(lambda: store.save(a, path))
        load = timed(lambda: store.load(path))
        save_peak = peak(lambda: store.save(a, path))
        load_peak = peak(lambda: store.load(path))
        size = path.stat().st_size
    print(
        f"findings={n} size={size / 1e6:.1f} MB save={save:.3f} s ({save_peak:.1f} MB) "
        f"load={load:.3f} s ({load_peak:.1f} MB)"
    )


if __name__ == "__main__":
    recent.use_temporary_data_dir()  # never the user's recent list
    main()
