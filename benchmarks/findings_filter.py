"""Findings filter speed at 20,000 findings: the pure filter, and the Findings tab.

Run: PYTHONPATH=. python benchmarks/findings_filter.py [N]
Target: every filter change under 0.1 s.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

from srm_tui import finding_filter, recent, store
from srm_tui.finding_filter import Filter
from srm_tui.model import Assessment, CheckRecord, Finding, Responsibility, Severity, Status

SERVICES = ("ec2", "s3", "iam", "kms", "lambda", "rds", "cloudtrail", "ecr")
REGIONS = ("us-east-1", "eu-west-1", "eu-central-1", "ap-southeast-2", "global")
FRAMEWORKS = ("cis-aws-7.0", "aws-fsbp", "nist-csf-2.0", "iso-27017")
FILTERS = {
    "no filter": Filter(),
    "status=fail": Filter(status="fail"),
    "severity=high + region": Filter(severity="high", region="eu-west-1"),
    "framework + service": Filter(framework="aws-fsbp", service="s3"),
    "text, two words": Filter(text="bucket 0042"),
    "text, no match": Filter(text="nothing-matches-this"),
}


def build(n: int) -> Assessment:
    """An assessment with ``n`` findings over 80 checks, 8 services, 5 regions."""
    a = Assessment(name="benchmark")
    severities = list(Severity)
    owners = list(Responsibility)
    checks = []
    for i in range(80):
        service = SERVICES[i % len(SERVICES)]
        cid = f"{service}.check_{i:02d}"
        checks.append(cid)
        a.checks[cid] = CheckRecord(
            cid, f"Check number {i} of {service}", service, severities[i % 5], owners[i % 3],
            {FRAMEWORKS[i % 4]: ("1.1",), FRAMEWORKS[(i + 1) % 4]: ("2.2",)}, "Fix it.",
        )  # fmt: skip
    statuses = (Status.PASS, Status.FAIL, Status.PASS, Status.ERROR, Status.NOT_APPLICABLE)
    a.findings = [
        Finding(
            checks[i % 80],
            REGIONS[i % 5],
            f"arn:aws:s3:::bucket-{i:05d}",
            statuses[i % 5],
            f"detail of finding {i}",
        )
        for i in range(n)
    ]
    return a


def timed(fn, repeat: int = 15) -> float:
    """Median seconds of ``repeat`` runs."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


async def ui_times(assessment: Assessment) -> dict[str, float]:
    """Seconds from a filter change to a refilled table, in a headless app."""
    from srm_tui.tui.app import SrmApp
    from srm_tui.tui.widgets.findings import FindingsPane

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "big.toml"
        store.save(assessment, path)
        app = SrmApp(path, sections=(), data_dir=Path(folder), profiles=[])
        async with app.run_test(size=(160, 48)) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            pane = app.screen.query_one(FindingsPane)
            results = {}
            for name, value in (("status=fail", "fail"), ("status=error", "error")):
                select = pane.query_one("#f-status")

                def change(value: str = value, select=select) -> None:
                    with select.prevent(select.Changed):
                        select.value = value
                    pane.apply()

                results[f"Findings tab, {name}"] = timed(change, repeat=5)
            return results


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    assessment = build(n)
    build_time = timed(lambda: finding_filter.rows(assessment), repeat=5)
    rows = finding_filter.rows(assessment)
    print(f"{n:,} findings; building the rows once (on open/scan): {build_time * 1000:.1f} ms")
    worst = 0.0
    for name, wanted in FILTERS.items():
        seconds = timed(lambda wanted=wanted: finding_filter.apply(rows, wanted))
        matched = len(finding_filter.apply(rows, wanted))
        worst = max(worst, seconds)
        print(f"  filter {name:<24} {seconds * 1000:7.2f} ms  ({matched:,} match)")
    for name, seconds in asyncio.run(ui_times(assessment)).items():
        worst = max(worst, seconds)
        print(f"  {name:<31} {seconds * 1000:7.2f} ms  (table refilled, first 1,000 rows)")
    verdict = "under" if worst < 0.1 else "OVER"
    print(f"slowest: {worst * 1000:.1f} ms: {verdict} the 100 ms target")


if __name__ == "__main__":
    recent.use_temporary_data_dir()  # never the user's recent list
    main()
