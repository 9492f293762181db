"""Failure-message building blocks: compact values, the table of present effects and the closest-candidate diff.

Output is deterministic (response order, no memory addresses). Below verbosity 2 (``-vv``) tables stop after
:data:`MAX_ROWS` rows and cells after :data:`MAX_CELL` characters.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from pytest_talon._assertions.compare import MISSING
from pytest_talon._assertions.errors import get_verbosity
from pytest_talon._assertions.normalize import Wire
from pytest_talon._assertions.spec import EffectSpec
from pytest_talon.models import EFFECT_PROPS_BY_TYPE

__all__ = ["MAX_CELL", "MAX_ROWS", "closest", "describe_spec", "effects_table", "fmt", "found_among"]

__tracebackhide__ = True

#: Rows of an effects table shown without ``-vv``.
MAX_ROWS = 20
#: Characters of one table cell shown without ``-vv``.
MAX_CELL = 60

# The props that identify an effect at a glance; other types show their required props.
_KEY_PROPS: dict[str, tuple[str, ...]] = {
    "rejectCoupon": ("value", "rejectionReason"),
    "rejectReferral": ("value", "rejectionReason"),
    "setDiscount": ("name", "value"),
    "setDiscountPerItem": ("name", "value", "position", "subPosition"),
    "setDiscountPerAdditionalCost": ("name", "value", "additionalCost"),
    "setDiscountPerAdditionalCostPerItem": ("name", "value", "additionalCost", "position"),
    "addLoyaltyPoints": ("programId", "value"),
    "deductLoyaltyPoints": ("programId", "value"),
    "rollbackDiscount": ("name", "value", "cartItemPosition", "cartItemSubPosition"),
    "rollbackAddedLoyaltyPoints": ("programId", "value"),
    "rollbackDeductedLoyaltyPoints": ("programId", "value"),
    "showNotification": ("title",),
    "customEffect": ("name",),
}


def fmt(value: Any) -> str:
    """A compact, stable rendering of one value; integral floats print like ints (``10.0`` -> ``10``)."""
    if value is MISSING:
        return "<missing>"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, re.Pattern):
        return f"re.compile({value.pattern!r})"
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{key!r}: {fmt(item)}" for key, item in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(fmt(item) for item in value) + "]"
    return repr(value)


def _clip(text: str) -> str:
    if get_verbosity() >= 2 or len(text) <= MAX_CELL:
        return text
    return text[: MAX_CELL - 3] + "..."


def describe_spec(spec: EffectSpec) -> str:
    """``setDiscount with name='10% off', value=12.5`` (wire names)."""
    fields = ", ".join(f"{path[-1]}={fmt(value)}" for path, value in spec.fields)
    return spec.effect_type + (f" with {fields}" if fields else "")


def _key_props(effect_type: str, props: Mapping[str, Any]) -> list[str]:
    if effect_type in _KEY_PROPS:
        return list(_KEY_PROPS[effect_type])
    model = EFFECT_PROPS_BY_TYPE.get(effect_type)
    if model is None:
        return sorted(props)[:3]
    return [info.alias or name for name, info in model.model_fields.items() if info.is_required()][:3]


def _props_cell(effect: Wire, extra: Sequence[str]) -> str:
    raw = effect.get("props")
    props: Mapping[str, Any] = raw if isinstance(raw, Mapping) else {}
    names = _key_props(str(effect.get("effectType")), props)
    names += [name for name in extra if name not in names]
    return ", ".join(f"{name}={fmt(props[name])}" for name in names if name in props)


def _row(index: int, effect: Wire, extra: Sequence[str]) -> list[str]:
    rule = effect.get("ruleName")
    cells = [str(index), str(effect.get("effectType")), fmt(effect.get("campaignId", MISSING))]
    return [*cells, str(rule) if rule else "-", _props_cell(effect, extra)]


def effects_table(effects: Sequence[Wire], extra_props: Sequence[str] = ()) -> list[str]:
    """The present effects as aligned rows (``#``, type, campaign, rule, key props plus ``extra_props``)."""
    limit = len(effects) if get_verbosity() >= 2 else MAX_ROWS
    rows = [["#", "type", "campaign", "rule", "props"]]
    rows += [[_clip(cell) for cell in _row(i, effect, extra_props)] for i, effect in enumerate(effects[:limit])]
    widths = [max(len(row[col]) for row in rows) for col in range(len(rows[0]))]
    lines = ["  " + "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    if len(effects) > limit:
        lines.append(f"  ... {len(effects) - limit} more, use -vv to show all")
    return lines


def found_among(effects: Sequence[Wire], extra_props: Sequence[str] = ()) -> list[str]:
    """``among N effects:`` followed by the table, or a note that there were no effects at all."""
    if not effects:
        return ["the response has no effects"]
    noun = "effect" if len(effects) == 1 else "effects"
    return [f"got {len(effects)} {noun}:", *effects_table(effects, extra_props)]


def closest(spec: EffectSpec, effects: Sequence[Wire], candidates: Sequence[int] | None = None) -> list[str]:
    """The effect nearest to ``spec`` (among ``candidates``, default all) and how each differing field differs."""
    pool = list(range(len(effects))) if candidates is None else list(candidates)
    scored = [(spec.score(effects[i]), -i) for i in pool]
    if not scored or max(scored)[0] == 0:
        return []
    index = -max(scored)[1]
    effect = effects[index]
    head = f"closest: #{index} {effect.get('effectType')} (campaign {fmt(effect.get('campaignId', MISSING))}"
    lines = [head + f", rule {fmt(effect.get('ruleName', MISSING))})"]
    for miss in spec.mismatches(effect):
        lines.append(f"  {miss.name}: expected {_clip(fmt(miss.expected))}, got {_clip(fmt(miss.actual))}")
    return lines
