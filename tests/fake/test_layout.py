"""The fake's layout: imports point one way between its subpackages, no module imports itself back, modules stay
small, and the public names of ``pytest_talon.fake`` stay as they are."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import pytest_talon.fake

ROOT = Path(pytest_talon.fake.__file__).parent
PACKAGE = "pytest_talon.fake"

#: Subpackages from the bottom up; a module may import its own subpackage and those ranked lower.
RANKS = {
    "errors": 0,
    "talang": 1,
    "rules": 2,
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


@pytest.mark.parametrize("module", sorted(MODULES))
def test_modules_stay_small(module: str) -> None:
    lines = MODULES[module].read_text().count("\n")
    assert lines <= 400, f"{module} has {lines} lines; split it by responsibility"


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
