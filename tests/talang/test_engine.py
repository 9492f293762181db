"""Talang rulesets through the fake: a campaign's ``ruleset`` runs in the engine's pipeline like declared rules."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from pytest_talon.client import TalonClient
from pytest_talon.fake import Campaign, FakeSetupError, FakeTalon, Rule
from pytest_talon.fake.talang import compile_ruleset

SPEC_RULE = {
    "title": "10% off with a coupon",
    "condition": ["and", ["couponValid"]],
    "effects": ["catch", ["noop"], ["setDiscount", "10% off", ["*", [".", "Session", "Total"], ["/", 10, 100]]]],
}
KITCHEN = ["filter", [".", "Session", "CartItems"], [["Item"], ["=", [".", "Item", "Category"], "Kitchen"]]]
AUTH = {"Authorization": "ApiKey-v1 fake-talon-api-key"}


def rule(title: str, condition: Any, effects: Any) -> dict[str, Any]:
    return {"title": title, "condition": condition, "effects": effects, "bindings": []}


def update(fake: FakeTalon, session_id: str, body: dict[str, Any]) -> httpx.Response:
    url = f"{fake.base_url}/v2/customer_sessions/{session_id}"
    return fake.handle(httpx.Request("PUT", url, json={"customerSession": body}, headers=AUTH))


def effects(response: httpx.Response) -> list[tuple[str, dict[str, Any]]]:
    assert response.status_code == 200, response.text
    return [(e["effectType"], e["props"]) for e in response.json()["effects"]]


def cart(*items: tuple[str, int, float, str]) -> list[dict[str, Any]]:
    return [{"sku": s, "quantity": q, "price": p, "category": c} for s, q, p, c in items]


def test_the_specs_example_rule_gives_a_5_discount_on_a_cart_of_50(fake: FakeTalon, client: TalonClient) -> None:
    campaign = fake.add_campaign(name="Summer", ruleset={"rules": [SPEC_RULE], "bindings": []})
    fake.add_coupon(value="SUMMER", campaign_id=campaign.id)
    body = {"profileId": "alice", "couponCodes": ["SUMMER"], "cartItems": cart(("MUG", 2, 25.0, "Kitchen"))}
    answer = client.update_customer_session_v2("s1", {"customerSession": body})
    found = [(e.effect_type, e.props.to_wire()) for e in answer.effects]  # type: ignore[union-attr]
    assert found == [
        ("acceptCoupon", {"value": "SUMMER"}),
        ("setDiscount", {"name": "10% off", "value": 5, "scope": "cartItems"}),
    ]
    assert answer.effects[1].rule_name == "10% off with a coupon"
    assert answer.effects[1].triggered_by_coupon == answer.effects[0].triggered_by_coupon


def test_without_a_valid_coupon_the_coupon_rule_does_not_fire(fake: FakeTalon) -> None:
    fake.add_campaign(name="Summer", ruleset={"rules": [SPEC_RULE]})
    assert effects(update(fake, "s1", {"cartItems": cart(("MUG", 2, 25.0, "Kitchen"))})) == []
    answer = effects(update(fake, "s2", {"couponCodes": ["NOPE"], "cartItems": cart(("MUG", 2, 25.0, "Kitchen"))}))
    assert [(kind, props["rejectionReason"]) for kind, props in answer] == [("rejectCoupon", "CouponNotFound")]


def test_a_cart_item_filter_with_count_and_a_per_item_discount(fake: FakeTalon) -> None:
    kitchen = rule(
        "Two kitchen lines",
        ["and", [">=", ["count", [".", "kitchen"]], 2]],
        [["map", [".", "kitchen"], [["Item"], ["setDiscountPerItem", "Kitchen", 1, [".", "Item"]]]]],
    )
    fake.add_campaign(
        name="Kitchen",
        ruleset={
            "rules": [kitchen],
            "bindings": [{"name": "kitchen", "type": "cartItemFilter", "expression": KITCHEN}],
        },
    )
    two = cart(("MUG", 1, 10.0, "Kitchen"), ("CARD", 1, 25.0, "Gifts"), ("PAN", 2, 5.0, "Kitchen"))
    assert effects(update(fake, "s1", {"cartItems": two})) == [
        ("setDiscountPerItem", {"name": "Kitchen#0", "value": 1, "position": 0, "scope": "itemTotal"}),
        (
            "setDiscountPerItem",
            {"name": "Kitchen#2", "value": 1, "position": 2, "subPosition": 0, "scope": "itemTotal"},
        ),
        (
            "setDiscountPerItem",
            {"name": "Kitchen#2", "value": 1, "position": 2, "subPosition": 1, "scope": "itemTotal"},
        ),
    ]
    assert effects(update(fake, "s2", {"cartItems": two[:2]})) == []


def test_a_profile_attribute_condition(fake: FakeTalon) -> None:
    gold = rule(
        "Gold members",
        ["and", ["=", [".|", "none", [".", "Profile", "Attributes", "tier"]], "gold"]],
        [["showNotification", "Hi", ["+", "Welcome back, ", [".", "Profile", "IntegrationId"]]]],
    )
    fake.add_campaign(name="Gold", ruleset={"rules": [gold]})
    for profile, tier in (("alice", "gold"), ("bob", "silver")):
        url = f"{fake.base_url}/v2/customer_profiles/{profile}"
        body = {"attributes": {"tier": tier}}
        assert fake.handle(httpx.Request("PUT", url, json=body, headers=AUTH)).status_code == 200
    assert effects(update(fake, "s1", {"profileId": "alice"})) == [
        ("showNotification", {"notificationType": "info", "title": "Hi", "body": "Welcome back, alice"})
    ]
    assert effects(update(fake, "s2", {"profileId": "bob"})) == []
    assert effects(update(fake, "s3", {})) == []  # no profile: the fallback "none"


def test_a_failing_condition_is_a_rule_failure_with_its_index(fake: FakeTalon) -> None:
    big = rule("Big carts", ["and", ["couponValid"], [">=", [".", "Session", "CartItemTotal"], 100]], [["noop"]])
    campaign = fake.add_campaign(name="Big", ruleset={"rules": [big]})
    fake.add_coupon(value="BIG-1", campaign_id=campaign.id)
    answer = effects(update(fake, "s1", {"couponCodes": ["BIG-1"], "cartItems": cart(("MUG", 1, 10.0, "Kitchen"))}))
    assert answer == [
        ("rejectCoupon", {"value": "BIG-1", "rejectionReason": "CouponRejectedByCondition", "conditionIndex": 1})
    ]


def test_an_unknown_function_is_refused_naming_function_campaign_and_rule(fake: FakeTalon) -> None:
    bad = rule("Typo", ["and", ["couponValdi"]], [])
    with pytest.raises(FakeSetupError) as caught:
        fake.add_campaign(name="Summer", ruleset={"rules": [bad]})
    assert str(caught.value) == (
        "campaign 'Summer', rule 'Typo': condition[1]: unknown function 'couponValdi' (did you mean 'couponValid'?)"
    )
    with pytest.raises(FakeSetupError, match=r"campaign #1 'Summer': campaign 'Summer', rule 'Typo'.*couponValdi"):
        fake.load_campaigns({"campaigns": [{"name": "Summer", "ruleset": {"rules": [bad]}}]})


def test_rules_and_a_ruleset_are_exclusive() -> None:
    with pytest.raises(FakeSetupError, match="not both"):
        Campaign("x", rules=(Rule("r"),), ruleset={"rules": []})


def test_a_campaign_dataclass_takes_a_compiled_or_raw_ruleset(fake: FakeTalon) -> None:
    compiled = compile_ruleset({"rules": [SPEC_RULE]}, campaign="Summer")
    assert fake.add_campaign(Campaign("Summer", ruleset=compiled)).talang is compiled
    added = fake.add_campaign(Campaign("Summer 2", ruleset={"rules": [SPEC_RULE]}))
    assert added.talang is not None
    assert added.features == ["coupons"]


def test_a_run_time_failure_is_a_recorded_500_naming_the_rule(fake: FakeTalon) -> None:
    broken = rule("Broken", ["and", [">", ["/", [".", "Session", "Total"], 0], 1]], [])
    fake.add_campaign(name="Broken", ruleset={"rules": [broken]})
    response = update(fake, "s1", {"cartItems": cart(("MUG", 1, 10.0, "Kitchen"))})
    assert response.status_code == 500
    message = response.json()["message"]
    assert "campaign 'Broken', rule 'Broken'" in message
    assert "/: " in message
    assert "catch" in message
    assert fake.requests[-1].status == 500


def test_reject_coupon_rejects_the_coupon_being_evaluated_with_its_reason(fake: FakeTalon) -> None:
    reject = rule(
        "No coupons on gifts",
        [
            "and",
            ["couponValid"],
            ["exists", [".", "Session", "CartItems"], "Item", ["=", [".", "Item", "Category"], "Gifts"]],
        ],
        [["rejectCoupon", "CouponRejectedByCondition"], ["setDiscount", "never", 1]],
    )
    campaign = fake.add_campaign(name="Summer", ruleset={"rules": [reject, SPEC_RULE]})
    fake.add_coupon(value="SUMMER", campaign_id=campaign.id)
    gifts = effects(update(fake, "s1", {"couponCodes": ["SUMMER"], "cartItems": cart(("CARD", 1, 50.0, "Gifts"))}))
    assert gifts == [("rejectCoupon", {"value": "SUMMER", "rejectionReason": "CouponRejectedByCondition"})]
    mugs = effects(update(fake, "s2", {"couponCodes": ["SUMMER"], "cartItems": cart(("MUG", 1, 50.0, "Kitchen"))}))
    assert [kind for kind, _ in mugs] == ["acceptCoupon", "setDiscount"]


def test_reject_coupon_outside_a_coupon_rule_is_a_500(fake: FakeTalon) -> None:
    fake.add_campaign(name="Odd", ruleset={"rules": [rule("Odd", ["and", True], [["rejectCoupon"]])]})
    response = update(fake, "s1", {})
    assert response.status_code == 500
    assert "only a rule evaluated for a coupon" in response.json()["message"]
