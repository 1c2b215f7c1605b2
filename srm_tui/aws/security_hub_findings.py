"""Security Hub's active control findings, read with ``GetFindings`` (read-only,
paginated) in each region asked: of one account, or (``account_id=None``) of every
account whose findings the caller's Security Hub aggregates, as the organization's
management account or delegated administrator sees its members'. A finding seen in
two regions (cross-region aggregation) is kept once. Any failure is one sentence
(SrmError) naming the region and what was refused."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from srm_tui.aws.errors import classify
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


def fetch(client_for: Any, account_id: str | None, regions: Iterable[str]) -> list[dict[str, Any]]:
    """Every active control finding of ``account_id`` (None: of every account the
    caller's Security Hub holds) in ``regions``; ``client_for(region)`` gives a
    securityhub client."""
    found: list[dict[str, Any]] = []
    seen: set[str] = set()
    for region in regions:
        client = client_for(region)
        try:
            pages = client.get_paginator("get_findings").paginate(
                Filters=filters(account_id), PaginationConfig={"PageSize": PAGE}
            )
            for page in pages:
                for finding in page.get("Findings", []):
                    # An aggregation region returns the linked regions' findings too.
                    ident = finding.get("Id") if isinstance(finding, dict) else None
                    if isinstance(ident, str):
                        if ident in seen:
                            continue
                        seen.add(ident)
                    found.append(finding)
                if len(found) > MAX_FINDINGS:
                    raise SrmError(
                        f"Security Hub holds more than {MAX_FINDINGS:,} active findings for "
                        "these accounts: import fewer regions at once."
                    )
        except (ClientError, BotoCoreError) as exc:
            error = classify(exc, "securityhub", region)
            if isinstance(exc, ClientError) and exc.response.get("Error", {}).get("Code") == (
                "InvalidAccessException"
            ):
                raise SrmError(
                    f"Security Hub is not enabled in {region} for this account: nothing to "
                    "import there (leave that region out with --region)."
                ) from None
            raise SrmError(f"Could not read Security Hub's findings: {error.reason}.") from None
    return found
