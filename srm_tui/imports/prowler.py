"""Prowler's ``json-ocsf`` output in: a JSON array of OCSF Detection Findings (class
2004), one per check and resource, the check id in ``metadata.event_code``, the verdict
in ``status_code`` (PASS, FAIL, MANUAL), the account in ``cloud.account.uid`` and the
framework ids in ``unmapped.compliance`` (``{"CIS-7.0": ["2.2"], ...}``).

MANUAL results carry no verdict and are skipped (counted). A finding Prowler's
mutelist muted keeps its PASS or FAIL in ``status_code`` and says so in ``status``
(``Suppressed``, ``status_id`` 3): Prowler does not count it, so it is skipped and
counted apart (``muted``); so is a ``status_code`` MUTED, which Prowler's status
enumeration holds since 5.0 (its mutelist's ``mute_finding`` sets it).

Framework ids are kept for the frameworks srm-tui maps through (CIS v7.0, AWS FSBP,
the Well-Architected Security Pillar); Prowler's own NIST CSF and ISO ids use other
identifiers and are left out.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from srm_tui.errors import InputFileError
from srm_tui.imports.reading import (
    MAX_FINDINGS,
    Shape,
    frameworks_of,
    load_json,
    severity,
    too_many,
)
from srm_tui.model import ImportedFinding, ImportedSet, Status, now

SOURCE = "prowler"
WHAT = "Prowler's json-ocsf output"
#: OCSF's status_id of a suppressed finding, what Prowler writes for a muted one.
SUPPRESSED = 3
_STATUS = {"PASS": Status.PASS, "FAIL": Status.FAIL}
#: Prowler's framework keys srm-tui maps through, and srm-tui's keys for them.
FRAMEWORKS = {
    "CIS-7.0": "cis-aws-7.0",
    "AWS-Foundational-Security-Best-Practices": "aws-fsbp",
    "AWS-Well-Architected-Framework-Security-Pillar": "aws-wa-security",
}


def read(path: str | Path, *, when: datetime | None = None) -> ImportedSet:
    """The findings of a Prowler json-ocsf file; InputFileError when it is not one.
    Each finding keeps its account (``imports.apply`` decides which are welcome)."""
    data = load_json(path, WHAT)
    if not isinstance(data, list):
        raise InputFileError(path, f"not {WHAT}: it must be a JSON array of findings")
    if len(data) > MAX_FINDINGS:
        raise too_many(path)
    findings = []
    skipped = muted = 0
    accounts: set[str] = set()
    for index, event in enumerate(data):
        shape = Shape(path, f"finding {index + 1}")
        if not isinstance(event, dict):
            raise shape.fail("must be an object")
        if "AwsAccountId" in event and "status_code" not in event:
            raise shape.fail("a Security Hub finding (ASFF), not OCSF: import it with --asff")
        code = shape.text(event, "status_code")
        if code not in (*_STATUS, "MANUAL", "MUTED"):
            raise shape.fail(f"unknown status_code {code[:40]!r} (PASS, FAIL, MANUAL or MUTED)")
        metadata = shape.table(event, "metadata")
        product = shape.table(metadata, "product")
        if str(product.get("name", "")).lower() != "prowler":
            raise shape.fail(f"not a Prowler finding, so not {WHAT}")
        if "event_code" not in metadata:
            # Prowler 4.0 to 4.2 wrote neither the check id nor the framework ids.
            raise shape.fail(
                "written by a Prowler older than 4.3, which names no check "
                "(metadata.event_code): run Prowler 4.3 or later"
            )
        cloud = shape.table(event, "cloud")
        provider = cloud.get("provider", "aws")
        if provider != "aws":
            raise shape.fail(f"a Prowler finding of {str(provider)[:40]!r}, not of AWS")
        account = shape.text(shape.table(cloud, "account"), "uid")
        accounts.add(account)
        if code == "MANUAL":
            skipped += 1
            continue
        if code == "MUTED" or _muted(event):
            muted += 1
            continue
        findings.append(_finding(shape, event, cloud, code, account))
    # Several accounts (Prowler run over an organization): each finding names its own.
    single = accounts.pop() if len(accounts) == 1 else ""
    return ImportedSet(
        SOURCE, Path(path).name, when or now(), single, tuple(findings), skipped, muted
    )


def _muted(event: dict[str, Any]) -> bool:
    """Muted by Prowler's mutelist: OCSF status Suppressed (every 4.x and 5.x writes
    both the name and the id)."""
    return event.get("status_id") == SUPPRESSED or event.get("status") == "Suppressed"


def _finding(
    shape: Shape, event: dict[str, Any], cloud: Any, code: str, account: str
) -> ImportedFinding:
    metadata = shape.table(event, "metadata")
    info = shape.table(event, "finding_info", required=False)
    resources = shape.items(event, "resources", required=False)
    resource, region = "", shape.text(cloud, "region", required=False)
    if resources:
        first = resources[0]
        if not isinstance(first, dict):
            raise shape.fail("each of 'resources' must be an object")
        resource = shape.text(first, "uid", required=False)
        region = shape.text(first, "region", required=False) or region
    unmapped = shape.table(event, "unmapped", required=False)
    compliance = shape.table(unmapped, "compliance", required=False)
    ids = {str(k): shape.strings(v, f"unmapped.compliance.{k}"[:80]) for k, v in compliance.items()}
    return ImportedFinding(
        source=SOURCE,
        check=shape.text(metadata, "event_code"),
        title=shape.text(info, "title", required=False),
        region=region or "global",
        resource=resource,
        status=_STATUS[code],
        severity=severity(shape.text(event, "severity", required=False)),
        frameworks=frameworks_of(ids, FRAMEWORKS),
        detail=shape.text(event, "status_detail", required=False),
        account_id=account,
    )
