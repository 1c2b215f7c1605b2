"""The assessment file: TOML, versioned, saved atomically with mode 0600.

Layout (schema 1)::

    schema = 1
    [assessment]  name, created, updated, tool_version
    [scope]       account_id, regions, profile, endpoint_url, demo, frameworks, services
    [scan]        status, started, finished, api_calls, errors, [scan.calls]
    [answers.<question id>]   one table per answer
    [findings."<check id>"]   the check's title, severity, ... and one line per result:
                              results = [ [region, resource, status, detail], ... ]

Entries this version does not know are read into ``Assessment.extra`` and written back.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import tempfile
import threading
import tomllib
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import tomli_w

from srm_tui import __version__
from srm_tui.errors import InputFileError, SrmError, toml_problem
from srm_tui.model import (
    Answer,
    Assessment,
    CheckRecord,
    Finding,
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

SCHEMA = 1


class ConflictError(SrmError):
    """The file changed on disk since this process read it (exit 1)."""


class LockedError(SrmError):
    """Another srm-tui process has the assessment open (exit 1)."""


# The version of each file this process last read or wrote, so that a save never
# silently replaces what another program wrote in between.
_versions: dict[str, tuple[int, int, int]] = {}
_versions_lock = threading.Lock()


def _signature(stat: os.stat_result) -> tuple[int, int, int]:
    return (stat.st_ino, stat.st_size, stat.st_mtime_ns)


def _key(path: Path) -> str:
    return str(path.resolve())


_KNOWN_TOP = {"schema", "assessment", "scope", "scan", "answers", "findings"}


# --- reading -------------------------------------------------------------------------


def load(path: str | Path) -> Assessment:
    """Read an assessment; a broken, foreign or newer file raises InputFileError."""
    path = Path(path)
    try:
        with path.open("rb") as handle:
            version = _signature(os.fstat(handle.fileno()))
            raw = handle.read()
    except FileNotFoundError:
        raise InputFileError(path, "no such file") from None
    except IsADirectoryError:
        raise InputFileError(path, "is a folder, not an assessment file") from None
    except OSError as exc:
        raise InputFileError(path, f"cannot read: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputFileError(path, "not UTF-8 text: not an srm-tui assessment", line) from None
    assessment = loads(text, path)
    with _versions_lock:
        _versions[_key(path)] = version
    return assessment


def loads(text: str, path: str | Path = "<assessment>") -> Assessment:
    """Parse an assessment from TOML text; ``path`` only names it in errors."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line, message = toml_problem(exc)
        raise InputFileError(path, message, line) from None
    schema = data.get("schema")
    if schema is None or not isinstance(data.get("assessment"), dict):
        raise InputFileError(path, "not an srm-tui assessment (no 'schema' and [assessment])", 1)
    if not isinstance(schema, int) or isinstance(schema, bool) or schema < 1:
        raise InputFileError(
            path, f"schema must be a positive integer, not {schema!r}", _line(text, "schema")
        )
    if schema > SCHEMA:
        raise InputFileError(
            path,
            f"made by a newer srm-tui (schema {schema}; this version reads up to {SCHEMA}): "
            "upgrade srm-tui to open it",
            _line(text, "schema"),
        )
    data = _migrate(data, schema)
    return _Reader(text, path).assessment(data)


def _migrate(data: dict[str, Any], schema: int) -> dict[str, Any]:
    # Schema 1 is the first; each later schema adds a step here that turns version
    # n into n + 1, so every old file keeps opening.
    return data


def _line(text: str, needle: str) -> int | None:
    for number, line in enumerate(text.splitlines(), 1):
        if line.lstrip().startswith(needle):
            return number
    return None


class _Reader:
    def __init__(self, text: str, path: str | Path) -> None:
        self.text = text
        self.path = path

    def fail(self, where: str, message: str) -> InputFileError:
        return InputFileError(self.path, message, _line(self.text, where))

    def table(self, data: dict[str, Any], key: str) -> dict[str, Any]:
        value = data.get(key, {})
        if not isinstance(value, dict):
            raise self.fail(key, f"'{key}' must be a table")
        return value

    def get(
        self,
        table: dict[str, Any],
        key: str,
        kind: type | tuple[type, ...],
        default: Any,
        where: str,
    ) -> Any:
        value = table.get(key, default)
        if value is default:
            return value
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise self.fail(where, f"'{key}' has the wrong type ({type(value).__name__})")
        return value

    def strings(self, table: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
        value = table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(where, f"'{key}' must be a list of strings")
        return tuple(value)

    def enum(self, kind: type, value: Any, where: str, what: str) -> Any:
        try:
            return kind(value)
        except ValueError:
            raise self.fail(where, f"unknown {what} {value!r}") from None

    def assessment(self, data: dict[str, Any]) -> Assessment:
        head = self.table(data, "assessment")
        name = self.get(head, "name", str, "", "[assessment]")
        created = self.get(head, "created", datetime, None, "created")
        updated = self.get(head, "updated", datetime, None, "updated")
        extra: dict[str, Any] = {k: v for k, v in data.items() if k not in _KNOWN_TOP}
        _keep(extra, "assessment", head, {"name", "created", "updated", "tool_version"})
        scope_table = self.table(data, "scope")
        scope = Scope(
            account_id=self.get(scope_table, "account_id", str, "", "account_id"),
            regions=self.strings(scope_table, "regions", "regions"),
            all_regions=self.get(scope_table, "all_regions", bool, False, "all_regions"),
            profile=self.get(scope_table, "profile", str, "", "profile"),
            endpoint_url=self.get(scope_table, "endpoint_url", str, "", "endpoint_url"),
            demo=self.get(scope_table, "demo", bool, False, "demo"),
            frameworks=self.strings(scope_table, "frameworks", "frameworks")
            if "frameworks" in scope_table
            else Scope().frameworks,
            services=self.strings(scope_table, "services", "services"),
        )
        _keep(extra, "scope", scope_table, set(Scope.__slots__))
        scan_table = self.table(data, "scan")
        calls = self.table(scan_table, "calls")
        scan = ScanInfo(
            status=self.enum(
                ScanStatus, scan_table.get("status", "never"), "status", "scan status"
            ),
            started=self.get(scan_table, "started", datetime, None, "started"),
            finished=self.get(scan_table, "finished", datetime, None, "finished"),
            api_calls=self.get(scan_table, "api_calls", int, 0, "api_calls"),
            errors=self.strings(scan_table, "errors", "errors"),
            calls={str(k): v for k, v in calls.items() if isinstance(v, int)},
        )
        _keep(extra, "scan", scan_table, set(ScanInfo.__slots__))
        answers = {qid: self.answer(qid, raw) for qid, raw in self.table(data, "answers").items()}
        checks: dict[str, CheckRecord] = {}
        findings: list[Finding] = []
        for cid, raw in self.table(data, "findings").items():
            record, results = self.check(cid, raw)
            checks[cid] = record
            findings.extend(results)
        return Assessment(
            name=name,
            created=created or now(),
            updated=updated or now(),
            tool_version=str(head.get("tool_version", "")),
            scope=scope,
            scan=scan,
            checks=checks,
            findings=findings,
            answers=answers,
            extra=extra,
        )

    def answer(self, qid: str, raw: Any) -> Answer:
        where = f"[answers.{qid}]"
        if not isinstance(raw, dict):
            raise self.fail(f"{qid} =", f"answer {qid!r} must be a table")
        reason = raw.get("reason")
        due = raw.get("due")
        if due is not None and not isinstance(due, date):
            raise self.fail(where, f"answer {qid!r}: due must be a date such as 2026-12-31")
        answered = raw.get("answered")
        if answered is not None and not isinstance(answered, datetime):
            raise self.fail(where, f"answer {qid!r}: answered must be a date and time")
        answer = Answer(
            question=qid,
            section=self.get(raw, "section", str, "", where),
            selected=self.strings(raw, "selected", where),
            applicable=self.get(raw, "applicable", bool, True, where),
            reason=self.enum(Reason, reason, where, "reason") if reason else None,
            notes=self.get(raw, "notes", str, "", where),
            evidence=self.strings(raw, "evidence", where),
            owner=self.get(raw, "owner", str, "", where),
            due=due if not isinstance(due, datetime) else due.date(),
            answered=answered,
            risk=self.enum(Risk, raw.get("risk", "unanswered"), where, "risk"),
            extra={k: v for k, v in raw.items() if k not in _ANSWER_KEYS},
        )
        return answer

    def check(self, cid: str, raw: Any) -> tuple[CheckRecord, list[Finding]]:
        where = f'[findings."{cid}"]'
        if not isinstance(raw, dict):
            raise self.fail(where, f"findings of {cid!r} must be a table")
        frameworks = raw.get("frameworks", {})
        if not isinstance(frameworks, dict):
            raise self.fail(where, f"{cid}: frameworks must be a table")
        record = CheckRecord(
            id=cid,
            title=self.get(raw, "title", str, cid, where),
            service=self.get(raw, "service", str, cid.split(".")[0], where),
            severity=self.enum(Severity, raw.get("severity", "medium"), where, "severity"),
            responsibility=self.enum(
                Responsibility, raw.get("responsibility", "customer"), where, "responsibility"
            ),
            frameworks={k: tuple(v) for k, v in frameworks.items() if isinstance(v, list)},
            remediation=self.get(raw, "remediation", str, "", where),
        )
        results = raw.get("results", [])
        if not isinstance(results, list):
            raise self.fail(where, f"{cid}: results must be a list")
        findings = []
        for row in results:
            if (
                not isinstance(row, list)
                or len(row) != 4
                or not all(isinstance(v, str) for v in row)
            ):
                raise self.fail(
                    where, f"{cid}: each result must be [region, resource, status, detail]"
                )
            status = _STATUSES.get(row[2])
            if status is None:
                raise self.fail(where, f"{cid}: unknown status {row[2]!r}")
            findings.append(Finding(cid, row[0], row[1], status, row[3]))
        return record, findings


_STATUSES = {s.value: s for s in Status}
_ANSWER_KEYS = {
    "section", "selected", "applicable", "reason", "notes", "evidence",
    "owner", "due", "answered", "risk",
}  # fmt: skip


def _keep(extra: dict[str, Any], name: str, table: dict[str, Any], known: set[str]) -> None:
    unknown = {k: v for k, v in table.items() if k not in known}
    if unknown:
        extra.setdefault("__tables__", {})[name] = unknown


# --- writing -------------------------------------------------------------------------


def dumps(assessment: Assessment) -> str:
    """The assessment as TOML text: stable key order, one answer per table, one
    finding per line."""
    tables = assessment.extra.get("__tables__", {})
    head = {
        "name": assessment.name,
        "created": assessment.created,
        "updated": assessment.updated,
        "tool_version": assessment.tool_version or __version__,
        **tables.get("assessment", {}),
    }
    scope = assessment.scope
    scope_table = _drop_empty(
        {
            "account_id": scope.account_id,
            "regions": list(scope.regions),
            "all_regions": scope.all_regions,
            "profile": scope.profile,
            "endpoint_url": scope.endpoint_url,
            "demo": scope.demo,
            "frameworks": list(scope.frameworks),
            "services": list(scope.services),
        },
        keep={"frameworks"},
    )
    scope_table.update(tables.get("scope", {}))
    scan = assessment.scan
    scan_table = _drop_empty(
        {
            "status": scan.status.value,
            "started": scan.started,
            "finished": scan.finished,
            "api_calls": scan.api_calls,
            "errors": [redact(e) for e in scan.errors],
            "calls": dict(sorted(scan.calls.items())),
        },
        keep={"status"},
    )
    scan_table.update(tables.get("scan", {}))
    doc: dict[str, Any] = {
        "schema": SCHEMA,
        "assessment": head,
        "scope": scope_table,
        "scan": scan_table,
    }
    for key, value in assessment.extra.items():
        if key != "__tables__":
            doc[key] = value
    doc["answers"] = {
        qid: _answer_table(answer) for qid, answer in sorted(assessment.answers.items())
    }
    text = tomli_w.dumps(doc, multiline_strings=True)
    parts = [text]
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
        table["evidence"] = list(answer.evidence)
    if answer.owner:
        table["owner"] = answer.owner
    if answer.due is not None:
        table["due"] = answer.due
    if answer.answered is not None:
        table["answered"] = answer.answered
    table.update(answer.extra)
    return table


def _findings_table(record: CheckRecord, findings: list[Finding]) -> str:
    lines = [
        f"[findings.{_string(record.id)}]",
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
    return "\n".join(lines) + "\n"


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


def save(assessment: Assessment, path: str | Path) -> None:
    """Write atomically (temporary file in the same folder, fsync, rename), mode 0600.

    Raises SrmError with one sentence when the folder is missing or not writable, and
    refuses to replace a milestone (milestones never change).
    """
    path = Path(path)
    if path.parent.name.endswith(".milestones"):
        raise SrmError(f"Cannot save {path}: it is a milestone, and milestones never change.")
    assessment.updated = now()
    if not assessment.tool_version:
        assessment.tool_version = __version__
    data = dumps(assessment).encode("utf-8")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise SrmError(f"Cannot save {path}: the folder {folder} does not exist.")
    _refuse_if_changed(path, data)
    write_private(path, data)
    with contextlib.suppress(OSError), _versions_lock:
        _versions[_key(path)] = _signature(path.stat())


def write_private(path: str | Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (temporary file in the same folder, fsync,
    rename) and readable by its owner only (0600): assessments and reports describe an
    account's weaknesses."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise SrmError(f"Cannot write {path}: the folder {folder} does not exist.")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except PermissionError:
        raise SrmError(f"Cannot write {path}: the folder {folder} is not writable.") from None
    except OSError as exc:
        raise SrmError(f"Cannot write {path}: {exc.strerror or exc}.") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), 0o600)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise SrmError(f"Cannot write {path}: {exc.strerror or exc}.") from None
    _fsync_folder(folder)


def _refuse_if_changed(path: Path, data: bytes) -> None:
    """Raise ConflictError if ``path`` changed since this process read or wrote it;
    the new content then goes to a side file so that nothing is lost."""
    with _versions_lock:
        known = _versions.get(_key(path))
    if known is None:
        return
    try:
        current = _signature(path.stat())
    except FileNotFoundError:
        return
    if current == known:
        return
    side = path.with_name(f"{path.stem}.conflict-{now():%Y%m%dT%H%M%S}{path.suffix}")
    try:
        fd = os.open(side, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        kept = f"your version was saved to {side} instead"
    except OSError:
        kept = "your version is still open here"
    raise ConflictError(
        f"{path} was changed by another program since srm-tui opened it; "
        f"it was left as it is and {kept}."
    )


@contextlib.contextmanager
def lock(path: str | Path) -> Iterator[None]:
    """Hold ``path`` for this process: a second srm-tui opening it is told and stops.

    The lock is an advisory ``flock`` on a hidden file next to the assessment, released
    by the system even if the process is killed.
    """
    path = Path(path)
    lock_path = path.with_name(f".{path.name}.lock")
    try:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:
        # A folder we cannot write to: saving will fail with its own clear message.
        yield
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "unknown"
            raise LockedError(
                f"{path} is open in another srm-tui (process {holder}); close it there "
                "first, or work on a copy."
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        yield
    finally:
        os.close(fd)


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def open_or_create(path: str | Path, name: str | None = None) -> tuple[Assessment, bool]:
    """Load ``path`` or, when it does not exist, a new assessment (not yet saved).

    Returns the assessment and whether it is new.
    """
    path = Path(path)
    if path.exists():
        return load(path), False
    if not path.parent.is_dir() and str(path.parent):
        raise SrmError(f"Cannot create {path}: the folder {path.parent} does not exist.")
    return Assessment(name=name or path.stem, tool_version=__version__), True
