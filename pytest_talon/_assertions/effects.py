"""``assert_effect``, ``assert_no_effect`` and ``assert_effects``: partial matching of effects by type and fields."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pydantic import ValidationError

from pytest_talon._assertions.errors import AssertionUsageError, TalonAssertionError
from pytest_talon._assertions.explain import explained
from pytest_talon._assertions.normalize import Wire, effects_of
from pytest_talon._assertions.render import closest, describe_spec, fmt, found_among
from pytest_talon._assertions.spec import EffectSpec
from pytest_talon.models import Effect

__all__ = ["assert_effect", "assert_effects", "assert_no_effect", "describe_effect", "fail", "to_model"]

__tracebackhide__ = True


def fail(*parts: str | Sequence[str]) -> TalonAssertionError:
    """An assertion error whose message is the given lines (strings or lists of lines) joined."""
    lines: list[str] = []
    for part in parts:
        lines.extend([part] if isinstance(part, str) else part)
    return TalonAssertionError("\n".join(lines))


def to_model(effect: Wire) -> Effect:
    """The wire effect as our :class:`~pytest_talon.models.Effect` (typed props)."""
    try:
        return Effect.model_validate(effect)
    except ValidationError as exc:
        raise TalonAssertionError(f"the matching effect does not fit the Effect schema: {exc}") from None


def describe_effect(effects: Sequence[Wire], index: int) -> str:
    """``#1 setDiscount (campaign 7, rule 'Summer sale')``."""
    effect = effects[index]
    where = f"campaign {fmt(effect.get('campaignId'))}, rule {fmt(effect.get('ruleName'))}"
    return f"#{index} {effect.get('effectType')} ({where})"


def _indices(indices: Sequence[int]) -> str:
    return ", ".join(f"#{i}" for i in indices)


@explained
def assert_effect(state: object, effect_type: str, /, *, count: int | None = None, **fields: Any) -> Effect:
    """Assert that ``state`` has an effect of ``effect_type`` whose props and envelope fields match ``fields``
    (snake_case or wire names, partial match); with ``count``, exactly that many. Returns the first match."""
    if count is not None and (isinstance(count, bool) or not isinstance(count, int) or count < 1):
        raise AssertionUsageError(f"count must be a positive int (use assert_no_effect for none), got {count!r}")
    spec = EffectSpec(effect_type, **fields)
    effects = effects_of(state)
    hits = [i for i, effect in enumerate(effects) if spec.matches(effect)]
    if hits and (count is None or len(hits) == count):
        return to_model(effects[hits[0]])
    if not hits:
        head = f"expected an effect {describe_spec(spec)}; found none"
        raise fail(head, found_among(effects, spec.prop_names), closest(spec, effects))
    head = f"expected exactly {count} effects {describe_spec(spec)}; found {len(hits)} ({_indices(hits)})"
    raise fail(head, found_among(effects, spec.prop_names))


@explained
def assert_no_effect(state: object, effect_type: str, /, **fields: Any) -> None:
    """Assert that no effect of ``effect_type`` in ``state`` matches ``fields`` (all of that type if none given)."""
    spec = EffectSpec(effect_type, **fields)
    effects = effects_of(state)
    hits = [i for i, effect in enumerate(effects) if spec.matches(effect)]
    if hits:
        head = f"expected no effect {describe_spec(spec)}; found {len(hits)} ({_indices(hits)})"
        raise fail(head, found_among(effects, spec.prop_names))


@explained
def assert_effects(state: object, expected: Iterable[object], /, *, ordered: bool = False) -> list[Effect]:
    """Assert that the effects of ``state`` are exactly ``expected`` (each an :class:`EffectSpec`, an effect type,
    a ``(type, {fields})`` pair or an effect dict), in any order unless ``ordered``. Returns them in that order."""
    specs = [EffectSpec.coerce(item) for item in expected]
    effects = effects_of(state)
    extra = tuple(dict.fromkeys(name for spec in specs for name in spec.prop_names))
    if ordered:
        problems = _ordered_problems(specs, effects)
        assignment = dict(enumerate(range(len(specs))))
    else:
        assignment = _assign(specs, effects)
        problems = _unordered_problems(specs, effects, assignment)
    if problems:
        kind = "list (ordered)" if ordered else "set"
        raise fail(f"effects differ from the expected {kind}:", problems, found_among(effects, extra))
    return [to_model(effects[assignment[i]]) for i in range(len(specs))]


def _assign(specs: Sequence[EffectSpec], effects: Sequence[Wire]) -> dict[int, int]:
    """A maximum matching of specs to effects (Kuhn's augmenting paths), as spec index -> effect index."""
    owner: dict[int, int] = {}

    def place(spec: int, seen: set[int]) -> bool:
        for index, effect in enumerate(effects):
            if index in seen or not specs[spec].matches(effect):
                continue
            seen.add(index)
            if index not in owner or place(owner[index], seen):
                owner[index] = spec
                return True
        return False

    for spec in range(len(specs)):
        place(spec, set())
    return {spec: index for index, spec in owner.items()}


def _unordered_problems(
    specs: Sequence[EffectSpec], effects: Sequence[Wire], assignment: Mapping[int, int]
) -> list[str]:
    free = [i for i in range(len(effects)) if i not in assignment.values()]
    lines: list[str] = []
    for number, spec in enumerate(specs):
        if number not in assignment:
            lines.append(f"  missing: {describe_spec(spec)}")
            lines.extend("    " + line for line in closest(spec, effects, free))
    lines.extend(f"  unexpected: {describe_effect(effects, i)}" for i in free)
    return lines


def _ordered_problems(specs: Sequence[EffectSpec], effects: Sequence[Wire]) -> list[str]:
    lines: list[str] = []
    for index in range(max(len(specs), len(effects))):
        if index >= len(specs):
            lines.append(f"  unexpected: {describe_effect(effects, index)}")
        elif index >= len(effects):
            lines.append(f"  #{index}: expected {describe_spec(specs[index])}, got nothing")
        elif not specs[index].matches(effects[index]):
            lines.append(f"  #{index}: expected {describe_spec(specs[index])}, got {effects[index].get('effectType')}")
            misses = specs[index].mismatches(effects[index])
            lines.extend(f"    {m.name}: expected {fmt(m.expected)}, got {fmt(m.actual)}" for m in misses)
    return lines
