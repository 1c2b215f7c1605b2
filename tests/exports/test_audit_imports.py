"""srm-tui import against the producers' published formats: Prowler's json-ocsf and
json-asff writers (4.x and 5.x) and Security Hub's ASFF (control findings, workflow
status, other products' findings), and hostile files refused in one sentence."""

from __future__ import annotations

from pathlib import Path

import pytest

from srm_tui import store
from srm_tui.model import Assessment, CheckRecord, Finding, Responsibility, Scope, Severity, Status

ACCOUNT = "123456789012"
BUCKET = "arn:aws:s3:::demo-public-assets"


def own() -> Assessment:
    """One srm-tui check citing FSBP S3.8, passing on the bucket."""
    record = CheckRecord(
        "s3.public_access_block",
        "Block public access",
        "s3",
        Severity.HIGH,
        Responsibility.CUSTOMER,
        {"aws-fsbp": ("S3.8",), "cis-aws-7.0": ("3.1.4",)},
    )
    return Assessment(
        name="Audit",
        scope=Scope(account_id=ACCOUNT, regions=("us-east-1",)),
        checks={record.id: record},
        findings=[Finding(record.id, "global", BUCKET, Status.PASS)],
    )


@pytest.fixture
def review(tmp_path: Path) -> Path:
    path = tmp_path / "review.toml"
    store.save(own(), path)
    return path


def refused(run_cli, review: Path, option: str, bad: Path, *words: str) -> None:
    """Exit 2, one line naming the file and the words, the review untouched."""
    before = review.read_bytes()
    result = run_cli("import", review, option, bad)
    assert result.code == 2, result.err
    assert "Traceback" not in result.err and len(result.err.strip().splitlines()) == 1
    for word in (str(bad), *words):
        assert word in result.err
    assert review.read_bytes() == before


# --- hostile files -----------------------------------------------------------------------


@pytest.mark.parametrize("option", ["--prowler", "--asff"])
def test_a_number_too_long_for_python_is_one_sentence(run_cli, review, tmp_path, option):
    bad = tmp_path / "long.json"
    bad.write_text("[" + "1" * 5000 + "]")
    refused(run_cli, review, option, bad, "number too long")
