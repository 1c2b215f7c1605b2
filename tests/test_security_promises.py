"""The promises of docs/security.md that are not tested elsewhere."""

import ast
import fnmatch
import json
from pathlib import Path

import srm_tui

PACKAGE = Path(srm_tui.__file__).parent

# sts:GetCallerIdentity needs no permission at all; the others are reads the AWS-managed
# SecurityAudit policy does not grant (docs/security.md lists them): Macie's status,
# administrator and automated discovery (Macie.1, Macie.2), AWS Backup's recovery points
# (Backup.1), directory buckets' lifecycle rules (S3.25), WAF rules, rule groups and
# logging (WAF.1-WAF.12) and CodeBuild report groups (CodeBuild.7). Every one only reads.
BEYOND_SECURITY_AUDIT = {
    "sts:GetCallerIdentity", "macie2:GetMacieSession", "macie2:GetAdministratorAccount",
    "macie2:GetAutomatedDiscoveryConfiguration", "backup:ListRecoveryPointsByBackupVault",
    "s3express:GetLifecycleConfiguration",
    "codebuild:ListReportGroups", "codebuild:BatchGetReportGroups",
    "waf:GetLoggingConfiguration", "waf:ListRules", "waf:GetRule", "waf:ListRuleGroups",
    "waf:ListActivatedRulesInRuleGroup", "waf-regional:ListRules", "waf-regional:GetRule",
    "waf-regional:ListRuleGroups", "waf-regional:ListActivatedRulesInRuleGroup",
    "wafv2:GetRuleGroup",
}  # fmt: skip


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


WRITES = {
    ("os", "replace"), ("os", "rename"), ("os", "link"), ("os", "symlink"),
    ("os", "truncate"), ("os", "ftruncate"), ("os", "write"), ("os", "pwrite"),
    ("tempfile", "mkstemp"), ("tempfile", "NamedTemporaryFile"), ("shutil", "copy"),
    ("shutil", "copyfile"), ("shutil", "move"),
}  # fmt: skip
WRITE_METHODS = {"write_text", "write_bytes", "symlink_to", "hardlink_to", "touch", "mkfifo"}


def _writes_files(tree: ast.AST) -> list[str]:
    """Calls in a module that create or replace a file (or write into one)."""
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        named = isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)
        if named and (func.value.id, func.attr) in WRITES:  # type: ignore[union-attr]
            found.append(f"{func.value.id}.{func.attr}")  # type: ignore[union-attr]
        if isinstance(func, ast.Attribute) and func.attr in WRITE_METHODS:
            found.append(f".{func.attr}()")
        if (
            isinstance(func, ast.Attribute)
            and func.attr in {"replace", "rename"}
            and len(node.args) == 1
            and not node.keywords
        ):
            found.append(f"Path.{func.attr}()")  # str.replace takes two, datetime's keywords
        if isinstance(func, ast.Name) and func.id == "open":
            modes = node.args[1:2] + [k.value for k in node.keywords if k.arg == "mode"]
            if any(isinstance(m, ast.Constant) and set(str(m.value)) & set("wax+") for m in modes):
                found.append("open(..., 'w')")
        if (
            isinstance(func, ast.Attribute)
            and func.attr == "open"
            and isinstance(func.value, ast.Name)
        ):
            call = ast.unparse(node)
            writing = any(f in call for f in ("O_CREAT", "O_TRUNC", "O_WRONLY", "O_RDWR"))
            if func.value.id == "os" and writing and "devnull" not in call:
                found.append("os.open(O_CREAT/O_TRUNC/O_WRONLY/O_RDWR)")
    return found


def test_exactly_one_module_writes_files():
    # Every file srm-tui writes goes through srm_tui/files.py and its one set of
    # guarantees (atomic, private, links, pipes, never over an assessment).
    writers = {}
    for path in PACKAGE.rglob("*.py"):
        relative = path.relative_to(PACKAGE)
        if relative.parts[0] == "demo":
            continue  # the emulated account's seeds write to the emulator, not to disk
        calls = _writes_files(ast.parse(path.read_text("utf-8")))
        if calls:
            writers[str(relative)] = calls
    assert list(writers) == ["files.py"], writers


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
