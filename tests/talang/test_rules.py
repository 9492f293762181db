"""Rulesets as the Management API returns them: the spec's own examples, bindings, and what a rule yields."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from pytest_talon.fake.talang import (
    CompiledRuleset,
    Context,
    EffectIntent,
    Event,
    Profile,
    RuleOutcome,
    Session,
    compile_ruleset,
)
from tests.talang._run import CART, CTX

SPEC_EFFECT = ["catch", ["noop"], ["setDiscount", "10% off", ["*", [".", "Session", "Total"], ["/", 10, 100]]]]
KITCHEN = [
    "filter",
    [".", "Session", "CartItems"],
    [["Item"], ["catch", False, ["=", [".", "Item", "Category"], "Kitchen"]]],
]


def ruleset(*rules: dict[str, Any], bindings: list[dict[str, Any]] | None = None) -> CompiledRuleset:
    return compile_ruleset({"rules": list(rules), "bindings": bindings or []}, campaign="Summer")


def rule(condition: Any, effects: Any, **extra: Any) -> dict[str, Any]:
    return {"title": extra.pop("title", "r"), "condition": condition, "effects": effects, **extra}


def test_the_specs_example_rule_gives_a_5_discount_on_a_cart_of_50() -> None:
    compiled = ruleset(rule(["and", ["couponValid"]], SPEC_EFFECT, title="10% off"))
    ctx = Context(Session(total=Decimal(50)), coupon_is_valid=True)
    (outcome,) = compiled.evaluate(ctx)
    assert outcome == RuleOutcome(
        "10% off", True, (EffectIntent("setDiscount", {"name": "10% off", "value": Decimal(5)}),)
    )
    assert isinstance(outcome.intents[0].args["value"], Decimal)


def test_the_specs_example_rule_does_nothing_without_a_valid_coupon() -> None:
    compiled = ruleset(rule(["and", ["couponValid"]], SPEC_EFFECT))
    assert compiled.intents(Context(Session(total=Decimal(50)))) == []


def test_effects_as_a_list_of_expressions_as_in_the_sdks_live_tests() -> None:
    compiled = ruleset(rule(["and", True], [["setDiscount", "Free money", 45.55]]))
    assert compiled.intents(CTX) == [EffectIntent("setDiscount", {"name": "Free money", "value": Decimal("45.55")})]


def test_a_cart_item_filter_counted_in_the_condition() -> None:
    compiled = ruleset(
        rule([">=", ["count", KITCHEN], 2], [["setDiscount", "Kitchen", 3]], title="two kitchen items"),
        rule([">=", ["count", KITCHEN], 3], [["setDiscount", "More kitchen", 4]], title="three kitchen items"),
    )
    assert [o.matched for o in compiled.evaluate(CTX)] == [True, False]


def test_a_cart_item_filter_as_a_binding_of_type_cart_item_filter() -> None:
    kitchen = {"name": "kitchenItems", "type": "cartItemFilter", "expression": KITCHEN}
    not_gift = ["!=", [".", "Item", "Attributes", "c_productType"], "egiftcard"]
    compiled = ruleset(
        rule(
            ["exists", [".", "kitchenItems"], [["Item"], ["catch", True, not_gift]]],
            [["setDiscount", "Kitchen total", ["sum", [".", "kitchenItems"], "Item", [".", "Item", "Price"]]]],
        ),
        bindings=[kitchen],
    )
    assert compiled.intents(CTX)[0].args["value"] == Decimal(15)


def test_rule_bindings_can_read_ruleset_bindings_in_order() -> None:
    compiled = ruleset(
        rule(
            [">", [".", "doubled"], 100],
            [["setDiscount", "big", [".", "doubled"]]],
            bindings=[{"name": "doubled", "expression": ["*", [".", "total"], 2]}],
        ),
        bindings=[{"name": "total", "expression": [".", "Session", "Total"]}],
    )
    assert compiled.intents(Context(Session(total=Decimal(60)))) == [
        EffectIntent("setDiscount", {"name": "big", "value": Decimal(120)})
    ]


@pytest.mark.parametrize(("tier", "matched"), [("gold", True), ("silver", False)])
def test_a_profile_attribute_condition(tier: str, matched: bool) -> None:
    compiled = ruleset(
        rule(
            [
                "and",
                ["=", [".", "Profile", "Attributes", "tier"], "gold"],
                [">", [".", "Profile", "Attributes", "age"], 18],
            ],
            [["addLoyaltyPoints", 3, 10]],
        )
    )
    (outcome,) = compiled.evaluate(Context(CART, Profile("p1", {"tier": tier, "age": 42})))
    assert outcome.matched is matched


def test_catch_turns_a_missing_profile_attribute_into_its_fallback() -> None:
    condition = ["catch", False, ["=", [".", "Profile", "Attributes", "vip"], True]]
    assert ruleset(rule(condition, [])).evaluate(CTX)[0].matched is False


def test_catch_drops_the_intents_of_the_effect_that_failed() -> None:
    effect = ["catch", ["noop"], ["do", ["setDiscount", "a", 1], "x", [".", "Profile", "Attributes", "vip"]]]
    assert ruleset(rule(True, effect)).intents(CTX) == []


def test_session_fields_read_by_rules() -> None:
    checks = [
        ["=", [".", "Session", "CouponCode"], "SUMMER"],
        ["=", [".", "Session", "Attributes", "isFirst"], True],
        ["=", [".", "Session", "CartItems", 1, "Sku"], "CARD-1"],
        ["=", [".", "Session", "CartItems", 0, "Quantity"], 2],
        ["=", ["head", [".", "Session", "CouponCodes"]], "SUMMER"],
        ["=", [".", "Session", "State"], "open"],
    ]
    assert ruleset(rule(["and", *checks], [])).evaluate(CTX)[0].matched is True


def test_an_event_is_readable_when_the_context_has_one() -> None:
    compiled = ruleset(rule(["=", [".", "Event", "Type"], "signup"], [["showNotification", "Hi", "Welcome"]]))
    ctx = Context(Session(), event=Event("signup", {"source": "app"}))
    assert compiled.intents(ctx) == [EffectIntent("showNotification", {"title": "Hi", "body": "Welcome"})]


def test_extra_keys_of_the_management_api_are_ignored() -> None:
    raw = {
        "id": 6,
        "created": "2020-06-10T09:05:27Z",
        "userId": 388,
        "rbVersion": "v2",
        "rules": [
            {"id": "7fa8", "title": "t", "description": "d", "bindings": [], "condition": ["and", True], "effects": []}
        ],
        "bindings": [],
    }
    assert compile_ruleset(raw).evaluate(CTX) == (RuleOutcome("t", True),)
