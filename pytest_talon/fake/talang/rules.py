"""Rulesets: the Management API's ``{"rules": [...], "bindings": [...]}`` compiled once and evaluated per session."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from pytest_talon.fake.talang.compiler import FUNCTIONS, ROOTS, compile_expression, effect_expressions
from pytest_talon.fake.talang.context import EvalContext
from pytest_talon.fake.talang.errors import TalangError, TalangRuntimeError
from pytest_talon.fake.talang.nodes import (
    Access,
    Call,
    EffectIntent,
    Evaluation,
    Frame,
    FunctionSpec,
    KeyValues,
    Lambda,
    Node,
)
from pytest_talon.fake.talang.values import describe, shown

__all__ = [
    "CompiledRule",
    "CompiledRuleset",
    "RuleOutcome",
    "compile_ruleset",
    "evaluate_expression",
    "functions_in",
    "roots_of",
]


@dataclass(frozen=True)
class RuleOutcome:
    """What one rule gave for one evaluation: whether its condition held, and the intents of its effects."""

    title: str
    matched: bool
    intents: tuple[EffectIntent, ...] = ()
    #: When the condition is ``["and", c0, c1, ...]`` and did not hold: the index of the first ``ci`` that is false
    #: (the ``conditionIndex`` of a rule failure); 0 for any other condition that did not hold.
    failed_condition: int | None = None


@dataclass(frozen=True)
class CompiledRule:
    """One rule, compiled: title, condition, effects and its own bindings (name -> expression, in order)."""

    title: str
    condition: Node
    effects: tuple[Node, ...]
    bindings: tuple[tuple[str, Node], ...] = ()

    @property
    def functions(self) -> frozenset[str]:
        """The names of every function the rule's condition, effects and own bindings call."""
        nodes = (self.condition, *self.effects, *(node for _, node in self.bindings))
        return frozenset(name for node in nodes for name in functions_in(node))


@dataclass(frozen=True)
class CompiledRuleset:
    """A compiled ruleset; :meth:`evaluate` runs every rule against one context."""

    rules: tuple[CompiledRule, ...]
    bindings: tuple[tuple[str, Node], ...] = ()
    campaign: str | None = None
    #: The ruleset as it was given (JSON data), so a state snapshot can carry it and compile it again.
    source: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def evaluate(self, ctx: EvalContext) -> tuple[RuleOutcome, ...]:
        """Each rule's outcome, in order; a failure raises :class:`TalangRuntimeError` naming campaign and rule."""
        roots = roots_of(ctx)
        return tuple(self._rule(rule, ctx, roots) for rule in self.rules)

    def evaluate_rule(self, index: int, ctx: EvalContext) -> RuleOutcome:
        """The outcome of the rule at ``index`` alone (the engine evaluates rule by rule)."""
        return self._rule(self.rules[index], ctx, roots_of(ctx))

    def reasons(self, index: int, ctx: EvalContext) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
        """Why the rule at ``index`` held or not in ``ctx``, worked out again: the sub-expressions that held and those
        that made it false, each written back as Talang with its arguments' values
        (``[">=", [".", "Session", "Total"], 50]: 45.00 >= 50 -> false``).

        A condition that held gives every conjunct of an ``and`` and the disjunct of an ``or`` that held; one that did
        not gives the first false conjunct of an ``and`` (after the conjuncts that held before it) and every disjunct
        of an ``or``; ``not`` swaps the two. None when the condition fails at run time."""
        rule = self.rules[index]
        frame = Frame(Evaluation(ctx, roots_of(ctx), dict((*self.bindings, *rule.bindings))))
        try:
            condition = rule.condition
            if condition.evaluate(frame) is True:
                return tuple(_held(condition, frame)), ()
            held: list[str] = []
            if isinstance(condition, Call) and condition.spec.name == "and":
                for arg in _arguments(condition):
                    if arg.evaluate(frame) is not True:
                        return tuple(held), tuple(_false(arg, frame))
                    held += _held(arg, frame)
            return tuple(held), tuple(_false(condition, frame))
        except TalangError:
            return None

    def functions_of(self, index: int) -> frozenset[str]:
        """The functions the rule at ``index`` may call: its own and those of the ruleset's bindings."""
        shared = (name for _, node in self.bindings for name in functions_in(node))
        return self.rules[index].functions | frozenset(shared)

    def intents(self, ctx: EvalContext) -> list[EffectIntent]:
        """The intents of every matching rule, in rule order."""
        return [intent for outcome in self.evaluate(ctx) for intent in outcome.intents]

    def _rule(self, rule: CompiledRule, ctx: EvalContext, roots: dict[str, object]) -> RuleOutcome:
        run = Evaluation(ctx, roots, dict((*self.bindings, *rule.bindings)))
        frame = Frame(run)
        try:
            try:
                matched = rule.condition.evaluate(frame)
                if not isinstance(matched, bool):
                    raise TalangRuntimeError(
                        f"the condition gave {describe(matched)}, not a Boolean", where="condition"
                    )
            except TalangError as error:
                error.condition_index = _condition_at(rule.condition, error.where)
                raise
            if not matched:
                return RuleOutcome(rule.title, False, failed_condition=_failed_condition(rule.condition, frame))
            for index, effect in enumerate(rule.effects):
                try:
                    effect.evaluate(frame)
                except TalangError as error:
                    error.effect_index = index
                    raise
        except TalangError as error:
            raise error.add_context(campaign=self.campaign, rule=rule.title) from None
        return RuleOutcome(rule.title, matched, tuple(run.intents))


_AND_ARGUMENT = re.compile(r"condition\[(\d+)\]")


def _condition_at(condition: Node, where: str) -> int:
    """The ``conditionIndex`` of a failure at ``where``: the argument of a top-level ``and`` it is in, else 0."""
    found = _AND_ARGUMENT.match(where)
    if found is None or not isinstance(condition, Call) or condition.spec.name != "and":
        return 0
    return int(found.group(1)) - 1


def _failed_condition(condition: Node, frame: Frame) -> int:
    """The index of the first false argument of a top-level ``and`` (a List or Map argument counts as true)."""
    if not isinstance(condition, Call) or condition.spec.name != "and":
        return 0
    for index, arg in enumerate(condition.args):
        value = None if isinstance(arg, Lambda) else arg.evaluate(frame)
        if value is False:
            return index
    return 0


#: Functions an explanation writes between their two arguments.
_INFIX = frozenset({"=", "!=", "<", "<=", ">", ">=", "+", "-", "*", "/", "~"})


def _arguments(node: Call) -> list[Node]:
    return [a for a in node.args if not isinstance(a, Lambda)]


def _held(node: Node, frame: Frame) -> list[str]:
    """What made ``node`` (true) hold: every conjunct of an ``and``, the first disjunct of an ``or`` that held, why
    the argument of a ``not`` is false; else ``node`` itself with its values."""
    if isinstance(node, Call) and node.spec.name == "and":
        return [line for arg in _arguments(node) for line in _held(arg, frame)]
    if isinstance(node, Call) and node.spec.name == "or":
        inner = next((a for a in _arguments(node) if a.evaluate(frame) is True), None)
        if inner is not None:
            return _held(inner, frame)
    if isinstance(node, Call) and node.spec.name == "not":
        return [f"not {line}" for line in _false(_arguments(node)[0], frame)]
    return [_shown_call(node, frame)]


def _false(node: Node, frame: Frame) -> list[str]:
    """What made ``node`` false: the first false conjunct of an ``and``, every disjunct of an ``or``, why the argument
    of a ``not`` holds; else ``node`` itself with its values."""
    if isinstance(node, Call) and node.spec.name == "and":
        inner = next((a for a in _arguments(node) if a.evaluate(frame) is False), None)
        if inner is not None:
            return _false(inner, frame)
    if isinstance(node, Call) and node.spec.name == "or":
        return [line for arg in _arguments(node) for line in _false(arg, frame)]
    if isinstance(node, Call) and node.spec.name == "not":
        return [f"not {line}" for line in _held(_arguments(node)[0], frame)]
    return [_shown_call(node, frame)]


def _shown_call(node: Node, frame: Frame) -> str:
    """``node`` written back as Talang, the values of its arguments and its own value."""
    value = node.evaluate(frame)
    if isinstance(node, Call) and not node.spec.lazy:
        values = [shown(a.evaluate(frame)) for a in _arguments(node)]
        name = node.spec.name
        inputs = f" {name} ".join(values) if name in _INFIX and len(values) == 2 else f"{name}({', '.join(values)})"
        return f"{source(node)}: {inputs} -> {shown(value)}"
    return f"{source(node)} -> {shown(value)}"


def source(node: Node | Lambda) -> str:
    """A compiled expression written back as Talang JSON (``[">=", [".", "Session", "Total"], 50]``)."""
    return json.dumps(_source(node), separators=(", ", ": "))


def _source(node: Node | Lambda) -> object:
    if isinstance(node, Lambda):
        return [[node.param], _source(node.body)]
    if isinstance(node, Call):
        return [node.spec.name, *(_source(a) for a in node.args)]
    if isinstance(node, Access):
        root = node.root if isinstance(node.root, str) else _source(node.root)
        return [".", root, *(_source(k) for k in node.keys)]
    if isinstance(node, KeyValues):
        return ["kv", *([k, _source(v)] for k, v in node.pairs)]
    value = getattr(node, "value", None)
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value if isinstance(value, (str, bool, int, float)) or value is None else str(value)


def functions_in(node: Node | Lambda) -> Iterator[str]:
    """The names of the functions a compiled expression calls (depth first, with repeats)."""
    if isinstance(node, Lambda):
        yield from functions_in(node.body)
    elif isinstance(node, Call):
        yield node.spec.name
        for arg in node.args:
            yield from functions_in(arg)
    elif isinstance(node, Access):
        for child in (node.root, *node.keys):
            if isinstance(child, Node):
                yield from functions_in(child)
    elif isinstance(node, KeyValues):
        for _, child in node.pairs:
            yield from functions_in(child)


def roots_of(ctx: EvalContext) -> dict[str, object]:
    """The Maps a rule reads as ``Session``, ``Profile`` and ``Event`` (only those the context has)."""
    roots: dict[str, object] = {"Session": ctx.session.to_talang()}
    for name, entity in (("Profile", ctx.profile), ("Event", ctx.event)):
        if entity is not None:
            roots[name] = entity.to_talang()
    return roots


def evaluate_expression(node: Node, ctx: EvalContext) -> tuple[object, list[EffectIntent]]:
    """The value of one compiled expression in ``ctx`` and the intents it recorded (a REPL, or a test)."""
    run = Evaluation(ctx, roots_of(ctx))
    return node.evaluate(Frame(run)), run.intents


def _bindings(
    raw: Any, names: frozenset[str], where: str, functions: Mapping[str, FunctionSpec]
) -> tuple[tuple[tuple[str, Node], ...], frozenset[str]]:
    if raw is None:
        return (), names
    if not isinstance(raw, list):
        raise TalangError(f"must be a list of {{name, expression}}, got {raw!r:.80}", where=where)
    compiled = []
    for i, binding in enumerate(raw):
        here = f"{where}[{i}]"
        name = binding.get("name") if isinstance(binding, dict) else None
        if not isinstance(name, str) or not name or "expression" not in binding:
            raise TalangError(f"a binding needs a name and an expression, got {binding!r:.80}", where=here)
        if name in ROOTS:
            raise TalangError(f"a binding may not be called {name!r}", where=here)
        compiled.append((name, compile_expression(binding["expression"], names=names, where=here, functions=functions)))
        names = names | {name}  # later bindings and the rules may read it
    return tuple(compiled), names


def _rule(raw: Any, index: int, names: frozenset[str], functions: Mapping[str, FunctionSpec]) -> CompiledRule:
    if not isinstance(raw, dict) or not isinstance(raw.get("title"), str):
        raise TalangError(f"rules[{index}] needs a title, a condition and effects, got {raw!r:.80}")
    title = raw["title"]
    try:
        for key in ("condition", "effects"):
            if key not in raw:
                raise TalangError(f"{key} is missing")
        bindings, names = _bindings(raw.get("bindings"), names, "bindings", functions)
        condition = compile_expression(raw["condition"], names=names, where="condition", functions=functions)
        effects = tuple(
            compile_expression(e, names=names, where=f"effects[{i}]", effects=True, functions=functions)
            for i, e in enumerate(effect_expressions(raw["effects"]))
        )
    except TalangError as error:
        raise error.add_context(rule=title) from None
    return CompiledRule(title, condition, effects, bindings)


def compile_ruleset(
    raw: Mapping[str, Any], *, campaign: str | int | None = None, functions: Mapping[str, FunctionSpec] = FUNCTIONS
) -> CompiledRuleset:
    """Compile a Management API ruleset ``{"rules": [...], "bindings": [...]}`` (extra keys are ignored).

    Raises :class:`TalangError` naming the campaign, the rule and the function for anything the fake cannot run.
    """
    label = None if campaign is None else str(campaign)
    try:
        if not isinstance(raw, Mapping) or not isinstance(raw.get("rules"), list):
            raise TalangError(f"a ruleset is {{'rules': [...], 'bindings': [...]}}, got {raw!r:.80}")
        bindings, names = _bindings(raw.get("bindings"), ROOTS, "ruleset bindings", functions)
        rules = tuple(_rule(rule, i, names, functions) for i, rule in enumerate(raw["rules"]))
    except TalangError as error:
        raise error.add_context(campaign=label) from None
    return CompiledRuleset(rules, bindings, label, copy.deepcopy(dict(raw)))
