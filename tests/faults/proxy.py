"""A small HTTP proxy in front of the emulated account that injects faults.

It forwards every request to the emulator unless a rule matches; a rule answers
instead with an error in the protocol shape the client expects (query and EC2 XML,
JSON, REST-JSON, REST-XML, CBOR), resets the connection, never answers, answers
"200 OK" with an empty body or with a web page, or drips the emulator's true answer
one byte every few seconds. Requests are told apart by the service and region of
their signature.
"""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import json
import re
import socket
import struct
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

THROTTLE = "throttle"
DENY = "deny"
EXPIRED = "expired"
RESET = "reset"
HANG = "hang"
FAIL = "fail"  # a server error whose message is full of terminal escapes and markup
EMPTY = "empty"  # 200 OK with no body at all
GARBAGE = "garbage"  # 200 OK with a web page, as a captive portal or a broken proxy sends
DRIP = "drip"  # the true answer, one byte every few seconds
NOT_SUBSCRIBED = "not_subscribed"  # Security Hub's answer where it is not enabled

GARBAGE_PAGE = b"<html><body><h1>Service unavailable</h1><p>Try again later.</p></body></html>"

_SCOPE = re.compile(r"Credential=[^/]+/\d{8}/([^/]+)/([^/]+)/aws4_request")


@dataclass(frozen=True, slots=True)
class Request:
    """What a rule may look at."""

    service: str  # signing name: "ec2", "monitoring", "elasticfilesystem"...
    region: str
    number: int  # 1 for the first request the proxy saw
    digest: str  # the same for every attempt of one call
    operation: str = ""  # for the JSON protocols (X-Amz-Target), e.g. "GetKeyPolicy"


@dataclass
class Rule:
    """Inject ``kind`` into matching requests.

    ``services``/``regions``/``operations`` (empty: any; operations are known for the
    JSON protocols only) select requests, ``spare`` services it never hits; ``after`` skips the first
    requests the proxy sees; ``times`` limits how many requests the rule hits (0: no
    limit); ``first_attempt`` hits only the first attempt of each distinct call.
    """

    kind: str
    services: frozenset[str] = frozenset()
    regions: frozenset[str] = frozenset()
    operations: frozenset[str] = frozenset()
    spare: frozenset[str] = frozenset()
    after: int = 0
    times: int = 0
    first_attempt: bool = False
    hits: int = 0
    _seen: set[str] = field(default_factory=set)

    def matches(self, request: Request) -> bool:
        if self.services and request.service not in self.services:
            return False
        if request.service in self.spare:
            return False
        if self.regions and request.region not in self.regions:
            return False
        if self.operations and request.operation not in self.operations:
            return False
        if request.number <= self.after:
            return False
        if self.times and self.hits >= self.times:
            return False
        if self.first_attempt:
            if request.digest in self._seen:
                return False
            self._seen.add(request.digest)
        self.hits += 1
        return True


class FaultProxy:
    """The proxy: ``url`` to point a scan at, ``rules`` to change at any time."""

    def __init__(self, upstream: str, host: str = "127.0.0.1") -> None:
        parts = urlsplit(upstream)
        self.upstream = (parts.hostname or "127.0.0.1", parts.port or 80)
        self.rules: list[Rule] = []
        self.seen: Counter[str] = Counter()  # service -> requests
        self.injected: Counter[str] = Counter()  # kind -> requests
        self.release = threading.Event()  # ends every hanging or dripping request
        self.drip_every = 2.0  # seconds between two bytes of a dripped answer
        self.drip_for = 45.0  # then the connection is reset
        self._lock = threading.Lock()
        self._count = 0
        self._server = ThreadingHTTPServer((host, 0), _handler(self))
        self._server.daemon_threads = True
        self.url = f"http://{host}:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self) -> FaultProxy:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.release.set()
        self._server.shutdown()
        self._server.server_close()

    def reset(self, *rules: Rule) -> None:
        """New rules and counters for the next scan."""
        with self._lock:
            self.rules = list(rules)
            self.seen.clear()
            self.injected.clear()
            self._count = 0

    def decide(
        self, request_line: str, headers: dict[str, str], body: bytes
    ) -> tuple[Request, Rule | None]:
        found = _SCOPE.search(headers.get("authorization", ""))
        region, service = found.groups() if found else ("", "")
        digest = hashlib.sha256(
            request_line.encode() + headers.get("x-amz-target", "").encode() + body
        ).hexdigest()
        with self._lock:
            self._count += 1
            operation = headers.get("x-amz-target", "").rpartition(".")[2]
            request = Request(service, region, self._count, digest, operation)
            self.seen[service] += 1
            for rule in self.rules:
                if rule.matches(request):
                    self.injected[rule.kind] += 1
                    return request, rule
        return request, None


@contextlib.contextmanager
def fault_proxy(upstream: str, host: str = "127.0.0.1") -> Iterator[FaultProxy]:
    """A running proxy in front of ``upstream``."""
    proxy = FaultProxy(upstream, host).start()
    try:
        yield proxy
    finally:
        proxy.stop()


def _handler(proxy: FaultProxy) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:
            pass

        def finish(self) -> None:
            # A reset connection cannot be flushed.
            with contextlib.suppress(OSError, ValueError):
                super().finish()

        def handle_one(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            headers = {k.lower(): v for k, v in self.headers.items()}
            request, rule = proxy.decide(self.requestline, headers, body)
            if rule is None:
                self._forward(body)
            elif rule.kind == RESET:
                self._reset()
            elif rule.kind == HANG:
                proxy.release.wait(120)
                self._reset()
            elif rule.kind == DRIP:
                self._drip(*self._fetch(body))
            elif rule.kind == EMPTY:
                self._answer(200, [("x-amzn-RequestId", "fault-0001")], b"", False)
            elif rule.kind == GARBAGE:
                self._answer(200, [("Content-Type", "text/html")], GARBAGE_PAGE, False)
            else:
                status, out_headers, out_body = error_response(rule.kind, request, headers, body)
                self._answer(status, out_headers, out_body, self.command == "HEAD")

        do_GET = do_POST = do_PUT = do_HEAD = do_DELETE = handle_one

        def _fetch(self, body: bytes) -> tuple[int, list[tuple[str, str]], bytes]:
            connection = http.client.HTTPConnection(*proxy.upstream, timeout=60)
            try:
                connection.request(self.command, self.path, body=body or None,
                                   headers=dict(self.headers.items()))  # fmt: skip
                answer = connection.getresponse()
                data = answer.read()
                headers = [
                    (k, v) for k, v in answer.getheaders()
                    if k.lower() not in ("transfer-encoding", "connection", "content-length")
                ]  # fmt: skip
                return answer.status, headers, data
            finally:
                connection.close()

        def _forward(self, body: bytes) -> None:
            status, headers, data = self._fetch(body)
            self._answer(status, headers, data, self.command == "HEAD")

        def _drip(self, status: int, headers: list[tuple[str, str]], data: bytes) -> None:
            # Headers at once, then the body so slowly that no single read times out.
            self._answer(status, headers, b"", True, length=len(data))
            started = time.monotonic()
            sent = 0
            with contextlib.suppress(OSError):
                for byte in data:
                    if proxy.release.wait(proxy.drip_every):
                        break
                    if time.monotonic() - started > proxy.drip_for:
                        break
                    self.wfile.write(bytes((byte,)))
                    self.wfile.flush()
                    sent += 1
            if sent < len(data):
                self._reset()
            self.close_connection = True

        def _answer(self, status: int, headers: list[tuple[str, str]], body: bytes,
                    head: bool, length: int | None = None) -> None:  # fmt: skip
            self.send_response(status)
            for key, value in headers:
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body) if length is None else length))
            self.end_headers()
            if not head:
                self.wfile.write(body)
            self.wfile.flush()

        def _reset(self) -> None:
            # SO_LINGER 0: close with a TCP RST rather than a polite FIN.
            with contextlib.suppress(OSError):
                self.connection.setsockopt(
                    socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
                )
                self.connection.close()
            self.close_connection = True

    return Handler


# --- errors in the shape of each protocol --------------------------------------------

_CODES = {
    # kind: (query/rest-xml code, ec2 code, json code, s3 code)
    THROTTLE: ("Throttling", "RequestLimitExceeded", "ThrottlingException", "SlowDown"),
    DENY: ("AccessDenied", "UnauthorizedOperation", "AccessDeniedException", "AccessDenied"),
    EXPIRED: ("ExpiredToken", "RequestExpired", "ExpiredTokenException", "ExpiredToken"),
    FAIL: ("InternalFailure", "InternalError", "InternalFailure", "InternalError"),
    NOT_SUBSCRIBED: ("InvalidAccessException",) * 4,
}
_MESSAGES = {
    THROTTLE: "Rate exceeded",
    DENY: "User: arn:aws:iam::123456789012:user/auditor is not authorized to do this",
    EXPIRED: "The security token included in the request is expired",
    FAIL: "broken &lt;script&gt; \x1b[2J\x1b]0;pwned\x07 \u009b31m | # [x](y)",
    NOT_SUBSCRIBED: "Account 123456789012 is not subscribed to AWS Security Hub",
}


def error_response(
    kind: str, request: Request, headers: dict[str, str], body: bytes
) -> tuple[int, list[tuple[str, str]], bytes]:
    """(status, headers, body) of an AWS error of ``kind`` for this request's protocol."""
    query_code, ec2_code, json_code, s3_code = _CODES[kind]
    message = _MESSAGES[kind]
    status = {THROTTLE: 400, DENY: 403, EXPIRED: 400, FAIL: 500, NOT_SUBSCRIBED: 401}[kind]
    request_id = [("x-amzn-RequestId", "fault-0001")]
    if "rpc-v2-cbor" in headers.get("smithy-protocol", ""):
        payload = _cbor_map({"__type": json_code, "message": message})
        return status, [("Smithy-Protocol", "rpc-v2-cbor"),
                        ("Content-Type", "application/cbor"), *request_id], payload  # fmt: skip
    if "x-amz-target" in headers:
        payload = json.dumps({"__type": json_code, "message": message}).encode()
        return status, [("Content-Type", "application/x-amz-json-1.1"),
                        ("x-amzn-ErrorType", json_code), *request_id], payload  # fmt: skip
    xml = [("Content-Type", "text/xml"), *request_id]
    if request.service == "ec2":
        text = (f"<Response><Errors><Error><Code>{ec2_code}</Code><Message>{message}</Message>"
                "</Error></Errors><RequestID>fault-0001</RequestID></Response>")  # fmt: skip
        return (503 if kind == THROTTLE else status), xml, text.encode()
    if request.service == "s3":
        text = (f"<Error><Code>{s3_code}</Code><Message>{message}</Message>"
                "<RequestId>fault-0001</RequestId></Error>")  # fmt: skip
        return (503 if kind == THROTTLE else status), xml, text.encode()
    form = headers.get("content-type", "").startswith("application/x-www-form-urlencoded")
    if form or request.service == "cloudfront":
        text = (f"<ErrorResponse><Error><Type>Sender</Type><Code>{query_code}</Code>"
                f"<Message>{message}</Message></Error><RequestId>fault-0001</RequestId>"
                "</ErrorResponse>")  # fmt: skip
        return status, xml, text.encode()
    # REST-JSON: the code travels in a header.
    payload = json.dumps({"message": message}).encode()
    return (429 if kind == THROTTLE else status), [
        ("Content-Type", "application/json"), ("x-amzn-ErrorType", json_code), *request_id
    ], payload  # fmt: skip


def _cbor_text(text: str) -> bytes:
    data = text.encode()
    if len(data) < 24:
        return bytes([0x60 + len(data)]) + data
    return bytes([0x78, len(data)]) + data


def _cbor_map(values: dict[str, str]) -> bytes:
    out = bytes([0xA0 + len(values)])
    for key, value in values.items():
        out += _cbor_text(key) + _cbor_text(value)
    return out
