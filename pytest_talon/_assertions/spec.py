"""What an expected effect looks like: a known effect type plus fields (props or envelope) resolved to wire paths."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pytest_talon._assertions.compare import MISSING, check_choice, suggest, values_match
from pytest_talon._assertions.errors import AssertionUsageError
from pytest_talon.models import EFFECT_PROPS_BY_TYPE, KNOWN_EFFECT_TYPES, Effect

__all__ = ["EffectSpec", "Mismatch", "check_effect_type", "field_path", "get_path"]

__tracebackhide__ = True

#: Where a field lives in a wire effect: ``("campaignId",)`` or ``("props", "value")``.
FieldPath = tuple[str, ...]


@dataclass(frozen=True)
class Mismatch:
    """One expected field that a wire effect does not satisfy."""

    name: str
    expected: Any
    actual: Any


def check_effect_type(effect_type: object) -> str:
    """Return ``effect_type`` if it is a known effect type; otherwise raise, naming the closest known type."""
    if not isinstance(effect_type, str):
        raise AssertionUsageError(f"an effect type is a string such as 'setDiscount', got {effect_type!r}")
    check_choice("effect type", effect_type, KNOWN_EFFECT_TYPES)
    return effect_type


@functools.cache
def _envelope_index() -> dict[str, FieldPath]:
    index: dict[str, FieldPath] = {}
    for name, info in Effect.model_fields.items():
        if name not in ("props", "effect_type"):
            index[name] = index[info.alias or name] = (info.alias or name,)
    return index


@functools.cache
def _props_index(effect_type: str) -> dict[str, FieldPath]:
    index: dict[str, FieldPath] = {}
    for name, info in EFFECT_PROPS_BY_TYPE[effect_type].model_fields.items():
        index[name] = index[info.alias or name] = ("props", info.alias or name)
    return index


def field_path(effect_type: str, name: str) -> FieldPath:
    """The wire path of a field given by its Python or wire name; a prop wins over an envelope field."""
    props, envelope = _props_index(effect_type), _envelope_index()
    if name in props or name in envelope:
        return props.get(name) or envelope[name]
    close = suggest(name, [*props, *envelope])
    hint = f", did you mean {close!r}?" if close else ""
    known = sorted({path[-1] for path in props.values()})
    raise AssertionUsageError(
        f"unknown field {name!r} for effect type {effect_type!r}{hint} "
        f"Props: {', '.join(known) or '(none)'}; envelope fields: campaign_id, ruleset_id, rule_index, rule_name, "
        "triggered_by_coupon and the other Effect attributes."
    )


def get_path(effect: Mapping[str, Any], path: FieldPath) -> Any:
    """The value at ``path`` in a wire effect, or :data:`MISSING`."""
    current: Any = effect
    for key in path:
        if not isinstance(current, Mapping) or key not in current:
            return MISSING
        current = current[key]
    return current


class EffectSpec:
    """An expected effect: its type and some fields that must match (by Python or wire name), for
    :func:`~pytest_talon.assertions.assert_effects`. Example: ``EffectSpec("setDiscount", name="10% off")``."""

    def __init__(self, effect_type: str, /, **fields: Any) -> None:
        self.effect_type = check_effect_type(effect_type)
        self.fields: tuple[tuple[FieldPath, Any], ...] = tuple(
            (field_path(effect_type, name), value) for name, value in fields.items()
        )

    @classmethod
    def coerce(cls, item: object) -> EffectSpec:
        """Build a spec from an :class:`EffectSpec`, an effect type, a ``(type, {fields})`` pair or an effect dict."""
        if isinstance(item, EffectSpec):
            return item
        if isinstance(item, str):
            return cls(item)
        if isinstance(item, tuple) and len(item) == 2 and isinstance(item[1], Mapping):
            return cls(item[0], **item[1])
        if isinstance(item, Mapping):
            return cls._from_mapping(item)
        raise AssertionUsageError(
            f"cannot read an expected effect from {item!r}: use EffectSpec('setDiscount', value=10), "
            "an effect type, a (type, {fields}) pair or an effect dict with 'effectType'"
        )

    @classmethod
    def _from_mapping(cls, item: Mapping[str, Any]) -> EffectSpec:
        fields = {str(key): value for key, value in item.items() if key not in ("effectType", "effect_type", "props")}
        props = item.get("props") or {}
        if not isinstance(props, Mapping):
            raise AssertionUsageError(f"'props' of an expected effect must be a dict, got {props!r}")
        return cls(item.get("effectType", item.get("effect_type")), **{str(k): v for k, v in props.items()}, **fields)

    @property
    def prop_names(self) -> tuple[str, ...]:
        """The wire names of the props this spec checks, in the order given."""
        return tuple(path[-1] for path, _ in self.fields if path[0] == "props")

    def mismatches(self, effect: Mapping[str, Any]) -> list[Mismatch]:
        """Every expected field (the effect type first) that ``effect`` does not satisfy."""
        found: list[Mismatch] = []
        if effect.get("effectType") != self.effect_type:
            found.append(Mismatch("effectType", self.effect_type, effect.get("effectType", MISSING)))
        for path, expected in self.fields:
            actual = get_path(effect, path)
            if actual is MISSING or not values_match(expected, actual):
                found.append(Mismatch(path[-1], expected, actual))
        return found

    def matches(self, effect: Mapping[str, Any]) -> bool:
        """Whether ``effect`` has this type and satisfies every field."""
        return not self.mismatches(effect)

    def score(self, effect: Mapping[str, Any]) -> int:
        """How close ``effect`` comes: the same type counts more than all fields together."""
        type_points = len(self.fields) + 1 if effect.get("effectType") == self.effect_type else 0
        actual = [get_path(effect, path) for path, _ in self.fields]
        pairs = zip(self.fields, actual, strict=True)
        hits = [got is not MISSING and values_match(want, got) for (_, want), got in pairs]
        return type_points + sum(hits)

    def __repr__(self) -> str:
        fields = "".join(f", {path[-1]}={value!r}" for path, value in self.fields)
        return f"EffectSpec({self.effect_type!r}{fields})"
