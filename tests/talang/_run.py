"""Evaluate one Talang expression against a context, the way a rule's condition would be."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pytest_talon.fake.talang import (
    Context,
    EvalContext,
    Item,
    Profile,
    Session,
    compile_expression,
    evaluate_expression,
)

CART = Session(
    total=Decimal(50),
    cart_items=(
        Item("MUG-1", Decimal(2), Decimal(10), category="Kitchen", position=0, attributes={"c_productType": "mug"}),
        Item(
            "CARD-1", Decimal(1), Decimal(25), category="Gifts", position=1, attributes={"c_productType": "egiftcard"}
        ),
        Item("PAN-1", Decimal(1), Decimal(5), category="Kitchen", position=2),
    ),
    coupon_codes=("SUMMER",),
    attributes={"channel": "web", "isFirst": True},
)
CTX = Context(CART, Profile("p1", {"tier": "gold", "age": 42, "joined": "2020-01-02T03:04:05Z"}))


def run(expr: Any, ctx: EvalContext = CTX, *, effects: bool = False) -> Any:
    """The value of ``expr`` (JSON form) in ``ctx``; with ``effects=True`` the value and the intents, as a pair."""
    value, intents = evaluate_expression(compile_expression(expr, effects=effects), ctx)
    return (value, intents) if effects else value
