"""What an explanation shows beyond the deciding condition: the inputs of every condition that held (each condition
kind), the sub-expressions of a Talang rule that held, and the effects a budget gave less than they asked for."""

from __future__ import annotations

from typing import Any

import pytest

from pytest_talon.client import TalonClient
from pytest_talon.fake import (
    CONDITION_KINDS,
    Always,
    Campaign,
    CartSubtotal,
    CouponValid,
    EventType,
    FakeTalon,
    InAudience,
    ItemAttribute,
    ItemCategory,
    ItemQuantity,
    ItemSku,
    ProfileAttribute,
    ReferralValid,
    Rule,
    SessionAttribute,
    SetDiscount,
    SetDiscountPerAdditionalCost,
    SetDiscountPerItem,
    UpdateAttribute,
)
from pytest_talon.fake.engine.trace import CONDITION_INPUTS
from pytest_talon.fake.state.explanation import RuleExplanation


def _session(
    codes: tuple[str, ...] | list[str] = (), price: float = 50.0, quantity: int = 2, **extra: Any
) -> dict[str, Any]:
    item = {"sku": "mug", "category": "kitchen", "quantity": quantity, "price": price, "attributes": {"color": "red"}}
    body = {"profileId": "alice", "couponCodes": list(codes), "cartItems": [item], **extra}
    return {"customerSession": body}


def _rule(fake: FakeTalon, campaign_id: int = 1) -> RuleExplanation:
    (rule,) = fake.explain().campaign(campaign_id).rules
    return rule


def test_every_condition_that_held_shows_its_input(fake: FakeTalon, client: TalonClient) -> None:
    conditions = (
        CouponValid(),
        CartSubtotal(">=", 50),
        ItemSku("mug"),
        ItemCategory("kitchen"),
        ItemAttribute("color"),
        ItemQuantity(">=", 2, sku="mug"),
        ProfileAttribute("tier", "==", "gold"),
        SessionAttribute("channel", "exists"),
        EventType("talon_session_updated"),
        Always(),
    )
    every = Rule("Every", conditions, (SetDiscount("d", value=1),))
    campaign = fake.add_campaign(Campaign(name="All kinds", rules=(every,)))
    fake.add_coupon("ALLKINDS", campaign.id, usage_limit=0)
    client.update_customer_profile_v2("alice", {"attributes": {"tier": "gold"}})
    client.update_customer_session_v2("s1", _session(["ALLKINDS"], attributes={"channel": "web"}))
    client.update_customer_session_v2("s1", _session(["ALLKINDS"], attributes={"channel": "web"}))
    rule = _rule(fake)
    assert (rule.outcome, rule.detail) == ("fired", "fired: setDiscount")
    assert rule.held == (
        "condition 0 couponValid: coupon 'ALLKINDS' -> true",
        "condition 1 cartSubtotal >= 50: subtotal 100.00 -> true",
        "condition 2 itemSku sku='mug': item 0 has it -> true",
        "condition 3 itemCategory category='kitchen': item 0 has it -> true",
        "condition 4 itemAttribute name='color': the items' color: ['red'] -> true",
        "condition 5 itemQuantity sku='mug' >= 2: quantity 2 -> true",
        "condition 6 profileAttribute tier == 'gold': tier is 'gold' -> true",
        "condition 7 sessionAttribute channel exists: channel is 'web' -> true",
        "condition 8 eventType talon_session_updated: the event is talon_session_updated -> true",
        "condition 9 always -> true",
    )
    tree = str(fake.explain())
    assert "      held: condition 1 cartSubtotal >= 50: subtotal 100.00 -> true" in tree.splitlines()


def test_the_conditions_before_a_false_one_show_their_inputs(fake: FakeTalon, client: TalonClient) -> None:
    rule = Rule("Gold", (CartSubtotal(">=", 50), InAudience(7)), (SetDiscount("d", value=1),))
    fake.add_campaign(Campaign(name="Audience", rules=(rule,)))
    client.update_customer_session_v2("s1", _session())
    explained = _rule(fake)
    assert explained.detail == "condition 1 inAudience audience_id=7 was false (the profile is in audiences [])"
    assert explained.held == ("condition 0 cartSubtotal >= 50: subtotal 100.00 -> true",)


def test_the_input_an_effect_changes_is_shown_as_the_condition_read_it(fake: FakeTalon, client: TalonClient) -> None:
    tag = UpdateAttribute("session.channel", {"value": "tagged"})
    rule = Rule("Tag", (SessionAttribute("channel", "==", "web"),), (tag,))
    fake.add_campaign(Campaign(name="Tagger", rules=(rule,)))
    client.update_customer_session_v2("s1", _session(attributes={"channel": "web"}))
    assert _rule(fake).held == ("condition 0 sessionAttribute channel == 'web': channel is 'web' -> true",)


def test_every_condition_kind_has_an_input() -> None:
    assert set(CONDITION_INPUTS) == set(CONDITION_KINDS.values())


def test_a_referral_condition_names_the_code(fake: FakeTalon, client: TalonClient) -> None:
    campaign = fake.add_campaign(
        Campaign(name="Friends", rules=(Rule("Referred", (ReferralValid(),), (SetDiscount("d", value=1),)),))
    )
    client.update_customer_profile_v2("bob", {})
    fake.add_referral("FRIEND", campaign.id, "bob")
    client.update_customer_session_v2("s1", _session(referralCode="FRIEND"))
    assert _rule(fake).held == ("condition 0 referralValid: referral 'FRIEND' -> true",)


TALANG_AND = ["and", ["=", [".", "Session", "State"], "open"], [">=", [".", "Session", "Total"], 50]]
TALANG_OR = ["or", [">", [".", "Session", "Total"], 1000], ["not", ["<", [".", "Session", "Total"], 50]]]


@pytest.mark.parametrize(
    ("condition", "held"),
    [
        (
            TALANG_AND,
            (
                """["=", [".", "Session", "State"], "open"]: 'open' = 'open' -> true""",
                """[">=", [".", "Session", "Total"], 50]: 100.00 >= 50 -> true""",
            ),
        ),
        (TALANG_OR, ("""not ["<", [".", "Session", "Total"], 50]: 100.00 < 50 -> false""",)),
    ],
    ids=["and: every conjunct", "or: the disjunct that held"],
)
def test_a_talang_rule_that_fired_shows_what_held(
    fake: FakeTalon, client: TalonClient, condition: list[Any], held: tuple[str, ...]
) -> None:
    rule = {"title": "Big", "condition": condition, "effects": [["setDiscount", "Big", 3]]}
    fake.add_campaign(name="Talang", ruleset={"rules": [rule]})
    client.update_customer_session_v2("s1", _session())
    explained = _rule(fake)
    assert (explained.outcome, explained.held) == ("fired", held)


def test_a_false_talang_or_shows_every_disjunct(fake: FakeTalon, client: TalonClient) -> None:
    rule = {"title": "Big", "condition": TALANG_OR, "effects": [["setDiscount", "Big", 3]]}
    fake.add_campaign(name="Talang", ruleset={"rules": [rule]})
    client.update_customer_session_v2("s1", _session(price=10.0))
    explained = _rule(fake)
    assert explained.detail == (
        """condition 0 was false: [">", [".", "Session", "Total"], 1000]: 20.00 > 1000 -> false; """
        """not ["<", [".", "Session", "Total"], 50]: 20.00 < 50 -> true"""
    )


def test_a_discount_shrunk_by_a_coupon_budget_shows_asked_given_and_the_budget(
    fake: FakeTalon, client: TalonClient
) -> None:
    rule = Rule("Twenty percent", (CouponValid(),), (SetDiscount("20% off", percent=20),))
    campaign = fake.add_campaign(Campaign(name="Budgeted", rules=(rule,)))
    fake.add_coupon("CAPPED", campaign.id, discount_limit=25, usage_limit=0)
    client.update_customer_session_v2("s1", _session(["CAPPED"], state="closed"))  # 20.00 of the 25.00 used
    client.update_customer_session_v2("s2", _session(["CAPPED"]))
    explained = _rule(fake)
    assert explained.shrunk == (
        """setDiscount "20% off": 20.00 asked, 5.00 given: coupon 'CAPPED' discount budget 25.00, 20.00 used""",
    )
    summary = fake.explain().summary()
    assert """  setDiscount "20% off": 20.00 asked, 5.00 given: coupon 'CAPPED'""" in summary


def test_a_discount_shrunk_by_what_is_left_to_discount(fake: FakeTalon, client: TalonClient) -> None:
    rules = (
        Rule("Big", (), (SetDiscount("big", value=90),)),
        Rule("More", (), (SetDiscount("more", value=30), SetDiscountPerItem("unit", value=60))),
        Rule("Ship", (), (SetDiscountPerAdditionalCost("ship", additional_cost="shipping", value=8),)),
    )
    fake.add_campaign(Campaign(name="Greedy", rules=rules))
    client.update_customer_session_v2("s1", _session(additionalCosts={"shipping": {"price": 5}}))
    big, more, ship = fake.explain().campaign(1).rules
    assert big.shrunk == ()
    assert more.shrunk == (
        """setDiscount "more": 30.00 asked, 10.00 given: cart items 100.00, 90.00 already discounted""",
        """setDiscountPerItem "unit#0" unit 0: 60.00 asked, 0.00 given: cart items 100.00, 100.00 already discounted""",
        """setDiscountPerItem "unit#0" unit 1: 60.00 asked, 0.00 given: cart items 100.00, 100.00 already discounted""",
    )
    assert ship.shrunk == (
        """setDiscountPerAdditionalCost "ship": 8.00 asked, 5.00 given: additional cost 'shipping' 5.00, """
        """0.00 already discounted""",
    )


def test_a_unit_discount_shrunk_by_the_unit_price(fake: FakeTalon, client: TalonClient) -> None:
    # Each unit of a line of several is discounted on its own: its line names the unit.
    fake.add_campaign(Campaign(name="Units", rules=(Rule("Unit", (), (SetDiscountPerItem("unit", value=60),)),)))
    client.update_customer_session_v2("s1", _session())
    assert _rule(fake).shrunk == (
        """setDiscountPerItem "unit#0" unit 0: 60.00 asked, 50.00 given: item 0 unit 0 50.00, """
        """0.00 already discounted""",
        """setDiscountPerItem "unit#0" unit 1: 60.00 asked, 50.00 given: item 0 unit 1 50.00, """
        """0.00 already discounted""",
    )


def test_the_explanation_never_changes_the_answer(fake: FakeTalon, client: TalonClient) -> None:
    rule = Rule("Twenty percent", (CouponValid(),), (SetDiscount("20% off", percent=20),))
    campaign = fake.add_campaign(Campaign(name="Budgeted", rules=(rule,)))
    fake.add_coupon("CAPPED", campaign.id, discount_limit=25, usage_limit=0)
    client.update_customer_session_v2("s1", _session(["CAPPED"], state="closed"))
    answer = client.update_customer_session_v2("s2", _session(["CAPPED"])).to_wire()
    fake.explain()
    fake.explain()
    assert fake.requests[-1].response_json == client.last_response.json()
    assert [e["props"].get("value") for e in answer["effects"]] == ["CAPPED", 5.0]


def test_a_talang_rule_is_explained_with_the_attributes_an_earlier_campaign_set(
    fake: FakeTalon, client: TalonClient
) -> None:
    total = {"title": "Total", "condition": [">", [".", "Session", "Total"], 0], "effects": [["setDiscount", "t", 1]]}
    fake.add_campaign(name="Reads first", ruleset={"rules": [total]})
    tag = UpdateAttribute("session.tag", {"value": "gold"})
    fake.add_campaign(Campaign(name="Tagger", rules=(Rule("Tag", (), (tag,)),)))
    tagged = ["=", [".", "Session", "Attributes", "tag", "value"], "gold"]
    fake.add_campaign(name="Reads after", ruleset={"rules": [{"title": "Tagged", "condition": tagged, "effects": []}]})
    client.update_customer_session_v2("s1", _session())
    explanation = fake.explain()
    assert explanation.campaign(1).rules[0].held == ("""[">", [".", "Session", "Total"], 0]: 100.00 > 0 -> true""",)
    assert explanation.campaign(3).rules[0].held == (
        """["=", [".", "Session", "Attributes", "tag", "value"], "gold"]: 'gold' = 'gold' -> true""",
    )


def test_a_false_item_condition_lists_what_the_cart_has(fake: FakeTalon, client: TalonClient) -> None:
    fake.add_campaign(Campaign(name="Tea", rules=(Rule("Tea", (ItemSku("tea"),), (SetDiscount("d", value=1),)),)))
    client.update_customer_session_v2("s1", _session())
    assert _rule(fake).detail == "condition 0 itemSku sku='tea' was false (the cart has ['mug'])"
