"""The session lifecycle: transitions, what closing counts, and the rollbacks of cancel, reopen and returns."""

from __future__ import annotations

import pytest

from pytest_talon.client import TalonClient
from pytest_talon.errors import TalonAPIError
from pytest_talon.fake import (
    AddFreeItem,
    AddLoyaltyPoints,
    Campaign,
    CouponValid,
    DeductLoyaltyPoints,
    FakeTalon,
    Rule,
    SetDiscount,
    SetDiscountPerItem,
)

from ..conftest import kinds, of_type, raw, session


@pytest.fixture
def shop(fake: FakeTalon) -> FakeTalon:
    rules = (
        Rule("coupon", conditions=(CouponValid(),), effects=(SetDiscount("5 off", value=5),)),
        Rule("items", effects=(SetDiscountPerItem("10% items", percent=10, sku="shirt"),)),
        Rule("points", effects=(AddLoyaltyPoints(program_id=1, value=10), AddFreeItem("gift", "Gift"))),
    )
    campaign = fake.add_campaign(Campaign(name="shop", rules=rules))
    fake.add_coupon("SHOP-5", campaign.id, usage_limit=0)
    return fake


def close(client: TalonClient, session_id: str = "s1") -> None:
    body = session(coupons=["SHOP-5"], items=[("shirt", 4, 25.0), ("hat", 1, 10.0)], state="closed")
    client.update_customer_session_v2(session_id, body)


def test_closing_counts_redemptions_and_profile_counters(shop: FakeTalon, client: TalonClient) -> None:
    close(client)
    assert shop.coupon("SHOP-5").usage_counter == 1
    profile = shop.profile("alice")
    assert (profile.closed_sessions, profile.total_sales) == (1, 110.0)
    assert shop.loyalty_balance("alice", 1) == 10
    stored = shop.session("s1")
    assert (stored.state, stored.update_count, stored.total) == ("closed", 1, 110.0)


def test_cancelling_a_closed_session_rolls_everything_back(shop: FakeTalon, client: TalonClient) -> None:
    close(client)
    result = client.update_customer_session_v2("s1", session(state="cancelled"))
    assert sorted(kinds(result.effects)) == [
        "rollbackAddedLoyaltyPoints",
        "rollbackCoupon",
        "rollbackDiscount",
        "rollbackDiscount",
        "rollbackDiscount",
        "rollbackDiscount",
        "rollbackDiscount",
    ]
    item_rollback = [e for e in of_type(result.effects, "rollbackDiscount") if e.props.cart_item_position == 0]
    assert [(e.props.cart_item_sub_position, e.props.value) for e in item_rollback] == [(u, 2.5) for u in range(4)]
    assert shop.coupon("SHOP-5").usage_counter == 0
    assert shop.loyalty_balance("alice", 1) == 0
    assert (shop.profile("alice").closed_sessions, shop.profile("alice").total_sales) == (0, 0)
    net = client.get_customer_session("s1")
    assert net.customer_session is not None
    assert net.customer_session.state == "cancelled"
    assert kinds(net.effects or []) == ["addFreeItem"]  # rolled-back effects leave together with their rollback


def test_reopen_rolls_back_and_reclose_reapplies(shop: FakeTalon, client: TalonClient) -> None:
    close(client)
    reopened = client.reopen_customer_session("s1")
    assert "rollbackCoupon" in kinds(reopened.effects)
    assert shop.session("s1").state == "open"
    assert shop.coupon("SHOP-5").usage_counter == 0
    client.update_customer_session_v2("s1", session(state="closed"))
    assert shop.coupon("SHOP-5").usage_counter == 1
    assert shop.loyalty_balance("alice", 1) == 10


def test_cancelling_an_open_session_has_no_rollbacks(shop: FakeTalon, client: TalonClient) -> None:
    client.update_customer_session_v2("s1", session(coupons=["SHOP-5"], items=[("hat", 1, 10.0)]))
    result = client.update_customer_session_v2("s1", session(state="cancelled"))
    assert result.effects == []
    assert shop.session("s1").state == "cancelled"


@pytest.mark.parametrize(
    ("steps", "target"),
    [
        (["closed"], "open"),
        (["closed"], "closed"),
        (["open", "cancelled"], "open"),
        (["open"], "partially_returned"),
        ([], "cancelled"),
        ([], "partially_returned"),
    ],
)
def test_invalid_transitions_are_400_error_response(fake: FakeTalon, steps: list[str], target: str) -> None:
    for state in steps:
        assert raw(fake, "PUT", "/v2/customer_sessions/s1", json=session(state=state)).status_code == 200
    response = raw(fake, "PUT", "/v2/customer_sessions/s1", json=session(state=target))
    assert response.status_code == 400
    body = response.json()
    assert "StatusCode" not in body
    assert body["errors"][0]["source"] == {"pointer": "/customerSession/state"}


def test_reopen_needs_a_closed_session(fake: FakeTalon, client: TalonClient) -> None:
    client.update_customer_session_v2("s1", session())
    with pytest.raises(TalonAPIError) as info:
        client.reopen_customer_session("s1")
    assert info.value.status_code == 400


def test_partial_return_rolls_back_item_discounts(shop: FakeTalon, client: TalonClient) -> None:
    close(client)
    body = {"return": {"returnedCartItems": [{"position": 0, "quantity": 1}]}, "responseContent": ["customerSession"]}
    result = client.return_cart_items("s1", body)
    (rollback,) = result.effects
    props = rollback.props
    assert (rollback.effect_type, props.value, props.cart_item_position, props.cart_item_sub_position) == (
        "rollbackDiscount",
        2.5,
        0,
        0,
    )
    assert result.return_ is not None
    assert result.return_.returned_cart_items[0].quantity == 1
    assert result.customer_session is not None
    item = result.customer_session.cart_items[0]
    assert (item.returned_quantity, item.remaining_quantity) == (1, 3)
    assert shop.session("s1").state == "partially_returned"
    assert shop.profile("alice").total_sales == 85.0
    cancelled = client.update_customer_session_v2("s1", session(state="cancelled"))
    item_rollbacks = [
        (e.props.cart_item_sub_position, e.props.value)
        for e in of_type(cancelled.effects, "rollbackDiscount")
        if e.props.cart_item_position == 0
    ]
    assert item_rollbacks == [(1, 2.5), (2, 2.5), (3, 2.5)]  # only the units the return did not already roll back
    assert shop.profile("alice").total_sales == 0


def test_return_validation_and_idempotency(shop: FakeTalon, client: TalonClient) -> None:
    close(client)
    with pytest.raises(TalonAPIError) as info:
        client.return_cart_items("s1", {"return": {"returnedCartItems": [{"position": 0, "quantity": 9}]}})
    assert info.value.status_code == 400
    assert info.value.response.json()["errors"][0]["source"]["pointer"] == "/return/returnedCartItems/0/quantity"
    body = {"return": {"returnedCartItems": [{"sku": "hat"}]}}
    first = raw(
        shop, "POST", "/v2/customer_sessions/s1/returns", json=body, headers={**_auth(shop), "Idempotency-Key": "k1"}
    )
    again = raw(
        shop, "POST", "/v2/customer_sessions/s1/returns", json=body, headers={**_auth(shop), "Idempotency-Key": "k1"}
    )
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json()
    assert len(shop.session("s1").cart_items) == 2
    assert shop.session("s1").cart_items[1].returned_quantity == 1  # applied once


def test_return_from_open_session_is_400(fake: FakeTalon, client: TalonClient) -> None:
    client.update_customer_session_v2("s1", session(items=[("a", 1, 1.0)]))
    with pytest.raises(TalonAPIError) as info:
        client.return_cart_items("s1", {"return": {"returnedCartItems": [{"position": 0}]}})
    assert info.value.status_code == 400


def test_reset_forgets_the_ledger_and_spending_needs_points(fake: FakeTalon, client: TalonClient) -> None:
    fake.add_campaign(Campaign(name="earn", rules=(Rule("earn", effects=(AddLoyaltyPoints(program_id=1, value=50),)),)))
    client.update_customer_session_v2("s1", session(state="closed"))
    fake.reset()
    fake.add_campaign(
        Campaign(name="spend", rules=(Rule("spend", effects=(DeductLoyaltyPoints(program_id=1, value=20),)),))
    )
    client.update_customer_session_v2("s2", session(state="closed"))
    assert fake.loyalty_balance("alice", 1) == 0  # reset emptied the ledger, so the rule could not spend
    assert kinds(client.get_customer_session("s2").effects or []) == []


def test_spend_and_refund_points(fake: FakeTalon, client: TalonClient) -> None:
    fake.add_campaign(Campaign(name="earn", rules=(Rule("earn", effects=(AddLoyaltyPoints(program_id=1, value=50),)),)))
    client.update_customer_session_v2("s1", session(state="closed"))
    fake.add_campaign(
        Campaign(name="spend", rules=(Rule("spend", effects=(DeductLoyaltyPoints(program_id=1, value=20),)),))
    )
    client.update_customer_session_v2("s2", session(state="closed"))
    assert fake.loyalty_balance("alice", 1) == 50 + 50 - 20
    result = client.update_customer_session_v2("s2", session(state="cancelled"))
    refunds = of_type(result.effects, "rollbackDeductedLoyaltyPoints")
    assert [(r.props.value, r.props.recipient_integration_id) for r in refunds] == [(20.0, "alice")]
    assert fake.loyalty_balance("alice", 1) == 50


def _auth(fake: FakeTalon) -> dict[str, str]:
    return {"Authorization": f"ApiKey-v1 {fake.api_key}"}
