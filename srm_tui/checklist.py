"""The checklist: every automatic check joined to its texts and to the collectors that
feed it, validated once.

Three explicit lists meet here, and nowhere else: the check functions
(``srm_tui.checks.index``), their texts (``srm_tui/catalog/checks/*.toml``) and the
collectors (``srm_tui.aws.collect.index``). A check without texts, texts without a
check, or a check that needs a collector nobody defines is an error naming the file
and line. Each check's ``api_calls`` are the union of its collectors' actions,
computed here once, so the generated IAM policy covers whatever a check can cause
to be called.

A ``Checklist`` holds no session, account or scan state: one serves every scan of
the process, whatever the account.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from srm_tui.aws.collect.index import COLLECTORS
from srm_tui.aws.collectors import Collector
from srm_tui.catalog import check_texts
from srm_tui.catalog.check_texts import CheckTexts
from srm_tui.catalog.questionnaires import Problem
from srm_tui.checks.context import Check, CheckFunction
from srm_tui.checks.index import FUNCTIONS
from srm_tui.errors import InputFileError
from srm_tui.model import CheckMeta


class ChecklistError(InputFileError):
    """The checks, their texts and the collectors do not fit together."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        first = problems[0]
        more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
        super().__init__(first.path, first.message + more, first.line)


@dataclass(frozen=True, slots=True)
class Checklist:
    """The checks by id and the collectors by name, ready for a scan."""

    checks: Mapping[str, Check]
    collectors: Mapping[str, Collector]

    def ids(self) -> list[str]:
        """Every check id, sorted."""
        return sorted(self.checks)

    def metas(self) -> list[CheckMeta]:
        """Every check's metadata, sorted by id."""
        return [self.checks[cid].meta for cid in self.ids()]

    def select(self, patterns: Iterable[str]) -> list[Check]:
        """Checks whose id equals a pattern or starts with ``pattern.`` (a service)."""
        wanted = [p.strip() for p in patterns if p.strip()]
        return [
            self.checks[cid]
            for cid in self.ids()
            if any(cid == p or cid.startswith(p + ".") for p in wanted)
        ]

    def api_calls(self) -> list[str]:
        """Every IAM action some check's collectors may call, sorted."""
        return sorted({a for check in self.checks.values() for a in check.meta.api_calls})


def _where(function: CheckFunction) -> tuple[str, int]:
    code = function.fn.__code__
    return str(Path(code.co_filename)), code.co_firstlineno


def build(
    functions: Mapping[str, CheckFunction],
    texts: CheckTexts,
    collectors: Mapping[str, Collector],
) -> Checklist:
    """Join check functions, texts and collectors; raises ChecklistError naming every
    file and line that does not fit."""
    problems = list(texts.problems)
    checks: dict[str, Check] = {}
    for check_id, function in sorted(functions.items()):
        path, line = _where(function)
        unknown = [n for n in function.needs if n not in collectors]
        if unknown:
            problems.append(
                Problem(path, line, f"check {check_id} needs unknown collectors {unknown}")
            )
        meta = texts.metas.get(check_id)
        if meta is None:
            if check_id not in texts.where:
                problems.append(Problem(path, line, f"check {check_id} has no texts"))
            continue
        if unknown:
            continue
        api_calls = sorted({a for n in function.needs for a in collectors[n].api_calls})
        meta = dataclasses.replace(meta, api_calls=tuple(api_calls))
        checks[check_id] = Check(meta, function.needs, function.fn)
    for check_id, (path, line) in sorted(texts.where.items()):
        if check_id not in functions:
            problems.append(Problem(path, line, f"no check function is named {check_id}"))
    if problems:
        raise ChecklistError(problems)
    return Checklist(checks, collectors)


@cache
def load() -> Checklist:
    """The shipped checklist, built once per process."""
    return build(FUNCTIONS, check_texts.load(), COLLECTORS)
