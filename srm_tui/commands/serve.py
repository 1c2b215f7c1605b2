"""``srm-tui serve [FILE] [--port P]``: the wizard in a web browser, through textual-serve.

Each browser connection starts its own wizard process (``srm-tui wizard FILE`` under
Textual's web driver). The page is srm-tui's own template: it loads nothing from
outside this server and shows no command line. The server listens on 127.0.0.1 unless
another address is asked for with ``--host``; the page gives full control of the
review (and of a rescan with the machine's credentials), so that prints a warning.
"""

from __future__ import annotations

import argparse
import ipaddress
import shlex
import sys
from pathlib import Path

from srm_tui.commands.base import command, questionnaire_option
from srm_tui.errors import SrmError, UsageError
from srm_tui.sanitize import clean

LOOPBACK = "127.0.0.1"
DEFAULT_PORT = 8000
TEMPLATES = Path(__file__).resolve().parent.parent / "tui" / "web"


def _options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "file", nargs="?", type=Path, metavar="FILE.toml", help="open it (created when missing)"
    )
    parser.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help=f"port to listen on (default {DEFAULT_PORT})"
    )
    parser.add_argument(
        "--host",
        default=LOOPBACK,
        metavar="ADDRESS",
        help="address to listen on (default 127.0.0.1: this computer only)",
    )
    parser.add_argument(
        "--demo", action="store_true", help="the wizard on the built-in emulated demo account"
    )
    questionnaire_option(parser)


def wizard_command_line(args: argparse.Namespace) -> str:
    """The shell command textual-serve runs for each browser connection."""
    parts = [sys.executable, "-m", "srm_tui", "demo" if args.demo else "wizard"]
    if args.file is not None:
        parts.append(str(args.file.expanduser().resolve()))
    for folder in args.questionnaires or ():
        parts += ["--questionnaires", str(folder.expanduser().resolve())]
    return " ".join(shlex.quote(p) for p in parts)


def is_loopback(host: str) -> bool:
    """Whether ``host`` is reachable from this computer only."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@command("serve", "The wizard in a web browser (listens on 127.0.0.1 by default).", _options)
def serve_command(args: argparse.Namespace) -> int:
    if not 0 < args.port < 65536:
        raise UsageError(f"--port {args.port} is not a port number (1-65535).")
    if args.file is not None and args.file.exists():
        from srm_tui import store

        store.load(args.file)  # a broken file is reported (file:line) here, not per page
    try:
        from textual_serve.server import Server
    except ImportError as exc:
        raise SrmError(
            "The browser front end needs textual-serve: pip install 'srm-tui[web]'."
        ) from exc
    if not is_loopback(args.host):
        print(
            clean(
                f"srm-tui: warning: listening on {args.host}: anyone who can reach this "
                "address gets full control of the review, including scans with this "
                "computer's AWS credentials. There is no password."
            ),
            file=sys.stderr,
        )
    server = Server(
        wizard_command_line(args),
        host=args.host,
        port=args.port,
        title="srm-tui",
        templates_path=TEMPLATES,
    )
    server.serve()
    return 0
