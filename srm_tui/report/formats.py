"""The report formats, each defined once: the command line (``report --format``), the
wizard's export dialog and the renderer all read ``FORMATS``.

A format is a module with ``render(report: ReportInput) -> str`` plus one line below;
docs/formats.md shows how to add one. Modules are imported only when their format is
used, so listing the formats costs nothing.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from srm_tui.model import Assessment, CheckMeta, Section
    from srm_tui.report.inputs import ReportInput


@dataclass(frozen=True, slots=True)
class Format:
    """One report format.

    ``name`` is what ``--format`` takes; ``suffix`` the file name ending an export
    gets; ``media_type`` its IANA media type; ``label`` what the export dialog shows;
    ``module`` the module whose ``render(ReportInput) -> str`` makes it;
    ``offers_plan`` that it has an improvement-plan variant (``report --plan``).
    """

    name: str
    suffix: str
    media_type: str
    label: str
    module: str
    offers_plan: bool = False

    @property
    def renderer(self) -> Callable[[ReportInput], str]:
        """The module's ``render`` function."""
        return importlib.import_module(self.module).render  # type: ignore[no-any-return]

    def render(self, report: ReportInput) -> str:
        """The report in this format. With ``report.redact``, the account ids are
        masked once more over the whole text, so that none survives in anything the
        format took from elsewhere (a file name, a questionnaire's text)."""
        from srm_tui.report.redaction import MASK

        text = self.renderer(report)
        for account in report.masked:
            text = text.replace(account, MASK)
        return text


#: Every report format, the default first. One line per format.
FORMATS: tuple[Format, ...] = (
    Format("markdown", ".md", "text/markdown", "Markdown", "srm_tui.report.markdown"),
    Format("html", ".html", "text/html", "HTML (one printable page)", "srm_tui.report.html_report"),
    Format("json", ".json", "application/json", "JSON", "srm_tui.report.json_report"),
    Format("csv", ".csv", "text/csv", "CSV (one row per finding)", "srm_tui.report.csv_report",
           offers_plan=True),
    Format("ocsf", ".ocsf.json", "application/json", "OCSF Compliance Findings (JSON)",
           "srm_tui.report.ocsf"),
    Format("oscal", ".oscal-ar.json", "application/json", "OSCAL assessment results (JSON)",
           "srm_tui.report.oscal"),
    Format("oscal-poam", ".oscal-poam.json", "application/json",
           "OSCAL plan of action and milestones (JSON)", "srm_tui.report.oscal_poam"),
    Format("oscal-catalog", ".oscal-catalog.json", "application/json",
           "OSCAL catalog of the checks and questions (JSON)", "srm_tui.report.oscal_catalog"),
)  # fmt: skip


def names() -> tuple[str, ...]:
    """The names ``--format`` takes, the default first."""
    return tuple(f.name for f in FORMATS)


def get(name: str) -> Format:
    """The format called ``name``; ValueError naming the known ones otherwise."""
    for found in FORMATS:
        if found.name == name:
            return found
    raise ValueError(f"unknown report format {name!r}; the formats are: {', '.join(names())}")


def for_path(path: str | Path) -> Format | None:
    """The format whose suffix ``path`` ends with (the longest that fits), if any."""
    name = Path(path).name.lower()
    fitting = [f for f in FORMATS if name.endswith(f.suffix) and len(name) > len(f.suffix)]
    return max(fitting, key=lambda f: len(f.suffix), default=None)


def with_suffix(path: str | Path, fmt: Format) -> Path:
    """``path`` ending in ``fmt``'s suffix in place of the one it has
    (``review-report.md`` becomes ``review-report.html``)."""
    path = Path(path)
    if not path.name:
        return path
    current = for_path(path)
    if current is None:
        return (
            path.with_suffix(fmt.suffix) if path.suffix else path.with_name(path.name + fmt.suffix)
        )
    return path.with_name(path.name[: -len(current.suffix)] + fmt.suffix)


def report(
    assessment: Assessment,
    sections: Sequence[Section],
    name: str = "markdown",
    *,
    path: str | Path | None = None,
    plan_only: bool = False,
    redact: bool = False,
    checks: Mapping[str, CheckMeta] | None = None,
    generated: datetime | None = None,
) -> str:
    """The report of ``assessment`` in format ``name``; see ``inputs.prepare`` for the
    options."""
    from srm_tui.report.inputs import prepare

    fmt = get(name)
    return fmt.render(
        prepare(
            assessment,
            sections,
            path=path,
            plan_only=plan_only,
            redact=redact,
            checks=checks,
            generated=generated,
        )
    )
