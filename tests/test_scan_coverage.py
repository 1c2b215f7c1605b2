"""What a scan covered: kept in the file, said in the reports, and a scan of a subset
never passed off as a whole one."""

from __future__ import annotations

import json
from pathlib import Path

import report_samples as samples

from srm_tui import store
from srm_tui.catalog import responsibility
from srm_tui.model import ScanStatus, Severity
from srm_tui.report import markdown
from srm_tui.report.formats import report
from srm_tui.report.inputs import ReportInput


def subset_assessment():
    a = samples.assessment()
    a.scan.status = ScanStatus.PARTIAL
    a.scan.checks = ("s3",)
    a.scan.regions = ("eu-west-1",)
    a.scan.subset = True
    return a


def test_what_a_scan_covered_survives_saving(tmp_path: Path) -> None:
    path = tmp_path / "a.toml"
    store.save(subset_assessment(), path)
    loaded = store.load(path).scan
    assert (loaded.checks, loaded.regions, loaded.subset) == (("s3",), ("eu-west-1",), True)
    assert (
        loaded.covered()
        == "only the checks s3 in eu-west-1; any other findings are from earlier scans"
    )


def test_reports_say_a_subset_scan_covered_only_part() -> None:
    a = subset_assessment()
    text = markdown.render(ReportInput(a, samples.sections()))
    assert "it covered only the checks s3 in eu-west-1" in text
    scan = json.loads(report(a, samples.sections(), "json"))["scan"]
    assert scan["subset"] is True and scan["checks"] == ["s3"] and scan["regions"] == ["eu-west-1"]


def test_a_whole_scan_says_nothing_of_coverage() -> None:
    a = samples.assessment()
    assert not a.scan.subset
    assert "it covered" not in markdown.render(ReportInput(a, samples.sections()))


def test_the_matrix_note_follows_the_scan_even_when_every_model_is_in_use() -> None:
    a = samples.assessment()
    a.scope.services = tuple(sorted({s for m in responsibility.load().models for s in m.services}))
    a.scan.status = ScanStatus.COMPLETE
    text = markdown.render(ReportInput(a, samples.sections()))
    assert "no scan has narrowed them down yet" not in text
    assert "the last scan found in use" in text


def test_the_markdown_matrix_counts_failures_as_the_wizard_does() -> None:
    from srm_tui.matrix_state import cell_states

    a = samples.assessment()
    matrix = responsibility.load().in_use(a.scope.services)
    failing = {k: v for k, v in cell_states(matrix, a).items() if v.failed}
    assert failing, "the sample has failures in the customer's part"
    (layer, _), state = next(iter(failing.items()))
    text = markdown.render(ReportInput(a, samples.sections()))
    row = next(
        line for line in text.splitlines()
        if line.startswith(f"| {next(x.title for x in matrix.layers if x.id == layer)} ")
    )  # fmt: skip
    # The count the wizard shows, in bold where the wizard adds "!" (a high or critical check).
    assert f"✗{state.failed}" in row
    serious = state.worst.rank >= Severity.HIGH.rank
    assert (f"**Customer ✗{state.failed}**" in row) is serious
