"""Amazon Macie: whether the region has a Macie session."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from srm_tui.aws.collect.pages import error_code
from srm_tui.aws.collectors import collector


def _not_enabled(error: ClientError) -> bool:
    # Macie answers AccessDeniedException "Macie is not enabled" for an account that
    # never enabled it; any other denial is a real missing permission and must surface.
    code = error_code(error)
    message = str(error.response.get("Error", {}).get("Message", ""))
    return code == "ResourceNotFoundException" or (
        code == "AccessDeniedException" and "not enabled" in message.lower()
    )


@collector("macie.session", service="macie2", api_calls=("macie2:GetMacieSession",))
def session(api: Any, region: str) -> dict[str, str] | None:
    """The region's Macie session (status ENABLED or PAUSED), or None when Macie is off."""
    try:
        found = api.client("macie2").get_macie_session()
    except ClientError as error:
        if _not_enabled(error):
            return None
        raise
    return {"status": found.get("status", ""), "created": str(found.get("createdAt", ""))}
