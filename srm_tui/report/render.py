"""One entry point for every report format, for the command line and the wizard."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from srm_tui.milestones import list_milestones
from srm_tui.model import Assessment, Section
from srm_tui.report.redaction import redacted

FORMATS = ("markdown", "html", "json", "csv")


def report(
    assessment: Assessment,
    sections: Sequence[Section],
    fmt: str = "markdown",
    *,
    path: str | Path | None = None,
    plan: bool = False,
    redact: bool = False,
) -> str:
    """The report of ``assessment`` in format ``fmt``.

    ``path`` (the assessment's file) lets the report list its milestones; ``plan``
    makes the CSV the improvement plan; ``redact`` masks the account id everywhere.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown report format {fmt!r}")
    if redact:
        assessment = redacted(assessment)
    milestones = list_milestones(path) if path is not None else []
    if fmt == "json":
        from srm_tui.report import json_report

        return json_report.render(assessment, sections)
    if fmt == "csv":
        from srm_tui.report import csv_report

        if plan:
            return csv_report.plan(assessment, sections)
        return csv_report.findings(assessment)
    if fmt == "html":
        from srm_tui.report import html_report

        return html_report.render(assessment, sections, milestones)
    from srm_tui.report import markdown

    return markdown.render(assessment, sections, milestones)
