"""Amazon Macie: whether the region has a Macie session."""

from __future__ import annotations

from srm_tui.aws.api import Api
from srm_tui.aws.collectors import collector

# Macie answers AccessDeniedException "Macie is not enabled" for an account that never
# enabled it; any other denial is a real missing permission and must surface.
_NOT_ENABLED = ("ResourceNotFoundException", "AccessDeniedException: not enabled")
# Relationship states in which the account is not (or no longer) a member of the
# administrator that GetAdministratorAccount names.
_NOT_A_MEMBER = frozenset(
    {"Invited", "Created", "Removed", "Resigned", "EmailVerificationInProgress",
     "EmailVerificationFailed"}
)  # fmt: skip


@collector("macie.session", service="macie2", api_calls=("macie2:GetMacieSession",))
def session(api: Api, region: str) -> dict[str, str] | None:
    """The region's Macie session (status ENABLED or PAUSED), or None when Macie is off."""
    found = api.call("macie2", None, "get_macie_session", missing=_NOT_ENABLED)
    if found is None:
        return None
    return {"status": found.get("status", ""), "created": str(found.get("createdAt", ""))}


@collector(
    "macie.automated_discovery",
    service="macie2",
    api_calls=(
        "macie2:GetMacieSession",
        "macie2:GetAdministratorAccount",
        "macie2:GetAutomatedDiscoveryConfiguration",
    ),
    reads=("macie.session",),
)
def automated_discovery(api: Api, region: str) -> dict[str, str] | None:
    """None when Macie is off in the region; else ``administrator`` (the Macie
    administrator's account id when this one is a member, else "") and, for an
    administrator or standalone account, the ``status`` of automated sensitive data
    discovery (ENABLED or DISABLED)."""
    if api.data("macie.session", region) is None:
        return None
    admin = (api.call("macie2", None, "get_administrator_account") or {}).get("administrator")
    admin = admin if isinstance(admin, dict) else {}
    administrator = str(admin.get("accountId") or "")
    # An invitation not accepted, or a membership that ended, leaves the account on its
    # own: Macie.2 applies to it as to a standalone account.
    if str(admin.get("relationshipStatus") or "") in _NOT_A_MEMBER:
        administrator = ""
    if administrator and administrator != api.account_id:
        return {"administrator": administrator, "status": ""}
    found = api.call("macie2", None, "get_automated_discovery_configuration")
    return {"administrator": "", "status": str(found.get("status", ""))}
