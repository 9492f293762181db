"""Money is exact (Decimal) through the engine and JSON numbers on the wire (issue 12, part 5).

Amounts are counted in cents, rounded half up (an INF point in docs/fidelity.md): 10% of 26.75 is 2.675, which is
2.68 (binary floats made it 2.67). Loyalty points and coupon discount counters are exact too: points that drift in
binary floats (0.1 ten times, 3 x 33.33 earned then 99.99 spent) balance exactly, and answers stay spec-valid.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from pytest_talon.fake import FakeTalon
from tests._spec import log_errors

from .conftest import raw

ITEM = {"sku": "SHIRT-1", "quantity": 1, "price": 26.75}


def _close(fake: FakeTalon, session_id: str, **fields: Any) -> dict[str, Any]:
    body = {"customerSession": {"profileId": "alice", "cartItems": [ITEM], "state": "closed", **fields}}
    response = raw(fake, "PUT", f"/v2/customer_sessions/{session_id}", json=body)
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()
    return data


def _values(answer: dict[str, Any], effect_type: str, key: str = "value") -> list[Any]:
    return [e["props"].get(key) for e in answer["effects"] if e["effectType"] == effect_type]


def test_ten_percent_of_26_75_is_2_68(fake: FakeTalon) -> None:
    rules = [
        {"title": "cart", "effects": [{"setDiscount": {"name": "10%", "percent": 10}}]},
        {"title": "items", "effects": [{"setDiscountPerItem": {"name": "item", "percent": 10, "sku": "SHIRT-1"}}]},
    ]
    fake.load_campaigns({"campaigns": [{"name": "Ten", "rules": rules}]})
    response = raw(
        fake, "PUT", "/v2/customer_sessions/s1", json={"customerSession": {"profileId": "alice", "cartItems": [ITEM]}}
    )
    assert '"value":2.68' in response.text  # a JSON number, not a string, without float artefacts
    answer = response.json()
    assert _values(answer, "setDiscount") == [2.68]
    assert _values(answer, "setDiscountPerItem") == [2.68]


def test_a_coupon_discount_budget_is_spent_to_the_cent(fake: FakeTalon) -> None:
    rule = {
        "title": "c",
        "conditions": [{"couponValid": {}}],
        "effects": [{"setDiscount": {"name": "d", "percent": 10}}],
    }
    fake.load_campaigns({"campaigns": [{"id": 1, "name": "Budget", "rules": [rule]}]})
    fake.add_coupon("TEN-OFF", 1, usage_limit=0, discount_limit=5.35)
    first = _close(fake, "s1", couponCodes=["TEN-OFF"])
    assert _values(first, "setDiscount") == [2.68]
    second = _close(fake, "s2", couponCodes=["TEN-OFF"])
    assert _values(second, "setDiscount") == [2.67]  # 5.35 - 2.68 is left, exactly
    assert _values(second, "setDiscount", "desiredValue") == [2.68]
    coupon = fake.coupon("TEN-OFF")
    assert (coupon.discount_counter, coupon.discount_remainder) == (5.35, 0)


def test_loyalty_points_are_exact(fake: FakeTalon) -> None:
    effect = {"addLoyaltyPoints": {"programId": 1, "percent": 10, "name": "points"}}
    fake.load_campaigns(
        {
            "loyaltyPrograms": [{"id": 1, "name": "Points"}],
            "campaigns": [{"name": "Earn", "rules": [{"title": "p", "effects": [effect]}]}],
        }
    )
    for session_id in ("s1", "s2", "s3"):
        assert _values(_close(fake, session_id), "addLoyaltyPoints") == [2.68]
    assert fake.loyalty_balance("alice", 1) == Decimal("8.04")  # exact, not a float
    balances = raw(fake, "GET", "/v1/loyalty_programs/1/profile/alice/balances")
    assert '"activePoints":8.04' in balances.text


def test_totals_are_exact_sums(fake: FakeTalon) -> None:
    items = [{"sku": "A", "quantity": 3, "price": 19.99}, {"sku": "B", "quantity": 1, "price": 0.1}]
    body = {
        "customerSession": {"cartItems": items, "additionalCosts": {"wrap": {"price": 0.2}}},
        "responseContent": ["customerSession"],
    }
    response = raw(fake, "PUT", "/v2/customer_sessions/s1", json=body)
    session = json.loads(response.text)["customerSession"]
    assert (session["cartItemTotal"], session["additionalCostTotal"], session["total"]) == (60.07, 0.2, 60.27)
    assert '"total":60.27' in response.text


def test_a_tenth_added_ten_times_is_exactly_one(fake: FakeTalon) -> None:
    fake.load_campaigns({"loyaltyPrograms": [{"id": 1, "name": "Points"}]})
    for _ in range(10):
        fake.add_loyalty_points(1, 0.1, profile="alice")
    assert fake.loyalty_balance("alice", 1) == Decimal("1.0")
    balances = raw(fake, "GET", "/v1/loyalty_programs/1/profile/alice/balances")
    assert '"activePoints":1.0' in balances.text
    assert log_errors(fake.requests) == []


def test_points_earned_then_spent_leave_exactly_nothing(fake: FakeTalon) -> None:
    spend = {"title": "spend", "effects": [{"deductLoyaltyPoints": {"programId": 1, "value": 99.99, "name": "use"}}]}
    fake.load_campaigns(
        {"loyaltyPrograms": [{"id": 1, "name": "Points"}], "campaigns": [{"id": 1, "name": "Spend", "rules": [spend]}]}
    )
    for _ in range(3):
        fake.add_loyalty_points(1, 33.33, profile="alice")
    assert fake.loyalty_balance("alice", 1) == Decimal("99.99")
    assert _values(_close(fake, "s1"), "deductLoyaltyPoints") == [99.99]  # 99.99 available, not 99.98999...
    assert fake.loyalty_balance("alice", 1) == 0
    balances = raw(fake, "GET", "/v1/loyalty_programs/1/profile/alice/balances").json()
    points = balances["balance"]
    assert (points["activePoints"], points["spentPoints"], points["negativePoints"]) == (0, 99.99, 0)
    assert log_errors(fake.requests) == []


def test_a_coupon_budget_is_reached_exactly_at_a_half_cent(fake: FakeTalon) -> None:
    # 10% of 26.75 is 2.675: each discount rounds half up to 2.68, and three of them are the whole 8.04 budget.
    rule = {
        "title": "c",
        "conditions": [{"couponValid": {}}],
        "effects": [{"setDiscount": {"name": "d", "percent": 10}}],
    }
    fake.load_campaigns({"campaigns": [{"id": 1, "name": "Budget", "rules": [rule]}]})
    fake.add_coupon("HALF-CENT", 1, usage_limit=0, discount_limit=8.04)
    for session_id in ("s1", "s2", "s3"):
        assert _values(_close(fake, session_id, couponCodes=["HALF-CENT"]), "setDiscount") == [2.68]
    coupon = fake.coupon("HALF-CENT")
    assert (coupon.discount_counter, coupon.discount_remainder) == (8.04, 0)
    fourth = _close(fake, "s4", couponCodes=["HALF-CENT"])
    assert _values(fourth, "setDiscount") == []
    assert [e["effectType"] for e in fourth["effects"]] == ["rejectCoupon"]
    cancel = {"customerSession": {"state": "cancelled"}}
    assert raw(fake, "PUT", "/v2/customer_sessions/s3", json=cancel).status_code == 200
    coupon = fake.coupon("HALF-CENT")
    assert (coupon.discount_counter, coupon.discount_remainder) == (5.36, 2.68)
    assert log_errors(fake.requests) == []
