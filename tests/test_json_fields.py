"""Every field of the JSON report is documented: the design contract (DESIGN.md) names
its core, docs/json.md every field added beyond it. A report that gains a top-level
key, a finding key or a key one level inside a section that neither names fails here."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from srm_tui import acceptances, checklist, store
from srm_tui.catalog import questionnaires
from srm_tui.model import (
    Assessment,
    Assignment,
    CheckRecord,
    Finding,
    Organization,
    Scope,
    Status,
)
from srm_tui.report import formats
from srm_tui.review import set_answer, set_override
from tests.org_reviews import scanned_account

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "json.md"
PROWLER = ROOT / "tests" / "fixtures" / "prowler" / "demo-account.ocsf.json"
ACCOUNT = "123456789012"  # the account of the Prowler file
MEMBER = "111111111111"
CHECK = "ec2.imdsv2_tokens"

# The fields DESIGN.md's "report --format json" section names, as paths.
CONTRACT = {
    *["assessment", "scope", "scan", "summary", "findings", "answers", "accounts"],
    *(f"assessment.{k}" for k in ["name", "schema", "created", "updated", "tool_version"]),
    "scope.account_id",
    "scope.regions",
    *(f"scan.{k}" for k in ["started", "finished", "status", "api_calls", "errors"]),
    "summary.accepted",
    *(
        f"findings[].{k}"
        for k in [
            "check",
            "title",
            "service",
            "region",
            "resource",
            "status",
            "severity",
            "responsibility",
            "detail",
            "remediation",
            "frameworks",
            "account_id",
            "source",
            "exception",
        ]
    ),
    *(
        f"findings[].exception.{k}"
        for k in ["reason", "owner", "approved_by", "created", "expires", "expired"]
    ),
    *(
        f"answers[].{k}"
        for k in [
            "question",
            "section",
            "selected",
            "applicable",
            "reason",
            "notes",
            "risk",
            "responsibility",
            "frameworks",
            "evidence",
            "attested_by",
            "attested",
            "contradictions",
            "carried_from",
        ]
    ),
    *(f"answers[].evidence[].{k}" for k in ["kind", "ref", "sha256", "added", "by", "changed"]),
    *(
        f"accounts[].{k}"
        for k in ["account_id", "name", "ou", "status", "scanned", "api_calls", "summary"]
    ),
}
# Objects keyed by data (section ids, statuses, severities): not field names.
MAPS = {"summary", "accounts[].summary", "findings[].frameworks", "answers[].frameworks"}
# Below these one level is enough: their inner objects are described in prose.
DEEPER = {"findings[].exception", "answers[].evidence"}


def _paths(value: Any, prefix: str = "") -> set[str]:
    """The field paths of a report: a top-level key, then one level inside each section,
    and the fields of a finding's exception and an answer's evidence."""
    found: set[str] = set()
    if isinstance(value, list):
        for item in value:
            found |= _paths(item, prefix + "[]")
        return found
    if not isinstance(value, dict):
        return found
    for key, inner in value.items():
        path = f"{prefix}.{key}" if prefix else key
        found.add(path)
        depth = path.replace("[]", "").count(".")
        if depth == 0 or (path in DEEPER and prefix not in MAPS):
            found |= _paths(inner, path)
    return found


def _documented() -> set[str]:
    return set(re.findall(r"`([a-z_]+(?:(?:\[\])?\.[a-z_]+)*)`", DOC.read_text("utf-8")))


def _single_account(tmp_path: Path, run_cli) -> dict[str, Any]:
    """A review with every list filled: an accepted finding, an assignment, an answer
    with evidence, a changed parameter and a Prowler import that counts on its own."""
    metas = {m.id: m for m in checklist.load().metas()}
    a = Assessment(
        name="Every field",
        scope=Scope(account_id=ACCOUNT, regions=("us-east-1",)),
        checks={CHECK: CheckRecord.from_meta(metas[CHECK])},
        findings=[Finding(CHECK, "us-east-1", "arn:aws:ec2:us-east-1::instance/i-1", Status.FAIL)],
    )
    a.scope.parameters = {"iam.unused_user_credentials": {"max_credential_usage_age": 45}}
    soon = date.today() + timedelta(days=30)
    acceptances.accept(a, CHECK, reason="r", owner="o", expires=soon)
    a.assignments = [Assignment(CHECK, owner="Ops", due=soon)]
    question = questionnaires.load().sections[0].questions[0]
    set_answer(a, question, selected=[question.practices[0].id], evidence=["https://x/y"])
    path = tmp_path / "single.toml"
    store.save(a, path)
    assert run_cli("import", path, "--prowler", PROWLER).code == 0
    return json.loads(formats.report(store.load(path), questionnaires.load().sections, "json"))


def _organization() -> dict[str, Any]:
    """An organization review with an account's own answer."""
    a = Assessment("Estate", scope=Scope(account_id=ACCOUNT))
    accounts = {
        x: scanned_account(x, ou_id="ou-ab12-11111111", ou_names=("Root", "Work"))
        for x in (ACCOUNT, MEMBER)
    }
    a.organization = Organization("o-abcdefghij", ACCOUNT, accounts=accounts)
    sections = questionnaires.load().sections
    question = sections[0].questions[0]
    set_override(a, question, MEMBER, selected=[question.practices[0].id])
    return json.loads(formats.report(a, sections, "json"))


def test_every_field_of_the_json_report_is_in_the_contract_or_documented(tmp_path, run_cli):
    single = _single_account(tmp_path, run_cli)
    organization = _organization()
    # What the reports hold, so that the check below sees every kind of field.
    assert {"srm-tui", "prowler"} <= {f["source"] for f in single["findings"]}
    assert any(f["exception"] for f in single["findings"])
    for key in ("acceptances", "assignments", "answers", "imports"):
        assert single[key], key
    assert single["scope"]["parameters"] and organization["overrides"]
    assert organization["accounts"][0]["ou"] is not None
    paths = _paths(single) | _paths(organization)
    assert "findings[].questions" in paths and "overrides[].target" in paths
    undocumented = sorted(paths - CONTRACT - _documented())
    assert not undocumented, f"add these JSON fields to docs/json.md: {undocumented}"


def test_the_field_check_sees_a_new_key(tmp_path, run_cli, monkeypatch):
    # The check above would catch a field added without a word in docs/json.md.
    from srm_tui.report import json_report

    build = json_report.build
    monkeypatch.setattr(json_report, "build", lambda r: {**build(r), "novelty": 1})
    paths = _paths(_organization())
    assert sorted(paths - CONTRACT - _documented()) == ["novelty"]


def _design() -> Path | None:
    for folder in ROOT.parents:
        if (folder / "shared" / "DESIGN.md").is_file():
            return folder / "shared" / "DESIGN.md"
    return None


@pytest.mark.skipif(_design() is None, reason="DESIGN.md (shared/) is not beside this checkout")
def test_the_contract_fields_are_those_design_md_names() -> None:
    text = _design().read_text("utf-8")  # type: ignore[union-attr]
    section = text.split("### `report --format json`")[1].split("\n### ")[0]
    named = set(re.findall(r"[a-z_0-9]+", section))
    assert {path.replace("[]", "").split(".")[-1] for path in CONTRACT} <= named
