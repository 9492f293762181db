"""The scenario the explanation tests and docs/explain.md share: a coupon rejected by a cart-subtotal condition,
an exclusive evaluation group, a coupon at its usage limit, a Talang rule, campaigns the fake skips and a coupon
whose discount budget shrinks its discount."""

from __future__ import annotations

from typing import Any

from pytest_talon.fake import (
    Campaign,
    CartSubtotal,
    CouponValid,
    EvaluationGroup,
    EventType,
    FakeTalon,
    Rule,
    SetDiscount,
)

BIG_CART = {
    "title": "Big cart",
    "condition": ["and", ["=", [".", "Session", "State"], "open"], [">=", [".", "Session", "Total"], 50]],
    "effects": [["setDiscount", "Big cart", 3]],
}


def build(fake: FakeTalon) -> FakeTalon:
    """Seed ``fake`` with the scenario's campaigns and coupons (campaign ids 1 to 7)."""
    summer = fake.add_campaign(
        Campaign(
            name="Summer coupons",
            rules=(
                Rule(
                    "Ten percent off",
                    (CouponValid(), CartSubtotal(">=", 50)),
                    (SetDiscount("10% off", value=5),),
                ),
            ),
        )
    )
    fake.add_coupon("SUMMER10", summer.id)
    small = fake.add_campaign(
        Campaign(name="Small treat", rules=(Rule("Five off", (), (SetDiscount("5 off", value=5),)),))
    )
    big = fake.add_campaign(
        Campaign(name="Big treat", rules=(Rule("Twelve off", (), (SetDiscount("12 off", value=12),)),))
    )
    fake.add_evaluation_group(EvaluationGroup(name="Exclusive", mode="highestDiscount", campaigns=(small.id, big.id)))
    fake.add_campaign(name="Big carts (Talang)", ruleset={"rules": [BIG_CART]})
    fake.add_campaign(
        Campaign(
            name="At checkout",
            rules=(Rule("On close", (EventType("talon_session_closed"),), (SetDiscount("c", value=1),)),),
        )
    )
    once = fake.add_campaign(
        Campaign(name="One-off", rules=(Rule("Once", (CouponValid(),), (SetDiscount("1 off", value=1),)),))
    )
    fake.add_coupon("ONCE", once.id, usage_limit=1)
    capped = fake.add_campaign(
        Campaign(
            name="Capped coupon",
            rules=(Rule("Fifth off", (CouponValid(), CartSubtotal(">=", 40)), (SetDiscount("20% off", percent=20),)),),
        )
    )
    fake.add_coupon("CAPPED", capped.id, usage_limit=0, discount_limit=5)
    return fake


def session(codes: list[str], price: float = 45.0, state: str = "open") -> dict[str, Any]:
    """A session of alice with one item of ``price`` and ``codes``."""
    body = {
        "profileId": "alice",
        "state": state,
        "couponCodes": codes,
        "cartItems": [{"sku": "mug", "quantity": 1, "price": price}],
    }
    return {"customerSession": body}
