"""The scope screen: account profile, regions, frameworks and the assessment's name."""

from __future__ import annotations

import re
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Checkbox, Input, Label, Select, SelectionList, Static

from srm_tui.catalog import frameworks
from srm_tui.model import FRAMEWORK_KEYS
from srm_tui.tui.host import Host, HostOf
from srm_tui.tui.text import clean, plain
from srm_tui.tui.widgets.footer import KeyFooter
from srm_tui.tui.widgets.marks import Tick, TickList
from srm_tui.tui.widgets.topbar import TopBar
from srm_tui.workbench import unknown_regions

DEFAULT_PROFILE = "__default__"
FRAMEWORK_TITLES = {
    "cis-aws-7.0": "CIS AWS Foundations Benchmark v7.0",
    "aws-fsbp": "AWS Foundational Security Best Practices",
    "nist-csf-2.0": "NIST Cybersecurity Framework 2.0",
    "iso-27017": "ISO/IEC 27017 (cloud security controls)",
    "aws-wa-security": "AWS Well-Architected Security Pillar",
}


def parse_regions(text: str) -> tuple[tuple[str, ...], list[str]]:
    """Regions typed as "eu-west-1, us-east-1" (or spaces); returns (good, bad)."""
    names = [n for n in re.split(r"[\s,]+", text.strip()) if n]
    bad = unknown_regions(names)
    good = tuple(dict.fromkeys(n for n in names if n not in bad))
    return good, bad


class ScopeScreen(Screen[None]):
    """What the review covers, and the way to (re)start a scan."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "scan", "Scan now", priority=True, id="scan"),
        Binding("escape", "back", "Back", id="back"),
    ]
    HELP_TITLE = "Scope"
    HELP = (
        "Say which account to scan (an AWS profile from your config files, or your "
        "environment's credentials), which regions, and which frameworks you care "
        "about. The scan only reads; it never changes anything in the account."
    )

    srm = HostOf()

    def __init__(self, first_time: bool = False) -> None:
        super().__init__()
        self.first_time = first_time

    def compose(self) -> ComposeResult:
        session = self.srm.session
        assert session is not None
        scope = session.assessment.scope
        yield TopBar("Scope")
        # Not a focus stop of its own: Tab goes from the buttons straight to the Name
        # field, and focusing a field scrolls it into view.
        with VerticalScroll(id="scope", can_focus=False):
            yield Static(
                "Step 1 of 3: what to review. Then the scan (step 2), then the questions "
                "(step 3). The scan only reads from AWS."
                + (
                    " Escape cancels: the file is only written once you scan or skip."
                    if self.first_time and session.new
                    else ""
                ),
                classes="lead",
                id="scope-lead",
            )
            yield Label("Name of this assessment")
            yield Input(
                clean(session.assessment.name),
                placeholder="e.g. Production account, Q3",
                id="name",
                compact=True,
            )
            yield Label(plain(f"File: {shown_path(session.path)}"), classes="dim")
            yield Label("AWS account", id="account-label")
            if self.srm.demo is not None:
                yield Static(
                    "The built-in demo account: an emulated AWS account running on this "
                    "computer. No real AWS account is contacted.",
                    id="demo-account",
                    classes="demo-note",
                )
            else:
                if scope.demo:
                    # Made on the emulated account: a scan here would read a real one.
                    yield Static(
                        "This assessment was made on the emulated demo account, which "
                        "runs only inside 'srm-tui demo': open it with 'srm-tui demo "
                        "FILE' to rescan it. No real account is scanned from here with "
                        "the credentials below.",
                        id="demo-warning",
                        classes="demo-note",
                    )
                profiles = self.srm.profiles()
                options: list[tuple[str | Text, str]] = [
                    ("Default credentials (environment or default profile)", DEFAULT_PROFILE)
                ]
                options += [(plain(p), p) for p in profiles if p != "default"]
                if "default" in profiles:
                    options.insert(1, ("default", "default"))
                value = scope.profile if scope.profile in profiles else DEFAULT_PROFILE
                yield Select(options, value=value, allow_blank=False, id="profile", compact=True)
            yield Label("Regions (comma separated)", id="regions-label")
            regions = clean(", ".join(scope.regions)) or _default_region(self.srm)
            yield Input(
                regions, placeholder="e.g. eu-west-1, us-east-1", id="regions", compact=True
            )
            yield Tick(
                "All regions enabled in the account",
                scope.all_regions,
                id="all-regions",
                compact=True,
            )
            yield Static("", id="scope-problem", markup=False)
            yield Label(
                "Frameworks of interest (shown in findings and the report)",
                id="frameworks-label",
            )
            yield TickList(
                *[
                    (FRAMEWORK_TITLES.get(k, k), k, k in scope.frameworks)
                    for k in FRAMEWORK_KEYS
                    if k in frameworks.keys()  # noqa: SIM118 (a module function)
                ],
                id="frameworks",
            )
        # Outside the scrolling form: always in view, and focusing one never scrolls
        # the form past its heading on a short terminal.
        with Horizontal(id="scope-buttons"):
            yield Button("Scan now (ctrl+s)", variant="primary", id="scan")
            yield Button(
                "Skip, answer questions first" if self.first_time else "Back",
                id="skip",
            )
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#regions", Input).disabled = self.query_one("#all-regions", Checkbox).value
        self.query_one("#scan", Button).focus()

    @on(Checkbox.Changed, "#all-regions")
    def _all_regions(self, event: Checkbox.Changed) -> None:
        self.query_one("#regions", Input).disabled = event.value

    def _apply(self) -> bool:
        """Copy the form into the assessment's scope; False (and a message) if invalid."""
        session = self.srm.session
        assert session is not None
        regions, bad = parse_regions(self.query_one("#regions", Input).value)
        all_regions = self.query_one("#all-regions", Checkbox).value
        problem = self.query_one("#scope-problem", Static)
        if bad and not all_regions:
            problem.update(clean(f"Not an AWS region: {', '.join(bad)} (e.g. eu-west-1)."))
            return False
        if not regions and not all_regions:
            problem.update("Name at least one region, or tick 'All regions'.")
            return False
        problem.update("")
        profile = None
        if self.srm.demo is None:
            value = self.query_one("#profile", Select).value
            profile = "" if value in (DEFAULT_PROFILE, Select.NULL) else str(value)
        chosen = self.query_one("#frameworks", SelectionList).selected
        session.set_scope(
            name=self.query_one("#name", Input).value,
            regions=regions,
            all_regions=all_regions,
            profile=profile,
            frameworks=[k for k in FRAMEWORK_KEYS if k in chosen],
        )
        return self.srm.save()

    @on(Button.Pressed, "#scan")
    def action_scan(self) -> None:
        if self._apply():
            self.dismiss()
            self.srm.start_scan()

    @on(Button.Pressed, "#skip")
    def action_skip(self) -> None:
        if self._apply():
            self.dismiss()

    def action_back(self) -> None:
        """Escape: back to the review; for a new assessment not saved yet, cancel it:
        nothing is written and the start screen comes back."""
        session = self.srm.session
        if self.first_time and session is not None and session.new:
            self.dismiss()
            self.srm.close_assessment()
            return
        self.action_skip()


def shown_path(path: Path) -> str:
    """The path relative to the working folder when it is inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _default_region(app: Host) -> str:
    if app.demo is not None:
        return ", ".join(app.demo.regions)
    try:
        import botocore.session

        return botocore.session.Session().get_config_variable("region") or "us-east-1"
    except Exception:  # a broken config file: fall back to a common default
        return "us-east-1"
