"""Start, seed and stop the emulated demo account."""

from __future__ import annotations

import contextlib
import logging
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from srm_tui.demo.managed_policies import only_in_the_aws_partition, without_managed_policies
from srm_tui.errors import SrmError

if TYPE_CHECKING:
    from srm_tui.demo.organization import DemoOrganization

DEMO_REGIONS = ("us-east-1", "eu-west-1")
DEMO_ACCOUNT = "123456789012"

#: Fake credentials for the emulator only; set for the duration of the demo (the
#: benchmarks set them in the processes they start).
DEMO_ENV = {
    "AWS_ACCESS_KEY_ID": "demo",
    "AWS_SECRET_ACCESS_KEY": "demo",
    "AWS_DEFAULT_REGION": DEMO_REGIONS[0],
    "AWS_CONFIG_FILE": os.devnull,
    "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    "MOTO_EC2_LOAD_DEFAULT_AMIS": "false",
    "MOTO_IAM_LOAD_MANAGED_POLICIES": "true",
}
_DEMO_UNSET = ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL")


@dataclass(frozen=True, slots=True)
class DemoAccount:
    """A running demo account, the management account of an emulated organization."""

    endpoint_url: str
    regions: tuple[str, ...]
    account_id: str = DEMO_ACCOUNT
    seconds_to_seed: float = 0.0
    organization: DemoOrganization | None = None


class SeedSession:
    """What the seeds get: ``client(service, region_name=...)`` on the emulator."""

    def __init__(self, endpoint_url: str) -> None:
        import boto3
        from botocore.config import Config

        from srm_tui.aws.session import share_models

        self.endpoint_url = endpoint_url
        # The scan that follows reads the same service models: parsed once for both.
        plain = boto3.Session(
            aws_access_key_id="demo", aws_secret_access_key="demo", region_name=DEMO_REGIONS[0]
        )
        self._session = share_models(plain)
        self._config = Config(retries={"mode": "standard", "total_max_attempts": 1},
                              max_pool_connections=20)  # fmt: skip
        self._clients: dict[tuple[str, str], Any] = {}

    def client(self, service: str, region_name: str | None = None, **_: Any) -> Any:
        """A client for the emulator, shared per (service, region)."""
        region = region_name or DEMO_REGIONS[0]
        key = (service, region)
        if key not in self._clients:
            client = self._session.client(
                service, region_name=region, endpoint_url=self.endpoint_url, config=self._config
            )
            # s3control puts the account id in front of the host: an emulator on a
            # local address needs it taken off; in-process (no endpoint) moto reads it.
            if service == "s3control" and self.endpoint_url:
                from srm_tui.aws.session import strip_account_host

                client.meta.events.register("before-sign.s3-control", strip_account_host)
            self._clients[key] = client
        return self._clients[key]


@contextlib.contextmanager
def _environment() -> Iterator[None]:
    saved = {k: os.environ.get(k) for k in (*DEMO_ENV, *_DEMO_UNSET)}
    os.environ.update(DEMO_ENV)
    for key in _DEMO_UNSET:
        os.environ.pop(key, None)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@contextlib.contextmanager
def _quiet_server() -> Iterator[None]:
    # The emulator logs every request and prints a line for services it lacks;
    # neither belongs on the user's terminal.
    from moto.moto_server import werkzeug_app

    logger = logging.getLogger("werkzeug")
    was_disabled = logger.disabled
    logger.disabled = True
    werkzeug_app.print = lambda *args, **kwargs: None  # type: ignore[attr-defined]
    try:
        yield
    finally:
        logger.disabled = was_disabled
        with contextlib.suppress(AttributeError):
            del werkzeug_app.print  # type: ignore[attr-defined]


def _import_moto() -> Any:
    try:
        from moto.server import ThreadedMotoServer
    except ImportError:
        raise SrmError(
            "The demo account needs the emulator: install srm-tui with its demo extra "
            "(pip install 'srm-tui[demo]')."
        ) from None
    return ThreadedMotoServer


@contextlib.contextmanager
def demo_account(
    scale: int = 1, seed: bool = True, organization: bool = True, extra_accounts: int = 0
) -> Iterator[DemoAccount]:
    """Start moto's ThreadedMotoServer on 127.0.0.1 at a free port, set fake
    credentials for the scan only (the user's environment is restored on exit), seed
    the account and (``organization``) its organization's member accounts, plus
    ``extra_accounts`` more members, and stop the server on exit."""
    server_class = _import_moto()
    with _environment(), _quiet_server():
        server = server_class(ip_address="127.0.0.1", port=0, verbose=False)
        server.start()
        try:
            host, port = server.get_host_and_port()
            url = f"http://{host}:{port}"
            _reset(url)
            only_in_the_aws_partition([DEMO_ACCOUNT])
            started = time.monotonic()
            members = None
            if seed:
                from srm_tui.demo.seeds import run_seeds

                session = SeedSession(url)
                run_seeds(session, DEMO_REGIONS, scale)
                if organization:
                    from srm_tui.demo.organization import seed_organization

                    members = seed_organization(session, extra=extra_accounts)
            seconds = time.monotonic() - started
            yield DemoAccount(url, DEMO_REGIONS, DEMO_ACCOUNT, seconds, members)
        finally:
            server.stop()
            _reset_backends()


def _reset(url: str) -> None:
    # The emulator keeps its state in this process: start every demo from scratch.
    import urllib.request

    # Resetting clears every emulated account this process holds: seconds when another
    # large one is still in memory (the tests keep several), so the wait is generous.
    request = urllib.request.Request(f"{url}/moto-api/reset", method="POST")
    with without_managed_policies(), urllib.request.urlopen(request, timeout=120):
        pass


def _reset_backends() -> None:
    # Free the emulated accounts' memory once the demo is over.
    with without_managed_policies(), contextlib.suppress(Exception):
        from moto.moto_api._internal.models import moto_api_backend

        moto_api_backend.reset()
