"""Security Hub's finding format (ASFF) in: a file as ``aws securityhub get-findings``
writes it (``{"Findings": [...]}``) or a bare list of findings, and the findings
``GetFindings`` returns.

Only control findings are imported: those with ``Compliance.Status``. PASSED is a pass,
FAILED a fail, WARNING and NOT_AVAILABLE "could not check", except a NOT_AVAILABLE whose
``StatusReasons`` say AWS Config returned not applicable (CONFIG_RETURNS_NOT_APPLICABLE):
"not applicable". Archived findings and
findings without a compliance status (threat detections of GuardDuty, Inspector's
vulnerabilities) are skipped and counted. Findings set aside by their producer are
skipped and counted apart (``muted``), as Security Hub leaves them out of a control's
status: ``Workflow.Status`` SUPPRESSED, and Prowler's muted findings (its ASFF writes
them WARNING, and MUTED before 4.2).

The control id srm-tui maps through as an AWS FSBP id is ``Compliance.SecurityControlId``
(every control finding since the consolidated controls view of 2023). An older finding
without it has only its standard's own id, ``ProductFields.ControlId`` (``PCI.EC2.2``,
CIS v1.4's ``1.14``) or ``RuleId`` (CIS v1.2): that is an FSBP id only for a finding of
the FSBP standard (``ProductFields.StandardsArn``); the others keep their ``GeneratorId``
and map to nothing.

A finding Prowler wrote (its ``json-asff`` output, or sent to Security Hub) names its
check in ``GeneratorId`` (``prowler-<check id>``) and its framework ids in
``Compliance.RelatedRequirements`` (``"CIS-7.0 2.2 2.3"``, each cut by Prowler at 63
characters: a last id that may be cut is left out); they map as from Prowler's json-ocsf.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from srm_tui.errors import InputFileError
from srm_tui.imports import prowler, reading
from srm_tui.imports.reading import MAX_FINDINGS, Shape, load_json, severity, too_many
from srm_tui.model import ImportedFinding, ImportedSet, Status, now

SOURCE = "security-hub"
#: How Security Hub names the AWS Foundational Security Best Practices standard in ARNs.
FSBP = "/aws-foundational-security-best-practices/"
WHAT = "Security Hub findings (ASFF)"
_STATUS = {
    "PASSED": Status.PASS,
    "FAILED": Status.FAIL,
    "WARNING": Status.ERROR,
    "NOT_AVAILABLE": Status.ERROR,
}
#: Compliance.StatusReasons' code of a NOT_AVAILABLE finding AWS Config found not applicable.
NOT_APPLICABLE = "CONFIG_RETURNS_NOT_APPLICABLE"
#: Prowler cuts each of its RelatedRequirements to 63 characters.
PROWLER_CUT = 63
#: Of one control's findings on one resource (one per standard), the one kept first.
_WORST = (Status.FAIL, Status.PASS, Status.ERROR, Status.NOT_APPLICABLE)


def read(path: str | Path, *, when: datetime | None = None) -> ImportedSet:
    """The control findings of an ASFF file; InputFileError when it is not one. Each
    finding keeps its account (``imports.apply`` decides which accounts are welcome)."""
    data = load_json(path, WHAT)
    if isinstance(data, dict) and "Findings" in data:
        if data.get("NextToken"):
            # The CLI writes a NextToken only when it stopped early (--max-items,
            # --no-paginate): importing one page would replace every other finding.
            raise InputFileError(
                path,
                "only one page of GetFindings (it has a NextToken): write every page "
                "(aws securityhub get-findings without --max-items) and import that",
            )
        data = data["Findings"]
    if not isinstance(data, list):
        raise InputFileError(
            path, f'not {WHAT}: it must be {{"Findings": [...]}} or a JSON array of findings'
        )
    return from_findings(data, path, Path(path).name, when=when)


def from_findings(
    data: Iterable[Any], path: str | Path, origin: str, *, when: datetime | None = None
) -> ImportedSet:
    """An import made of ASFF findings (from a file or from GetFindings); ``path`` names
    where they came from in errors."""
    # Without consolidated control findings Security Hub writes one finding per enabled
    # standard for the same control and resource: they are kept once, the worst verdict.
    findings: dict[tuple[str, str, str, str], ImportedFinding] = {}
    skipped = muted = 0
    accounts: set[str] = set()
    for index, raw in enumerate(data):
        if index >= MAX_FINDINGS:
            raise too_many(path)
        shape = Shape(path, f"finding {index + 1}")
        if not isinstance(raw, Mapping):
            raise shape.fail("must be an object")
        if "status_code" in raw and "AwsAccountId" not in raw:
            raise shape.fail("an OCSF finding (Prowler's json-ocsf), not ASFF: use --prowler")
        account = shape.text(raw, "AwsAccountId")
        accounts.add(account)
        compliance = shape.table(raw, "Compliance", required=False)
        status = shape.text(compliance, "Status", required=False)
        if raw.get("RecordState") == "ARCHIVED" or not status:
            skipped += 1
            continue
        if _set_aside(shape, raw, status):
            muted += 1
            continue
        if status not in _STATUS:
            raise shape.fail(f"unknown Compliance.Status {status[:40]!r}")
        found = _finding(shape, raw, compliance, _verdict(shape, compliance, status), account)
        key = (found.account_id, found.region, found.check, found.resource)
        earlier = findings.get(key)
        if earlier is None or _WORST.index(found.status) < _WORST.index(earlier.status):
            findings[key] = found
    # Several accounts (an organization's aggregated findings): each finding names its own.
    single = accounts.pop() if len(accounts) == 1 else ""
    kept = tuple(findings.values())
    return ImportedSet(SOURCE, origin, when or now(), single, kept, skipped, muted)


def _verdict(shape: Shape, compliance: Mapping[str, Any], status: str) -> Status:
    """PASSED, FAILED, or could not check; NOT_AVAILABLE because AWS Config found the
    rule not applicable to the resource (deleted, or out of the rule's scope) is
    "not applicable", not a failure to check."""
    if status == "NOT_AVAILABLE":
        for reason in shape.items(compliance, "StatusReasons", required=False):
            if isinstance(reason, Mapping) and reason.get("ReasonCode") == NOT_APPLICABLE:
                return Status.NOT_APPLICABLE
    return _STATUS[status]


def _fsbp_control(fields: Mapping[str, Any]) -> str:
    """The standard's own control id of an older finding, when that standard is FSBP."""
    standard = fields.get("StandardsArn") or fields.get("StandardsControlArn")
    control = fields.get("ControlId")
    if isinstance(standard, str) and FSBP in standard and isinstance(control, str):
        return control[:200]
    return ""


def _set_aside(shape: Shape, raw: Mapping[str, Any], status: str) -> bool:
    """Suppressed in Security Hub's workflow, or muted by Prowler."""
    workflow = shape.table(raw, "Workflow", required=False)
    if shape.text(workflow, "Status", required=False) == "SUPPRESSED":
        return True
    # Prowler 4.0-4.1 wrote its own MUTED; later versions WARNING, for muted findings only.
    return status == "MUTED" or (status == "WARNING" and _by_prowler(raw))


def _by_prowler(raw: Mapping[str, Any]) -> bool:
    """A finding Prowler wrote (its json-asff output, or sent to Security Hub)."""
    fields = raw.get("ProductFields")
    named = isinstance(fields, Mapping) and fields.get("ProviderName") == "Prowler"
    product = raw.get("ProductArn")
    return named or (isinstance(product, str) and product.endswith("/prowler/prowler"))


def _prowler_requirements(
    shape: Shape, compliance: Mapping[str, Any]
) -> dict[str, tuple[str, ...]]:
    """Prowler's framework ids from its "<framework> <id> <id>" requirements."""
    found: dict[str, tuple[str, ...]] = {}
    items = shape.items(compliance, "RelatedRequirements", required=False)
    for item in shape.strings(items, "Compliance.RelatedRequirements"):
        if not item.split():
            continue
        key, *ids = item.split()
        if len(item) >= PROWLER_CUT:  # Prowler cut it: the last id may be a part of one
            ids = ids[:-1]
        found[key] = found.get(key, ()) + tuple(ids)
    return found


def _finding(
    shape: Shape,
    raw: Mapping[str, Any],
    compliance: Mapping[str, Any],
    status: Status,
    account: str,
) -> ImportedFinding:
    fields = shape.table(raw, "ProductFields", required=False)
    control = shape.text(compliance, "SecurityControlId", required=False) or _fsbp_control(fields)
    resources = shape.items(raw, "Resources", required=False)
    resource, region = "", shape.text(raw, "Region", required=False)
    if resources:
        first = resources[0]
        if not isinstance(first, Mapping):
            raise shape.fail("each of 'Resources' must be an object")
        resource = shape.text(first, "Id", required=False)
        region = shape.text(first, "Region", required=False) or region
    level = shape.table(raw, "Severity", required=False)
    check = control or shape.text(raw, "GeneratorId")
    frameworks = {"aws-fsbp": (control,)} if control else {}
    if _by_prowler(raw):
        check = check.removeprefix("prowler-")
        frameworks = reading.frameworks_of(
            _prowler_requirements(shape, compliance), prowler.FRAMEWORKS
        )
    return ImportedFinding(
        source=SOURCE,
        check=check,
        title=shape.text(raw, "Title", required=False),
        region=region or "global",
        resource=resource,
        status=status,
        severity=severity(shape.text(level, "Label", required=False)),
        frameworks=frameworks,
        detail=shape.text(raw, "Description", required=False),
        account_id=account,
    )
