"""Talon.One's product functions in Talang: conditions that ask the engine, effects that record an intent.

Their argument lists are not published (only ``setDiscount(name, value)`` appears in public examples). The
signatures below follow the matching ``*EffectProps`` schema of the Integration API; every one marked INF is
our choice (docs/fidelity.md). An effect gives Null and appends an :class:`EffectIntent` whose ``args`` use the
schema's property names: Decimals for money and points, ints for ids, counts and positions.

The table is pluggable: :data:`PRODUCT_FUNCTIONS` maps a name to its :class:`FunctionSpec`;
:func:`effect_function` builds the spec of a further effect from its parameters.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from pytest_talon.fake.talang.context import EvalContext
from pytest_talon.fake.talang.errors import TalangRuntimeError
from pytest_talon.fake.talang.nodes import EffectIntent, Frame, FunctionSpec
from pytest_talon.fake.talang.values import describe, format_decimal

__all__ = ["PRODUCT_FUNCTIONS", "Argument", "condition_function", "effect_function"]


@dataclass(frozen=True)
class Argument:
    """One parameter of a product effect: its property name in the intent, kind, and whether it is an int id."""

    name: str
    kind: str = "string"
    optional: bool = False
    integer: bool = False
    position: bool = False


def _integer(value: Decimal, name: str) -> int:
    if value != value.to_integral_value():
        raise TalangRuntimeError(f"{name} must be a whole number, got {format_decimal(value)}")
    return int(value)


def _argument(param: Argument, value: object) -> object:
    if param.position and isinstance(value, dict):  # an Item: its position in the cart
        value = value.get("Position")
        if not isinstance(value, Decimal):
            raise TalangRuntimeError(f"{param.name}: the Item has no Position")
    if param.integer or param.position:
        if not isinstance(value, Decimal):
            raise TalangRuntimeError(f"{param.name} must be a Decimal, got {describe(value)}")
        return _integer(value, param.name)
    return value


def effect_function(name: str, *params: Argument, summary: str = "") -> FunctionSpec:
    """The spec of an effect ``name(params...)`` that records ``EffectIntent(name, {param.name: value})``."""
    optional = sum(1 for p in params if p.optional)
    if any(p.optional for p in params[: len(params) - optional]):
        raise ValueError(f"{name}: optional parameters must come last")

    def effect(frame: Frame, args: Sequence[Any]) -> object:
        values = {param.name: _argument(param, value) for param, value in zip(params, args, strict=False)}
        frame.run.intents.append(EffectIntent(name, values))
        return None

    kinds = tuple("any" if p.position else p.kind for p in params)
    return FunctionSpec(name, effect, kinds, optional=optional, role="effect", summary=summary)


def condition_function(name: str, ask: Callable[[EvalContext], bool], summary: str) -> FunctionSpec:
    """The spec of a condition ``name()`` whose value is the engine's answer ``ask(ctx)``."""

    def condition(frame: Frame, args: Sequence[Any]) -> object:
        answer = ask(frame.run.ctx)
        if not isinstance(answer, bool):
            raise TalangRuntimeError(f"the engine answered {answer!r}, not a Boolean")
        return answer

    return FunctionSpec(name, condition, role="condition", summary=summary)


_NAME = Argument("name")
_VALUE = Argument("value", "decimal")
_POINTS = (
    Argument("programId", "decimal", integer=True),
    _VALUE,
    Argument("name", optional=True),
    Argument("subLedgerId", optional=True),
)
_CODES = (Argument("prefix", optional=True), Argument("usageLimit", "decimal", optional=True, integer=True))

#: The product functions, by name: two conditions and twelve effects.
PRODUCT_FUNCTIONS: dict[str, FunctionSpec] = {
    spec.name: spec
    for spec in (
        condition_function(
            "couponValid", lambda ctx: ctx.coupon_valid(), "True when the session's coupon is valid in this campaign."
        ),
        condition_function(
            "referralValid",
            lambda ctx: ctx.referral_valid(),
            "True when the session's referral code is valid in this campaign.",
        ),
        effect_function(
            "setDiscount",
            _NAME,
            _VALUE,
            Argument("scope", optional=True),
            summary="A session discount (name, value); the optional scope is INF.",
        ),
        effect_function(
            "setDiscountPerItem",
            _NAME,
            _VALUE,
            Argument("position", position=True),
            summary="A discount on one cart item: (name, value, Item or its position) (INF).",
        ),
        effect_function(
            "setDiscountPerAdditionalCost",
            _NAME,
            Argument("additionalCost"),
            _VALUE,
            summary="A discount on an additional cost: (name, additionalCost, value) (INF).",
        ),
        effect_function(
            "addLoyaltyPoints",
            *_POINTS,
            summary="Points for the customer: (programId, value, name?, subLedgerId?) (INF).",
        ),
        effect_function(
            "deductLoyaltyPoints",
            *_POINTS,
            summary="Points spent by the customer: (programId, value, name?, subLedgerId?) (INF).",
        ),
        effect_function(
            "addFreeItem",
            Argument("sku"),
            _NAME,
            Argument("desiredQuantity", "decimal", optional=True, integer=True),
            summary="Tell the integration to add a free item: (sku, name, desiredQuantity?) (INF).",
        ),
        effect_function(
            "showNotification",
            Argument("title"),
            Argument("body"),
            Argument("notificationType", optional=True),
            summary="A notification for the customer: (title, body, notificationType?) (INF).",
        ),
        effect_function(
            "createCoupon",
            *_CODES,
            summary="Create a coupon for the customer: (prefix?, usageLimit?) (INF).",
        ),
        effect_function(
            "createReferral",
            *_CODES,
            summary="Create a referral code with the customer as advocate: (prefix?, usageLimit?) (INF).",
        ),
        effect_function(
            "customEffect",
            _NAME,
            Argument("payload", "map", optional=True),
            summary="A custom effect: (name, payload Map?), e.g. a payload built with kv (INF).",
        ),
        effect_function(
            "triggerWebhook",
            Argument("webhookId", "decimal", integer=True),
            Argument("webhookName", optional=True),
            summary="Report a webhook as triggered: (webhookId, webhookName?) (INF).",
        ),
        effect_function(
            "rejectCoupon",
            Argument("rejectionReason", optional=True),
            summary="Reject the coupon the rule is evaluated for: (rejectionReason?); no other effect fires (INF).",
        ),
    )
}
