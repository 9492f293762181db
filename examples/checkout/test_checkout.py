"""The example shop's tests: they read like the business rules they check.

Run in fake mode (default) or replay the recorded cassettes: ``pytest --talon-mode=replay``. Nothing here
depends on the mode: the ``checkout`` fixture (conftest.py) uses ``talon_endpoint``, and factory data repeats
because every test's seed is fixed by default.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from checkout import Checkout, Line

from pytest_talon import assert_coupon_rejected, assert_discount_total, assert_effect, assert_session_state
from pytest_talon.factories import CartItemFactory, IntegrationRequestFactory

SHIRT = Line("SHIRT-1", 2, Decimal("30.00"), "apparel")
MUG = Line("MUG-1", 1, Decimal("8.50"), "kitchen")


def test_coupon_gives_ten_percent_on_carts_over_fifty(checkout: Checkout) -> None:
    quote = checkout.quote("order-1", "alice", [SHIRT], coupons=("SUMMER-10",))
    assert quote.subtotal == Decimal("60.00")
    assert quote.discount == Decimal("6")
    assert quote.total == Decimal("54.00")


def test_small_cart_gets_no_discount_and_the_coupon_is_rejected(checkout: Checkout) -> None:
    quote = checkout.quote("order-2", "bob", [MUG], coupons=("SUMMER-10",))
    assert quote.discount == 0
    assert quote.coupon_errors == {"SUMMER-10": "CouponRejectedByCondition"}


def test_expired_coupon_is_explained_to_the_customer(checkout: Checkout) -> None:
    quote = checkout.quote("order-3", "carol", [SHIRT], coupons=("SUMMER-OLD",))
    assert quote.coupon_errors == {"SUMMER-OLD": "CouponExpired"}
    assert quote.total == Decimal("60.00")


def test_two_shirts_come_with_a_tote_bag(checkout: Checkout) -> None:
    assert checkout.quote("order-4", "dave", [SHIRT]).free_items == ["GIFT-1"]


def test_every_order_earns_loyalty_points(checkout: Checkout) -> None:
    assert checkout.quote("order-5", "erin", [SHIRT, MUG]).loyalty_points == Decimal("6.85")


def test_closing_then_cancelling_rolls_the_coupon_back(checkout: Checkout) -> None:
    checkout.quote("order-6", "frank", [SHIRT], coupons=("SUMMER-10",))
    closed = checkout.place_order("order-6")
    assert {e["effectType"] for e in closed} >= {"acceptCoupon", "setDiscount"}
    cancelled = checkout.cancel_order("order-6")
    assert "rollbackCoupon" in {e["effectType"] for e in cancelled}


def test_the_typed_client_and_the_assertion_helpers(talon_client) -> None:  # type: ignore[no-untyped-def]
    # Given a realistic cart of two shirts, built by a factory with only the details that matter spelled out
    request = IntegrationRequestFactory.build(
        customer_session__profile_id="grace",
        customer_session__coupon_codes=["SUMMER-10", "NO-SUCH-CODE"],
        customer_session__cart_items=[CartItemFactory.build(sku="SHIRT-1", quantity=2, price=30)],
        customer_session__state="open",
    )
    # When the session is sent
    state = talon_client.update_customer_session_v2("order-7", request)
    # Then the business rules show up as effects
    assert_effect(state, "setDiscount", name="10% off", value=6)
    assert_discount_total(state, Decimal("6"))
    assert_coupon_rejected(state, "NO-SUCH-CODE", reason="CouponNotFound")
    assert_session_state(talon_client.get_customer_session("order-7"), "open")


@pytest.mark.talon_fake_only
def test_a_campaign_declared_in_the_test(talon_fake, talon_client) -> None:  # type: ignore[no-untyped-def]
    talon_fake.add_campaign(
        {
            "id": 9,
            "name": "Mug week",
            "rules": [
                {
                    "title": "Mugs 1 EUR off",
                    "conditions": [{"itemSku": {"sku": "MUG-1"}}],
                    "effects": [{"setDiscountPerItem": {"name": "Mug week", "value": 1, "sku": "MUG-1"}}],
                }
            ],
        }
    )
    state = talon_client.update_customer_session_v2(
        "order-8", {"customerSession": {"cartItems": [{"sku": "MUG-1", "quantity": 2, "price": 8.5}]}}
    )
    # One effect per mug: the line of two is split into units 0 and 1
    assert_effect(state, "setDiscountPerItem", count=2, value=1, position=0)
    assert_effect(state, "setDiscountPerItem", sub_position=1)
    assert_discount_total(state, 2)


def test_the_quote_snapshot(talon_client, talon_snapshot) -> None:  # type: ignore[no-untyped-def]
    state = talon_client.update_customer_session_v2(
        "order-9",
        {
            "customerSession": {
                "profileId": "heidi",
                "couponCodes": ["SUMMER-10"],
                "cartItems": [{"sku": "SHIRT-1", "quantity": 2, "price": 30}],
            }
        },
    )
    assert state == talon_snapshot
