"""The promise of no network but the AWS endpoints in scope: a demo scan, from start to
saved file, opens connections to the loopback address only and looks up no host
name but its own."""

from __future__ import annotations

import ipaddress
import socket
import threading
from typing import Any

import pytest


def _host(address: Any) -> str:
    return str(address[0]) if isinstance(address, tuple) else str(address)


def test_a_demo_scan_connects_to_loopback_only(run_cli, tmp_path, monkeypatch) -> None:
    connected: list[str] = []
    looked_up: list[str] = []
    lock = threading.Lock()
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex
    real_getaddrinfo = socket.getaddrinfo

    def connect(self: socket.socket, address: Any) -> Any:
        with lock:
            connected.append(_host(address))
        return real_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> Any:
        with lock:
            connected.append(_host(address))
        return real_connect_ex(self, address)

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        with lock:
            looked_up.append(str(host))
        return real_getaddrinfo(host, *args, **kwargs)

    # Every TCP connection in Python (urllib3, http.client, create_connection) ends in
    # socket.connect or connect_ex; every name lookup in getaddrinfo.
    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)

    result = run_cli("scan", "--demo", tmp_path / "demo.toml")
    assert result.code == 0, result.err

    assert len(connected) > 50  # the scan did talk, over sockets
    for host in connected:
        assert ipaddress.ip_address(host).is_loopback, f"connection to {host}"
    for host in looked_up:
        assert host in ("127.0.0.1", "localhost", "::1", "0.0.0.0", "None") or (
            ipaddress.ip_address(host).is_loopback
        ), f"name lookup of {host}"


@pytest.mark.parametrize("module", ["urllib.request", "http.client", "requests"])
def test_the_domain_never_opens_a_connection_of_its_own(module: str) -> None:
    # Only boto3 (and, in demo mode, the emulator) talk to the network; nothing in
    # srm_tui imports an HTTP client except the demo's emulator reset on loopback.
    from pathlib import Path

    root = Path(__file__).resolve().parents[1] / "srm_tui"
    users = [
        str(p.relative_to(root))
        for p in root.rglob("*.py")
        if f"import {module}" in p.read_text("utf-8") or f"from {module}" in p.read_text("utf-8")
    ]
    assert set(users) <= {"demo/server.py"}, users
