"""The session's own guards, without an emulator: a host that cannot be reached is
asked once per scan, and a policy too deep to read is a clear error."""

from __future__ import annotations

import socket
import time

import pytest
from botocore.exceptions import EndpointConnectionError

from srm_tui.aws.errors import UNREACHABLE, classify
from srm_tui.aws.session import AwsSession
from srm_tui.collected import load_document


def test_an_unreachable_host_is_asked_once(monkeypatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test")
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    session = AwsSession(endpoint_url=f"http://127.0.0.1:{port}")
    attempts = []
    real = socket.socket.connect

    def connect(self: socket.socket, address: object) -> object:
        attempts.append(address)
        return real(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    with pytest.raises(EndpointConnectionError):
        session.client("ec2", "us-east-1").describe_security_groups()
    first = len(attempts)
    # Counted, not timed: a retry or a back-off would show as a new connection or a
    # sleep, whatever the machine's load.
    sleeps: list[float] = []
    monkeypatch.setattr(time, "sleep", sleeps.append)
    for service, operation in (("kms", "list_keys"), ("iam", "list_users"),
                               ("lambda", "list_functions")):  # fmt: skip
        with pytest.raises(EndpointConnectionError) as caught:
            getattr(session.client(service, "us-east-1"), operation)()
        assert classify(caught.value, service, "us-east-1").kind == UNREACHABLE
    assert len(attempts) == first  # no new connection tried
    assert sleeps == []  # and no retry waited
    assert session.ledger.total == 1  # refused calls are not counted as made


def test_a_policy_nested_too_deep_is_a_clear_value_error() -> None:
    text = '{"a":' * 5000 + "1" + "}" * 5000
    with pytest.raises(ValueError, match="nested too deeply"):
        load_document(text)
    assert load_document('{"a": {"b": 1}}') == {"a": {"b": 1}}
    assert load_document("%7B%22a%22%3A1%7D") == {"a": 1}
