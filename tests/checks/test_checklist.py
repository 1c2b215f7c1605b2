"""The checklist: check functions, their texts and the collectors joined explicitly,
every mismatch named by file and line; and checks that never load AWS code."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from srm_tui import checklist
from srm_tui.aws.collect.index import COLLECTORS
from srm_tui.aws.collectors import collector
from srm_tui.catalog import check_texts
from srm_tui.checks.context import check
from srm_tui.checks.index import FUNCTIONS
from srm_tui.errors import InputFileError

ROOT = Path(__file__).resolve().parents[2]

GOOD = """# Defaults for every check below.
responsibility = "customer"
scope = "regional"

[demo.one]
title = "One thing is right"
severity = "high"
frameworks = { "aws-fsbp" = ["EC2.8"], "nist-csf-2.0" = ["PR.PS"] }
remediation = "Make it right. https://docs.aws.amazon.com/"

[demo.two]
title = "Another thing is right"
severity = "low"
scope = "global"
service = "ec2"
remediation = "Fix it."
description = "Why it matters."
"""


def test_importing_every_check_module_loads_no_aws_code() -> None:
    probe = (
        "import importlib, pkgutil, sys\n"
        "import srm_tui.checks as pkg\n"
        "for info in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.'):\n"
        "    importlib.import_module(info.name)\n"
        "loaded = sorted(m for m in sys.modules\n"
        "                if m.split('.')[0] in ('boto3', 'botocore') or m.startswith('srm_tui.aws'))\n"
        "print(len([m for m in sys.modules if m.startswith('srm_tui.checks.')]), loaded)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    count, loaded = done.stdout.split(" ", 1)
    assert int(count) >= 25  # every check module was imported
    assert loaded.strip() == "[]"


def test_no_check_module_reaches_aws_code_even_inside_a_function() -> None:
    from tests.test_import_direction import import_graph

    graph = import_graph()
    reached: set[str] = set()
    todo = [m for m in graph if m.startswith("srm_tui.checks.")]
    while todo:
        module = todo.pop()
        for target in graph[module] - reached:
            reached.add(target)
            todo.append(target)
    assert not {m for m in reached if m.startswith("srm_tui.aws")}


def test_the_shipped_checklist_fits_together() -> None:
    shipped = checklist.load()
    assert shipped is checklist.load()  # built once per process
    assert len(shipped.checks) == len(FUNCTIONS) >= 98
    for check_id, found in shipped.checks.items():
        expected = {a for name in found.needs for a in COLLECTORS[name].api_calls}
        assert set(found.meta.api_calls) == expected, check_id
        assert found.meta.service == check_id.split(".")[0]


def test_texts_take_the_file_defaults_and_their_own_values(tmp_path: Path) -> None:
    (tmp_path / "demo.toml").write_text(GOOD, "utf-8")
    texts = check_texts.load(tmp_path)
    assert texts.problems == []
    one, two = texts.metas["demo.one"], texts.metas["demo.two"]
    assert (one.service, one.scope, one.responsibility.value) == ("demo", "regional", "customer")
    assert one.frameworks == {"aws-fsbp": ("EC2.8",), "nist-csf-2.0": ("PR.PS",)}
    assert (two.service, two.scope, two.description) == ("ec2", "global", "Why it matters.")
    assert one.api_calls == () and texts.where["demo.two"] == (str(tmp_path / "demo.toml"), 11)


@pytest.mark.parametrize(
    ("change", "line", "message"),
    [
        (('"EC2.8"', '"EC2.999"'), 8, "demo.one: unknown aws-fsbp id 'EC2.999'"),
        (('"aws-fsbp"', '"aws-fsbpx"'), 8, "unknown framework 'aws-fsbpx'"),
        (('severity = "low"', 'severity = "urgent"'), 13, "severity must be one of"),
        (('scope = "global"', 'scope = "planet"'), 14, "scope must be one of"),
        (('description = "Why', 'descripton = "Why'), 17, "demo.two: unknown key 'descripton'"),
        (('title = "One thing is right"\n', ""), 5, "demo.one has no title"),
        (('remediation = "Fix it."', "remediation = 3"), 16, "remediation must be a string"),
        (('scope = "regional"', 'colour = "red"'), 3, "'colour' cannot be a default"),
        (("[demo.two]", "[demo.Two-X]"), 11, "must be service.snake_case"),
        (('title = "One', "title = One"), 6, "not valid TOML"),
    ],
)
def test_every_text_problem_names_its_file_and_line(
    tmp_path: Path, change: tuple[str, str], line: int, message: str
) -> None:
    path = tmp_path / "demo.toml"
    path.write_text(GOOD.replace(*change), "utf-8")
    problems = check_texts.load(tmp_path).problems
    assert problems, change
    assert problems[0].path == str(path)
    assert problems[0].line == line, problems
    assert message in problems[0].message, problems


def test_a_check_defined_in_two_files_is_a_problem(tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_text(GOOD, "utf-8")
    (tmp_path / "b.toml").write_text(GOOD, "utf-8")
    problems = check_texts.load(tmp_path).problems
    assert [p.line for p in problems] == [5, 11]
    assert all(p.path.endswith("b.toml") and "also defined at" in p.message for p in problems)


def _functions() -> dict[str, Any]:
    @check("demo.one", needs=("ec2.instances",))
    def one(ctx: Any) -> Any:
        yield ctx.ok("x")

    @check("demo.two", needs=("ec2.instances", "ec2.volumes"))
    def two(ctx: Any) -> Any:
        yield ctx.ok("x")

    return {one.id: one, two.id: two}


def test_the_join_computes_api_calls_from_the_collectors(tmp_path: Path) -> None:
    (tmp_path / "demo.toml").write_text(GOOD, "utf-8")
    joined = checklist.build(_functions(), check_texts.load(tmp_path), COLLECTORS)
    assert joined.ids() == ["demo.one", "demo.two"]
    assert joined.checks["demo.two"].meta.api_calls == (
        "ec2:DescribeInstances",
        "ec2:DescribeVolumes",
    )
    assert [c.meta.id for c in joined.select(["demo"])] == ["demo.one", "demo.two"]
    assert joined.api_calls() == ["ec2:DescribeInstances", "ec2:DescribeVolumes"]


def test_what_does_not_fit_is_an_input_error_naming_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "demo.toml").write_text(GOOD, "utf-8")
    functions = _functions()
    del functions["demo.two"]

    @check("demo.three", needs=("ec2.nothing",))
    def three(ctx: Any) -> Any:
        yield ctx.ok("x")

    functions[three.id] = three
    with pytest.raises(checklist.ChecklistError) as caught:
        checklist.build(functions, check_texts.load(tmp_path), COLLECTORS)
    messages = [(Path(p.path).name, p.message) for p in caught.value.problems]
    assert ("test_checklist.py", "check demo.three needs unknown collectors ['ec2.nothing']") in (
        messages
    )
    assert ("test_checklist.py", "check demo.three has no texts") in messages
    assert ("demo.toml", "no check function is named demo.two") in messages
    error = caught.value
    assert isinstance(error, InputFileError) and error.exit_code == 2
    assert error.line and "more problems" in str(error)


def test_a_collector_is_described_not_registered() -> None:
    @collector("test.nothing", service="ec2", api_calls=("ec2:DescribeRegions",))
    def nothing(api: Any, region: str) -> Any:
        return region

    assert "test.nothing" not in COLLECTORS
    assert nothing(None, "eu-west-1") == "eu-west-1"
    assert nothing.api_calls == ("ec2:DescribeRegions",) and nothing.scope == "regional"


def test_parameters_have_defaults_from_the_texts_and_the_scope_overrides_them(tmp_path):
    from srm_tui.catalog import check_texts
    from srm_tui.checks.context import Context

    folder = tmp_path / "texts"
    folder.mkdir()
    (folder / "demo.toml").write_text(
        'scope = "regional"\nresponsibility = "customer"\n'
        '[demo.aged]\ntitle = "t"\nseverity = "low"\nremediation = "r"\n'
        'parameters = { max_age_days = 90, runtimes = ["a", "b"] }\n'
    )
    texts = check_texts.load(folder)
    assert texts.problems == []
    meta = texts.metas["demo.aged"]
    assert meta.parameter_defaults() == {"max_age_days": 90, "runtimes": ("a", "b")}
    ctx = Context(
        "demo.aged",
        "us-east-1",
        "1",
        {},
        parameters={**meta.parameter_defaults(), "max_age_days": 30},
    )
    assert ctx.param("max_age_days") == 30
    assert ctx.param("runtimes") == ("a", "b")
    with pytest.raises(KeyError):
        ctx.param("undeclared")


def test_a_parameter_of_a_wrong_type_is_reported_with_its_line(tmp_path):
    from srm_tui.catalog import check_texts

    folder = tmp_path / "texts"
    folder.mkdir()
    (folder / "demo.toml").write_text(
        'scope = "regional"\nresponsibility = "customer"\n'
        '[demo.aged]\ntitle = "t"\nseverity = "low"\nremediation = "r"\n'
        "parameters = { max_age_days = { nested = 1 } }\n"
    )
    texts = check_texts.load(folder)
    assert [(p.line, "max_age_days" in p.message) for p in texts.problems] == [(7, True)]
    assert "demo.aged" not in texts.metas
