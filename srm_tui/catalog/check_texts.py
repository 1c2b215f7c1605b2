"""Check texts: what each automatic check tests, how bad a failure is, whose job it is,
the frameworks it serves and how to fix it. Data, validated like the questionnaires:
every problem is reported with its file and line.

One file per check module, ``srm_tui/catalog/checks/<module>.toml``::

    # Keys above the first table are defaults for every check below.
    responsibility = "customer"
    scope = "regional"

    [ec2.imdsv2]                              # the check id: service.snake_case
    title = "Instances require IMDSv2"
    severity = "high"                         # critical, high, medium, low, info
    frameworks = { "cis-aws-7.0" = ["6.7"], "aws-fsbp" = ["EC2.8"] }
    remediation = "Set HttpTokens=required. https://docs.aws.amazon.com/..."

Optional per check: ``service`` (default: the id's first part), ``responsibility`` and
``scope`` (else the file's defaults), ``description``, ``url``, and ``parameters``: the
control's parameters with the defaults its published definition gives, e.g.
``parameters = { max_age_days = 90, runtimes = ["python3.13", "nodejs22.x"] }`` (numbers,
words, switches or lists of words); a check reads them with ``ctx.param(name)`` and an
assessment's scope may override them. Framework ids must be in the shipped references
(``srm_tui/catalog/frameworks/``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

from srm_tui.catalog import frameworks
from srm_tui.model import CheckMeta, Parameter, Responsibility, Severity
from srm_tui.toml_reader import Problem, TomlReader

CHECK_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*\.[a-z0-9][a-z0-9_]*$")
SERVICE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
SCOPES = ("global", "regional")
REQUIRED = ("title", "severity", "responsibility", "scope", "remediation")
OPTIONAL = ("service", "frameworks", "description", "url", "parameters")
DEFAULTS = ("service", "severity", "responsibility", "scope")
PARAMETER = re.compile(r"^[a-z][a-z0-9_]{0,63}$")


@dataclass(slots=True)
class CheckTexts:
    """The texts of every check, as CheckMeta whose ``api_calls`` are still empty (the
    collectors decide them), with where each is defined and what is wrong."""

    metas: dict[str, CheckMeta] = field(default_factory=dict)
    where: dict[str, tuple[str, int]] = field(default_factory=dict)  # id -> (file, line)
    problems: list[Problem] = field(default_factory=list)


def default_dir() -> Traversable:
    """The shipped check texts."""
    return resources.files(__package__).joinpath("checks")


class _Lines:
    """Finds the line of a check's table, or of a key inside one (the shared reader
    finds the lines)."""

    def __init__(self, reader: TomlReader) -> None:
        self.reader = reader

    def table(self, name: str) -> int:
        """The 1-based line of the table ``[name]``."""
        return self.reader.line(tuple(name.split(".")))

    def key(self, table: str | None, key: str) -> int:
        """The line assigning ``key`` in ``table`` (None: above every table), else the
        table's own line."""
        return self.reader.line((*(table.split(".") if table else ()), key))


class _FileLoader:
    def __init__(self, name: str, text: str, into: CheckTexts) -> None:
        self.name = name
        self.reader = TomlReader(text, name, collect=True)
        self.lines = _Lines(self.reader)
        self.into = into
        self.reader.problems = into.problems  # collected straight into the result

    def problem(self, line: int, message: str) -> None:
        self.reader.fail(line, message)

    def load(self) -> None:
        data = self.reader.parse()
        if data is None:
            return
        defaults: dict[str, Any] = {}
        for key, value in data.items():
            if isinstance(value, dict):
                continue
            if key not in DEFAULTS:
                self.problem(
                    self.lines.key(None, key),
                    f"{key!r} cannot be a default (only {', '.join(DEFAULTS)})",
                )
                continue
            defaults[key] = value
        for prefix, table in data.items():
            if not isinstance(table, dict):
                continue
            for name, raw in table.items():
                check_id = f"{prefix}.{name}"
                if not isinstance(raw, dict):
                    self.problem(self.lines.key(prefix, name), f"{check_id} is not a check table")
                    continue
                self.check(check_id, {**defaults, **raw})

    def check(self, check_id: str, raw: Mapping[str, Any]) -> None:
        line = self.lines.table(check_id)
        if not CHECK_ID.match(check_id):
            self.problem(line, f"check id {check_id!r} must be service.snake_case")
            return
        if check_id in self.into.where:
            first, first_line = self.into.where[check_id]
            self.problem(line, f"check {check_id} is also defined at {first}:{first_line}")
            return
        before = len(self.into.problems)
        for key in sorted(set(raw) - set(REQUIRED) - set(OPTIONAL)):
            self.problem(self.lines.key(check_id, key), f"{check_id}: unknown key {key!r}")
        for key in REQUIRED:
            if key not in raw:
                self.problem(line, f"{check_id} has no {key}")
        text = {key: self.string(check_id, raw, key) for key in (*REQUIRED, "service")}
        service = text["service"] or check_id.split(".", 1)[0]
        if not SERVICE.match(service):
            self.problem(self.lines.key(check_id, "service"), f"{check_id}: bad service name")
        severity = self.choice(check_id, text["severity"], "severity", [s.value for s in Severity])
        owner = self.choice(
            check_id, text["responsibility"], "responsibility", [r.value for r in Responsibility]
        )
        scope = self.choice(check_id, text["scope"], "scope", list(SCOPES))
        refs = self.frameworks(check_id, raw.get("frameworks", {}))
        description = self.string(check_id, raw, "description")
        url = self.string(check_id, raw, "url")
        parameters = self.parameters(check_id, raw.get("parameters", {}))
        for key in ("title", "remediation"):
            if isinstance(raw.get(key), str) and not text[key].strip():
                self.problem(self.lines.key(check_id, key), f"{check_id}: {key} is empty")
        self.into.where[check_id] = (self.name, line)
        if len(self.into.problems) > before:
            return
        self.into.metas[check_id] = CheckMeta(
            id=check_id,
            title=text["title"],
            service=service,
            severity=Severity(severity),
            responsibility=Responsibility(owner),
            scope=scope,
            frameworks=refs,
            remediation=text["remediation"],
            api_calls=(),
            description=description,
            url=url,
            parameters=parameters,
        )

    def string(self, check_id: str, raw: Mapping[str, Any], key: str) -> str:
        value = raw.get(key, "")
        if not isinstance(value, str):
            self.problem(self.lines.key(check_id, key), f"{check_id}: {key} must be a string")
            return ""
        return value

    def parameters(self, check_id: str, raw: Any) -> tuple[tuple[str, Parameter], ...]:
        line = self.lines.key(check_id, "parameters")
        if not isinstance(raw, dict):
            self.problem(line, f"{check_id}: parameters must be a table")
            return ()
        result: list[tuple[str, Parameter]] = []
        for name, value in sorted(raw.items()):
            checked = parameter_value(value)
            if not PARAMETER.match(name) or checked is None:
                self.problem(
                    line,
                    f"{check_id}: parameter {name!r} must be snake_case with a number, a word, "
                    "true/false or a list of words",
                )
                continue
            result.append((name, checked))
        return tuple(result)

    def choice(self, check_id: str, value: str, key: str, allowed: Iterable[str]) -> str:
        allowed = list(allowed)
        if value and value not in allowed:
            self.problem(
                self.lines.key(check_id, key),
                f"{check_id}: {key} must be one of {', '.join(allowed)} (got {value!r})",
            )
        return value

    def frameworks(self, check_id: str, raw: Any) -> dict[str, tuple[str, ...]]:
        result, problems = frameworks.read_table(raw)
        for _, message in problems:
            self.problem(self.lines.key(check_id, "frameworks"), f"{check_id}: {message}")
        return result


def parameter_value(value: Any) -> Parameter | None:
    """``value`` as a parameter value, or None when it is of no allowed type."""
    if isinstance(value, bool | int | float):
        return value
    if isinstance(value, str) and len(value) <= 256:
        return value
    strings = isinstance(value, list) and all(isinstance(v, str) and len(v) <= 256 for v in value)
    if strings and len(value) <= 256:
        return tuple(value)
    return None


def load(folder: Traversable | None = None) -> CheckTexts:
    """Every ``*.toml`` in ``folder`` (default: the shipped texts). Problems are
    collected, not raised; a check with problems is left out of ``metas``."""
    folder = folder or default_dir()
    texts = CheckTexts()
    files = sorted(
        (f for f in folder.iterdir() if f.name.endswith(".toml") and f.is_file()),
        key=lambda f: f.name,
    )
    for path in files:
        name = str(path)
        try:
            text = path.read_text("utf-8")
        except UnicodeDecodeError as exc:
            texts.problems.append(Problem(name, 1, f"not UTF-8 text ({exc.reason})"))
            continue
        _FileLoader(name, text, texts).load()
    texts.problems.sort(key=lambda p: (p.path, p.line))
    return texts


@cache
def shipped_parameters() -> dict[str, dict[str, Parameter]]:
    """Each shipped check's parameters and their defaults, by check id (loaded once)."""
    return {cid: meta.parameter_defaults() for cid, meta in load().metas.items()}


def override_problem(check_id: str, name: str, value: Parameter) -> str | None:
    """Why ``value`` cannot stand for parameter ``name`` of check ``check_id`` (an unknown
    check or parameter, or a value not of the default's type), or None when it can."""
    known = shipped_parameters()
    if check_id not in known:
        return f"no check is named {check_id!r}"
    defaults = known[check_id]
    if name not in defaults:
        declared = ", ".join(sorted(defaults)) or "none"
        return f"{check_id} has no parameter {name!r} (its parameters: {declared})"
    default = defaults[name]
    if not _same_kind(value, default):
        return f"{check_id}.{name} must be {_kind(default)} like its default {default!r}"
    if isinstance(value, int | float) and not isinstance(value, bool) and value < 0:
        return f"{check_id}.{name} must not be negative"
    return None


def _same_kind(value: Parameter, default: Parameter) -> bool:
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(default, bool) and isinstance(value, bool)
    if isinstance(default, float):
        return isinstance(value, int | float)
    return type(value) is type(default)


def _kind(default: Parameter) -> str:
    if isinstance(default, bool):
        return "true or false"
    if isinstance(default, int | float):
        return "a number" if isinstance(default, float) else "a whole number"
    return "a word" if isinstance(default, str) else "a list of words"
