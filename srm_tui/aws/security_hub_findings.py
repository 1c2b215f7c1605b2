"""Security Hub's active control findings of one account, read with ``GetFindings``
(read-only, paginated) in each region asked; any failure is one sentence (SrmError)
naming the region and what was refused."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from srm_tui.aws.errors import classify
from srm_tui.errors import SrmError

#: The most findings read in one import, over every region.
MAX_FINDINGS = 200_000
PAGE = 100  # GetFindings returns at most 100 a page


def filters(account_id: str) -> dict[str, Any]:
    """Active findings of ``account_id`` that carry a compliance status (control checks)."""
    return {
        "AwsAccountId": [{"Value": account_id, "Comparison": "EQUALS"}],
        "RecordState": [{"Value": "ACTIVE", "Comparison": "EQUALS"}],
        "ComplianceStatus": [
            {"Value": v, "Comparison": "EQUALS"}
            for v in ("PASSED", "FAILED", "WARNING", "NOT_AVAILABLE")
        ],
    }


def fetch(client_for: Any, account_id: str, regions: Iterable[str]) -> list[dict[str, Any]]:
    """Every active control finding of ``account_id`` in ``regions``; ``client_for(region)``
    gives a securityhub client."""
    found: list[dict[str, Any]] = []
    for region in regions:
        client = client_for(region)
        try:
            pages = client.get_paginator("get_findings").paginate(
                Filters=filters(account_id), PaginationConfig={"PageSize": PAGE}
            )
            for page in pages:
                found.extend(page.get("Findings", []))
                if len(found) > MAX_FINDINGS:
                    raise SrmError(
                        f"Security Hub holds more than {MAX_FINDINGS:,} active findings for "
                        "this account: export them to a file and import fewer regions at once."
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
