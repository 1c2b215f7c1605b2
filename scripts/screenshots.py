"""Regenerate screenshots/*.svg: every screen of the wizard on the demo account.

Run: PYTHONPATH=. python scripts/screenshots.py [--size 120x36]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
from pathlib import Path

from textual.widgets import Input

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
        await pilot.press("enter")
        await pilot.pause()
        for keys in (("space", "down", "space"), ("n", "space"), ("n", "down", "down", "space")):
            await pilot.press(*keys)
            await pilot.pause()
        await pilot.press("n")
        await shot("review")
        await pilot.press("2")
        await shot("findings")
        app.screen.query_one("#f-status").value = "fail"
        await shot("findings-failed")
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
    print(f"Wrote {len(names)} screenshots to {OUT}: {', '.join(names)}")


if __name__ == "__main__":
    main()
