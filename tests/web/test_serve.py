"""``srm-tui serve``: the wizard in a real headless browser (Debian's chromium driven by
Playwright; no browser is downloaded), the page loading nothing from outside, and the
server on the loopback address unless told otherwise."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar
from urllib.parse import urlsplit

import pytest

from srm_tui import store
from srm_tui.commands import serve
from srm_tui.commands.base import under_web_driver
from tests.tui import apps

CHROMIUM = Path("/usr/bin/chromium")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen[bytes], seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"srm-tui serve ended: {process.stdout.read()!r}")  # type: ignore[union-attr]
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise AssertionError("srm-tui serve did not start listening")


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    path = apps.write(tmp_path / "review.toml", apps.assessment())
    port = free_port()
    env = {**os.environ, "SRM_TUI_DATA_DIR": str(tmp_path / "data")}
    process = subprocess.Popen(
        [sys.executable, "-m", "srm_tui", "serve", str(path), "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        cwd=tmp_path,
    )
    try:
        wait_for_port(port, process)
        yield f"http://127.0.0.1:{port}/", path
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


def chromium_or_skip() -> Path:
    # .ci/run installs Debian's chromium; the test can only skip where it cannot be.
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (apt-get install -y chromium)")
    return CHROMIUM


def test_the_wizard_runs_in_a_headless_browser_and_saves_what_is_typed(served) -> None:
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is in the test extra")
    browser_path = chromium_or_skip()
    url, path = served
    requested: list[str] = []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(browser_path),
            args=["--no-sandbox", "--disable-gpu"],
            # Anything not on this computer goes to a dead proxy: no network, ever.
            proxy={"server": "http://127.0.0.1:9", "bypass": "127.0.0.1"},
        )
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 800})
            page.on("request", lambda request: requested.append(request.url))
            page.goto(url)
            html = page.content()
            # The wizard drew its first screen (the page marks the first bytes).
            page.wait_for_selector("body.-first-byte", timeout=60_000)
            page.click("#terminal")
            # The review opens on the first question: space ticks its first choice,
            # and the wizard saves it to the file at once.
            deadline = time.monotonic() + 60
            answered = False
            while time.monotonic() < deadline and not answered:
                page.keyboard.press("Space")
                page.wait_for_timeout(1500)
                answered = bool(store.load(path).answers)
            assert answered, "a key pressed in the browser reached the wizard"
            page.keyboard.press("Control+q")
            page.wait_for_selector("body.-closed", timeout=30_000)
        finally:
            browser.close()
    hosts = {urlsplit(u).hostname for u in requested if not u.startswith(("data:", "blob:"))}
    assert hosts == {"127.0.0.1"}, f"the page fetched from outside: {requested}"
    assert "googleapis" not in html and "srm_tui" not in html and sys.executable not in html
    assert "srm-tui" in html


class FakeServer:
    made: ClassVar[list[FakeServer]] = []

    def __init__(self, command: str, **options: object) -> None:
        self.command, self.options = command, options
        FakeServer.made.append(self)

    def serve(self) -> None:
        pass


@pytest.fixture
def fake_server(monkeypatch: pytest.MonkeyPatch) -> type[FakeServer]:
    import textual_serve.server

    FakeServer.made = []
    monkeypatch.setattr(textual_serve.server, "Server", FakeServer)
    return FakeServer


def test_serve_listens_on_loopback_with_its_own_page(run_cli, fake_server, tmp_path) -> None:
    path = apps.write(tmp_path / "r.toml")
    result = run_cli("serve", str(path), "--port", "8123")
    assert result.code == 0 and "warning" not in result.err
    made = fake_server.made[0]
    assert made.options["host"] == "127.0.0.1" and made.options["port"] == 8123
    assert Path(str(made.options["templates_path"])) == serve.TEMPLATES
    assert (serve.TEMPLATES / "app_index.html").is_file()
    assert made.command.endswith(f"wizard {path.resolve()}")


def test_another_address_needs_the_flag_and_is_warned_about(run_cli, fake_server) -> None:
    result = run_cli("serve", "--host", "0.0.0.0")
    assert result.code == 0 and "warning" in result.err and "full control" in result.err
    assert fake_server.made[0].options["host"] == "0.0.0.0"


def test_bad_port_and_broken_file_are_bad_usage(run_cli, fake_server, tmp_path) -> None:
    assert run_cli("serve", "--port", "70000").code == 2
    broken = tmp_path / "broken.toml"
    broken.write_text("schema = [\n")
    result = run_cli("serve", str(broken))
    assert result.code == 2 and "broken.toml" in result.err and not fake_server.made


def test_the_page_template_loads_nothing_from_outside() -> None:
    text = (serve.TEMPLATES / "app_index.html").read_text()
    assert "http://" not in text and "https://" not in text
    assert "{{ application.name" not in text  # the command line is never shown


def test_the_wizard_accepts_the_web_driver_instead_of_a_terminal(monkeypatch) -> None:
    monkeypatch.setenv("TEXTUAL_DRIVER", "textual.drivers.web_driver:WebDriver")
    assert under_web_driver()
    monkeypatch.setenv("TEXTUAL_DRIVER", "")
    assert not under_web_driver()


def test_chromium_is_where_ci_installs_it() -> None:
    # Not a skip in disguise: .ci/run installs chromium before the tests.
    ci = (Path(__file__).parents[2] / ".ci" / "run").read_text()
    assert "apt-get install -y chromium" in ci
