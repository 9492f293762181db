"""The compiled form of Talang: a tree of nodes built once at load time, and the frame it is evaluated in."""

from __future__ import annotations

import decimal
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pytest_talon.fake.talang.context import EvalContext
from pytest_talon.fake.talang.errors import TalangMissing, TalangRuntimeError
from pytest_talon.fake.talang.values import KINDS, as_kind, atom_text, describe

__all__ = [
    "Access",
    "Call",
    "EffectIntent",
    "Evaluation",
    "Frame",
    "KeyValues",
    "FunctionSpec",
    "Lambda",
    "Literal",
    "Node",
    "define",
]


@dataclass(frozen=True)
class EffectIntent:
    """An effect a rule asks for, before the engine turns it into a real effect: the Talang function name
    (``setDiscount``) and its arguments by the Integration API's property names (``{"name", "value"}``).

    Money and points are Decimal; ids, counts and positions are int; not hashable (``args`` is a dict).
    """

    kind: str
    args: dict[str, object]


@dataclass
class Evaluation:
    """The state one rule evaluation shares: the context, the entity Maps, the bindings and the intents so far."""

    ctx: EvalContext
    roots: dict[str, object]
    bindings: Mapping[str, Node] = field(default_factory=dict)
    cache: dict[str, object] = field(default_factory=dict)
    intents: list[EffectIntent] = field(default_factory=list)


@dataclass(frozen=True)
class Frame:
    """Where a node is evaluated: the shared :class:`Evaluation` and the lambda parameters in scope."""

    run: Evaluation
    local: Mapping[str, object] = field(default_factory=dict)

    def bind(self, name: str, value: object) -> Frame:
        """A frame with ``name`` bound to ``value`` (a lambda's parameter)."""
        return Frame(self.run, {**self.local, name: value})

    def lookup(self, name: str) -> object:
        """The value of a name: a lambda parameter, then a binding (evaluated once), then Session/Profile/Event."""
        if name in self.local:
            return self.local[name]
        run = self.run
        if name in run.bindings:
            if name not in run.cache:
                run.cache[name] = run.bindings[name].evaluate(Frame(run))
            return run.cache[name]
        if name in run.roots:
            return run.roots[name]
        raise TalangMissing(f"{name} is not set in this evaluation")


class Node:
    """A compiled Talang expression."""

    where: str = ""

    def evaluate(self, frame: Frame) -> object:
        """The value of this expression in ``frame``."""
        raise NotImplementedError


@dataclass(frozen=True)
class Literal(Node):
    """A JSON literal (a Decimal, String, Boolean or Null)."""

    value: object
    where: str = ""

    def evaluate(self, frame: Frame) -> object:
        """The literal itself."""
        return self.value


@dataclass(frozen=True)
class Lambda:
    """A block ``[["Item"], body]``: one parameter name and the body evaluated with it bound."""

    param: str
    body: Node

    def apply(self, frame: Frame, value: object) -> object:
        """The body's value with the parameter bound to ``value``."""
        return self.body.evaluate(frame.bind(self.param, value))


@dataclass(frozen=True)
class Access(Node):
    """``[".", root, key, ...]``: a name (or an expression's value), then Map keys or List indexes."""

    root: str | Node
    keys: tuple[Node, ...]
    where: str = ""

    def evaluate(self, frame: Frame) -> object:
        """Follow the path; a missing name, key or index raises :class:`TalangMissing`."""
        try:
            value = frame.lookup(self.root) if isinstance(self.root, str) else self.root.evaluate(frame)
            path = self.root if isinstance(self.root, str) else "(value)"
            for key_node in self.keys:
                key = key_node.evaluate(frame)
                value = _step(value, key, path)
                path = f"{path}.{key}"
        except TalangRuntimeError as error:
            error.where = error.where or self.where
            raise
        return value


def _step(value: object, key: object, path: str) -> object:
    if isinstance(value, dict):
        text = key if isinstance(key, str) else atom_text(key)  # a computed key reads by its text (the reference)
        if text is None:
            raise TalangRuntimeError(f".: {path} is a Map; its keys are texts, got {describe(key)}", function=".")
        if text not in value:
            raise TalangMissing(f"{path} has no {text!r}", function=".")
        return value[text]
    if isinstance(value, list) and isinstance(key, decimal.Decimal) and key == key.to_integral_value():
        if not 0 <= int(key) < len(value):
            raise TalangMissing(f"{path} has no item {key} (it has {len(value)})", function=".")
        return value[int(key)]
    raise TalangRuntimeError(f".: cannot read {key!r} from {path}, a {describe(value)}", function=".")


@dataclass(frozen=True)
class KeyValues(Node):
    """``["kv", [key, expression], ...]``: a Map built from pairs."""

    pairs: tuple[tuple[str, Node], ...]
    where: str = ""

    def evaluate(self, frame: Frame) -> object:
        """The Map of each key to its expression's value."""
        return {key: node.evaluate(frame) for key, node in self.pairs}


Impl = Callable[[Frame, Sequence[Any]], object]


@dataclass(frozen=True)
class FunctionSpec:
    """A Talang function: its name, parameter kinds (``decimal``, ``string``, ``time``, ``lambda``, ...) and body.

    ``rest`` is the kind of a repeatable last parameter, ``optional`` how many trailing ``params`` may be left
    out. A ``lazy`` function gets its argument nodes unevaluated (``and``, ``catch``); any other gets values
    checked against the kinds (lambdas as :class:`Lambda`). ``binder`` is the index of a lambda parameter that
    also accepts the ``name, body`` form (``["map", list, "x", body]``). ``role`` is ``core``, ``condition``
    or ``effect``; effects are refused outside a rule's effects.
    """

    name: str
    impl: Impl
    params: tuple[str, ...] = ()
    rest: str | None = None
    optional: int = 0
    lazy: bool = False
    binder: int | None = None
    role: str = "core"
    summary: str = ""

    @property
    def min_args(self) -> int:
        """The fewest arguments a call may have."""
        return len(self.params) - self.optional

    @property
    def max_args(self) -> int | None:
        """The most arguments a call may have (``None``: no limit)."""
        return None if self.rest is not None else len(self.params)

    def kind_at(self, index: int) -> str:
        """The kind of the argument at ``index`` (0-based)."""
        if index < len(self.params):
            return self.params[index]
        return self.rest or "any"

    @property
    def signature(self) -> str:
        """``name(Kind, Kind...)`` as the reference writes it."""
        kinds = [KINDS[k] + ("?" if i >= self.min_args else "") for i, k in enumerate(self.params)]
        if self.rest is not None:
            kinds.append(KINDS[self.rest] + "...")
        return f"{self.name}({', '.join(kinds)})"


@dataclass(frozen=True)
class Call(Node):
    """A call ``[name, arg, ...]`` of a :class:`FunctionSpec`."""

    spec: FunctionSpec
    args: tuple[Node | Lambda, ...]
    where: str = ""

    def evaluate(self, frame: Frame) -> object:
        """Evaluate the arguments (unless lazy), check their kinds and run the function."""
        spec = self.spec
        try:
            if spec.lazy:
                return spec.impl(frame, self.args)
            values = [
                arg
                if isinstance(arg, Lambda)
                else as_kind(arg.evaluate(frame), spec.kind_at(i), function=spec.name, position=i + 1)
                for i, arg in enumerate(self.args)
            ]
            return spec.impl(frame, values)
        except TalangRuntimeError as error:
            if error.function is None:
                error.function = spec.name
                error.message = f"{spec.name}: {error.message}"
            error.where = error.where or self.where
            raise
        except decimal.DecimalException as error:
            raise TalangRuntimeError(
                f"{spec.name}: {type(error).__name__.lower()}", function=spec.name, where=self.where
            ) from None


def define(
    table: dict[str, FunctionSpec],
    name: str,
    *params: str,
    rest: str | None = None,
    optional: int = 0,
    lazy: bool = False,
    binder: int | None = None,
    role: str = "core",
) -> Callable[[Impl], Impl]:
    """Decorator: add the decorated implementation to ``table`` as ``name`` (its docstring is the summary)."""

    def register(impl: Impl) -> Impl:
        table[name] = FunctionSpec(
            name, impl, params, rest, optional, lazy, binder, role, (impl.__doc__ or "").strip().split("\n")[0]
        )
        return impl

    return register
