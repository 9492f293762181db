"""The reader: Talang's JSON form compiled once, at load time, into a tree of nodes.

Everything that can be known without a session is checked here: unknown and unsupported functions, arity,
literal arguments of the wrong type, lambdas where none belongs, names nothing defines, effects outside a
rule's effects. Each refusal is a :class:`TalangError` naming the function and where it is in the rule.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from typing import Any

from pytest_talon.fake.talang.core import CORE_FUNCTIONS, UNSUPPORTED
from pytest_talon.fake.talang.errors import TalangError, TalangRuntimeError
from pytest_talon.fake.talang.lists import LIST_FUNCTIONS
from pytest_talon.fake.talang.nodes import Access, Call, FunctionSpec, KeyValues, Lambda, Literal, Node
from pytest_talon.fake.talang.product import PRODUCT_FUNCTIONS
from pytest_talon.fake.talang.times import TIME_FUNCTIONS
from pytest_talon.fake.talang.values import KINDS, as_kind, describe, from_json

__all__ = ["FUNCTIONS", "ROOTS", "compile_expression"]

#: Every function the fake runs: the public core, dates, and the product functions.
FUNCTIONS: Mapping[str, FunctionSpec] = {**CORE_FUNCTIONS, **LIST_FUNCTIONS, **TIME_FUNCTIONS, **PRODUCT_FUNCTIONS}

#: The names a rule can read without defining them.
ROOTS = frozenset({"Session", "Profile", "Event"})

_LITERAL_KINDS = {"decimal", "string", "boolean", "time", "list", "map"}


class _Compiler:
    def __init__(self, functions: Mapping[str, FunctionSpec], effects: bool) -> None:
        self.functions = functions
        self.effects = effects
        # function names are case-insensitive in the reference (weekDay is weekday)
        self.folded = {name.lower(): spec for name, spec in functions.items()}

    def expression(self, raw: Any, names: frozenset[str], where: str) -> Node:
        if raw is None or isinstance(raw, (bool, int, float, str)):
            return Literal(from_json(raw), where)
        if isinstance(raw, list) and raw and isinstance(raw[0], str):
            return self.call(raw, names, where)
        if isinstance(raw, list) and raw and isinstance(raw[0], list):
            raise TalangError(
                "a block [[param], body] belongs only where a function takes one (filter, map, every, ...)",
                where=where,
            )
        raise TalangError(f"{raw!r} is not an expression: use [function, argument, ...] or a literal", where=where)

    def call(self, raw: list[Any], names: frozenset[str], where: str) -> Node:
        name, args = raw[0], raw[1:]
        spec = self.spec(name, where)
        if spec.name == ".":
            return self.access(args, names, where)
        if spec.name == "kv":
            return self.key_values(args, names, where)
        args = self.fuse_binder(spec, args)
        self.check_arity(spec, len(args), where)
        compiled = tuple(self.argument(spec, i, arg, names, f"{where}[{i + 1}]") for i, arg in enumerate(args))
        return Call(spec, compiled, where)

    def spec(self, name: str, where: str) -> FunctionSpec:
        unsupported = next((known for known in UNSUPPORTED if known.lower() == name.lower()), None)
        if unsupported is not None and name not in self.functions:
            reason = UNSUPPORTED[unsupported]
            raise TalangError(f"function {name!r} is not supported by the fake: {reason}", function=name, where=where)
        spec = self.functions.get(name) or self.folded.get(name.lower())
        if spec is None:
            close = difflib.get_close_matches(name, list(self.functions), n=1, cutoff=0.8)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise TalangError(f"unknown function {name!r}{hint}", function=name, where=where)
        if spec.role == "effect" and not self.effects:
            raise TalangError(
                f"effect {name!r} is only allowed in a rule's effects, not here", function=name, where=where
            )
        return spec

    @staticmethod
    def fuse_binder(spec: FunctionSpec, args: list[Any]) -> list[Any]:
        # ["map", list, "x", body] is the same call as ["map", list, [["x"], body]]
        i = spec.binder
        if i is not None and len(args) == i + 2 and isinstance(args[i], str):
            return [*args[:i], [[args[i]], args[i + 1]]]
        return args

    @staticmethod
    def check_arity(spec: FunctionSpec, count: int, where: str) -> None:
        high = spec.max_args
        if spec.min_args <= count and (high is None or count <= high):
            return
        wanted = f"{spec.min_args}" if high == spec.min_args else f"{spec.min_args} to {high or 'any number of'}"
        raise TalangError(f"{spec.signature} takes {wanted} argument(s), got {count}", function=spec.name, where=where)

    def argument(self, spec: FunctionSpec, index: int, raw: Any, names: frozenset[str], where: str) -> Node | Lambda:
        kind = spec.kind_at(index)
        if kind == "lambda":
            return self.block(spec, raw, names, where)
        node = self.expression(raw, names, where)
        if isinstance(node, Literal) and kind in _LITERAL_KINDS:
            try:
                as_kind(node.value, kind, function=spec.name, position=index + 1)
            except TalangRuntimeError:
                raise TalangError(
                    f"{spec.name}: argument {index + 1} must be a {KINDS[kind]}, got {describe(node.value)}",
                    function=spec.name,
                    where=where,
                ) from None
        return node

    def block(self, spec: FunctionSpec, raw: Any, names: frozenset[str], where: str) -> Lambda:
        if not (
            isinstance(raw, list)
            and len(raw) == 2
            and isinstance(raw[0], list)
            and len(raw[0]) == 1
            and isinstance(raw[0][0], str)
        ):
            raise TalangError(
                f'{spec.name} takes a block [["Item"], body] here, got {raw!r:.80}', function=spec.name, where=where
            )
        param = raw[0][0]
        return Lambda(param, self.expression(raw[1], names | {param}, f"{where}[1]"))

    def access(self, args: list[Any], names: frozenset[str], where: str) -> Node:
        if not args:
            raise TalangError('.: name what to read, e.g. [".", "Session", "Total"]', function=".", where=where)
        root: str | Node
        if isinstance(args[0], str):
            root = args[0]
            if root not in names:
                known = ", ".join(sorted(names))
                raise TalangError(f".: {root!r} is not defined here (defined: {known})", function=".", where=where)
        else:
            root = self.expression(args[0], names, f"{where}[1]")
        keys = tuple(self.expression(k, names, f"{where}[{i + 2}]") for i, k in enumerate(args[1:]))
        return Access(root, keys, where)

    def key_values(self, args: list[Any], names: frozenset[str], where: str) -> Node:
        pairs = []
        for i, pair in enumerate(args):
            if not (isinstance(pair, list) and len(pair) == 2 and isinstance(pair[0], str)):
                raise TalangError(f"kv takes [key, expression] pairs, got {pair!r:.80}", function="kv", where=where)
            pairs.append((pair[0], self.expression(pair[1], names, f"{where}[{i + 1}][1]")))
        return KeyValues(tuple(pairs), where)


def compile_expression(
    raw: Any,
    *,
    names: frozenset[str] = ROOTS,
    where: str = "",
    effects: bool = False,
    functions: Mapping[str, FunctionSpec] = FUNCTIONS,
) -> Node:
    """Compile one Talang expression in its JSON form; ``names`` are the variables it may read.

    ``effects=True`` allows effect functions (only a rule's effects may produce intents).
    """
    return _Compiler(functions, effects).expression(raw, names, where)


def effect_expressions(raw: Any) -> Sequence[Any]:
    """A rule's ``effects`` as a list of expressions: it is either a list of them or a single one."""
    if isinstance(raw, list) and raw and isinstance(raw[0], str):
        return [raw]
    if isinstance(raw, list):
        return raw
    raise TalangError(f"effects must be an expression or a list of expressions, got {raw!r:.80}", where="effects")
