"""The network checks (EC2, VPC, launch settings, Auto Scaling, Network Firewall, ACM)
held to their controls' published definitions on the edge cases real accounts have:
answers spelled as AWS spells them, IPv6 and UDP rules, default ACLs, missing values."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from botocore.stub import Stubber

from srm_tui.aws.session import AwsSession
from srm_tui.model import Status
from tests.checks.engine_helpers import ACCOUNT, NOWHERE, REGION, by_suffix, collect, run


@pytest.fixture(autouse=True)
def _credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.delenv("AWS_PROFILE", raising=False)


def _stubbed(service: str) -> tuple[AwsSession, Stubber]:
    """A session whose ``service`` client answers from the returned Stubber."""
    session = AwsSession(endpoint_url=NOWHERE)
    return session, Stubber(session.client(service, REGION))


# --- ACM.2: key lengths as ListCertificates spells them --------------------------------


def _summary(name: str, algorithm: str) -> dict[str, Any]:
    return {
        "CertificateArn": f"arn:aws:acm:{REGION}:{ACCOUNT}:certificate/{name}",
        "DomainName": f"{name}.example.com",
        "Type": "IMPORTED",
        "Status": "ISSUED",
        "KeyAlgorithm": algorithm,
        "NotAfter": datetime.now(UTC) + timedelta(days=200),
    }


def test_acm_rsa_key_length_reads_the_hyphenated_algorithm_aws_returns():
    # ACM answers "RSA-2048" (its model lists "RSA_2048"): a 2,048-bit key passes ACM.2
    # whichever way it is spelled, a 1,024-bit one fails, an EC key is not applicable.
    session, stub = _stubbed("acm")
    summaries = [
        _summary("hyphen2048", "RSA-2048"),
        _summary("under4096", "RSA_4096"),
        _summary("hyphen1024", "RSA-1024"),
        _summary("ec", "EC-prime256v1"),
    ]
    stub.add_response("list_certificates", {"CertificateSummaryList": summaries})
    with stub:
        data = {"acm.certificates": collect("acm.certificates", session=session)}
    findings = run("acm.rsa_key_length", data)
    assert by_suffix(findings, "/hyphen2048").status is Status.PASS
    assert by_suffix(findings, "/under4096").status is Status.PASS
    assert by_suffix(findings, "/hyphen1024").status is Status.FAIL
    assert "1024" in by_suffix(findings, "/hyphen1024").detail
    assert by_suffix(findings, "/ec").status is Status.NOT_APPLICABLE
