"""Collector results let go once nobody can read them: the holds on a result (its own
task, its checks, the collectors that declare they read it), and the loud failure of a
collector that reads a result it did not declare."""

from __future__ import annotations

from typing import Any

import pytest

from srm_tui.aws.account_api import AccountApi, Memo
from srm_tui.aws.collect.index import COLLECTORS
from srm_tui.aws.collectors import UndeclaredRead, collector, gather
from srm_tui.aws.errors import FAILED, CollectError
from srm_tui.aws.session import AwsSession
from srm_tui.checklist import load as load_checklist
from srm_tui.scan import _holds, _plan

REGION = "us-east-1"


def test_a_result_goes_with_its_last_hold() -> None:
    memo = Memo()
    memo.plan({("t.list", REGION): 2}, {})
    assert memo.get(("t.list", REGION), lambda: ["a", "b"]) == ["a", "b"]
    memo.let_go(("t.list", REGION))
    assert memo.outcome(("t.list", REGION)) == (["a", "b"], None)  # one hold left
    memo.let_go(("t.list", REGION))
    assert memo.done(("t.list", REGION))
    with pytest.raises(UndeclaredRead, match="after it was let go"):
        memo.outcome(("t.list", REGION))
    with pytest.raises(UndeclaredRead):
        memo.get(("t.list", REGION), lambda: ["asked again"])


def test_a_failure_is_kept_when_its_result_goes() -> None:
    memo = Memo()
    memo.plan({("t.list", REGION): 1}, {})

    def fail() -> Any:
        raise CollectError(FAILED, "t:List in us-east-1 is not supported by this endpoint")

    with pytest.raises(CollectError):
        memo.get(("t.list", REGION), fail)
    memo.let_go(("t.list", REGION))
    assert "not supported" in str(memo.error(("t.list", REGION)).reason)


def test_results_without_a_plan_are_kept() -> None:
    memo = Memo()
    memo.get(("t.list", REGION), lambda: 1)
    memo.let_go(("t.list", REGION))
    assert memo.outcome(("t.list", REGION)) == (1, None)


def test_a_reader_gives_its_hold_back_once_it_has_computed() -> None:
    memo = Memo()
    listing, reader = ("t.list", "global"), ("t.detail", REGION)
    memo.plan({listing: 1, reader: 1}, {reader: (listing,)})

    def detail() -> Any:
        names = memo.get(listing, lambda: ["a", "b"])
        assert memo.outcome(listing) == (["a", "b"], None)  # held while it reads
        return {name: len(name) for name in names}

    assert memo.get(reader, detail) == {"a": 1, "b": 1}
    with pytest.raises(UndeclaredRead):
        memo.outcome(listing)
    assert memo.outcome(reader) == ({"a": 1, "b": 1}, None)  # its own hold remains


@collector("t.list", service="s3", scope="global", api_calls=("s3:ListAllMyBuckets",))
def _listing(api: Any, region: str) -> list[str]:
    return ["a", "b"]


@collector("t.declared", service="s3", api_calls=("s3:GetBucketAcl",), reads=("t.list",))
def _declared(api: Any, region: str) -> int:
    return len(api.data("t.list"))


@collector("t.undeclared", service="s3", api_calls=("s3:GetBucketAcl",))
def _undeclared(api: Any, region: str) -> int:
    return len(api.data("t.list"))


@collector("t.regional", service="s3", api_calls=("s3:GetBucketAcl",))
def _regional(api: Any, region: str) -> str:
    return region


@collector("t.elsewhere", service="s3", api_calls=("s3:GetBucketAcl",), reads=("t.regional",))
def _elsewhere(api: Any, region: str) -> str:
    return str(api.data("t.regional", "eu-west-1"))


@pytest.fixture
def api(monkeypatch: pytest.MonkeyPatch) -> AccountApi:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "stub")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "stub")
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    session = AwsSession(endpoint_url="http://127.0.0.1:9")  # never reached
    found = {c.name: c for c in (_listing, _declared, _undeclared, _regional, _elsewhere)}
    return AccountApi(
        session, "123456789012", "aws", (REGION, "eu-west-1"), REGION, collectors=found
    )


def test_a_declared_read_is_answered(api: AccountApi) -> None:
    assert api.run("t.declared", REGION) == 2


def test_an_undeclared_read_fails_loudly_not_as_a_collection_error(api: AccountApi) -> None:
    # Not a CollectError (which the scan would turn into error findings): the scan
    # raises it once its workers have stopped.
    with pytest.raises(UndeclaredRead, match=r"t\.undeclared .* reads t\.list"):
        api.run("t.undeclared", REGION)
    assert not api.memo.done(("t.undeclared", REGION))


def test_a_read_of_another_regions_result_fails_loudly(api: AccountApi) -> None:
    with pytest.raises(UndeclaredRead, match=r"reads t.regional \(eu-west-1\)"):
        api.run("t.elsewhere", REGION)


def test_a_reader_of_an_unknown_collector_is_refused() -> None:
    import types

    module = types.SimpleNamespace(
        bad=collector("t.bad", service="s3", api_calls=("s3:GetBucketAcl",), reads=("t.none",))(
            lambda api, region: None
        )
    )
    with pytest.raises(ValueError, match=r"t\.bad reads unknown t\.none"):
        gather([module])  # type: ignore[list-item]


def test_the_shipped_plan_holds_bucket_listings_for_their_readers() -> None:
    # The buckets' listing is held by its own task, by each of the seven per-bucket
    # setting collectors that read it and by each check evaluation that needs it.
    shipped = load_checklist()
    checks = [shipped.checks[cid] for cid in shipped.ids()]
    evaluations, tasks = _plan(checks, [REGION], shipped.collectors, inventory=True)
    holds, reads = _holds(evaluations, tasks, shipped.collectors)
    readers = [k for k, found in reads.items() if ("s3.buckets", "global") in found]
    assert len(readers) == 7
    needing = sum(1 for ev in evaluations if ("s3.buckets", "global") in ev.needs)
    assert holds[("s3.buckets", "global")] == 1 + len(readers) + needing
    assert reads[("lambda.policies", REGION)] == (("lambda.functions", REGION),)


def test_every_shipped_reader_names_real_collectors() -> None:
    for found in COLLECTORS.values():
        assert set(found.reads) <= set(COLLECTORS), found.name


def _reads_in_source() -> dict[str, set[str]]:
    """Per collector, the names its function passes to ``api.data``, counting the
    functions of its own module that it calls (and that they call)."""
    import ast
    import inspect
    import sys

    found: dict[str, set[str]] = {}
    for entry in COLLECTORS.values():
        fn = inspect.unwrap(entry.fn)
        tree = ast.parse(inspect.getsource(sys.modules[fn.__module__]))
        defs = {d.name: d for d in ast.walk(tree) if isinstance(d, ast.FunctionDef)}
        names: set[str] = set()
        todo, seen = [fn.__name__], set()
        while todo:
            current = todo.pop()
            if current in seen or current not in defs:
                continue
            seen.add(current)
            for node in ast.walk(defs[current]):
                if not isinstance(node, ast.Call):
                    continue
                func = node.func
                if isinstance(func, ast.Attribute) and func.attr == "data" and node.args:
                    first = node.args[0]
                    assert isinstance(first, ast.Constant), f"{entry.name}: a computed read"
                    names.add(first.value)
                elif isinstance(func, ast.Name):
                    todo.append(func.id)
        found[entry.name] = names
    return found


def test_every_read_in_the_collectors_code_is_declared() -> None:
    # A read missing from reads= would stop a whole scan, even on a path the demo never
    # takes: the source itself is read to find every api.data call, helpers included.
    found = _reads_in_source()
    assert sum(len(names) for names in found.values()) >= 11  # the reads this holds today
    for name, names in found.items():
        assert names <= set(COLLECTORS[name].reads), name
