"""The promises of docs/security.md that are not tested elsewhere."""

import ast
import fnmatch
import json
from pathlib import Path

import srm_tui

PACKAGE = Path(srm_tui.__file__).parent

# sts:GetCallerIdentity needs no permission at all; Macie's status is the one read
# the AWS-managed SecurityAudit policy does not grant.
BEYOND_SECURITY_AUDIT = {"sts:GetCallerIdentity", "macie2:GetMacieSession"}


def security_audit_patterns() -> list[str]:
    from moto.iam.aws_managed_policies import aws_managed_policies_data

    document = json.loads(aws_managed_policies_data)["SecurityAudit"]["Document"]
    patterns = []
    for statement in document["Statement"]:
        if statement["Effect"] != "Allow":
            continue
        actions = statement["Action"]
        patterns += [actions] if isinstance(actions, str) else actions
    return [p.lower() for p in patterns]


def test_the_scan_needs_nothing_beyond_security_audit(run_cli):
    result = run_cli("policy")
    assert result.code == 0
    policy = json.loads(result.out)
    actions = {a for statement in policy["Statement"] for a in statement["Action"]}
    assert len(actions) > 40
    patterns = security_audit_patterns()
    outside = {a for a in actions if not any(fnmatch.fnmatchcase(a.lower(), p) for p in patterns)}
    assert outside <= BEYOND_SECURITY_AUDIT


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_no_shell_no_eval_no_pickle_anywhere():
    forbidden_calls = {"eval", "exec", "compile", "__import__"}
    forbidden_modules = {"pickle", "marshal", "shelve"}
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id not in forbidden_calls, f"{path}: {node.func.id}()"
            if isinstance(node, ast.keyword) and node.arg == "shell":
                assert not (isinstance(node.value, ast.Constant) and node.value.value), path
            if isinstance(node, ast.Attribute) and node.attr in ("system", "popen"):
                assert not (isinstance(node.value, ast.Name) and node.value.id == "os"), path
        assert not (imported_modules(path) & forbidden_modules), path


def test_domain_never_imports_the_user_interface():
    ui = ("textual", "questionary", "argparse", "prompt_toolkit", "rich")
    front_ends = {"tui", "commands"}
    front_files = {"cli.py", "plain.py", "__main__.py"}
    for path in PACKAGE.rglob("*.py"):
        relative = path.relative_to(PACKAGE)
        if relative.parts[0] in front_ends or relative.name in front_files:
            continue
        if relative.parts[0] == "demo":
            continue
        for name in imported_modules(path):
            assert not name.startswith(ui), f"{relative} imports {name}"


def test_every_test_the_promises_name_exists():
    import re

    root = PACKAGE.parent
    doc = (root / "docs" / "security.md").read_text("utf-8")
    tests = root / "tests"
    every = "\n".join(p.read_text("utf-8") for p in tests.rglob("*.py"))
    named = re.findall(r"`([\w/]+\.py)::(\w+)`", doc)
    assert len(named) > 20
    for file, name in named:
        assert f"def {name}(" in (tests / file).read_text("utf-8"), f"{file}::{name}"
    for name in set(re.findall(r"`(test_\w+)`", doc)):
        assert f"def {name}(" in every, name
