"""The package's layout: no import cycles anywhere in ``pytest_talon``, one public/private convention, and modules
split by responsibility (a long module is reported, never failed: length alone is no reason to split)."""

from __future__ import annotations

import ast
import warnings
from pathlib import Path

import pytest

import pytest_talon

ROOT = Path(pytest_talon.__file__).parent
PACKAGE = "pytest_talon"
#: A module longer than this is listed by the report below (a warning, not a failure).
LONG_MODULE = 800


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join((PACKAGE, *parts))


MODULES = {_module_name(p): p for p in sorted(ROOT.rglob("*.py"))}


def _resolve(module: str, level: int, package: str) -> str:
    if level == 0:
        return module
    base = package.split(".")[: len(package.split(".")) - level + 1]
    return ".".join([*base, module] if module else base)


def _is_type_checking(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"


def _runtime_nodes(tree: ast.AST) -> list[ast.AST]:
    """Every node outside ``if TYPE_CHECKING:`` blocks (annotations may name each other; imports may not)."""
    nodes: list[ast.AST] = []
    pending = [tree]
    while pending:
        node = pending.pop()
        nodes.append(node)
        pending += [child for child in ast.iter_child_nodes(node) if not _is_type_checking(child)]
    return nodes


def _imports(name: str, path: Path) -> set[str]:
    """Every package module this file imports at run time, wherever the import sits (functions included: a cycle
    hidden in a function is still two modules needing each other); ``if TYPE_CHECKING:`` imports are not edges."""
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in _runtime_nodes(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            module = _resolve(node.module or "", node.level, package)
            for alias in node.names:
                candidate = f"{module}.{alias.name}"
                found.add(candidate if candidate in MODULES else module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    # A package's own __init__ is not an edge: importing a.b.c runs a.b's __init__ first by Python's rules.
    return {target for target in found if target in MODULES and target != name and not name.startswith(target + ".")}


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def _cycles() -> list[list[str]]:
    """Tarjan's strongly connected components with more than one module."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for target in GRAPH[module]:
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in on_stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == module:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for module in sorted(GRAPH):
        if module not in index:
            visit(module)
    return found


def test_the_graph_sees_the_package() -> None:
    assert "pytest_talon.plugin" in GRAPH
    assert "pytest_talon._plugin.report" in GRAPH["pytest_talon.plugin"]
    assert "pytest_talon._spec.routes" in GRAPH["pytest_talon.fake.http.routes"]


def test_no_import_cycles() -> None:
    assert _cycles() == []


def test_a_cycle_would_be_found(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(GRAPH, "pytest_talon._spec.operation", {"pytest_talon._spec.routes"})
    assert ["pytest_talon._spec.operation", "pytest_talon._spec.operations", "pytest_talon._spec.routes"] in _cycles()


def _double_private(module: str) -> bool:
    parts = module.split(".")[1:]
    return len([part for part in parts if part.startswith("_") and part != "__main__"]) > 1


def test_private_packages_do_not_underscore_their_modules_again() -> None:
    """httpx's convention: a public module re-exports from private ``_x`` modules and packages; a module inside a
    private package is private already, so its name carries no second underscore (``_cassettes/config.py``)."""
    offenders = [module for module in MODULES if _double_private(module)]
    assert offenders == [], "one underscore marks a module private; drop the inner ones"


def test_long_modules_are_reported() -> None:
    """Report-only: a module over LONG_MODULE lines is listed as a warning (split it if it holds two
    responsibilities), never a failure; generated modules are exempt."""
    long = {}
    for module, path in MODULES.items():
        text = path.read_text()
        lines = text.count("\n")
        if lines > LONG_MODULE and not text.startswith("# Generated by tools/generate.py"):
            long[module] = lines
    for module, lines in sorted(long.items()):
        with warnings.catch_warnings():
            warnings.simplefilter("default")  # shown in the summary, not turned into an error by filterwarnings
            warnings.warn(f"{module}: {lines} lines (> {LONG_MODULE}); one responsibility?", stacklevel=1)
