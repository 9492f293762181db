"""The fake's layout: imports point one way between its subpackages, no module imports itself back, the handlers
hold no state logic (the backend does), and the public names of ``pytest_talon.fake`` stay as they are (long
modules: tests/test_package_layout.py reports them)."""

from __future__ import annotations

import ast
import importlib
import inspect
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import pytest_talon.fake

ROOT = Path(pytest_talon.fake.__file__).parent
PACKAGE = "pytest_talon.fake"

#: Subpackages from the bottom up; a module may import its own subpackage and those ranked lower.
RANKS = {
    "errors": 0,
    "talang": 1,
    "campaigns": 2,
    "state": 3,
    "engine": 4,
    "backend": 5,
    "api": 6,
    "setup": 6,
    "http": 7,
}
#: The top-level modules that compose the subpackages (and may import any of them).
TOP = 8
#: The HTTP face reaches the handlers through this one module only.
HTTP_ENTRY = f"{PACKAGE}.api.calls"


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join((PACKAGE, *parts))


MODULES = {_module_name(p): p for p in sorted(ROOT.rglob("*.py"))}


def _imports(path: Path) -> set[str]:
    """Every fake module this file imports, wherever the import sits (TYPE_CHECKING and functions included)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                candidate = f"{node.module}.{alias.name}"
                found.add(candidate if candidate in MODULES else node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name in MODULES and name != PACKAGE}


GRAPH = {name: _imports(path) for name, path in MODULES.items()}


def _layer(module: str) -> tuple[str, int]:
    first = module[len(PACKAGE) + 1 :].split(".")[0]
    return first, RANKS.get(first, TOP)


def test_every_subpackage_says_what_lives_there_and_what_it_may_import() -> None:
    for name in RANKS:
        if name == "errors":
            continue
        doc = __import__(f"{PACKAGE}.{name}", fromlist=["_"]).__doc__ or ""
        assert "May import" in doc, name


@pytest.mark.parametrize("module", sorted(GRAPH))
def test_imports_point_down_the_layers(module: str) -> None:
    package, rank = _layer(module)
    for target in GRAPH[module]:
        target_package, target_rank = _layer(target)
        if target_package == package or rank == TOP:
            continue
        assert target_rank < rank, f"{module} imports {target}: {package} may not import {target_package}"
        if package == "http" and target_package == "api":
            assert target == HTTP_ENTRY, f"{module} imports {target}: the HTTP face only calls {HTTP_ENTRY}"


def test_no_import_cycles() -> None:
    done: set[str] = set()

    def visit(module: str, path: list[str]) -> None:
        if module in path:
            cycle = [*path[path.index(module) :], module]
            pytest.fail("import cycle: " + " -> ".join(cycle))
        if module in done:
            return
        for target in sorted(GRAPH[module]):
            visit(target, [*path, module])
        done.add(module)

    for module in sorted(GRAPH):
        visit(module, [])


def _direct_imports(module: str) -> set[str]:
    return {target for target in GRAPH[module] if target != module}


@pytest.mark.parametrize("module", sorted(m for m in MODULES if _layer(m)[0] == "setup" or m == f"{PACKAGE}.core"))
def test_setup_and_fake_talon_call_the_backend_never_a_handler(module: str) -> None:
    handlers = sorted(t for t in _direct_imports(module) if _layer(t)[0] == "api")
    assert not handlers, f"{module} imports {handlers}: call the service in {PACKAGE}.backend instead"


@pytest.mark.parametrize("module", sorted(m for m in MODULES if _layer(m)[0] == "backend"))
def test_the_backend_never_imports_the_handlers_or_the_http_face(module: str) -> None:
    above = sorted(t for t in _direct_imports(module) if _layer(t)[0] in ("api", "http", "setup"))
    assert not above, f"{module} imports {above}"


# ---- no state logic in the handlers -----------------------------------------------------------------------------
#
# The rule, for every module in fake/api:
#
# 1. From the layers that hold or change state (fake.state, fake.engine, fake.campaigns) it imports only classes - the
#    record and declaration types, for annotations and isinstance -, immutable constants and the pure value
#    conversions in PURE_HELPERS; never a function that reads or writes the state (those are the backend's).
# 2. It writes only to objects it made itself: every assignment, augmented assignment or ``del`` of an attribute
#    or item, and every call of a mutating method (MUTATORS) on one, has for its root ``self``, a name bound by
#    ``except ... as``, or a name the same function (or the module) binds to a new container (a display, a
#    comprehension or ``dict()``/``list()``/``set()``). Records reached through the Application, the call or a
#    service's result are never written.
# 3. It calls no method of the Application that changes it (every public method but APPLICATION_READERS).

STATE_LAYERS = ("state", "engine", "campaigns")
#: Value conversions with no state: Decimal/number for the wire.
PURE_HELPERS = {f"{PACKAGE}.engine.context.dec", f"{PACKAGE}.engine.context.number"}
MUTATORS = {"append", "extend", "insert", "remove", "pop", "popitem", "clear", "update", "setdefault", "add", "discard"}
APPLICATION_READERS = {"now", "has_sessions", "counters"}
API_MODULES = sorted(m for m in MODULES if _layer(m)[0] == "api")
_NEW_CONTAINERS = (ast.Dict, ast.List, ast.Set, ast.DictComp, ast.ListComp, ast.SetComp)
_CONTAINER_TYPES = ("dict", "list", "set")
_IMMUTABLE = (frozenset, tuple, str, int, float, Decimal)


def _application_mutators() -> set[str]:
    from pytest_talon.fake.state.application import Application

    return {
        name
        for name, member in inspect.getmembers(Application, inspect.isfunction)
        if not name.startswith("_") and name not in APPLICATION_READERS
    }


def _fresh_names(scope: ast.AST) -> set[str]:
    """Names ``scope`` binds to a new container, or by ``except ... as`` (not looking into nested functions)."""
    names: set[str] = set()
    todo = list(ast.iter_child_nodes(scope))
    while todo:
        node = todo.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            continue
        value = getattr(node, "value", None)
        fresh = isinstance(value, _NEW_CONTAINERS) or (
            isinstance(value, ast.Call)
            and isinstance(value.func, ast.Name)
            and value.func.id in ("dict", "list", "set")
        )
        if isinstance(node, ast.Assign) and fresh:
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and fresh and isinstance(node.target, ast.Name):
            names.add(node.target.id)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            names.add(node.name)
        todo.extend(ast.iter_child_nodes(node))
    return names


def _root(node: ast.expr) -> ast.expr:
    while isinstance(node, (ast.Attribute, ast.Subscript)):
        node = node.value
    return node


def _writes(tree: ast.Module) -> list[tuple[int, str]]:
    """(line, text) of every write through something the function did not make (rule 2)."""
    found: list[tuple[int, str]] = []
    module_fresh = _fresh_names(tree)

    def check(scope: ast.AST, fresh: set[str]) -> None:
        for node in ast.walk(scope):
            if node is not scope and isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                check(node, fresh | _fresh_names(node))
                continue
            targets: list[Any] = []
            if isinstance(node, ast.Assign):
                targets = [e for t in node.targets for e in (t.elts if isinstance(t, ast.Tuple) else [t])]
            elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
                targets = [node.target]
            elif isinstance(node, ast.Delete):
                targets = list(node.targets)
            elif (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in MUTATORS
                and isinstance(node.func.value, (ast.Attribute, ast.Subscript))
            ):
                targets = [node.func]
            for target in targets:
                if not isinstance(target, (ast.Attribute, ast.Subscript)):
                    continue
                root = _root(target)
                if not (isinstance(root, ast.Name) and (root.id == "self" or root.id in fresh)):
                    found.append((node.lineno, ast.unparse(target)))

    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            check(node, module_fresh | _fresh_names(node))
        elif isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    check(item, module_fresh | _fresh_names(item))
    return sorted(set(found))


@pytest.mark.parametrize("module", API_MODULES)
def test_handlers_import_no_state_logic(module: str) -> None:
    tree = ast.parse(MODULES[module].read_text())
    for node in ast.walk(tree):
        if not isinstance(node, ast.ImportFrom) or node.module is None or node.level:
            continue
        if node.module in MODULES and _layer(node.module)[0] in STATE_LAYERS:
            source = importlib.import_module(node.module)
            for alias in node.names:
                value = getattr(source, alias.name)
                qualified = f"{node.module}.{alias.name}"
                allowed = inspect.isclass(value) or isinstance(value, _IMMUTABLE) or qualified in PURE_HELPERS
                assert allowed, f"{module} imports {qualified}, not a class: call a service in {PACKAGE}.backend"
    modules = [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    assert not [m for m in modules if m in MODULES and _layer(m)[0] in STATE_LAYERS], module


@pytest.mark.parametrize("module", API_MODULES)
def test_handlers_write_no_state(module: str) -> None:
    writes = _writes(ast.parse(MODULES[module].read_text()))
    assert not writes, f"{module} writes through records it did not make (a service's job): {writes}"


@pytest.mark.parametrize("module", API_MODULES)
def test_handlers_call_no_application_mutator(module: str) -> None:
    mutators = _application_mutators()
    calls = [
        (node.lineno, ast.unparse(node.func))
        for node in ast.walk(ast.parse(MODULES[module].read_text()))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in mutators
    ]
    assert not calls, f"{module} changes the Application directly: {calls}"


def test_the_state_logic_rule_catches_what_it_forbids() -> None:
    tree = ast.parse(
        "def handler(app, call):\n"
        "    out = {}\n"
        "    out['a'] = 1\n"
        "    rec = app.audiences[1]\n"
        "    rec.name = call.body.name\n"
        "    app.profiles['x'].attributes.update({})\n"
        "    try:\n"
        "        pass\n"
        "    except ValueError as exc:\n"
        "        exc.args = ()\n"
    )
    assert [text for _, text in _writes(tree)] == ["rec.name", "app.profiles['x'].attributes.update"]
    assert "record_event" in _application_mutators()
    assert "now" not in _application_mutators()


def test_public_names_are_pinned() -> None:
    assert pytest_talon.fake.__all__ == [
        "AchievementDef",
        "AddFreeItem",
        "AddLoyaltyPoints",
        "AddToAudience",
        "Always",
        "Balance",
        "CONDITION_KINDS",
        "Campaign",
        "CampaignEffect",
        "CampaignLimits",
        "CartSubtotal",
        "CompiledRuleset",
        "Condition",
        "CouponValid",
        "CreateCoupon",
        "CreateReferral",
        "CustomEffect",
        "DEFAULT_API_KEY",
        "DEFAULT_BASE_URL",
        "DeductLoyaltyPoints",
        "EFFECT_KINDS",
        "EffectSpec",
        "EvaluationGroup",
        "EventType",
        "Explanation",
        "FakeClock",
        "FakeError",
        "FakeServerError",
        "FakeSetupError",
        "FakeTalon",
        "GROUP_MODES",
        "InAudience",
        "IncreaseAchievementProgress",
        "ItemAttribute",
        "ItemCategory",
        "ItemQuantity",
        "ItemSku",
        "LoopbackServer",
        "LoyaltyProgram",
        "ProfileAttribute",
        "RecordedRequest",
        "ReferralValid",
        "RemoveFromAudience",
        "ReserveCoupon",
        "Rule",
        "SessionAttribute",
        "SetDiscount",
        "SetDiscountPerAdditionalCost",
        "SetDiscountPerItem",
        "ShowNotification",
        "TalangError",
        "TierLevel",
        "TriggerWebhook",
        "UpdateAttribute",
        "compile_ruleset",
        "serve",
    ]
    for name in pytest_talon.fake.__all__:
        assert hasattr(pytest_talon.fake, name), name
