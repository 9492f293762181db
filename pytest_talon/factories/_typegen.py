"""Type-driven generation: turn a model field's annotation and constraints into a value generator.

Used for required fields a factory does not declare, so a new model field never makes a factory fail.
"""

from __future__ import annotations

import types
import typing
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Literal, Union

import annotated_types as at
from pydantic.fields import FieldInfo

from pytest_talon.factories._context import GenContext
from pytest_talon.factories._errors import FactoryError
from pytest_talon.models import WireModel

__all__ = ["FieldShape", "Generator", "compile_type", "field_shape"]

#: Draws one value from a context.
Generator = Callable[[GenContext], Any]
#: Builds one nested model (resolved through the factory registry).
ModelBuilder = Callable[[type[WireModel], GenContext], Any]


@dataclass(frozen=True)
class FieldShape:
    """What a field holds, as far as overrides care: a plain value, one model, a list or a map of models."""

    kind: Literal["plain", "model", "model_list", "model_map"]
    model: type[WireModel] | None = None


@dataclass(frozen=True)
class _Bounds:
    low: float | None = None
    high: float | None = None
    min_len: int | None = None
    max_len: int | None = None


def _strip(annotation: Any) -> tuple[Any, list[Any]]:
    """Remove ``Optional`` and ``Annotated`` layers; return the bare type and the constraint objects."""
    constraints: list[Any] = []
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation, *extra = typing.get_args(annotation)
            for item in extra:
                constraints.extend(item.metadata if isinstance(item, FieldInfo) else [item])
        elif origin in (Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = args[0]
        else:
            return annotation, constraints


def _bounds(constraints: list[Any]) -> _Bounds:
    low = high = None
    min_len = max_len = None
    for item in constraints:
        if isinstance(item, (at.Ge, at.Gt)):
            low = float(item.ge if isinstance(item, at.Ge) else item.gt + 1)  # type: ignore[operator,arg-type]
        elif isinstance(item, (at.Le, at.Lt)):
            high = float(item.le if isinstance(item, at.Le) else item.lt - 1)  # type: ignore[operator,arg-type]
        elif isinstance(item, at.MinLen):
            min_len = item.min_length
        elif isinstance(item, at.MaxLen):
            max_len = item.max_length
    return _Bounds(low, high, min_len, max_len)


def field_shape(info: FieldInfo) -> FieldShape:
    """Classify a model field for nested overrides."""
    bare, _ = _strip(info.annotation)
    origin, args = typing.get_origin(bare), typing.get_args(bare)
    if isinstance(bare, type) and issubclass(bare, WireModel):
        return FieldShape("model", bare)
    if origin is list and args:
        item, _ = _strip(args[0])
        if isinstance(item, type) and issubclass(item, WireModel):
            return FieldShape("model_list", item)
    if origin is dict and len(args) == 2:
        item, _ = _strip(args[1])
        if isinstance(item, type) and issubclass(item, WireModel):
            return FieldShape("model_map", item)
    return FieldShape("plain")


def _string(bounds: _Bounds) -> Generator:
    low, high = bounds.min_len or 1, bounds.max_len or 40

    def gen(ctx: GenContext) -> str:
        text = f"{ctx.talon.item_category()}-{ctx.talon._hex(8)}"[:high]
        return text.ljust(low, "x")

    return gen


def _number(bounds: _Bounds, integer: bool) -> Generator:
    low = bounds.low if bounds.low is not None else (1.0 if integer else 0.0)
    high = bounds.high if bounds.high is not None else max(low, 1000.0)
    if integer:
        return lambda ctx: ctx.random.randint(int(low), int(high))
    return lambda ctx: ctx.talon.amount(low, high)


def _scalar(bare: Any, bounds: _Bounds) -> Generator | None:
    simple: dict[Any, Generator] = {
        bool: lambda ctx: ctx.random.random() < 0.5,
        datetime: lambda ctx: ctx.now - timedelta(days=ctx.random.randint(0, 365)),
        date: lambda ctx: (ctx.now - timedelta(days=ctx.random.randint(0, 365))).date(),
        uuid.UUID: lambda ctx: ctx.talon.talon_uuid(),
        Any: lambda ctx: ctx.talon.item_category(),
    }
    if bare in simple:
        return simple[bare]
    if bare is str:
        return _string(bounds)
    if bare in (int, float):
        return _number(bounds, bare is int)
    return None


def compile_type(annotation: Any, build_model: ModelBuilder, where: str, constraints: Sequence[Any] = ()) -> Generator:
    """Compile ``annotation`` (plus a field's own ``constraints``) into a generator; nested models are built
    with ``build_model``."""
    bare, inner = _strip(annotation)
    bounds = _bounds([*constraints, *inner])
    origin, args = typing.get_origin(bare), typing.get_args(bare)
    scalar = _scalar(bare, bounds)
    if scalar is not None:
        return scalar
    if origin is Literal:
        return lambda ctx: ctx.random.choice(args)
    if isinstance(bare, type) and issubclass(bare, WireModel):
        model = bare
        return lambda ctx: build_model(model, ctx)
    if origin is list:
        item = compile_type(args[0] if args else Any, build_model, where)
        low, high = bounds.min_len or 1, min(bounds.max_len or 2, 2)
        return lambda ctx: [item(ctx) for _ in range(ctx.random.randint(low, max(low, high)))]
    if origin is dict:
        if len(args) < 2 or args[1] is Any:
            return lambda ctx: {}
        value = compile_type(args[1], build_model, where)
        return lambda ctx: {ctx.talon.item_category(): value(ctx)}
    raise FactoryError(f"cannot generate a value of type {annotation!r} for {where}; declare the field explicitly")
