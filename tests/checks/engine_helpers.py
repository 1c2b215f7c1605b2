"""Running checks and collectors the way the scan engine does, without a scan: a check
over hand-made collected data (through ``evaluate``, as the engine calls it), and a
collector through the engine's own ``AccountApi`` (emulated or stubbed AWS)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from botocore.stub import Stubber

from srm_tui import checklist
from srm_tui.aws.account_api import AccountApi
from srm_tui.aws.session import AwsSession
from srm_tui.checks.context import Check, Context, evaluate
from srm_tui.model import Finding, Status

ACCOUNT = "123456789012"
REGION = "us-east-1"
REGIONS = (REGION, "eu-west-1")
# Nothing listens here: a stubbed client never reaches it, an unstubbed call fails fast.
NOWHERE = "http://127.0.0.1:9"


def checks() -> Mapping[str, Check]:
    """The shipped checks by id."""
    return checklist.load().checks


def run(
    check_id: str,
    data: Mapping[Any, Any],
    region: str | None = None,
    regions: Iterable[str] = (REGION,),
    parameters: Mapping[str, Any] | None = None,
) -> list[Finding]:
    """Evaluate one check; ``data`` maps collector names (or (name, region)) to results.
    ``region`` defaults to where the engine would evaluate it first: the first region
    for a regional check, "global" for a global one. ``parameters`` override the
    control's defaults, as a scope would."""
    found = checks()[check_id]
    if region is None:
        region = REGION if found.meta.scope == "regional" else "global"
    values = {**found.meta.parameter_defaults(), **(parameters or {})}
    ctx = Context(check_id, region, ACCOUNT, data, regions=tuple(regions), parameters=values)
    return evaluate(found, ctx)


def engine_api(region: str, session: AwsSession | None = None) -> AccountApi:
    """The scan engine's own Api for ``region``, with an empty memo (inside
    ``mock_aws``, the emulator). Pass one ``session`` to keep its (stubbed) clients."""
    return AccountApi(session or AwsSession(), ACCOUNT, "aws", REGIONS, REGIONS[0]).bound(region)


def collect(name: str, region: str = REGION, session: AwsSession | None = None) -> Any:
    """Run one collector now, unmemoised: an AWS error reaches the caller as raised."""
    api = engine_api(region, session)
    return api.collectors[name](api, region)


def by_resource(findings: Iterable[Finding]) -> dict[str, Status]:
    """Resource -> status (resources are unique within one check run)."""
    return {f.resource: f.status for f in findings}


def statuses(findings: Iterable[Finding]) -> list[Status]:
    """The statuses in order."""
    return [f.status for f in findings]


def by_suffix(findings: Iterable[Finding], suffix: str) -> Finding:
    """The one finding whose resource ends with ``suffix``."""
    found = [f for f in findings if f.resource.endswith(suffix)]
    assert len(found) == 1, (suffix, [f.resource for f in findings])
    return found[0]


def stubbed(service: str) -> tuple[AwsSession, Stubber]:
    """A session whose ``service`` client answers from the returned Stubber (for APIs the
    emulator lacks; the session points nowhere, so an unstubbed call cannot leave)."""
    session = AwsSession(endpoint_url=NOWHERE)
    return session, Stubber(session.client(service, REGION))
