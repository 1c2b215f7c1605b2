"""Imports point one way: no module of srm_tui reaches itself again through its
imports. Every import counts, also those inside functions and under TYPE_CHECKING."""

from __future__ import annotations

import ast
from pathlib import Path

import srm_tui

PACKAGE = Path(srm_tui.__file__).parent


def module_name(path: Path) -> str:
    parts = ("srm_tui", *path.relative_to(PACKAGE).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph() -> dict[str, set[str]]:
    """Module -> the srm_tui modules it imports (``from pkg import mod`` -> pkg.mod)."""
    paths = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in paths.items():
        targets: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                targets |= {a.name for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                for alias in node.names:
                    sub = f"{node.module}.{alias.name}"
                    targets.add(sub if sub in paths else node.module)
        graph[name] = {t for t in targets if t in paths and t != name}
    return graph


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_graph_sees_the_imports_that_matter():
    graph = import_graph()
    # A function-level import and a TYPE_CHECKING import are both edges.
    assert "srm_tui.tui.screens.start" in graph["srm_tui.tui.app"]
    assert "srm_tui.demo.target" in graph["srm_tui.tui.host"]
    assert "srm_tui.commands.wizard" in graph["srm_tui.cli"]


def test_a_circle_would_be_found():
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_module_imports_itself_through_others():
    assert circles(import_graph()) == []


def test_screens_and_widgets_know_the_wizard_only_through_its_host():
    graph = import_graph()
    below_the_app = [
        m for m in graph if m.startswith(("srm_tui.tui.screens", "srm_tui.tui.widgets"))
    ]
    assert below_the_app
    for name in below_the_app:
        assert "srm_tui.tui.app" not in graph[name], name


def registers_a_command(module: str) -> bool:
    path = PACKAGE.joinpath(*module.split(".")[1:]).with_suffix(".py")
    return "@command(" in path.read_text("utf-8")


def test_commands_stand_on_their_base_not_on_the_command_line():
    # A command may use helpers (modules that register no command: base, common,
    # organization_scan...), never another command.
    graph = import_graph()
    commands = [m for m in graph if m.startswith("srm_tui.commands.")]
    assert registers_a_command("srm_tui.commands.scan")
    assert not registers_a_command("srm_tui.commands.common")
    for name in commands:
        assert "srm_tui.cli" not in graph[name], name
        siblings = {t for t in graph[name] if t.startswith("srm_tui.commands.")}
        assert not {s for s in siblings if registers_a_command(s)}, name
