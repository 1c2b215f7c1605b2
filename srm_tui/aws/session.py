"""Sessions and clients: the standard credential chain, retries, the ledger hook.

Every client made here counts its calls in the scan's ledger and stops at the next
call once the scan is cancelled.
"""

from __future__ import annotations

import copy
import functools
import json
import os
import queue
import re
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import boto3
from botocore.awsrequest import AWSResponse
from botocore.config import Config
from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectTimeoutError,
    EndpointConnectionError,
    NoCredentialsError,
    NoRegionError,
    PartialCredentialsError,
    ProfileNotFound,
    ReadTimeoutError,
    SSOTokenLoadError,
    TokenRetrievalError,
    UnauthorizedSSOTokenError,
)
from botocore.loaders import Loader

from srm_tui.aws.actions import iam_action
from srm_tui.aws.answers import check_answer
from srm_tui.aws.errors import EXPIRED_CODES
from srm_tui.aws.ledger import Ledger
from srm_tui.errors import SrmError, UsageError
from srm_tui.secrets import redact

DEFAULT_REGION = "us-east-1"
_LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "0.0.0.0"}


class Cancelled(Exception):
    """Raised inside a collector once the scan is cancelled."""


# Calls whose answer changes while the scan waits for it: never shared.
_NOT_SHARED = {"GenerateCredentialReport"}

# A host that let a request time out, or could not be reached at all, is not asked
# again in this scan: every later call to it fails at once the same way, so an
# endpoint that stops answering costs one timeout, not one per call and retry.
_DEAD_HOST_ERRORS = (ReadTimeoutError, ConnectTimeoutError, EndpointConnectionError)


@dataclass(slots=True)
class _Shared:
    done: threading.Event
    response: Any = None


class ResponseCache:
    """Identical read-only calls share one answer, so each (operation, region,
    parameters) reaches AWS once per scan even when two collectors ask for it; a
    second caller arriving while the first call is in flight waits for it.

    Told the scan's plan (``plan``: the IAM actions each collector run may call), it
    keeps an answer only while another collector run that may make the same call has
    not finished (``finished``), and drops it then: an answer that no collector can ask
    for again is not kept. A collector repeats no call of its own (each call is made
    once per scan: the tests hold it so), so an answer only its own run can ask for is
    not kept at all. An answer whose action no planned run declares (a collector run
    only for another's sake) is kept, as is every answer without a plan; one whose
    collector calls it undeclared may be asked again, never answered wrongly."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: dict[tuple[str, str, str, str], _Shared] = {}
        # With a plan: collector runs not finished that may ask, per (action, region)
        # ("" for runs of global collectors, which call any region), and the kept
        # answers per action.
        self._askers: Counter[tuple[str, str]] | None = None
        self._planned: frozenset[str] = frozenset()
        self._kept: dict[str, set[tuple[str, str, str, str]]] = {}

    def plan(self, runs: Iterable[tuple[Iterable[str], str]]) -> None:
        """The collector runs still to finish: (their IAM actions, region or "")."""
        askers: Counter[tuple[str, str]] = Counter()
        for actions, region in runs:
            askers.update((action, region) for action in set(actions))
        with self._lock:
            self._askers = askers
            self._planned = frozenset(action for action, _ in askers)

    def finished(self, actions: Iterable[str], region: str) -> None:
        """A collector run is over: drop the answers nobody left can ask for."""
        with self._lock:
            if self._askers is None:
                return
            for action in set(actions):
                self._askers[(action, region)] -= 1
                for key in list(self._kept.get(action, ())):
                    if not self._wanted(action, key[2], 0):
                        self._kept[action].discard(key)
                        entry = self._entries.get(key)
                        if entry is not None and entry.done.is_set():
                            del self._entries[key]

    def _wanted(self, action: str, region: str, makers: int) -> bool:
        # More runs that may ask than the ``makers`` among them (the run calling now).
        assert self._askers is not None
        count = self._askers[(action, "")] + (self._askers[(action, region)] if region else 0)
        return count > makers

    def claim(self, key: tuple[str, str, str, str]) -> Any:
        """None when the caller must make the call; else a copy of the shared answer."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                self._entries[key] = _Shared(threading.Event())
                return None
        entry.done.wait(timeout=120)
        return copy.deepcopy(entry.response) if entry.response is not None else None

    def settle(self, key: tuple[str, str, str, str], response: Any) -> None:
        """Share ``response`` (None when the call failed: later callers try themselves)."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry.done.is_set():
                return
            if response is None:
                del self._entries[key]
            else:
                entry.response = response
                if self._askers is not None:
                    action = iam_action(key[0], key[1], key[3])
                    if action not in self._planned or self._wanted(action, key[2], 1):
                        self._kept.setdefault(action, set()).add(key)
                    else:  # callers waiting now still get it; nobody later will ask
                        del self._entries[key]
        entry.done.set()


def endpoint_from_env(endpoint_url: str | None) -> str | None:
    """The endpoint to use: the option, else AWS_ENDPOINT_URL, else real AWS; an address
    that is not http(s) or that carries a user name or password is refused (exit 2)."""
    if endpoint_url:
        return checked_endpoint(endpoint_url, "--endpoint-url")
    from_env = os.environ.get("AWS_ENDPOINT_URL")
    return checked_endpoint(from_env, "AWS_ENDPOINT_URL") if from_env else None


def checked_endpoint(url: str, source: str) -> str:
    """``url`` when it is an http(s) address without credentials in it. The refusal
    never repeats the address: it may hold a password."""
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname
    except ValueError:
        parts, host = None, None
    if parts is not None and "@" in parts.netloc:
        raise UsageError(
            f"{source} holds a user name or password: srm-tui never sends or keeps "
            "credentials in an address; give them with --profile or the AWS environment "
            "variables."
        )
    if parts is None or parts.scheme not in ("http", "https") or not host:
        raise UsageError(f"{source} must be an http:// or https:// address with a host name.")
    return url.strip()


def is_local(endpoint_url: str | None) -> bool:
    """True for an endpoint on this machine (an emulator)."""
    if not endpoint_url:
        return False
    return (urlsplit(endpoint_url).hostname or "") in _LOCAL_HOSTS


def client_config(endpoint_url: str | None, pool: int) -> Config:
    """Retries and pooling: adaptive retries against AWS; against a local emulator a
    single attempt, since it answers an operation it lacks with a 500 that retrying
    cannot fix."""
    # An emulator answers a read in milliseconds: a short read timeout bounds a scan
    # whose endpoint stops answering (see _DEAD_HOST_ERRORS).
    if is_local(endpoint_url):
        retries = {"mode": "standard", "total_max_attempts": 1}
        # A closed local port refuses at once; a busy emulator may be slow to accept,
        # and one connect timeout marks the whole host dead, so allow it some seconds.
        timeouts = {"connect_timeout": 5, "read_timeout": 10}
    elif endpoint_url:
        retries = {"mode": "standard", "total_max_attempts": 3}
        timeouts = {"connect_timeout": 5, "read_timeout": 15}
    else:
        retries = {"mode": "adaptive", "total_max_attempts": 8}
        timeouts = {"connect_timeout": 10, "read_timeout": 60}
    return Config(retries=retries, max_pool_connections=max(10, pool), **timeouts)


def answer_deadline(endpoint_url: str | None) -> float:
    """Seconds a whole answer may take, however the endpoint paces it: the read timeout
    bounds each read of the socket, not the sum of them, so an endpoint sending one byte
    every few seconds would hold the scan without this."""
    if is_local(endpoint_url):
        return 15.0
    return 30.0 if endpoint_url else 120.0


class _Helpers:
    """Daemon threads that make HTTP requests for ``DeadlineHttp``, reused from one
    request to the next: starting a thread per request cost a scan of 27,000 calls a
    sixth of its CPU. A request always finds a thread at once (a new one when every
    helper is busy, e.g. with a request given up on), and a helper idle for a while
    ends."""

    def __init__(self, idle_seconds: float = 30.0) -> None:
        self._lock = threading.Lock()
        self._idle = 0  # helpers waiting for work and not yet promised any
        self._jobs: queue.SimpleQueue[tuple[Callable[[], Any], Future[Any]]] = queue.SimpleQueue()
        self._idle_seconds = idle_seconds

    def submit(self, fn: Callable[[], Any]) -> Future[Any]:
        """Run ``fn`` in a helper; its Future."""
        future: Future[Any] = Future()
        with self._lock:
            start = self._idle == 0
            if not start:
                self._idle -= 1  # promised to this job
        self._jobs.put((fn, future))
        if start:
            threading.Thread(target=self._work, name="srm-http", daemon=True).start()
        return future

    def _work(self) -> None:
        while True:
            try:
                fn, future = self._jobs.get(timeout=self._idle_seconds)
            except queue.Empty:
                with self._lock:
                    if self._idle > 0:  # nobody was promised this helper: it may end
                        self._idle -= 1
                        return
                continue
            try:
                future.set_result(fn())
            except BaseException as exc:  # handed to the caller, whatever it is
                future.set_exception(exc)
            with self._lock:
                self._idle += 1


_HELPERS = _Helpers()


class DeadlineHttp:
    """One client's HTTP session with a deadline on each whole answer and a prompt stop
    on cancel: the request runs in a helper thread while the caller waits in short
    steps. A request given up on is left to end by itself (its helper is a daemon)."""

    def __init__(self, inner: Any, seconds: float, cancel: threading.Event) -> None:
        self._inner = inner
        self.seconds = seconds
        self._cancel = cancel

    def send(self, request: Any) -> Any:
        """botocore's ``send``: the response, or ReadTimeoutError past the deadline."""
        answer = _HELPERS.submit(functools.partial(self._inner.send, request))
        deadline = time.monotonic() + self.seconds
        while True:
            try:
                return answer.result(timeout=min(0.2, max(0.0, deadline - time.monotonic())))
            except FutureTimeout:
                pass
            if self._cancel.is_set():
                raise Cancelled()
            if time.monotonic() >= deadline:
                raise ReadTimeoutError(
                    endpoint_url=str(getattr(request, "url", "")),
                    error=f"no complete answer within {self.seconds:g} s",
                )

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


def strip_account_host(request: Any, **_: Any) -> None:
    """A ``before-sign.s3-control`` handler for local endpoints: s3control puts the
    account id in front of the host name, which 127.0.0.1 cannot resolve."""
    parts = urlsplit(request.url)
    if re.match(r"^\d{12}\.", parts.netloc):
        request.url = urlunsplit(parts._replace(netloc=parts.netloc.split(".", 1)[1]))


def slim_model(model: dict[str, Any]) -> dict[str, Any]:
    """Make a parsed service model, in place, what botocore calls with in a third of
    the memory: its operations and shapes without their documentation texts (read only
    to build help pages), and every key and string interned, so the thousands of
    repeats of "shape", "structure" or a shape's name across the models are one string
    each. Everything else stays as it was (botocore reads the documentation of a
    client context parameter; a member named "documentation" is a table, not a text,
    and is kept). Returns ``model``."""
    for key, value in list(model.items()):
        documented = key not in ("operations", "shapes")
        del model[key]
        model[sys.intern(key)] = _slim(value, documented)
    return model


def _slim(node: Any, documented: bool) -> Any:
    if isinstance(node, str):
        return sys.intern(node)
    if isinstance(node, dict):
        kept = [
            (sys.intern(key), _slim(value, documented))
            for key, value in node.items()
            if documented or key not in _DOC_KEYS or not isinstance(value, str)
        ]
        node.clear()
        node.update(kept)
    elif isinstance(node, list):
        node[:] = [_slim(value, documented) for value in node]
    return node


_DOC_KEYS = frozenset({"documentation", "documentationUrl"})


class SharedLoader(Loader):
    """botocore's data loader, safe to share between threads: its caches fill on first
    use, and loading a service model merges the model's extras into the cached parsed
    file in place, so two threads loading the same model at once could each merge into
    one dict while a third reads it. One lock makes each load whole; once a model is
    cached, a load is a dictionary lookup under the lock. Service models are kept slim
    (``slim_model``): a scan reads some forty, about 90 MB parsed as they come and
    30 MB slim."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._lock = threading.RLock()
        self._slimmed: set[int] = set()  # ids of the cached models made slim

    def load_service_model(
        self, service_name: str, type_name: str, api_version: str | None = None
    ) -> Any:
        with self._lock:
            model = super().load_service_model(service_name, type_name, api_version)
            if type_name == "service-2" and id(model) not in self._slimmed:
                # Once, extras merged, on the cached model itself: every client of
                # every session reads the slim one.
                self._slimmed.add(id(model))
                slim_model(model)
            return model

    def load_data_with_path(self, *args: Any, **kwargs: Any) -> Any:
        with self._lock:
            return super().load_data_with_path(*args, **kwargs)

    def list_available_services(self, *args: Any, **kwargs: Any) -> Any:
        with self._lock:
            return super().list_available_services(*args, **kwargs)

    def list_api_versions(self, *args: Any, **kwargs: Any) -> Any:
        with self._lock:
            return super().list_api_versions(*args, **kwargs)


_LOADER_LOCK = threading.Lock()
_LOADERS: dict[str | None, SharedLoader] = {}


def share_models(session: boto3.Session) -> boto3.Session:
    """Let ``session`` read botocore's service models through one loader per data path
    in this process: each session would otherwise parse them again (the EC2 model alone
    is megabytes), which an organization scan, one session per account, would pay for
    every account running at once."""
    core = session._session
    data_path = core.get_config_variable("data_path") or None
    with _LOADER_LOCK:
        loader = _LOADERS.get(data_path)
        if loader is None:
            extra = [os.path.expanduser(os.path.expandvars(p))
                     for p in (data_path or "").split(os.pathsep) if p]  # fmt: skip
            loader = _LOADERS[data_path] = SharedLoader(extra_search_paths=extra)
            # What boto3.Session adds to its own loader (the resource models).
            loader.search_paths.append(os.path.join(os.path.dirname(boto3.__file__), "data"))
    core.register_component("data_loader", loader)
    session._loader = loader
    return session


def host_of(url: str) -> str:
    """The host a request goes to, for telling dead hosts apart; s3control's account id
    label in front of the host name is the same host (and the same emulator)."""
    netloc = urlsplit(url).netloc
    return netloc.split(".", 1)[1] if re.match(r"^\d{12}\.", netloc) else netloc


@dataclass(frozen=True, slots=True)
class Identity:
    """Who the scan runs as."""

    account_id: str
    arn: str
    partition: str


class AwsSession:
    """One boto3 session for a scan; hands out shared, counted clients."""

    def __init__(
        self,
        profile: str | None = None,
        endpoint_url: str | None = None,
        ledger: Ledger | None = None,
        cancel: threading.Event | None = None,
        pool: int = 10,
        boto_session: boto3.Session | None = None,
    ) -> None:
        # ``boto_session`` carries credentials obtained elsewhere (a member account's
        # assumed role); otherwise the standard chain, from ``profile`` when given.
        try:
            self._session = boto_session or boto3.Session(profile_name=profile or None)
            share_models(self._session)
        except ProfileNotFound:
            raise SrmError(
                f"The AWS profile {profile!r} is not in your AWS config files."
            ) from None
        self.profile = profile
        self.endpoint_url = endpoint_from_env(endpoint_url)
        self.ledger = ledger if ledger is not None else Ledger()
        self.cancel = cancel or threading.Event()
        self._config = client_config(self.endpoint_url, pool)
        self._clients: dict[tuple[str, str], Any] = {}
        self._lock = threading.Lock()
        self.responses = ResponseCache()
        self._dead_hosts: dict[str, type[BotoCoreError]] = {}
        self.expired = ""  # the error code once the credentials have expired

    @property
    def boto_session(self) -> boto3.Session:
        """The boto3 session underneath (to assume a role with its credentials)."""
        return self._session

    @property
    def default_region(self) -> str:
        """The profile's region, else AWS_DEFAULT_REGION, else us-east-1."""
        return self._session.region_name or DEFAULT_REGION

    def client(self, service: str, region: str) -> Any:
        """A client for ``service`` in ``region`` (created once, shared by threads)."""
        key = (service, region)
        with self._lock:
            found = self._clients.get(key)
            if found is None:
                found = self._make(service, region, self._config)
                self._clients[key] = found
            return found

    def _make(
        self, service: str, region: str, config: Config, deadline: float | None = None
    ) -> Any:
        client = self._session.client(
            service, region_name=region, endpoint_url=self.endpoint_url, config=config
        )
        endpoint = getattr(client, "_endpoint", None)
        inner = getattr(endpoint, "http_session", None)
        if inner is not None:
            seconds = deadline or answer_deadline(self.endpoint_url)
            endpoint.http_session = DeadlineHttp(inner, seconds, self.cancel)  # type: ignore[union-attr]
        events = client.meta.events
        events.register("before-parameter-build", functools.partial(self._key, service, region))
        events.register("before-call", functools.partial(self._before_call, service, region))
        events.register("after-call", self._after_call)
        events.register("after-call-error", self._after_error)
        events.register_first("needs-retry", self._after_attempt)
        # Before botocore reads an empty or foreign body as an empty answer.
        events.register("before-parse", check_answer)
        if service == "s3control" and self.endpoint_url:
            events.register("before-sign.s3-control", strip_account_host)
        return client

    def _key(
        self, service: str, region: str, params: Any, model: Any, context: Any, **_: Any
    ) -> None:
        if self.cancel.is_set():
            raise Cancelled()
        try:
            text = json.dumps(params, sort_keys=True, default=str)
        except (TypeError, ValueError):
            text = repr(params)
        context["srm_call"] = (service, model.name, region, text)
        context["srm_params"] = params

    def _before_call(
        self, service: str, region: str, model: Any, params: Any, context: Any, **_: Any
    ) -> Any:
        # Here, after botocore has validated the parameters, a claimed call is sure
        # to be settled by after-call or after-call-error.
        if self.cancel.is_set():
            raise Cancelled()
        url = str(params.get("url", "")) if isinstance(params, dict) else ""
        self._refuse_if_hopeless(url, model.name)
        key = context.get("srm_call")
        if key is None:
            return None
        if model.name not in _NOT_SHARED:
            shared = self.responses.claim(key)
            if shared is not None:
                context["srm_shared"] = True
                return AWSResponse(None, 200, {}, None), shared
            try:
                # An identical call this one waited for may have found the host dead.
                self._refuse_if_hopeless(url, model.name)
            except Exception:
                self.responses.settle(key, None)
                raise
        self.ledger.record(service, model.name, region, context.get("srm_params"))
        return None

    def _refuse_if_hopeless(self, url: str, operation: str) -> None:
        """Fail at once when the credentials have expired or the host is dead."""
        if self.expired:
            raise ClientError(
                {"Error": {"Code": self.expired, "Message": "the credentials have expired"}},
                operation,
            )
        dead = self._dead_hosts.get(host_of(url))
        if dead is not None:
            raise dead(endpoint_url=url, error="an earlier request to this host failed")

    def _after_attempt(
        self, caught_exception: Any = None, request_dict: Any = None, **_: Any
    ) -> None:
        # Runs before botocore decides on a retry: a timeout or an unreachable host is
        # not retried, and marks the host dead for the rest of the scan.
        if isinstance(caught_exception, _DEAD_HOST_ERRORS):
            url = str((request_dict or {}).get("url", ""))
            self._dead_hosts.setdefault(host_of(url), type(caught_exception))
            raise caught_exception

    def _after_call(self, http_response: Any, parsed: Any, context: Any, **_: Any) -> None:
        if isinstance(parsed, dict):
            code = str(parsed.get("Error", {}).get("Code", ""))
            if code in EXPIRED_CODES:
                # Every later call would fail the same way: the scan stops asking.
                self.expired = code
        key = context.get("srm_call")
        if key is None or context.get("srm_shared") or key[1] in _NOT_SHARED:
            return
        ok = getattr(http_response, "status_code", 500) < 300
        self.responses.settle(key, parsed if ok else None)

    def _after_error(self, context: Any, **_: Any) -> None:
        key = context.get("srm_call")
        if key is not None and not context.get("srm_shared"):
            self.responses.settle(key, None)

    def identity(self, region: str, *, demo: bool = True) -> Identity:
        """sts:GetCallerIdentity, quickly; any failure is one clear sentence (SrmError).
        ``demo``: whether the command offers --demo, which the sentence then suggests."""
        quick = Config(
            retries={"mode": "standard", "total_max_attempts": 2},
            connect_timeout=3,
            read_timeout=10,
        )
        where = f" at {self.endpoint_url}" if self.endpoint_url else ""
        try:
            sts = self._make("sts", region, quick, deadline=15.0)
            answer = sts.get_caller_identity()
        except (NoCredentialsError, PartialCredentialsError):
            raise SrmError(
                "No AWS credentials found: set AWS_PROFILE or use --profile, or run "
                "'aws configure' or 'aws sso login'" + (", or try --demo." if demo else ".")
            ) from None
        except (TokenRetrievalError, SSOTokenLoadError, UnauthorizedSSOTokenError):
            raise SrmError(
                "The AWS SSO session has expired: run 'aws sso login' and try again."
            ) from None
        except EndpointConnectionError:
            raise SrmError(
                f"Cannot reach the AWS endpoint{where or ' (sts)'}: is it running and "
                "is the address right?"
            ) from None
        except NoRegionError:
            raise SrmError("No AWS region is set: use --region.") from None
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "")
            if code in ("ExpiredToken", "ExpiredTokenException", "RequestExpired"):
                raise SrmError(
                    "The AWS credentials have expired: renew them (e.g. 'aws sso login') "
                    "and try again."
                ) from None
            if code in (
                "InvalidClientTokenId",
                "SignatureDoesNotMatch",
                "UnrecognizedClientException",
            ):
                raise SrmError(
                    "AWS rejected the credentials (invalid key or signature): check the "
                    "profile or the environment variables."
                ) from None
            message = redact(str(exc.response.get("Error", {}).get("Message", code)))[:200]
            raise SrmError(
                f"Could not confirm the AWS identity{where}: {code}: {message}"
            ) from None
        except BotoCoreError as exc:
            raise SrmError(
                f"Could not confirm the AWS identity{where}: {redact(str(exc))[:200]}"
            ) from None
        except Cancelled:
            raise  # the scan was cancelled meanwhile: not a failure of the identity
        except Exception:
            # An answer botocore cannot read at all (UnreadableAnswer, a parser error):
            # not an AWS endpoint, or not one that speaks STS.
            answer = None
        return _identity(answer, where)


_ACCOUNT = re.compile(r"^\d{12}$")
_ARN = re.compile(r"^arn:(aws[a-z-]*):[a-z0-9-]+::\d{12}:\S+$")


def _identity(answer: Any, where: str) -> Identity:
    """The Identity in an sts:GetCallerIdentity answer; anything else (empty, foreign,
    an account that is not twelve digits) is one sentence."""
    account = str(answer.get("Account", "")) if isinstance(answer, dict) else ""
    arn = str(answer.get("Arn", "")) if isinstance(answer, dict) else ""
    found = _ARN.match(arn)
    if not _ACCOUNT.match(account) or found is None:
        raise SrmError(
            f"The endpoint{where or ' (sts)'} did not answer sts:GetCallerIdentity with an "
            "AWS identity: is it an AWS endpoint, and is the address right?"
        )
    return Identity(account, arn, found.group(1))
