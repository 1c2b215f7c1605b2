"""The report format registry: each format defined once and read by the command line,
the export dialog and the renderer; adding a format is one module and one line."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
import report_samples as samples

from srm_tui import cli, store
from srm_tui.report import formats
from srm_tui.report.formats import Format
from srm_tui.report.inputs import ReportInput, prepare
from srm_tui.report.redaction import MASK


def _format_choices(command: str) -> list[str]:
    cli.register_all()
    parser = cli.build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    action = next(a for a in sub.choices[command]._actions if a.dest == "format")
    return list(action.choices)


def test_each_format_is_defined_once_and_renders_the_one_input():
    assert formats.names()[0] == "markdown"  # the default comes first
    assert len(set(formats.names())) == len(formats.FORMATS)
    assert len({f.suffix for f in formats.FORMATS}) == len(formats.FORMATS)
    report = ReportInput(samples.assessment(), samples.sections(), checks={})
    for fmt in formats.FORMATS:
        assert fmt.suffix.startswith(".") and "/" in fmt.media_type and fmt.label
        text = fmt.render(report)
        assert isinstance(text, str) and samples.ACCOUNT in text, fmt.name
        assert formats.get(fmt.name) is fmt
    with pytest.raises(ValueError, match="the formats are: markdown, html"):
        formats.get("docx")


def test_the_command_line_offers_exactly_the_registered_formats(run_cli, tmp_path):
    assert _format_choices("report") == list(formats.names())
    path = tmp_path / "r.toml"
    store.save(samples.assessment(), path)
    for fmt in formats.FORMATS:
        result = run_cli("report", path, "--format", fmt.name, "--plan")
        assert result.code == (0 if fmt.offers_plan else 2), (fmt.name, result.err)
    # Alone, --plan is the plan in its format (it was refused for the Markdown default).
    alone = run_cli("report", path, "--plan")
    assert alone.code == 0, alone.err
    assert alone.out == run_cli("report", path, "--plan", "--format", "csv").out
    assert run_cli("report", path, "--plan", "-o", tmp_path / "plan.md").code == 2


def test_the_output_name_chooses_the_format_unless_format_is_given(run_cli, tmp_path):
    # '-o review.html' wrote Markdown into review.html.
    path = tmp_path / "r.toml"
    store.save(samples.assessment(), path)
    for fmt in formats.FORMATS:
        out = tmp_path / f"review{fmt.suffix}"
        assert run_cli("report", path, "-o", out).code == 0
        # The opening lines tell the formats apart (the OSCAL ones stamp the time later).
        written = out.read_bytes().decode("utf-8").splitlines()[:3]
        asked = run_cli("report", path, "--format", fmt.name).out.splitlines()[:3]
        assert written == asked, fmt.name
    assert run_cli("report", path, "-o", tmp_path / "notes.txt").code == 0
    assert (tmp_path / "notes.txt").read_text("utf-8").startswith("# ")  # Markdown
    assert run_cli("report", path, "--format", "json", "-o", tmp_path / "x.html").code == 0
    assert (tmp_path / "x.html").read_text("utf-8").startswith("{")


def test_suffixes_follow_the_registry():
    assert formats.for_path("a/review-report.md") is formats.get("markdown")
    assert formats.for_path("REPORT.HTML") is formats.get("html")
    assert formats.for_path("review.toml") is None
    html = formats.get("html")
    assert formats.with_suffix("out/review-report.md", html) == Path("out/review-report.html")
    assert formats.with_suffix("review-report", html) == Path("review-report.html")
    assert formats.with_suffix("notes.txt", html) == Path("notes.html")


def test_prepare_masks_without_touching_the_assessment(tmp_path):
    a = samples.assessment()
    report = prepare(a, samples.sections(), redact=True)
    assert report.assessment.scope.account_id == MASK
    assert report.masked == (samples.ACCOUNT,)
    assert a.scope.account_id == samples.ACCOUNT
    assert report.plan and report.groups and report.summary.overall.total
    assert report.questions["s_ir_plan"].section == "incident_response"
    # The check catalogue is there for formats that need it (loaded on first use).
    meta = report.check_meta["iam.root_mfa"]
    assert meta.api_calls and meta.title


# --- adding a format: one module, one line ----------------------------------------------

SAMPLE_FORMAT = '''
    """A format for the test: one line per failing check, as plain text."""

    def render(report):
        failing = [g.record.id for g in report.groups if g.failed]
        lines = [f"{report.assessment.name}: {len(report.plan)} things to fix"]
        lines += [f"{cid} fails" for cid in failing]
        lines += [f"account {report.assessment.scope.account_id}"]
        return "\\n".join(lines) + "\\n"
'''


@pytest.fixture
def sample_format(tmp_path, monkeypatch) -> Format:
    folder = tmp_path / "plugins"
    folder.mkdir()
    (folder / "failing_text.py").write_text(textwrap.dedent(SAMPLE_FORMAT), "utf-8")
    monkeypatch.syspath_prepend(str(folder))
    added = Format("failing", ".failing.txt", "text/plain", "Failing checks", "failing_text")
    monkeypatch.setattr(formats, "FORMATS", (*formats.FORMATS, added))
    return added


def test_a_new_format_is_one_module_and_one_registry_line(sample_format, run_cli, tmp_path):
    from srm_tui.tui.widgets.report import formats as wizard_formats

    assert "failing" in _format_choices("report")
    assert "failing" in wizard_formats()
    path = tmp_path / "r.toml"
    store.save(samples.assessment(), path)
    result = run_cli("report", path, "--format", "failing")
    assert result.code == 0, result.err
    assert result.out.startswith("Quarterly review: ")
    assert "iam.root_mfa fails" in result.out
    # The registry's guarantees hold for it too: --redact masks what it writes.
    result = run_cli("report", path, "--format", "failing", "--redact")
    assert samples.ACCOUNT not in result.out and f"account {MASK}" in result.out
    result = run_cli("report", path, "--format", "failing", "--plan")
    assert result.code == 2 and "--plan goes with --format csv" in result.err
