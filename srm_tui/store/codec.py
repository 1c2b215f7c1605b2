"""The assessment file's text: Assessment <-> TOML, its schema and the migration of
older schemas. No file is opened here (``store.handle`` and ``srm_tui.files`` do that).

Layout (schema 2)::

    schema = 2
    [assessment]  name, created, updated, tool_version, assessor
    [milestone]   name, created            (only in a milestone)
    [scope]       account_id, regions, all_regions, profile, endpoint_url, demo,
                  frameworks, services, [scope.parameters."<check id>"]
    [scan]        status, started, finished, api_calls, errors, checks, regions, subset,
                  [scan.calls]
    [[acceptances]]  id, check, resource, account, reason, owner, approved_by, created,
                     expires: one table per accepted risk
    [[assignments]]  check, resource, owner, due: who fixes a failing check, by when
    [imports.<source>]  origin, imported, account_id, skipped and [[...findings]]: the
                        last import of another tool's findings (``imports_table``)
    [organization]            an organization review: id, management account, role, round
    [accounts."<account id>"] one table per account of the organization (its findings
                              are in FILE.toml.accounts/<account id>.toml)
    [overrides.<question id>."<account or OU id>"]   a different answer for one of them
    [answers.<question id>]   one table per answer; evidence = [{ kind, ref, ... }, ...],
                              attested_by, attested, carried_from
    [findings."<check id>"]   the check's title, severity, ... and one line per result:
                              results = [ [region, resource, status, detail], ... ]

Schema 1 (srm-tui 0.1.0) kept evidence as a list of plain links; it is migrated when
read and written as schema 2 on the next save. Keys this version does not know, at
any level, are kept and written back, so a later version can add fields (see
``docs/file-format.md``) without a new schema number. Every value is checked when read:
a wrong type or a nesting too deep is an InputFileError naming file and line, never a
failure when the file is saved.
"""

from __future__ import annotations

import re
import reprlib
import tomllib
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import tomli_w

from srm_tui import __version__
from srm_tui.acceptances import next_id
from srm_tui.catalog import check_texts
from srm_tui.errors import InputFileError
from srm_tui.model import (
    DEFAULT_MAX_ACCEPTANCE_DAYS,
    Acceptance,
    Answer,
    Assessment,
    Assignment,
    CheckRecord,
    Evidence,
    Finding,
    MilestoneInfo,
    Parameter,
    Reason,
    Responsibility,
    Risk,
    ScanInfo,
    ScanStatus,
    Scope,
    Severity,
    Status,
    now,
)
from srm_tui.secrets import redact
from srm_tui.store import imports_table, org_codec
from srm_tui.toml_reader import TomlReader, Where

SCHEMA = 2

_KNOWN_TOP = {
    "schema", "assessment", "milestone", "scope", "scan", "answers", "findings",
    "acceptances", "assignments", "imports", "organization", "accounts", "overrides",
}  # fmt: skip
_HEAD_KEYS = {"name", "created", "updated", "tool_version", "assessor", "max_acceptance_days"}
_MILESTONE_KEYS = {"name", "created"}
_ANSWER_KEYS = {
    "section", "selected", "applicable", "reason", "notes", "evidence",
    "owner", "due", "answered", "risk", "attested_by", "attested", "carried_from",
}  # fmt: skip
_EVIDENCE_KEYS = {"kind", "ref", "size", "sha256", "added", "by", "note"}
_ACCEPTANCE_KEYS = {
    "id", "check", "resource", "account", "reason", "owner", "approved_by", "created",
    "expires",
}  # fmt: skip
_ASSIGNMENT_KEYS = {"check", "resource", "owner", "due"}
#: Bounds of ``max_acceptance_days``: a day at least, ten years at most.
MAX_ACCEPTANCE_DAYS = (1, 3650)
_CHECK_KEYS = {
    "title", "service", "severity", "responsibility", "remediation", "frameworks", "results",
}  # fmt: skip
_STATUSES = {s.value: s for s in Status}
#: Unknown keys of the known tables, by table: ``extra["__tables__"]["scope"]``.
TABLES = "__tables__"


# --- reading -------------------------------------------------------------------------


def loads(text: str, path: str | Path = "<assessment>") -> Assessment:
    """Parse an assessment from TOML text; ``path`` only names it in errors.

    A broken, foreign or newer file, and any value of the wrong type, raise
    InputFileError with the file and the line.
    """
    reader = TomlReader(text, path)
    # Every modelled value has its type checked below, which bounds its depth; only
    # what is kept unread needs the depth check (and the 20,000 findings skip it).
    data = reader.parse(check_depth=False)
    assert data is not None  # a strict reader raises instead
    schema = data.get("schema")
    if schema is None or not isinstance(data.get("assessment"), dict):
        raise InputFileError(path, "not an srm-tui assessment (no 'schema' and [assessment])", 1)
    if not isinstance(schema, int) or isinstance(schema, bool) or schema < 1:
        reader.problem(
            ("schema",), f"schema must be a positive integer, not {reprlib.repr(schema)}"
        )
    if schema > SCHEMA:
        reader.problem(
            ("schema",),
            f"made by a newer srm-tui (schema {schema}; this version reads up to {SCHEMA}): "
            "upgrade srm-tui to open it",
        )
    for step in _MIGRATIONS[schema - 1 :]:
        step(data)
    return _Decoder(reader).assessment(data)


def _evidence_as_tables(data: dict[str, Any]) -> None:
    """Schema 1 -> 2: an answer's evidence was a list of links; it is a list of tables
    (``{ kind = "link", ref = "..." }``) that later versions can add keys to."""
    answers = data.get("answers")
    if not isinstance(answers, dict):
        return
    for answer in answers.values():
        evidence = answer.get("evidence") if isinstance(answer, dict) else None
        if isinstance(evidence, list):
            answer["evidence"] = [
                {"kind": "link", "ref": e} if isinstance(e, str) else e for e in evidence
            ]


#: _MIGRATIONS[n - 1] turns schema n into n + 1, in place; every old file keeps opening.
_MIGRATIONS: list[Callable[[dict[str, Any]], None]] = [_evidence_as_tables]
assert len(_MIGRATIONS) == SCHEMA - 1


class _Decoder:
    """The schema-2 document as an Assessment, every value checked by the reader
    (strict: the first problem raises, so the code after a check may rely on it)."""

    def __init__(self, reader: TomlReader) -> None:
        self.r = reader
        self.unknown: dict[str, dict[str, Any]] = {}

    def keep(self, name: str, table: dict[str, Any], known: set[str]) -> None:
        unknown = self.unread(table, known, (name,))
        if unknown:
            self.unknown[name] = unknown

    def unread(self, table: dict[str, Any], known: set[str], where: Where) -> dict[str, Any]:
        """The entries of ``table`` this version does not model, kept as read: written
        back as they are, so they must not nest too deep to write."""
        unknown = {k: v for k, v in table.items() if k not in known}
        for key, value in unknown.items():
            self.r.check_depth(value, (*where, key))
        return unknown

    def assessment(self, data: dict[str, Any]) -> Assessment:
        r = self.r
        head = r.table(data, "assessment", ())
        where: Where = ("assessment",)
        created = r.moment(head, "created", where)
        updated = r.moment(head, "updated", where)
        self.keep("assessment", head, _HEAD_KEYS)
        answers = r.table(data, "answers", ())
        checks: dict[str, CheckRecord] = {}
        findings: list[Finding] = []
        for cid, raw in r.table(data, "findings", ()).items():
            record, results = self.check(cid, raw)
            checks[cid] = record
            findings.extend(results)
        assessment = Assessment(
            name=r.value(head, "name", str, "", where),
            created=created or now(),
            updated=updated or now(),
            tool_version=r.value(head, "tool_version", str, "", where),
            assessor=r.value(head, "assessor", str, "", where),
            milestone=self.milestone(data),
            scope=self.scope(r.table(data, "scope", ())),
            scan=self.scan(r.table(data, "scan", ())),
            checks=checks,
            findings=findings,
            answers=r.each(answers, ("answers",), self.answer),
            acceptances=self.acceptances(data),
            assignments=self.rows(data, "assignments", self.assignment),
            max_acceptance_days=self.max_days(head),
            imports=imports_table.read(r, data),
            organization=org_codec.read_organization(r, self, data),
            overrides=org_codec.read_overrides(r, self, data),
        )
        assessment.extra = self.unread(data, _KNOWN_TOP, ())
        if self.unknown:
            assessment.extra[TABLES] = self.unknown
        return assessment

    def max_days(self, head: dict[str, Any]) -> int:
        low, high = MAX_ACCEPTANCE_DAYS
        days = self.r.value(
            head, "max_acceptance_days", int, DEFAULT_MAX_ACCEPTANCE_DAYS, ("assessment",)
        )
        if not low <= days <= high:
            self.r.problem(
                ("assessment", "max_acceptance_days"),
                f"max_acceptance_days must be a whole number of days from {low} to {high}",
            )
        return days

    def rows(self, data: dict[str, Any], key: str, read: Callable[[Any, Where], Any]) -> list[Any]:
        """An array of tables (``[[acceptances]]``), each element read by ``read``."""
        raw = data.get(key, [])
        if not isinstance(raw, list):
            self.r.problem((key,), f"'{key}' must be an array of tables ([[{key}]])")
        rows = []
        for index, element in enumerate(raw):
            if not isinstance(element, dict):
                self.r.problem((key, index), f"each element of '{key}' must be a table")
            rows.append(read(element, (key, index)))
        return rows

    def acceptances(self, data: dict[str, Any]) -> list[Acceptance]:
        read = self.rows(data, "acceptances", self.acceptance)
        # Reports, counts and --revoke name an acceptance by its id: two rules under one
        # id (a hand-edited file) would show one rule's owner and expiry for the other's
        # findings, and revoke whichever comes first.
        seen: set[str] = set()
        for index, acceptance in enumerate(read):
            if acceptance.id and acceptance.id in seen:
                self.r.problem(
                    ("acceptances", index, "id"),
                    f"two accepted risks have the id {acceptance.id!r}; give each its own",
                )
            seen.add(acceptance.id)
        # A rule written without an id (by hand, or by an earlier version) gets one, so
        # that it can be revoked.
        for index, acceptance in enumerate(read):
            if not acceptance.id:
                read[index] = replace(acceptance, id=next_id(read))
        return read

    def acceptance(self, raw: dict[str, Any], where: Where) -> Acceptance:
        r = self.r
        for key in ("check", "expires"):
            if key not in raw:
                r.problem(where, f"an accepted risk needs '{key}'")
        expires = r.day(raw, "expires", where)
        assert expires is not None
        return Acceptance(
            id=r.value(raw, "id", str, "", where),
            check=r.value(raw, "check", str, "", where),
            reason=r.value(raw, "reason", str, "", where),
            owner=r.value(raw, "owner", str, "", where),
            expires=expires,
            resource=r.value(raw, "resource", str, "*", where) or "*",
            account=r.value(raw, "account", str, "", where),
            approved_by=r.value(raw, "approved_by", str, "", where),
            created=r.moment(raw, "created", where),
            extra=self.unread(raw, _ACCEPTANCE_KEYS, where),
        )

    def assignment(self, raw: dict[str, Any], where: Where) -> Assignment:
        r = self.r
        if "check" not in raw:
            r.problem(where, "an assignment needs the 'check' it is for")
        return Assignment(
            check=r.value(raw, "check", str, "", where),
            owner=r.value(raw, "owner", str, "", where),
            due=r.day(raw, "due", where),
            resource=r.value(raw, "resource", str, "", where),
            extra=self.unread(raw, _ASSIGNMENT_KEYS, where),
        )

    def milestone(self, data: dict[str, Any]) -> MilestoneInfo | None:
        if "milestone" not in data:
            return None
        table = self.r.table(data, "milestone", ())
        self.keep("milestone", table, _MILESTONE_KEYS)
        where: Where = ("milestone",)
        return MilestoneInfo(
            self.r.value(table, "name", str, "", where), self.r.moment(table, "created", where)
        )

    def scope(self, table: dict[str, Any]) -> Scope:
        r, where = self.r, ("scope",)
        self.keep("scope", table, set(Scope.__slots__))
        return Scope(
            account_id=r.value(table, "account_id", str, "", where),
            regions=r.strings(table, "regions", where),
            all_regions=r.value(table, "all_regions", bool, False, where),
            profile=r.value(table, "profile", str, "", where),
            endpoint_url=r.value(table, "endpoint_url", str, "", where),
            demo=r.value(table, "demo", bool, False, where),
            frameworks=r.strings(table, "frameworks", where)
            if "frameworks" in table
            else Scope().frameworks,
            services=r.strings(table, "services", where),
            environment=r.value(table, "environment", str, "", where),
            review_owner=r.value(table, "review_owner", str, "", where),
            signed_off_by=r.value(table, "signed_off_by", str, "", where),
            signed_off=r.day(table, "signed_off", where),
            parameters=self.parameters(r.table(table, "parameters", where)),
        )

    def parameters(self, table: dict[str, Any]) -> dict[str, dict[str, Parameter]]:
        """``[scope.parameters."check.id"]`` tables: each check and parameter must exist
        in the catalogue and each value have its default's type."""
        r, where = self.r, ("scope", "parameters")
        result: dict[str, dict[str, Parameter]] = {}
        for check_id in table:
            values = r.table(table, check_id, where)
            for name, raw in values.items():
                at: Where = (*where, check_id, name)
                value = check_texts.parameter_value(raw)
                problem = (
                    "must be a number, a word, true/false or a list of words"
                    if value is None
                    else check_texts.override_problem(check_id, name, value)
                )
                if problem:
                    r.problem(at, f"[scope.parameters] {problem}")
                assert value is not None  # a strict reader raised above
                result.setdefault(check_id, {})[name] = value
        return result

    def scan(self, table: dict[str, Any]) -> ScanInfo:
        r, where = self.r, ("scan",)
        self.keep("scan", table, set(ScanInfo.__slots__))
        calls = r.table(table, "calls", where)
        return ScanInfo(
            status=r.enum(ScanStatus, table, "status", ScanStatus.NEVER, where, "scan status"),
            started=r.moment(table, "started", where),
            finished=r.moment(table, "finished", where),
            api_calls=r.value(table, "api_calls", int, 0, where),
            errors=r.strings(table, "errors", where),
            calls={k: r.value(calls, k, int, 0, (*where, "calls")) for k in calls},
            checks=r.strings(table, "checks", where),
            regions=r.strings(table, "regions", where),
            subset=r.value(table, "subset", bool, False, where),
        )

    def answer(self, qid: str, raw: Any, where: Where) -> Answer:
        r = self.r
        if not isinstance(raw, dict):
            r.problem(where, f"answer {qid!r} must be a table")
        reason = raw.get("reason")
        return Answer(
            question=qid,
            section=r.value(raw, "section", str, "", where),
            selected=r.strings(raw, "selected", where),
            applicable=r.value(raw, "applicable", bool, True, where),
            reason=r.enum(Reason, raw, "reason", Reason.OTHER, where, "reason") if reason else None,
            notes=r.value(raw, "notes", str, "", where),
            evidence=self.evidence(raw.get("evidence", []), (*where, "evidence")),
            owner=r.value(raw, "owner", str, "", where),
            due=r.day(raw, "due", where),
            answered=r.moment(raw, "answered", where),
            risk=r.enum(Risk, raw, "risk", Risk.UNANSWERED, where, "risk"),
            attested_by=r.value(raw, "attested_by", str, "", where),
            attested=r.moment(raw, "attested", where),
            carried_from=r.value(raw, "carried_from", str, "", where),
            extra=self.unread(raw, _ANSWER_KEYS, where),
        )

    def evidence(self, raw: Any, where: Where) -> tuple[Evidence, ...]:
        r = self.r
        if not isinstance(raw, list):
            r.problem(where, "'evidence' must be a list of tables with a 'ref'")
        entries = []
        for index, entry in enumerate(raw):
            here = (*where, index)
            ref = entry.get("ref") if isinstance(entry, dict) else None
            if not isinstance(ref, str) or not isinstance(entry.get("kind", "link"), str):
                r.problem(
                    here, "each evidence entry must be a link or a file: a table with a 'ref'"
                )
            size = r.value(entry, "size", int, None, here)
            if size is not None and size < 0:
                r.problem((*here, "size"), "an evidence file's size cannot be negative")
            entries.append(
                Evidence(
                    kind=entry.get("kind", "link"),
                    ref=ref,
                    size=size,
                    sha256=r.value(entry, "sha256", str, "", here),
                    added=r.moment(entry, "added", here),
                    by=r.value(entry, "by", str, "", here),
                    note=r.value(entry, "note", str, "", here),
                    extra=self.unread(entry, _EVIDENCE_KEYS, here),
                )
            )
        return tuple(entries)

    def check(self, cid: str, raw: Any) -> tuple[CheckRecord, list[Finding]]:
        r = self.r
        where: Where = ("findings", cid)
        if not isinstance(raw, dict):
            r.problem(where, f"findings of {cid!r} must be a table")
        frameworks = r.table(raw, "frameworks", where)
        for key in frameworks:
            r.strings(frameworks, key, (*where, "frameworks"), needle="frameworks")
        record = CheckRecord(
            id=cid,
            title=r.value(raw, "title", str, cid, where),
            service=r.value(raw, "service", str, cid.split(".")[0], where),
            severity=r.enum(Severity, raw, "severity", Severity.MEDIUM, where, "severity"),
            responsibility=r.enum(
                Responsibility,
                raw,
                "responsibility",
                Responsibility.CUSTOMER,
                where,
                "responsibility",
            ),
            frameworks={k: tuple(v) for k, v in frameworks.items()},
            remediation=r.value(raw, "remediation", str, "", where),
            extra=self.unread(raw, _CHECK_KEYS, where),
        )
        results = r.value(raw, "results", list, [], where)
        findings = []
        statuses = _STATUSES
        shape = f"{cid}: each result must be [region, resource, status, detail] (four strings)"
        for index, row in enumerate(results):
            # The one loop over every finding: plain checks, no call per value.
            if type(row) is not list or len(row) != 4:
                r.problem((*where, "results", index), shape)
            region, resource, status, detail = row
            if not (
                type(region) is str
                and type(resource) is str
                and type(detail) is str
                and type(status) is str
            ):
                r.problem((*where, "results", index), shape)
            state = statuses.get(status)
            if state is None:
                r.problem((*where, "results", index), f"{cid}: unknown status {status!r}")
            findings.append(Finding(cid, region, resource, state, detail))  # type: ignore[arg-type]
        return record, findings


# --- writing -------------------------------------------------------------------------


def dumps(assessment: Assessment) -> str:
    """The assessment as TOML text: stable key order, one answer per table, one
    finding per line."""
    tables = assessment.extra.get(TABLES, {})
    head = {
        "name": assessment.name,
        "created": assessment.created,
        "updated": assessment.updated,
        "tool_version": assessment.tool_version or __version__,
    }
    if assessment.assessor:
        head["assessor"] = assessment.assessor
    if assessment.max_acceptance_days != DEFAULT_MAX_ACCEPTANCE_DAYS:
        head["max_acceptance_days"] = assessment.max_acceptance_days
    head.update(tables.get("assessment", {}))
    doc: dict[str, Any] = {"schema": SCHEMA, "assessment": head}
    if assessment.milestone is not None:
        mark: dict[str, Any] = {"name": assessment.milestone.name}
        if assessment.milestone.created is not None:
            mark["created"] = assessment.milestone.created
        doc["milestone"] = {**mark, **tables.get("milestone", {})}
    scope = assessment.scope
    doc["scope"] = _drop_empty(
        {
            "account_id": scope.account_id,
            "regions": list(scope.regions),
            "all_regions": scope.all_regions,
            "profile": scope.profile,
            "endpoint_url": scope.endpoint_url,
            "demo": scope.demo,
            "frameworks": list(scope.frameworks),
            "services": list(scope.services),
            "environment": scope.environment,
            "review_owner": scope.review_owner,
            "signed_off_by": scope.signed_off_by,
            "signed_off": scope.signed_off,
            "parameters": {
                check_id: {k: list(v) if isinstance(v, tuple) else v for k, v in values.items()}
                for check_id, values in sorted(scope.parameters.items())
                if values
            },
        },
        keep={"frameworks"},
    ) | tables.get("scope", {})
    scan = assessment.scan
    doc["scan"] = _drop_empty(
        {
            "status": scan.status.value,
            "started": scan.started,
            "finished": scan.finished,
            "api_calls": scan.api_calls,
            "errors": [redact(e) for e in scan.errors],
            "calls": dict(sorted(scan.calls.items())),
            "checks": list(scan.checks),
            "regions": list(scan.regions),
            "subset": scan.subset,
        },
        keep={"status"},
    ) | tables.get("scan", {})
    if assessment.organization is not None:
        doc.update(org_codec.organization_tables(assessment.organization))
    if overrides := org_codec.overrides_table(assessment.overrides):
        doc["overrides"] = overrides
    for key, value in assessment.extra.items():
        if key != TABLES:
            doc[key] = value
    if assessment.acceptances:
        doc["acceptances"] = [_acceptance_table(a) for a in assessment.acceptances]
    if assessment.assignments:
        doc["assignments"] = [_assignment_table(a) for a in assessment.assignments]
    if assessment.imports:
        doc["imports"] = imports_table.tables(assessment.imports)
    doc["answers"] = {
        qid: _answer_table(answer) for qid, answer in sorted(assessment.answers.items())
    }
    parts = [tomli_w.dumps(doc, multiline_strings=True)]
    by_check: dict[str, list[Finding]] = {}
    for finding in assessment.findings:
        by_check.setdefault(finding.check, []).append(finding)
    for cid in sorted(set(by_check) | set(assessment.checks)):
        record = assessment.checks.get(cid) or CheckRecord(
            cid, cid, cid.split(".")[0], Severity.MEDIUM, Responsibility.CUSTOMER
        )
        parts.append(_findings_table(record, by_check.get(cid, [])))
    return "\n".join(parts)


def _drop_empty(table: dict[str, Any], keep: set[str]) -> dict[str, Any]:
    return {k: v for k, v in table.items() if k in keep or (v not in ("", None, [], {}, False, 0))}


def _answer_table(answer: Answer) -> dict[str, Any]:
    table: dict[str, Any] = {
        "section": answer.section,
        "selected": list(answer.selected),
        "applicable": answer.applicable,
    }
    if answer.reason is not None:
        table["reason"] = answer.reason.value
    table["risk"] = answer.risk.value
    if answer.notes:
        table["notes"] = answer.notes
    if answer.evidence:
        table["evidence"] = [_evidence_table(e) for e in answer.evidence]
    if answer.owner:
        table["owner"] = answer.owner
    if answer.due is not None:
        table["due"] = answer.due
    if answer.answered is not None:
        table["answered"] = answer.answered
    table.update(
        _drop_empty(
            {
                "attested_by": answer.attested_by,
                "attested": answer.attested,
                "carried_from": answer.carried_from,
            },
            keep=set(),
        )
    )
    table.update(answer.extra)
    return table


def _evidence_table(entry: Evidence) -> dict[str, Any]:
    table: dict[str, Any] = {"kind": entry.kind, "ref": entry.ref}
    if entry.size is not None:
        table["size"] = entry.size
    optional = {"sha256": entry.sha256, "added": entry.added, "by": entry.by, "note": entry.note}
    return table | _drop_empty(optional, keep=set()) | dict(entry.extra)


def _acceptance_table(acceptance: Acceptance) -> dict[str, Any]:
    table: dict[str, Any] = {
        "id": acceptance.id,
        "check": acceptance.check,
        "resource": acceptance.resource,
    }
    if acceptance.account:
        table["account"] = acceptance.account
    table |= {"reason": acceptance.reason, "owner": acceptance.owner}
    if acceptance.approved_by:
        table["approved_by"] = acceptance.approved_by
    if acceptance.created is not None:
        table["created"] = acceptance.created
    table["expires"] = acceptance.expires
    return table | dict(acceptance.extra)


def _assignment_table(assignment: Assignment) -> dict[str, Any]:
    table: dict[str, Any] = {"check": assignment.check}
    optional = {"resource": assignment.resource, "owner": assignment.owner, "due": assignment.due}
    return table | _drop_empty(optional, keep=set()) | dict(assignment.extra)


def _findings_table(record: CheckRecord, findings: list[Finding]) -> str:
    header = f"[findings.{_string(record.id)}]"
    lines = [
        f"title = {_string(record.title)}",
        f"service = {_string(record.service)}",
        f"severity = {_string(record.severity.value)}",
        f"responsibility = {_string(record.responsibility.value)}",
    ]
    if record.remediation:
        lines.append(f"remediation = {_string(record.remediation)}")
    if record.frameworks:
        pairs = ", ".join(
            f"{_string(k)} = [{', '.join(_string(i) for i in v)}]"
            for k, v in sorted(record.frameworks.items())
        )
        lines.append(f"frameworks = {{ {pairs} }}")
    lines.append("results = [")
    for f in sorted(findings, key=lambda f: (f.region, f.resource)):
        lines.append(
            f"    [{_string(f.region)}, {_string(f.resource)}, "
            f"{_string(f.status.value)}, {_string(redact(f.detail))}],"
        )
    lines.append("]")
    body = "\n".join(lines) + "\n"
    if not record.extra:
        return f"{header}\n{body}"
    # Keys a later version added: tomli_w writes them (and any table among them) under
    # the check's header, after the keys above.
    extra = tomli_w.dumps({"findings": {record.id: dict(record.extra)}}, multiline_strings=True)
    first, _, rest = extra.partition("\n")
    if tomllib.loads(first) == {"findings": {record.id: {}}}:
        return f"{header}\n{body}{rest}"
    return f"{header}\n{body}\n{extra}"


_ESCAPES = {
    '"': '\\"',
    "\\": "\\\\",
    "\n": "\\n",
    "\t": "\\t",
    "\r": "\\r",
    "\b": "\\b",
    "\f": "\\f",
}
_NEEDS_ESCAPE = re.compile(r'["\\\x00-\x1f\x7f]')


def _string(value: str) -> str:
    """A TOML basic string."""
    return '"' + _NEEDS_ESCAPE.sub(_escape, value) + '"'


def _escape(match: re.Match[str]) -> str:
    char = match.group(0)
    return _ESCAPES.get(char) or f"\\u{ord(char):04x}"


def stamp(assessment: Assessment) -> None:
    """Mark ``assessment`` as saved now by this version."""
    assessment.updated = now()
    if not assessment.tool_version:
        assessment.tool_version = __version__
