"""The framework references (CIS AWS v7.0, AWS FSBP, NIST CSF 2.0, ISO/IEC 27017 and the
Well-Architected Security Pillar): every id each one defines, with its title."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

_FILES = {
    "cis-aws-7.0": ("cis-aws-7.0.toml", "recommendation"),
    "aws-fsbp": ("aws-fsbp.toml", "control"),
    "nist-csf-2.0": ("nist-csf-2.0.toml", "category"),
    "iso-27017": ("iso-27017.toml", "control"),
    "aws-wa-security": ("aws-wa-security.toml", "practice"),
}

NAMES = {
    "cis-aws-7.0": "CIS AWS Foundations Benchmark v7.0",
    "aws-fsbp": "AWS Foundational Security Best Practices",
    "nist-csf-2.0": "NIST Cybersecurity Framework 2.0",
    "iso-27017": "ISO/IEC 27017:2015",
    "aws-wa-security": "AWS Well-Architected Framework, Security Pillar",
}

_NIST_SUB = re.compile(r"^([A-Z]{2}\.[A-Z]{2})-\d{2}$")
# ISO/IEC 27017 extends ISO/IEC 27002:2013, whose control numbers may be cited too:
# clause.category.control, with the number of controls each category of 27002:2013 has
# (114 in all), so "9.4.3" is one and "9.4.9" or "12.4" is not.
_ISO_27002 = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{1,2})$")
_ISO_27002_CONTROLS = {
    (5, 1): 2, (6, 1): 5, (6, 2): 2, (7, 1): 2, (7, 2): 3, (7, 3): 1,
    (8, 1): 4, (8, 2): 3, (8, 3): 3, (9, 1): 2, (9, 2): 6, (9, 3): 1, (9, 4): 5,
    (10, 1): 2, (11, 1): 6, (11, 2): 9,
    (12, 1): 4, (12, 2): 1, (12, 3): 1, (12, 4): 4, (12, 5): 1, (12, 6): 2, (12, 7): 1,
    (13, 1): 3, (13, 2): 4, (14, 1): 3, (14, 2): 9, (14, 3): 1, (15, 1): 3, (15, 2): 2,
    (16, 1): 7, (17, 1): 3, (17, 2): 1, (18, 1): 5, (18, 2): 3,
}  # fmt: skip


def _is_iso_27002(ident: str) -> bool:
    match = _ISO_27002.match(ident)
    if match is None:
        return False
    clause, category, control = (int(part) for part in match.groups())
    return 1 <= control <= _ISO_27002_CONTROLS.get((clause, category), 0)


@dataclass(frozen=True, slots=True)
class Reference:
    """One id of a framework with its title (and, for CIS, whether it is manual)."""

    framework: str
    id: str
    title: str
    assessment: str = ""  # CIS: "automated" or "manual"
    group: str = ""  # CIS section, NIST function, Well-Architected question (SEC01...)


@cache
def references(key: str) -> tuple[Reference, ...]:
    """Every id a framework defines, in the reference file's order."""
    filename, table = _FILES[key]
    text = resources.files(__package__).joinpath("frameworks", filename).read_text("utf-8")
    data = tomllib.loads(text)
    return tuple(
        Reference(
            key,
            str(item["id"]),
            str(item.get("title", "")),
            str(item.get("assessment", "")),
            str(item.get("section", item.get("function", item.get("question", "")))),
        )
        for item in data.get(table, [])
    )


@cache
def _index(key: str) -> dict[str, Reference]:
    return {ref.id: ref for ref in references(key)}


def keys() -> tuple[str, ...]:
    """The framework keys srm-tui knows."""
    return tuple(_FILES)


def lookup(key: str, ident: str) -> Reference | None:
    """The reference for ``ident`` in framework ``key``, or None when unknown."""
    if key not in _FILES:
        return None
    found = _index(key).get(ident)
    if found:
        return found
    if key == "nist-csf-2.0" and (m := _NIST_SUB.match(ident)) and m.group(1) in _index(key):
        return Reference(key, ident, _index(key)[m.group(1)].title, group=m.group(1))
    if key == "iso-27017" and _is_iso_27002(ident):
        return Reference(key, ident, "ISO/IEC 27002 control")
    return None


def is_known(key: str, ident: str) -> bool:
    """True when ``ident`` is a valid id of framework ``key``."""
    return lookup(key, ident) is not None


def read_table(raw: object) -> tuple[dict[str, tuple[str, ...]], list[tuple[str, str]]]:
    """A data file's ``frameworks`` table: the valid part as {key: ids}, and each problem
    as (a text to find its line by, the message)."""
    if not isinstance(raw, dict):
        return {}, [("frameworks", "frameworks must be a table")]
    result: dict[str, tuple[str, ...]] = {}
    problems: list[tuple[str, str]] = []
    for key, ids in raw.items():
        if key not in _FILES:
            problems.append((key, f"unknown framework {key!r} (known: {', '.join(_FILES)})"))
            continue
        if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
            problems.append((key, f"frameworks.{key} must be a list of strings"))
            continue
        for ident in ids:
            if not is_known(key, ident):
                problems.append((f'"{ident}"', f"unknown {key} id {ident!r}"))
        result[key] = tuple(ids)
    return result, problems
