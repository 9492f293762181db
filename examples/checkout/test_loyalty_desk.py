"""The SDK-based loyalty desk: the official ``talon_one`` SDK, tested in every mode through ``talon_sdk``."""

from __future__ import annotations

from decimal import Decimal

from loyalty_desk import LoyaltyDesk


def test_a_new_customer_is_registered_with_the_basic_tier(desk: LoyaltyDesk, talon_faker) -> None:  # type: ignore[no-untyped-def]
    name = talon_faker.name()  # seeded per test: the same name when recorded and when replayed
    assert desk.register("ivan", name) == {"Name": name, "Tier": "basic"}


def test_the_preview_shows_points_gifts_and_the_coupon_discount(desk: LoyaltyDesk, talon_requests) -> None:  # type: ignore[no-untyped-def]
    preview = desk.preview("judy", {"SHIRT-1": (2, Decimal("30"))}, coupon="SUMMER-10")
    assert preview.free_items == ("GIFT-1",)
    assert preview.discount == Decimal("6")
    assert preview.points == Decimal("6")
    # The exchange is visible in every mode, whichever HTTP client sent it
    (exchange,) = talon_requests
    assert exchange.operation_id == "updateCustomerSessionV2"
    assert exchange.query == {"dry": ["true"]}
    assert exchange.json["customerSession"]["couponCodes"] == ["SUMMER-10"]


def test_the_preview_answer_snapshot(desk: LoyaltyDesk, talon_requests, talon_snapshot) -> None:  # type: ignore[no-untyped-def]
    desk.register("kim", "Kim")
    desk.preview("kim", {"MUG-1": (1, Decimal("8.50"))})
    # The same snapshot from a fresh fake, from a deployment with other traffic, and from the replayed cassette
    assert [exchange.response_json for exchange in talon_requests] == talon_snapshot
