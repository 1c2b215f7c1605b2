"""Regenerate screenshots/*.svg: every screen of the wizard on the demo account, and
screenshots/report-html.png: the first screen of its HTML report, taken by headless
Chromium (skipped, with a message, where no Chromium is installed).

Run: PYTHONPATH=. python scripts/screenshots.py [--size 120x36]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from textual.widgets import Input, Select

from srm_tui import milestones, recent
from srm_tui.demo import demo_account
from srm_tui.demo.target import DemoTarget
from srm_tui.tui.app import SrmApp

OUT = Path(__file__).resolve().parent.parent / "screenshots"


async def take(size: tuple[int, int], demo: DemoTarget, folder: Path) -> list[str]:
    saved: list[str] = []
    app = SrmApp(None, demo=demo, data_dir=folder / "data", profiles=[])

    async def shot(name: str, delay: float = 0.3) -> None:
        await app.workers.wait_for_complete()
        await pilot.pause(delay)
        app.save_screenshot(f"{name}.svg", str(OUT))
        saved.append(f"{name}.svg")

    async with app.run_test(size=size) as pilot:
        await shot("start")
        await pilot.press("n")
        await pilot.pause()
        app.screen.query_one("#path", Input).value = str(folder / "demo-review.toml")
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        app.screen.query_one("#name", Input).value = "Demo account, first review"
        await shot("scope")
        await pilot.press("ctrl+s")
        while getattr(app.screen, "outcome", "x") == "":
            await pilot.pause(0.2)
        await shot("scan")
        # A milestone of the scanned, unanswered review: the dashboard and the report
        # then show progress since.
        milestones.create(folder / "demo-review.toml", "first-scan")
        await pilot.press("enter")
        await pilot.pause()
        for keys in (("space", "down", "space"), ("n", "space"), ("n", "down", "down", "space")):
            await pilot.press(*keys)
            await pilot.pause()
        await pilot.press("n")
        await shot("review")
        await pilot.press("0")
        await shot("dashboard")
        await pilot.press("2")
        await shot("findings")
        app.screen.query_one("#f-status").value = "fail"
        await shot("findings-failed")
        await pilot.press("enter")  # the whole finding, its frameworks and questions
        await shot("finding")
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("a")  # accept the highlighted failure as a known risk
        await pilot.pause()
        app.screen.query_one(
            "#accept-reason", Input
        ).value = "Emergency access only; the key is kept in the safe"
        app.screen.query_one("#accept-owner", Input).value = "Platform team"
        app.screen.query_one("#accept-approved", Input).value = "CISO"
        await shot("accept")
        await pilot.press("enter")
        await shot("findings-accepted")
        await contradicted_question(app, pilot)
        await shot("review-contradiction")
        app.screen.query_one("#q-attach").press()
        await pilot.pause()
        app.screen.query_one("#evidence-target", Input).value = "docs/root-mfa-procedure.pdf"
        await shot("evidence")
        await pilot.press("escape")
        await pilot.press("3")
        await shot("responsibility")
        await pilot.press("4")
        await shot("report", delay=1.5)
        await pilot.press("x")
        await shot("export")
        # The HTML report of the same review, for its screenshot below.
        app.screen.query_one("#format", Select).value = "html"
        await pilot.pause()
        export = app.screen.query_one("#path", Input)
        export.value = str(folder / "demo-report.html")
        export.focus()
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("m")
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("enter")  # the milestone of today
        await pilot.pause()
        await pilot.press("escape", "1", "n", "space", "m")
        await pilot.pause()
        await pilot.press("enter")  # what changed since it
        await shot("milestones", delay=1.0)
        await pilot.press("escape")
        await pilot.press("f1")
        await shot("help")
        await pilot.press("escape")
        await pilot.press("ctrl+p")
        await pilot.press(*"section")
        await shot("palette", delay=0.6)
        await pilot.press("escape")
        app.theme = "textual-light"
        await pilot.press("1")
        await shot("review-light")
    return saved


def html_screenshot(report: Path, size: str = "1280,900") -> str:
    """The first screen of the HTML report as a PNG, by headless Chromium."""
    browser = next(
        (b for b in ("chromium", "chromium-browser", "google-chrome") if shutil.which(b)), None
    )
    if browser is None:
        print("No Chromium found: screenshots/report-html.png was not renewed.")
        return ""
    target = OUT / "report-html.png"
    subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
         f"--window-size={size}", f"--screenshot={target}", report.as_uri()],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    return target.name


async def contradicted_question(app: SrmApp, pilot: object) -> None:
    """Show a question with a practice ticked that a failing check contradicts."""
    from srm_tui.contradictions import failing_checks
    from srm_tui.tui.widgets.review import ReviewPane

    assert app.session is not None
    failing = failing_checks(app.session.assessment.findings)
    question, choice = next(
        (q, c) for s in app.sections for q in s.questions for c in q.choices
        if set(c.checks) & failing
    )  # fmt: skip
    app.edit_answer(question, {"selected": [choice.id]})
    await pilot.press("1")  # type: ignore[attr-defined]
    await app.screen.query_one(ReviewPane).jump(question_id=question.id)
    await app.workers.wait_for_complete()


async def organization_view(size: tuple[int, int], folder: Path) -> str:
    """The Organization tab of an organization review: the demo account as the
    management account of three, one scanned (its findings those of the demo review),
    one waiting, one suspended."""
    from srm_tui import store
    from srm_tui.model import AccountState, OrgAccount, Organization, ScanStatus
    from srm_tui.organization import files

    demo_review = store.load(folder / "demo-review.toml")
    account = demo_review.scope.account_id
    review = store.load(folder / "demo-review.toml")
    review.name = "Demo organization"
    review.findings = []
    root, work, play = "r-ab12", "ou-ab12-11111111", "ou-ab12-22222222"
    failures: dict[str, int] = {}
    for f in demo_review.findings:
        record = demo_review.checks.get(f.check)
        if f.status.value == "fail" and record is not None:
            failures[record.severity.value] = failures.get(record.severity.value, 0) + 1
    counts: dict[str, int] = {}
    for f in demo_review.findings:
        counts[f.status.value] = counts.get(f.status.value, 0) + 1
    review.organization = Organization(
        "o-abcdefghij", account, round=1,
        accounts={
            account: OrgAccount(
                account, "management", root, "Root", (root,), ("Root",), "ACTIVE",
                AccountState.DONE, demo_review.scan.finished, 1, demo_review.scan.api_calls,
                ScanStatus.PARTIAL, counts, failures,
            ),
            "222222222222": OrgAccount(
                "222222222222", "workloads-prod", work, "Workloads", (root, work),
                ("Root", "Workloads"), "ACTIVE", AccountState.PENDING,
            ),
            "333333333333": OrgAccount(
                "333333333333", "sandbox", play, "Sandbox", (root, play), ("Root", "Sandbox"),
                "SUSPENDED", AccountState.SKIPPED,
            ),
        },
    )  # fmt: skip
    path = folder / "demo-organization.toml"
    store.save(review, path)
    files.save_account(path, demo_review)
    app = SrmApp(path, data_dir=folder / "data", profiles=[])
    async with app.run_test(size=size) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("5")
        await app.workers.wait_for_complete()
        await pilot.pause(0.5)
        app.save_screenshot("organization.svg", str(OUT))
    return "organization.svg"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", default="120x36", help="terminal size, e.g. 120x36")
    args = parser.parse_args()
    width, height = (int(n) for n in args.size.split("x"))
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, demo_account() as account:
        os.chdir(tmp)  # paths on screen are shown relative to the working folder
        demo = DemoTarget(account.endpoint_url, tuple(account.regions))
        names = asyncio.run(take((width, height), demo, Path(tmp)))
        names.append(asyncio.run(organization_view((width, height), Path(tmp))))
        if shot := html_screenshot(Path(tmp) / "demo-report.html"):
            names.append(shot)
    print(f"Wrote {len(names)} screenshots to {OUT}: {', '.join(names)}")


if __name__ == "__main__":
    recent.use_temporary_data_dir()  # never the user's recent list
    main()
