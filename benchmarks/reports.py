"""Report speed: every registered format from an assessment with 20,000 findings,
rendered as the command line renders it (through the format registry).

Run: PYTHONPATH=. python benchmarks/reports.py [N]
Target: the Markdown report under 1 s.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable

from srm_tui import recent
from srm_tui.catalog import questionnaires
from srm_tui.model import Assessment, CheckRecord, Finding, Responsibility, Severity, Status
from srm_tui.report import formats
from srm_tui.report.inputs import ReportInput
from srm_tui.review import set_answer

SEVERITIES = tuple(Severity)


def build(n: int) -> Assessment:
    """``n`` findings over 60 checks in 20 services: a third each pass, fail and error;
    every question answered."""
    a = Assessment(name="benchmark")
    a.scope.account_id = "123456789012"
    a.scope.regions = ("us-east-1", "eu-west-1")
    checks = [f"svc{i % 20}.check_{i}" for i in range(60)]
    for i, cid in enumerate(checks):
        a.checks[cid] = CheckRecord(
            cid, f"Title of {cid}", cid.split(".")[0], SEVERITIES[i % 5],
            Responsibility.CUSTOMER, {"cis-aws-7.0": ("6.3",), "aws-fsbp": ("EC2.53",)},
            "Fix it.",
        )  # fmt: skip
    statuses = (Status.PASS, Status.FAIL, Status.ERROR)
    a.findings = [
        Finding(
            checks[i % len(checks)],
            ("us-east-1", "eu-west-1")[i % 2],
            f"arn:aws:ec2:us-east-1:123456789012:security-group/sg-{i:017x}",
            statuses[i % 3],
            "Port 22 is open to 0.0.0.0/0" if i % 3 == 1 else "AccessDenied" if i % 3 == 2 else "",
        )
        for i in range(n)
    ]
    for question in questionnaires.load().questions:
        set_answer(a, question, selected=[question.practices[0].id], notes="Some notes.")
    return a


def timed(fn: Callable[[], object], repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    a = build(n)
    sections = questionnaires.load().sections
    # A fresh input per run: what one input computes once (groups, plan, scores) is
    # part of the time of each report.
    results = {
        fmt.name: timed(lambda fmt=fmt: fmt.render(ReportInput(a, sections, checks={})))
        for fmt in formats.FORMATS
    }
    print(f"findings={n} " + " ".join(f"{k}={v:.3f} s" for k, v in results.items()))


if __name__ == "__main__":
    recent.use_temporary_data_dir()  # never the user's recent list
    main()
