"""Talang, the expression language Talon.One stores rules in: a reader, an interpreter and a Management API import.

``compile_ruleset(ruleset, campaign=...)`` checks and compiles a ruleset at load time;
``CompiledRuleset.evaluate(ctx)`` runs it against an :class:`EvalContext` (``Session``, ``Profile``, ``Event``,
the clock and the answers to ``couponValid``/``referralValid``) and gives each rule's :class:`EffectIntent` list.
This package does not depend on the rest of the fake; the engine maps intents onto its effects.

May import: :mod:`pytest_talon.fake.errors`, :mod:`pytest_talon.models` and :mod:`pytest_talon.errors` only.
"""

from __future__ import annotations

from pytest_talon.fake.talang.compiler import FUNCTIONS, ROOTS, compile_expression
from pytest_talon.fake.talang.context import Context, EvalContext, Event, Item, Profile, Session
from pytest_talon.fake.talang.core import UNSUPPORTED
from pytest_talon.fake.talang.errors import TalangError, TalangImportError, TalangMissing, TalangRuntimeError
from pytest_talon.fake.talang.nodes import EffectIntent, Evaluation, Frame, FunctionSpec, Node
from pytest_talon.fake.talang.product import PRODUCT_FUNCTIONS, Argument, condition_function, effect_function
from pytest_talon.fake.talang.rules import (
    CompiledRule,
    CompiledRuleset,
    RuleOutcome,
    compile_ruleset,
    evaluate_expression,
)

__all__ = [
    "FUNCTIONS",
    "PRODUCT_FUNCTIONS",
    "ROOTS",
    "UNSUPPORTED",
    "CompiledRule",
    "CompiledRuleset",
    "Context",
    "EffectIntent",
    "EvalContext",
    "Evaluation",
    "Event",
    "Frame",
    "FunctionSpec",
    "Item",
    "Node",
    "Argument",
    "Profile",
    "RuleOutcome",
    "Session",
    "TalangError",
    "TalangImportError",
    "TalangMissing",
    "TalangRuntimeError",
    "compile_expression",
    "compile_ruleset",
    "condition_function",
    "effect_function",
    "evaluate_expression",
]
