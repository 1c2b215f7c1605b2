"""An endpoint address holding a user name or password is refused at once (exit 2): it
is never sent, never echoed, never written to the assessment."""

from __future__ import annotations

import pytest

from srm_tui.aws.session import AwsSession
from srm_tui.errors import UsageError

USER = "AKIAIOSFODNN7EXAMPLE"
PASSWORD = "wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY"
ADDRESSES = [
    f"http://{USER}:{PASSWORD}@127.0.0.1:9/",
    f"https://{USER}@127.0.0.1:9",
    f"http://:{PASSWORD}@localhost:9",
    f"http://{USER}:{PASSWORD}@[::1]:9/path",
]


def _assert_refused(result, path, source: str) -> None:
    assert result.code == 2, result.err
    assert f"{source} holds a user name or password" in result.err
    for secret in (USER, PASSWORD):
        assert secret not in result.err + result.out
    assert "Traceback" not in result.err
    assert not path.exists()


@pytest.mark.parametrize("address", ADDRESSES)
def test_endpoint_option_with_credentials_is_refused(run_cli, tmp_path, address) -> None:
    path = tmp_path / "a.toml"
    result = run_cli("scan", path, "--endpoint-url", address, "--region", "us-east-1")
    _assert_refused(result, path, "--endpoint-url")


def test_aws_endpoint_url_with_credentials_is_refused(run_cli, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", ADDRESSES[0])
    path = tmp_path / "a.toml"
    _assert_refused(run_cli("scan", path, "--region", "us-east-1"), path, "AWS_ENDPOINT_URL")


def test_every_session_refuses_it_whoever_asks(monkeypatch) -> None:
    # The wizard scans through the same session with the endpoint its scope holds.
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test")
    for address in ADDRESSES:
        with pytest.raises(UsageError) as refused:
            AwsSession(endpoint_url=address)
        assert PASSWORD not in str(refused.value) and USER not in str(refused.value)
    monkeypatch.setenv("AWS_ENDPOINT_URL", ADDRESSES[1])
    with pytest.raises(UsageError):
        AwsSession()
    assert AwsSession(endpoint_url="http://127.0.0.1:9").endpoint_url == "http://127.0.0.1:9"


@pytest.mark.parametrize("address", ["127.0.0.1:5000", "ftp://host", "http://", "http://[::1"])
def test_an_address_that_is_not_http_is_bad_usage(run_cli, tmp_path, address) -> None:
    path = tmp_path / "a.toml"
    result = run_cli("scan", path, "--endpoint-url", address, "--region", "us-east-1")
    assert result.code == 2, result.err
    assert "must be an http:// or https:// address" in result.err
    assert "Traceback" not in result.err
