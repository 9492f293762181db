"""Talang rulesets through the fake: a campaign's ``ruleset`` runs in the engine's pipeline like declared rules."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from pytest_talon.client import TalonClient
from pytest_talon.fake import Campaign, FakeSetupError, FakeTalon, Rule
from pytest_talon.fake.talang import compile_ruleset
from tests._spec import spec_errors

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


def update_with_failures(fake: FakeTalon, session_id: str, body: dict[str, Any]) -> httpx.Response:
    url = f"{fake.base_url}/v2/customer_sessions/{session_id}"
    payload = {"customerSession": body, "responseContent": ["ruleFailureReasons"]}
    return fake.handle(httpx.Request("PUT", url, json=payload, headers=AUTH))


TIERS = {
    "rules": [
        rule(
            "Gold tier",
            ["and", True, ["=", [".", "Profile", "Attributes", "Tier"], "gold"]],
            [["setDiscount", "Gold", 7]],
        ),
        rule("Everyone", True, [["setDiscount", "Everyone", 1]]),
    ]
}


def test_a_rule_failing_at_run_time_fails_that_rule_only_and_answers_200(fake: FakeTalon) -> None:
    tiers = fake.add_campaign(name="Tiers", ruleset=TIERS)
    hello = {
        "title": "Hello",
        "conditions": [{"always": {}}],
        "effects": [{"setDiscount": {"name": "Hello", "value": 2}}],
    }
    fake.add_campaign({"name": "Welcome", "rules": [hello]})
    response = update_with_failures(fake, "s1", {"profileId": "bob", "cartItems": cart(("MUG", 1, 50.0, "Kitchen"))})
    assert response.status_code == 200
    assert spec_errors("updateCustomerSessionV2", 200, response.json()) == []
    assert [(kind, props["name"]) for kind, props in effects(response)] == [
        ("setDiscount", "Everyone"),
        ("setDiscount", "Hello"),
    ]
    failures = response.json()["ruleFailureReasons"]
    assert failures == [
        {
            "campaignID": tiers.id,
            "campaignName": "Tiers",
            "rulesetID": tiers.ruleset_id,
            "ruleIndex": 0,
            "ruleName": "Gold tier",
            "conditionIndex": 1,
            "details": "function '.' at condition[2][1]: Profile.Attributes has no 'Tier'",
        }
    ]
    assert fake.requests[-1].status == 200
    assert fake.requests[-1].rule_failures == failures


def test_the_request_log_carries_run_time_failures_even_when_the_answer_does_not_show_them(fake: FakeTalon) -> None:
    fake.add_campaign(name="Tiers", ruleset=TIERS)
    response = update(fake, "s1", {"profileId": "bob"})
    assert "ruleFailureReasons" not in response.json()
    assert [f["ruleName"] for f in fake.requests[-1].rule_failures] == ["Gold tier"]


def test_a_failure_in_an_effect_names_the_effect_and_drops_the_rules_effects(fake: FakeTalon) -> None:
    broken = rule(
        "Broken",
        True,
        [["setDiscount", "First", 1], ["setDiscount", "Second", ["/", [".", "Session", "Total"], 0]]],
    )
    fake.add_campaign(name="Broken", ruleset={"rules": [broken, rule("Fine", True, [["setDiscount", "Fine", 3]])]})
    response = update_with_failures(fake, "s1", {"cartItems": cart(("MUG", 1, 10.0, "Kitchen"))})
    assert [props["name"] for _, props in effects(response)] == ["Fine"]
    (failure,) = response.json()["ruleFailureReasons"]
    assert (failure["ruleName"], failure["effectIndex"]) == ("Broken", 1)
    assert "conditionIndex" not in failure
    assert failure["details"] == "function '/' at effects[1][2]: divisionbyzero"


def test_reject_coupon_outside_a_coupon_rule_is_a_rule_failure(fake: FakeTalon) -> None:
    fake.add_campaign(name="Odd", ruleset={"rules": [rule("Odd", ["and", True], [["rejectCoupon"]])]})
    response = update_with_failures(fake, "s1", {})
    assert response.status_code == 200
    (failure,) = response.json()["ruleFailureReasons"]
    assert failure["effectIndex"] == 0
    assert "only a rule evaluated for a coupon" in failure["details"]


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


def test_a_custom_events_attributes_are_event_attributes(fake: FakeTalon) -> None:
    app_only = rule("App", ["=", [".", "Event", "Attributes", "channel"], "app"], [["showNotification", "Hi", "App"]])
    fake.add_campaign(name="Events", ruleset={"rules": [app_only]})
    url = f"{fake.base_url}/v2/events?silent=no"
    answers = [
        fake.handle(httpx.Request("POST", url, json=body, headers=AUTH)).json()
        for body in (
            {"profileId": "ann", "type": "opened", "attributes": {"channel": "app"}},
            {"profileId": "ann", "type": "opened", "attributes": {"channel": "web"}},
        )
    ]
    assert [[e["effectType"] for e in a["effects"]] for a in answers] == [["showNotification"], []]


def test_session_state_is_the_sessions_state(fake: FakeTalon) -> None:
    closed = rule("On close", ["=", [".", "Session", "State"], "closed"], [["setDiscount", "Closing", 1]])
    fake.add_campaign(name="States", ruleset={"rules": [closed]})
    items = cart(("MUG", 1, 10.0, "Kitchen"))
    assert effects(update(fake, "s1", {"cartItems": items})) == []
    assert [props["name"] for _, props in effects(update(fake, "s1", {"cartItems": items, "state": "closed"}))] == [
        "Closing"
    ]
