"""How the checks and questions cover the Well-Architected Security Pillar ("aws-wa-security").

The pillar's best practices are reference data (frameworks/aws-wa-security.toml); this module
reads practices.toml, which maps each automatic check to the practices its findings show, names
the checks that serve no Security Pillar practice, and the practices left out of scope, each
with a reason. ``uncovered`` says which practices nothing covers.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources

from srm_tui.model import Question

KEY = "aws-wa-security"


@dataclass(frozen=True, slots=True)
class Coverage:
    """The shipped coverage table."""

    checks: Mapping[str, tuple[str, ...]]  # check id -> best-practice ids
    checks_not_security: Mapping[str, str]  # check id -> why it serves no practice
    out_of_scope: Mapping[str, str]  # best-practice id -> why nothing covers it


@cache
def coverage() -> Coverage:
    """The shipped table (practices.toml)."""
    text = resources.files(__package__).joinpath("practices.toml").read_text("utf-8")
    data = tomllib.loads(text)
    return Coverage(
        {str(k): tuple(str(i) for i in v) for k, v in data.get("checks", {}).items()},
        {str(k): str(v) for k, v in data.get("checks_not_security", {}).items()},
        {str(k): str(v) for k, v in data.get("out_of_scope", {}).items()},
    )


def check_practices(check_id: str, frameworks: Mapping[str, Iterable[str]]) -> tuple[str, ...]:
    """The best practices a check serves: those its own ``frameworks`` cite, and the ones the
    shipped table gives it."""
    cited = list(frameworks.get(KEY, ()))
    cited += coverage().checks.get(check_id, ())
    return tuple(dict.fromkeys(cited))


def uncovered(
    practice_ids: Iterable[str],
    questions: Iterable[Question],
    checks: Mapping[str, Mapping[str, Iterable[str]]],
) -> list[str]:
    """The practices that no question cites, no check serves and the table does not put out of
    scope. ``checks`` maps each check id to its ``frameworks``."""
    covered: set[str] = set(coverage().out_of_scope)
    for question in questions:
        covered.update(question.frameworks.get(KEY, ()))
    for check_id, frameworks in checks.items():
        covered.update(check_practices(check_id, frameworks))
    return [p for p in practice_ids if p not in covered]
