"""Reading an assessment: every wrong value anywhere is exit 2 with file and line when
the file is read, never a TypeError or RecursionError later, when it is saved."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from srm_tui import store
from srm_tui.errors import InputFileError

GOOD = """schema = 1

[assessment]
name = "x"
created = 2026-01-01T00:00:00Z
updated = 2026-01-01T00:00:00Z

[milestone]
name = "q1"

[scope]
account_id = "123456789012"
regions = ["us-east-1"]

[scan]
status = "complete"
api_calls = 3

[scan.calls]
"ec2:DescribeRegions" = 1

[answers.ir_plan]
section = "incident_response"
selected = ["ir_plan_written"]
applicable = true
risk = "medium"
due = 2027-01-31
evidence = ["https://wiki.example.com/ir"]

[findings."ec2.sg_admin_ports_ipv4"]
title = "Security groups do not open admin ports"
service = "ec2"
severity = "high"
responsibility = "customer"
frameworks = { "cis-aws-7.0" = ["5.2"] }
results = [
    ["us-east-1", "arn:aws:ec2:us-east-1:123456789012:security-group/sg-1", "fail", "22 open"],
]
"""

# (what is replaced, by what, the text on the line the error names, words of the message)
WRONG = [
    ('frameworks = { "cis-aws-7.0" = ["5.2"] }', "frameworks = { a = [1] }", None, "'a' must be a list of strings"),
    ('frameworks = { "cis-aws-7.0" = ["5.2"] }', 'frameworks = { a = "5.2" }', None, "'a' must be a list of strings"),
    ('frameworks = { "cis-aws-7.0" = ["5.2"] }', 'frameworks = "5.2"', None, "'frameworks' must be a table"),
    ('title = "Security groups do not open admin ports"', "title = 3", None, "'title' must be a string"),
    ('severity = "high"', "severity = [1]", None, "unknown severity [1]"),
    ('"fail", "22 open"]', '"fail", 22]', None, "each result must be"),
    ('"fail", "22 open"]', '"fail", "22 open", "x"]', None, "each result must be"),
    ('"ec2:DescribeRegions" = 1', '"ec2:DescribeRegions" = "one"', None, "'ec2:DescribeRegions' must be an integer"),
    ("api_calls = 3", "api_calls = true", None, "'api_calls' must be an integer"),
    ('status = "complete"', "status = 1", None, "unknown scan status 1"),
    ('account_id = "123456789012"', "account_id = 123456789012", None, "'account_id' must be a string"),
    ('regions = ["us-east-1"]', 'regions = "us-east-1"', None, "'regions' must be a list of strings"),
    ("created = 2026-01-01T00:00:00Z", 'created = "yesterday"', None, "'created' must be a date and time"),
    ('name = "q1"', "name = 1", None, "'name' must be a string"),
    ("due = 2027-01-31", "due = 20270131", None, "'due' must be a date"),
    ('applicable = true', 'applicable = "yes"', None, "'applicable' must be true or false"),
    ('evidence = ["https://wiki.example.com/ir"]', "evidence = [7]", None, "each evidence entry must be a link"),
    ('evidence = ["https://wiki.example.com/ir"]', 'evidence = "https://wiki.example.com/ir"', None, "'evidence' must be a list"),
    ('risk = "medium"', 'risk = "severe"', None, "unknown risk 'severe'"),
    ('[answers.ir_plan]\n', "[answers]\nir_plan = 5\n[answers.other]\n", "ir_plan = 5", "answer 'ir_plan' must be a table"),
]  # fmt: skip


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


@pytest.mark.parametrize(("old", "new", "needle", "message"), WRONG)
def test_a_wrong_value_anywhere_is_refused_when_read(tmp_path, run_cli, old, new, needle, message):
    assert old in GOOD
    text = GOOD.replace(old, new, 1)
    line = line_of(text, needle or new.splitlines()[0])
    path = tmp_path / "a.toml"
    path.write_text(text, "utf-8")
    with pytest.raises(InputFileError) as info:
        store.load(path)
    assert message in info.value.reason
    assert info.value.line == line, (info.value.line, text.splitlines()[line - 1])
    result = run_cli("report", path)
    assert result.code == 2
    assert result.err.startswith(f"srm-tui: {path}:{line}: "), result.err
    assert "Traceback" not in result.err
    assert path.read_text("utf-8") == text


def test_the_good_file_reads_and_saves(tmp_path):
    path = tmp_path / "a.toml"
    path.write_text(GOOD, "utf-8")
    store.save(store.load(path), path)
    schema2 = path.read_text("utf-8")
    assert schema2.startswith("schema = 2\n")
    entry = '{ kind = "link", ref = "https://wiki.example.com/ir" }'
    assert entry in schema2
    # The same wrong value in a schema-2 entry is refused too.
    with pytest.raises(InputFileError, match="must be a link") as info:
        store.loads(schema2.replace(entry, '{ kind = "link", ref = 7 }'))
    assert info.value.line == line_of(schema2, entry)


def test_a_wrong_value_stops_a_scan_before_it_starts(tmp_path, run_cli):
    # 0.1.0 read this file, scanned, then failed to save it with a TypeError.
    text = GOOD.replace('"cis-aws-7.0" = ["5.2"]', "a = [1]")
    path = tmp_path / "a.toml"
    path.write_text(text, "utf-8")
    result = run_cli("scan", path, "--endpoint-url", "http://127.0.0.1:9", "--region", "us-east-1")
    assert result.code == 2
    line = line_of(text, "a = [1]")
    assert result.err.startswith(f"srm-tui: {path}:{line}: 'a' must be a list of strings")
    assert "scanning" not in result.err and "Traceback" not in result.err
    assert path.read_text("utf-8") == text


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("schema = 2\n[assessment]\n" + "[plugins" + ".a" * 3000 + "]\nx = 1\n", 3),
        ("schema = 2\n[assessment]\n[plugins]\ndeep = " + "[" * 5000 + "]" * 5000 + "\n", 4),
        ("schema = 2\n[assessment]\n[plugins]\ndeep = " + "{ a = " * 5000 + "1" + " }" * 5000, 4),
        ("schema = 2\n[assessment]\n[plugins]\ndeep = " + "[" * 30 + "]" * 30 + "\n", 4),
        ("schema = 2\n[assessment]\n[answers.q]\nsection = 's'\nx = " + "[" * 40 + "]" * 40, 5),
    ],
    ids=["3000 tables", "5000 arrays", "5000 inline tables", "30 arrays", "40 in an answer"],
)
def test_deep_nesting_is_refused_when_read(tmp_path, run_cli, text, line):
    path = tmp_path / "deep.toml"
    path.write_text(text, "utf-8")
    with pytest.raises(InputFileError, match="nested more than") as info:
        store.load(path)
    assert info.value.line == line
    result = run_cli("report", path)
    assert result.code == 2 and f"{path}:{line}: nested more than" in result.err


# --- whatever loads also saves --------------------------------------------------------

KNOWN_KEYS = [
    "name",
    "created",
    "updated",
    "tool_version",
    "assessor",
    "account_id",
    "regions",
    "all_regions",
    "profile",
    "endpoint_url",
    "demo",
    "frameworks",
    "services",
    "status",
    "started",
    "finished",
    "api_calls",
    "errors",
    "calls",
    "section",
    "selected",
    "applicable",
    "reason",
    "notes",
    "evidence",
    "owner",
    "due",
    "answered",
    "risk",
    "title",
    "service",
    "severity",
    "responsibility",
    "remediation",
    "results",
    "kind",
    "ref",
]
KEY = st.sampled_from(KNOWN_KEYS) | st.text(
    st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=1, max_size=8
)
SCALAR = (
    st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12)
    | st.integers(-(2**63), 2**63 - 1)
    | st.booleans()
    | st.floats(allow_nan=False)
    | st.dates()
    | st.datetimes(timezones=st.just(dt.UTC))
)
VALUE = st.recursive(
    SCALAR,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(KEY, inner, max_size=3),
    max_leaves=12,
)
PLACES = [
    ("assessment",),
    ("scope",),
    ("scan",),
    ("answers", "ir_plan"),
    ("findings", "ec2.sg_admin_ports_ipv4"),
    ("milestone",),
    (),
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(PLACES), KEY, VALUE)
def test_whatever_reads_also_saves_and_reads_back_the_same(place, key, value):
    import tomllib

    import tomli_w

    data = tomllib.loads(GOOD)
    table = data
    for name in place:
        table = table[name]
    table[key] = value
    text = tomli_w.dumps(data)
    try:
        loaded = store.loads(text, "gen.toml")
    except InputFileError as exc:
        assert str(exc).startswith("gen.toml")
        return
    again = store.loads(store.dumps(loaded), "again.toml")  # never a TypeError here
    loaded.tool_version = loaded.tool_version or again.tool_version  # filled in when saved
    assert again == loaded


def test_a_naive_time_is_taken_as_utc(tmp_path):
    text = GOOD.replace("created = 2026-01-01T00:00:00Z", "created = 2026-01-01T00:00:00")
    loaded = store.loads(text)
    assert loaded.created.tzinfo is not None
    assert loaded.created < loaded.updated.replace(year=2027)  # comparable, no TypeError


def test_reading_never_follows_into_a_pipe_or_a_device(tmp_path: Path):
    # The same reader serves the command line, the wizard and plain mode.
    with pytest.raises(InputFileError, match="not a regular file"):
        store.load("/dev/zero")
    with pytest.raises(InputFileError, match="is a folder"):
        store.load(tmp_path)


def test_a_windows_line_break_reads_back_the_same_once_saved():
    # Escaped in a one-line string, CRLF would be saved as a multi-line string, where
    # TOML reads a line break as LF: it is read as LF from the start.
    text = GOOD.replace('name = "x"', 'name = "first\\r\\nsecond\\rthird"', 1)
    assert text != GOOD
    loaded = store.loads(text, "crlf.toml")
    assert loaded.name == "first\nsecond\rthird"
    again = store.loads(store.dumps(loaded), "again.toml")
    assert again.name == loaded.name
