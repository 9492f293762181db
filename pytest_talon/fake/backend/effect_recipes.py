"""Learned effect recipes, a speed device: effects go out without pydantic once their shape is known. They cut 6%
to 7% of ``talon-fake serve``'s CPU per request in P3's scenario (three effects per answer;
``python -m bench.bench_devices``, bench/README.md).

An effect is validated and dumped by ``Effect`` the first time its shape is seen in the process; what ``Effect`` did
to it, when it depends on the types alone, is kept as a recipe and replayed for later effects of that shape. The
table is the process's, not an Application's: a recipe depends on the models alone, and a suite's fresh fake per
test would otherwise learn every shape anew, which costs more than the pydantic path it replaces (about 3% of P6's
fake-mode suite, bench/README.md).
"""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from typing import Any

from pytest_talon import models
from pytest_talon.fake.state.compact import JSON_SCALARS

__all__ = ["effects_wire"]


def effects_wire(effects: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The engine's effects as ``Effect`` sends them (props typed by effect type: ``0.0`` where a number is a float,
    keys in the model's order).

    An effect is validated and dumped by ``Effect`` the first time its shape (effect type, keys and value types) is
    seen. When every value is a JSON scalar and every field it fills is typed as one (``str``, ``int``, ``float``,
    ``bool``, optional or ``Any``), what ``Effect`` does to it depends on the types alone: the keys' order and
    ints turned into floats. That recipe is kept for the shape (checked against the dump) and replayed for later
    effects of the shape, which skips pydantic on the answer's hottest list.
    """
    recipes = _RECIPES
    out: list[dict[str, Any]] = []
    for effect in effects:
        shape = _shape(effect)
        recipe = recipes.get(shape) if shape is not None else None
        if recipe is not None:
            out.append(recipe.apply(effect))
            continue
        wire = models.Effect.wire_list([effect])[0]
        if shape is not None and len(recipes) < _MAX_RECIPES:
            learned = _Recipe.learn(effect, wire)
            if learned is not None:
                recipes[shape] = learned
        out.append(wire)
    return out


#: The process's recipes, by effect shape (derived from the models alone: every Application replays them).
_RECIPES: dict[tuple[Any, ...], _Recipe] = {}
#: How many shapes the process learns (bounded: shapes repeat).
_MAX_RECIPES = 4096
_SCALAR_OR_DICT = JSON_SCALARS | {dict}


def _shape(effect: dict[str, Any]) -> tuple[Any, ...] | None:
    """The effect type, keys and value types of an effect whose values (props' too) are JSON scalars, else None."""
    props = effect.get("props")
    if type(props) is not dict:
        return None
    outer = tuple(map(type, effect.values()))
    inner = tuple(map(type, props.values()))
    if not _SCALAR_OR_DICT.issuperset(outer) or not JSON_SCALARS.issuperset(inner) or outer.count(dict) != 1:
        return None
    return (effect.get("effectType"), tuple(effect), outer, tuple(props), inner)


@dataclasses.dataclass(frozen=True)
class _Recipe:
    """How ``Effect`` rewrites effects of one shape: the keys (``props`` among them) and the props' keys in wire
    order, and the keys whose ints become floats."""

    keys: tuple[str, ...]
    props_keys: tuple[str, ...]
    floats: frozenset[str]
    props_floats: frozenset[str]

    def apply(self, effect: dict[str, Any]) -> dict[str, Any]:
        props = effect["props"]
        wire_props = {k: float(props[k]) if k in self.props_floats else props[k] for k in self.props_keys}
        return {
            k: wire_props if k == "props" else float(effect[k]) if k in self.floats else effect[k] for k in self.keys
        }

    @classmethod
    def learn(cls, effect: dict[str, Any], wire: dict[str, Any]) -> _Recipe | None:
        """The recipe that turned ``effect`` into ``wire``, if its fields make it depend on types only."""
        props_model = models.EFFECT_PROPS_BY_TYPE.get(effect["effectType"])
        if not _scalar_fields(models.Effect, effect, "props") or (
            props_model is not None and not _scalar_fields(props_model, effect["props"], None)
        ):
            return None
        props, wire_props = effect["props"], wire.get("props")
        if not isinstance(wire_props, dict):
            return None
        recipe = cls(
            keys=tuple(wire),
            props_keys=tuple(wire_props),
            floats=frozenset(k for k, v in wire.items() if type(v) is float and type(effect.get(k)) is int),
            props_floats=frozenset(k for k, v in wire_props.items() if type(v) is float and type(props.get(k)) is int),
        )
        if _typed(recipe.apply(effect)) != _typed(wire):
            return None
        return recipe


def _scalar_fields(model: type[models.WireModel], data: dict[str, Any], skip: str | None) -> bool:
    """Whether every key of ``data`` (but ``skip``) names a field of ``model`` typed as a JSON scalar (or Any)."""
    fields = _fields_by_wire_name(model)
    return all(k == skip or (k in fields and _scalar_annotation(fields[k])) for k in data)


@functools.cache
def _fields_by_wire_name(model: type[models.WireModel]) -> dict[str, Any]:
    return {(info.alias or name): info.annotation for name, info in model.model_fields.items()}


def _scalar_annotation(annotation: Any) -> bool:
    if annotation is Any or annotation in JSON_SCALARS:
        return True
    args = typing.get_args(annotation)
    return typing.get_origin(annotation) in (typing.Union, types.UnionType) and all(
        a in JSON_SCALARS or a is type(None) for a in args
    )


def _typed(value: Any) -> Any:
    """``value`` with every scalar paired with its type, and key order kept: equal only when the JSON is the same."""
    if isinstance(value, dict):
        return [(k, _typed(v)) for k, v in value.items()]
    if isinstance(value, list):
        return [_typed(v) for v in value]
    return (type(value), value)
