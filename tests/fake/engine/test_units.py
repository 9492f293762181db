"""Flattening: a cart line of quantity n is n units, each with its own per-item discount and its own rollback."""

from __future__ import annotations

import json
from typing import Any

import pytest

from pytest_talon.client import TalonClient
from pytest_talon.fake import Campaign, CouponValid, FakeTalon, Rule, SetDiscountPerItem

from ..conftest import kinds, of_type, session
from ..test_oracle import sdk_model


def units(effects: list[Any]) -> list[tuple[int, int | None, float]]:
    """(position, subPosition, value) of every setDiscountPerItem effect, in order."""
    return [(e.props.position, e.props.sub_position, e.props.value) for e in of_type(effects, "setDiscountPerItem")]


def rolled_back(effects: list[Any]) -> list[tuple[int, int | None, float]]:
    """(cartItemPosition, cartItemSubPosition, value) of every rollbackDiscount effect, in order."""
    out = of_type(effects, "rollbackDiscount")
    return [(e.props.cart_item_position, e.props.cart_item_sub_position, e.props.value) for e in out]


@pytest.fixture
def mugs(fake: FakeTalon) -> FakeTalon:
    rules = (Rule("mugs", effects=(SetDiscountPerItem("Mug deal", value=1.5, sku="mug"),)),)
    fake.add_campaign(Campaign(name="mugs", rules=rules))
    return fake


def close_three_mugs(client: TalonClient) -> None:
    body = session(items=[("hat", 1, 10.0), ("mug", 3, 8.0)], state="closed")
    client.update_customer_session_v2("s1", body)


def test_a_line_of_three_gives_one_effect_per_unit(mugs: FakeTalon, client: TalonClient) -> None:
    result = client.update_customer_session_v2("s1", session(items=[("hat", 1, 10.0), ("mug", 3, 8.0)]))
    assert units(result.effects) == [(1, 0, 1.5), (1, 1, 1.5), (1, 2, 1.5)]
    names = {e.props.name for e in of_type(result.effects, "setDiscountPerItem")}
    assert names == {"Mug deal#1"}  # the name keeps the line's #position suffix


def test_a_single_unit_line_has_no_sub_position(mugs: FakeTalon, client: TalonClient) -> None:
    result = client.update_customer_session_v2("s1", session(items=[("mug", 1, 8.0)]))
    assert units(result.effects) == [(0, None, 1.5)]
    assert "subPosition" not in mugs.requests[-1].response_json["effects"][0]["props"]


def test_each_unit_is_capped_at_its_own_price(fake: FakeTalon, client: TalonClient) -> None:
    fake.add_campaign(Campaign(name="big", rules=(Rule("big", effects=(SetDiscountPerItem("Big", value=5),)),)))
    result = client.update_customer_session_v2("s1", session(items=[("pen", 2, 3.0)]))
    assert units(result.effects) == [(0, 0, 3.0), (0, 1, 3.0)]
    assert {e.props.desired_value for e in of_type(result.effects, "setDiscountPerItem")} == {5.0}


def test_percent_per_item_on_a_mixed_cart(fake: FakeTalon, client: TalonClient) -> None:
    rules = (Rule("kitchen", effects=(SetDiscountPerItem("15% kitchen", percent=15, category="kitchen"),)),)
    fake.add_campaign(Campaign(name="kitchen", rules=rules))
    items = [
        {"sku": "cup", "quantity": 3, "price": 9.99, "category": "kitchen"},
        {"sku": "shirt", "quantity": 2, "price": 30, "category": "apparel"},
        {"sku": "pan", "quantity": 1, "price": 20, "category": "kitchen"},
    ]
    result = client.update_customer_session_v2("s1", session(cartItems=items))
    # 15% of 9.99 is rounded per unit (1.4985 -> 1.5); the shirts do not match; the single pan has no subPosition
    assert units(result.effects) == [(0, 0, 1.5), (0, 1, 1.5), (0, 2, 1.5), (2, None, 3.0)]
    assert all(e.props.desired_value is None for e in of_type(result.effects, "setDiscountPerItem"))


def test_a_coupon_budget_runs_out_part_way_through_the_units(fake: FakeTalon, client: TalonClient) -> None:
    rules = (Rule("card", conditions=(CouponValid(),), effects=(SetDiscountPerItem("Card", value=2),)),)
    campaign = fake.add_campaign(Campaign(name="card", rules=rules))
    fake.add_coupon("CARD-5", campaign.id, usage_limit=0, discount_limit=5)
    result = client.update_customer_session_v2("s1", session(coupons=["CARD-5"], items=[("mug", 4, 8.0)]))
    assert kinds(result.effects)[0] == "acceptCoupon"
    assert units(result.effects) == [(0, 0, 2.0), (0, 1, 2.0), (0, 2, 1.0), (0, 3, 0.0)]
    assert [e.props.desired_value for e in of_type(result.effects, "setDiscountPerItem")] == [None, None, 2.0, 2.0]


def test_returning_two_of_three_units_rolls_back_exactly_two(mugs: FakeTalon, client: TalonClient) -> None:
    close_three_mugs(client)
    body = {"return": {"returnedCartItems": [{"position": 1, "quantity": 2}]}}
    first = client.return_cart_items("s1", body)
    assert kinds(first.effects) == ["rollbackDiscount", "rollbackDiscount"]
    assert rolled_back(first.effects) == [(1, 0, 1.5), (1, 1, 1.5)]
    assert {e.props.name for e in first.effects} == {"Mug deal#1"}
    # the returned units' discounts leave the session's net effects with their rollback
    assert units(client.get_customer_session("s1").effects or []) == [(1, 2, 1.5)]
    last = client.return_cart_items("s1", {"return": {"returnedCartItems": [{"position": 1, "quantity": 1}]}})
    assert rolled_back(last.effects) == [(1, 2, 1.5)]
    assert units(client.get_customer_session("s1").effects or []) == []


def test_a_dry_return_changes_nothing(mugs: FakeTalon, client: TalonClient) -> None:
    close_three_mugs(client)
    body = {"return": {"returnedCartItems": [{"position": 1, "quantity": 3}]}}
    dry = client.return_cart_items("s1", body, dry=True)
    assert rolled_back(dry.effects) == [(1, 0, 1.5), (1, 1, 1.5), (1, 2, 1.5)]
    assert len(units(client.get_customer_session("s1").effects or [])) == 3
    cancelled = client.update_customer_session_v2("s1", session(state="cancelled"))
    assert rolled_back(cancelled.effects) == [(1, 0, 1.5), (1, 1, 1.5), (1, 2, 1.5)]


def test_a_return_gives_the_units_discount_back_to_the_coupon_budget(fake: FakeTalon, client: TalonClient) -> None:
    rules = (Rule("card", conditions=(CouponValid(),), effects=(SetDiscountPerItem("Card", value=2),)),)
    campaign = fake.add_campaign(Campaign(name="card", rules=rules))
    fake.add_coupon("CARD-9", campaign.id, usage_limit=0, discount_limit=9)
    client.update_customer_session_v2("s1", session(coupons=["CARD-9"], items=[("mug", 3, 8.0)], state="closed"))
    assert fake.coupon("CARD-9").discount_counter == 6.0
    body = {"return": {"returnedCartItems": [{"position": 0, "quantity": 2}]}}
    client.return_cart_items("s1", body, dry=True)
    assert fake.coupon("CARD-9").discount_counter == 6.0  # a dry return gives nothing back
    client.return_cart_items("s1", body)
    assert fake.coupon("CARD-9").discount_counter == 2.0


def test_the_sdk_parses_unit_effects_and_their_rollbacks(mugs: FakeTalon, client: TalonClient) -> None:
    close_three_mugs(client)
    client.get_customer_session("s1")
    client.return_cart_items("s1", {"return": {"returnedCartItems": [{"position": 1, "quantity": 2}]}})
    client.update_customer_session_v2("s1", session(state="cancelled"))
    seen: list[tuple[str, int | None]] = []
    for entry in mugs.requests:
        assert entry.operation_id is not None
        assert entry.response_json is not None
        parsed = sdk_model(entry.operation_id).from_json(json.dumps(entry.response_json))
        for effect in parsed.effects:
            props = effect.props
            sub = props.get("subPosition", props.get("cartItemSubPosition"))
            seen.append((effect.effect_type, sub))
    assert seen == [
        *[("setDiscountPerItem", u) for u in range(3)],  # close
        *[("setDiscountPerItem", u) for u in range(3)],  # get, before the return
        ("rollbackDiscount", 0),
        ("rollbackDiscount", 1),  # the return
        ("rollbackDiscount", 2),  # the cancel: only the kept unit
    ]


def test_dec_converts_floats_by_their_shortest_text() -> None:
    from decimal import Decimal

    from pytest_talon.fake.state.amounts import dec

    assert dec(26.75) == Decimal("26.75")
    assert str(dec(0.1)) == "0.1"  # not the binary expansion
    assert str(dec(-0.0)) == "-0.0"
    assert str(dec(0.0)) == "0.0"
    assert dec(float("nan")).is_nan()
    assert dec(None) == 0
    assert dec(3) == 3
    assert str(dec("1.50")) == "1.50"
