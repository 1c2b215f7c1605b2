"""Security Hub's active control findings, read with ``GetFindings`` (read-only,
paginated) in each region asked: of one account, or (``account_id=None``) of every
account whose findings the caller's Security Hub aggregates, as the organization's
management account or delegated administrator sees its members'. A finding seen in
two regions (cross-region aggregation) is kept once. A region where Security Hub is
not enabled, or where reading it is denied, is skipped with one sentence naming it;
only when no region can be read, or on any other failure, is it an error: one
sentence (SrmError) naming the region and what was refused."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from srm_tui.aws.errors import DENIED, classify
from srm_tui.errors import SrmError

#: The most findings read in one import, over every region.
MAX_FINDINGS = 200_000
PAGE = 100  # GetFindings returns at most 100 a page


def filters(account_id: str | None) -> dict[str, Any]:
    """Active findings that carry a compliance status (control checks), of
    ``account_id`` or (None) of every account the caller sees."""
    chosen: dict[str, Any] = {}
    if account_id is not None:
        chosen["AwsAccountId"] = [{"Value": account_id, "Comparison": "EQUALS"}]
    return {
        **chosen,
        "RecordState": [{"Value": "ACTIVE", "Comparison": "EQUALS"}],
        "ComplianceStatus": [
            {"Value": v, "Comparison": "EQUALS"}
            for v in ("PASSED", "FAILED", "WARNING", "NOT_AVAILABLE")
        ],
    }


@dataclass(frozen=True, slots=True)
class Fetched:
    """What the regions gave: the findings, the regions read, and one sentence for
    each region skipped (Security Hub not enabled there, or reading it denied)."""

    findings: list[dict[str, Any]]
    regions: tuple[str, ...]
    skipped: tuple[str, ...] = ()


def fetch(client_for: Any, account_id: str | None, regions: Iterable[str]) -> Fetched:
    """Every active control finding of ``account_id`` (None: of every account the
    caller's Security Hub holds) in ``regions``; ``client_for(region)`` gives a
    securityhub client. A region without Security Hub, or denied, is skipped: one
    region's refusal does not lose the others' findings."""
    found: list[dict[str, Any]] = []
    seen: set[str] = set()
    read: list[str] = []
    refused: list[tuple[str, str]] = []  # (region, why it was skipped)
    for region in regions:
        try:
            mine, ids = _read_region(client_for(region), account_id, seen, len(found))
        except (ClientError, BotoCoreError) as exc:
            why = _refusal(exc, region)
            if why is None:
                error = classify(exc, "securityhub", region)
                raise SrmError(f"Could not read Security Hub's findings: {error.reason}.") from None
            refused.append((region, why))
            continue
        read.append(region)
        found += mine
        seen |= ids
    if not read and refused:
        raise SrmError(
            "Security Hub could not be read in any region asked ("
            + "; ".join(why for _, why in refused)
            + "): nothing was imported (name the regions where it can be read with --region)."
        )
    skipped = tuple(f"Security Hub: {why}; skipped that region." for _, why in refused)
    return Fetched(found, tuple(read), skipped)


def _read_region(
    client: Any, account_id: str | None, seen: set[str], before: int
) -> tuple[list[dict[str, Any]], set[str]]:
    """One region's findings not already ``seen``, and their ids (``before``: how many
    findings the regions before it gave)."""
    found: list[dict[str, Any]] = []
    mine: set[str] = set()
    pages = client.get_paginator("get_findings").paginate(
        Filters=filters(account_id), PaginationConfig={"PageSize": PAGE}
    )
    for page in pages:
        for finding in page.get("Findings", []):
            # An aggregation region returns the linked regions' findings too.
            ident = finding.get("Id") if isinstance(finding, dict) else None
            if isinstance(ident, str):
                if ident in seen or ident in mine:
                    continue
                mine.add(ident)
            found.append(finding)
        if before + len(found) > MAX_FINDINGS:
            raise SrmError(
                f"Security Hub holds more than {MAX_FINDINGS:,} active findings for "
                "these accounts: import fewer regions at once."
            )
    return found, mine


def _refusal(exc: BaseException, region: str) -> str | None:
    """Why ``region`` is skipped, naming it ("not enabled in REGION ...", "access
    denied to ... in REGION"), or None for a failure that stops the import."""
    if isinstance(exc, ClientError) and exc.response.get("Error", {}).get("Code") == (
        "InvalidAccessException"  # GetFindings where the account is not subscribed
    ):
        return f"not enabled in {region} for this account"
    error = classify(exc, "securityhub", region)
    return error.reason if error.kind == DENIED else None
