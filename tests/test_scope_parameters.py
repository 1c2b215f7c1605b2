"""Control parameters set by an assessment's scope: read strictly with file and line,
kept on save, handed to the scan through the workbench, shown in every report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from srm_tui import store
from srm_tui.errors import InputFileError
from srm_tui.workbench import Workbench
from tests.tui import apps

HEAD = """schema = 2

[assessment]
name = "params"
created = 2026-01-01T00:00:00Z
updated = 2026-01-01T00:00:00Z

[scope]
account_id = "123456789012"
regions = ["us-east-1"]
"""

TABLES = (
    HEAD
    + """
[scope.parameters."iam.unused_user_credentials"]
max_credential_usage_age = 45

[scope.parameters."lambda.deprecated_runtime"]
runtimes = ["python3.13"]
"""
)

DOTTED = (
    HEAD
    + """
[scope.parameters]
"iam.unused_user_credentials".max_credential_usage_age = 45
"iam.password_policy_strong" = { require_symbols = false, minimum_password_length = 14 }
"""
)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "a.toml"
    path.write_text(text, "utf-8")
    return path


def test_both_shapes_read_and_a_save_keeps_them(tmp_path: Path) -> None:
    read = store.load(write(tmp_path, TABLES))
    assert read.scope.parameters == {
        "iam.unused_user_credentials": {"max_credential_usage_age": 45},
        "lambda.deprecated_runtime": {"runtimes": ("python3.13",)},
    }
    again = store.loads(store.dumps(read))
    assert again.scope.parameters == read.scope.parameters
    assert '[scope.parameters."iam.unused_user_credentials"]' in store.dumps(read)
    dotted = store.load(write(tmp_path, DOTTED)).scope.parameters
    assert dotted["iam.password_policy_strong"] == {
        "require_symbols": False,
        "minimum_password_length": 14,
    }
    assert dotted["iam.unused_user_credentials"] == {"max_credential_usage_age": 45}


def test_a_file_without_parameters_writes_none() -> None:
    assert "parameters" not in store.dumps(store.loads(HEAD))


@pytest.mark.parametrize(
    ("table", "needle", "message"),
    [
        ('"iam.no_such_check"', "limit = 3", "no check is named 'iam.no_such_check'"),
        ('"iam.unused_user_credentials"', "max_age = 3", "has no parameter 'max_age'"),
        ('"iam.unused_user_credentials"', 'max_credential_usage_age = "45"', "a whole number"),
        ('"iam.unused_user_credentials"', "max_credential_usage_age = true", "a whole number"),
        ('"iam.unused_user_credentials"', "max_credential_usage_age = 4.5", "a whole number"),
        ('"iam.unused_user_credentials"', "max_credential_usage_age = -1", "not be negative"),
        ('"iam.password_policy_strong"', "require_symbols = 1", "true or false"),
        ('"lambda.deprecated_runtime"', 'runtimes = "python3.13"', "a list of words"),
        ('"lambda.deprecated_runtime"', "runtimes = [1]", "a number, a word"),
    ],
)
def test_a_wrong_parameter_is_exit_2_with_file_and_line(
    tmp_path: Path, run_cli, table: str, needle: str, message: str
) -> None:
    text = HEAD + f"\n[scope.parameters.{table}]\n{needle}\n"
    path = write(tmp_path, text)
    line = text.splitlines().index(needle) + 1
    with pytest.raises(InputFileError) as caught:
        store.load(path)
    assert caught.value.line == line
    assert message in str(caught.value)
    result = run_cli("report", path)
    assert result.code == 2
    assert f"{path}:{line}" in result.err and message in result.err
    assert "Traceback" not in result.err
    assert path.read_text("utf-8") == text  # nothing was rewritten


def test_the_workbench_hands_the_parameters_to_the_scan(tmp_path: Path) -> None:
    path = write(tmp_path, TABLES)
    with Workbench.open(path, apps.sections(), data_dir=tmp_path / "data") as bench:
        options = bench.scope_options()
        assert options.parameters["iam.unused_user_credentials"] == {"max_credential_usage_age": 45}
        assert bench.scan_options(checks=["iam"]).parameters == options.parameters


def test_every_report_names_the_parameters_that_differ(tmp_path: Path, run_cli) -> None:
    # minimum_password_length = 8 is the control's default: not a change worth showing.
    text = (
        HEAD
        + """
[scope.parameters."iam.unused_user_credentials"]
max_credential_usage_age = 45

[scope.parameters."iam.password_policy_strong"]
minimum_password_length = 8
"""
    )
    path = write(tmp_path, text)
    data = json.loads(run_cli("report", path, "--format", "json").out)
    assert data["scope"]["parameters"] == [
        {
            "check": "iam.unused_user_credentials",
            "parameter": "max_credential_usage_age",
            "value": 45,
            "default": 90,
        }
    ]
    markdown = run_cli("report", path).out
    assert "### Control parameters set by this review" in markdown
    row = next(line for line in markdown.splitlines() if "max_credential_usage_age" in line)
    assert "`45`" in row and "`90`" in row and "`iam.unused_user_credentials`" in row
    assert "minimum_password_length" not in markdown
    html = run_cli("report", path, "--format", "html").out
    assert "Control parameters set by this review" in html
    assert "<code>max_credential_usage_age</code>" in html
    assert "<code>45</code>" in html and "<code>90</code>" in html


def test_without_changes_no_report_mentions_parameters(tmp_path: Path, run_cli) -> None:
    path = write(tmp_path, HEAD)
    assert json.loads(run_cli("report", path, "--format", "json").out)["scope"]["parameters"] == []
    assert "Control parameters" not in run_cli("report", path).out
