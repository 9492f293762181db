"""Product functions: conditions ask the engine through the context; effects record neutral intents."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from pytest_talon.fake.talang import (
    FUNCTIONS,
    PRODUCT_FUNCTIONS,
    Argument,
    Context,
    EffectIntent,
    Session,
    TalangError,
    TalangRuntimeError,
    compile_expression,
    compile_ruleset,
    effect_function,
    evaluate_expression,
)
from tests.talang._run import CART, CTX, run

D = Decimal
FIRST_ITEM = ["head", [".", "Session", "CartItems"]]

INTENTS: list[tuple[Any, dict[str, Any]]] = [
    (["setDiscount", "10% off", 5], {"name": "10% off", "value": D(5)}),
    (
        ["setDiscount", "Shipping", 5, "additionalCosts"],
        {"name": "Shipping", "value": D(5), "scope": "additionalCosts"},
    ),
    (["setDiscountPerItem", "Mug", 2.5, FIRST_ITEM], {"name": "Mug", "value": D("2.5"), "position": 0}),
    (["setDiscountPerItem", "Pan", 1, 2], {"name": "Pan", "value": D(1), "position": 2}),
    (
        ["setDiscountPerAdditionalCost", "Free shipping", "shipping", 4.99],
        {"name": "Free shipping", "additionalCost": "shipping", "value": D("4.99")},
    ),
    (["addLoyaltyPoints", 7, ["/", [".", "Session", "Total"], 10]], {"programId": 7, "value": D(5)}),
    (
        ["addLoyaltyPoints", 7, 10, "Bonus", "sub1"],
        {"programId": 7, "value": D(10), "name": "Bonus", "subLedgerId": "sub1"},
    ),
    (["deductLoyaltyPoints", 7, 20], {"programId": 7, "value": D(20)}),
    (["addFreeItem", "GIFT-1", "Free gift", 2], {"sku": "GIFT-1", "name": "Free gift", "desiredQuantity": 2}),
    (
        ["showNotification", "Hi", "Welcome back", "info"],
        {"title": "Hi", "body": "Welcome back", "notificationType": "info"},
    ),
    (["createCoupon"], {}),
    (["createCoupon", "THANKS-", 1], {"prefix": "THANKS-", "usageLimit": 1}),
    (["createReferral", "REF-"], {"prefix": "REF-"}),
    (
        ["customEffect", "crm", ["kv", ["tier", "gold"], ["points", 3]]],
        {"name": "crm", "payload": {"tier": "gold", "points": D(3)}},
    ),
    (["triggerWebhook", 12, "order-hook"], {"webhookId": 12, "webhookName": "order-hook"}),
    (["rejectCoupon", "CouponExpired"], {"rejectionReason": "CouponExpired"}),
]


@pytest.mark.parametrize(("expr", "args"), INTENTS, ids=[f"{e[0]}-{len(e)}" for e, _ in INTENTS])
def test_an_effect_records_an_intent_and_gives_null(expr: Any, args: dict[str, Any]) -> None:
    value, intents = run(expr, effects=True)
    assert value is None
    assert intents == [EffectIntent(expr[0], args)]


def test_every_effect_has_an_example() -> None:
    effects = {name for name, spec in PRODUCT_FUNCTIONS.items() if spec.role == "effect"}
    assert effects == {expr[0] for expr, _ in INTENTS}
    assert len(effects) == 12


@pytest.mark.parametrize(("coupon", "referral"), [(True, False), (False, True), (False, False)])
def test_conditions_ask_the_context(coupon: bool, referral: bool) -> None:
    ctx = Context(CART, coupon_is_valid=coupon, referral_is_valid=referral)
    assert run(["couponValid"], ctx) is coupon
    assert run(["referralValid"], ctx) is referral


def test_a_condition_gets_a_boolean_from_the_engine_or_fails() -> None:
    class Confused(Context):
        def coupon_valid(self) -> bool:
            return "yes"  # type: ignore[return-value]

    with pytest.raises(TalangRuntimeError, match="couponValid: the engine answered 'yes', not a Boolean"):
        run(["couponValid"], Confused(Session()))


@pytest.mark.parametrize(
    ("expr", "message"),
    [
        (["addLoyaltyPoints", 1.5, 10], r"programId must be a whole number, got 1.5"),
        (["setDiscountPerItem", "x", 1, ["kv", ["Sku", "A"]]], r"position: the Item has no Position"),
        (["setDiscountPerItem", "x", 1, "first"], r"position must be a Decimal, got String 'first'"),
        (["customEffect", "crm", ["list"]], r"customEffect: argument 2 must be a Map, got List"),
    ],
)
def test_a_bad_effect_argument_fails_at_run_time(expr: Any, message: str) -> None:
    with pytest.raises(TalangRuntimeError, match=message):
        run(expr, effects=True)


def test_effect_argument_literals_are_checked_at_load_time() -> None:
    with pytest.raises(TalangError, match="setDiscount: argument 2 must be a Decimal, got String '10%'"):
        compile_expression(["setDiscount", "x", "10%"], effects=True)


def test_the_table_is_pluggable() -> None:
    table = {
        **FUNCTIONS,
        "addStamp": effect_function("addStamp", Argument("card"), Argument("stamps", "decimal", integer=True)),
    }
    compiled = compile_ruleset(
        {"rules": [{"title": "t", "condition": True, "effects": [["addStamp", "c1", 2]]}]}, functions=table
    )
    assert compiled.intents(CTX) == [EffectIntent("addStamp", {"card": "c1", "stamps": 2})]
    node = compile_expression(["addStamp", "c1", 1], effects=True, functions=table)
    assert evaluate_expression(node, CTX)[1][0].kind == "addStamp"


def test_optional_parameters_must_come_last() -> None:
    with pytest.raises(ValueError, match="optional parameters must come last"):
        effect_function("bad", Argument("a", optional=True), Argument("b"))
