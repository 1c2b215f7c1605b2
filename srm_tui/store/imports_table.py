"""The assessment file's ``[imports.<source>]`` tables: the last import of each other
tool's findings, read and written here so the codec only calls in.

    [imports.prowler]
    origin = "peer.ocsf.json"
    imported = 2026-12-01T13:30:00Z
    account_id = "123456789012"
    skipped = 0
    muted = 0  # muted by Prowler or suppressed in Security Hub (written when any)
    [[imports.prowler.findings]]
    check = "iam_root_mfa_enabled"
    title = "..."
    region = "global"
    resource = "arn:aws:iam::123456789012:root"
    status = "fail"
    severity = "critical"
    detail = "..."
    frameworks = { "cis-aws-7.0" = ["2.4"] }

An organization-wide import (several accounts) leaves the table's ``account_id`` empty
and gives each finding its own ``account_id``.
"""

from __future__ import annotations

from typing import Any

from srm_tui.model import ImportedFinding, ImportedSet, Severity, Status, now
from srm_tui.secrets import redact
from srm_tui.toml_reader import TomlReader, Where


def read(reader: TomlReader, data: dict[str, Any]) -> dict[str, ImportedSet]:
    """Every import kept in the document, each value checked."""
    result = {}
    for source, raw in reader.table(data, "imports", ()).items():
        where: Where = ("imports", source)
        if not isinstance(raw, dict):
            reader.problem(where, f"imports.{source} must be a table")
            continue
        findings = []
        account = reader.value(raw, "account_id", str, "", where)
        rows = reader.value(raw, "findings", list, [], where)
        for index, row in enumerate(rows):
            here: Where = (*where, "findings", index)
            if not isinstance(row, dict):
                reader.problem(here, "each imported finding must be a table")
                continue
            frameworks = reader.table(row, "frameworks", here)
            for key in frameworks:
                reader.strings(frameworks, key, (*here, "frameworks"))
            findings.append(
                ImportedFinding(
                    source=source,
                    check=reader.value(row, "check", str, "", here),
                    title=reader.value(row, "title", str, "", here),
                    region=reader.value(row, "region", str, "global", here),
                    resource=reader.value(row, "resource", str, "", here),
                    status=reader.enum(Status, row, "status", Status.ERROR, here, "status"),
                    severity=reader.enum(
                        Severity, row, "severity", Severity.MEDIUM, here, "severity"
                    ),
                    frameworks={k: tuple(v) for k, v in frameworks.items()},
                    detail=reader.value(row, "detail", str, "", here),
                    account_id=reader.value(row, "account_id", str, account, here),
                )
            )
        result[source] = ImportedSet(
            source=source,
            origin=reader.value(raw, "origin", str, "", where),
            imported=reader.moment(raw, "imported", where) or now(),
            account_id=account,
            findings=tuple(findings),
            skipped=reader.value(raw, "skipped", int, 0, where),
            muted=reader.value(raw, "muted", int, 0, where),
        )
    return result


def tables(imports: dict[str, ImportedSet]) -> dict[str, Any]:
    """The ``imports`` table to write (empty when there is none)."""
    return {source: _table(kept) for source, kept in sorted(imports.items())}


def _table(kept: ImportedSet) -> dict[str, Any]:
    table: dict[str, Any] = {
        "origin": kept.origin,
        "imported": kept.imported,
        "account_id": kept.account_id,
        "skipped": kept.skipped,
    }
    if kept.muted:
        table["muted"] = kept.muted
    table["findings"] = [_row(f, kept.account_id) for f in kept.findings]
    return table


def _row(finding: ImportedFinding, account: str) -> dict[str, Any]:
    row: dict[str, Any] = {
        "check": finding.check,
        "title": finding.title,
        "region": finding.region,
        "resource": finding.resource,
        "status": finding.status.value,
        "severity": finding.severity.value,
    }
    # Only an organization-wide import names each finding's account; one account's
    # import names it once, for the whole set.
    if finding.account_id and finding.account_id != account:
        row["account_id"] = finding.account_id
    if finding.detail:
        row["detail"] = redact(finding.detail)
    if finding.frameworks:
        row["frameworks"] = {k: list(v) for k, v in sorted(finding.frameworks.items())}
    return row
