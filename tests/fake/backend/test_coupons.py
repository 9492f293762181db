"""Coupons: acceptance, every rejection reason the fake implements, limits across sessions, reservations."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from pytest_talon.client import TalonClient
from pytest_talon.errors import TalonAPIError
from pytest_talon.fake import (
    AddLoyaltyPoints,
    Campaign,
    CampaignLimits,
    CartSubtotal,
    CouponValid,
    DeductLoyaltyPoints,
    FakeTalon,
    Rule,
    SetDiscount,
    SetDiscountPerAdditionalCost,
    SetDiscountPerItem,
)

from ..conftest import kinds, of_type, session

START = datetime(2026, 1, 1, tzinfo=timezone.utc)


def coupon_campaign(fake: FakeTalon, *conditions: object, **fields: object) -> Campaign:
    rule = Rule("coupon rule", conditions=(CouponValid(), *conditions), effects=(SetDiscount("10% off", percent=10),))
    return fake.add_campaign(Campaign(name="Coupons", rules=(rule,), **fields))  # type: ignore[arg-type]


def verdict(client: TalonClient, code: str, session_id: str = "s1", **kwargs: object) -> tuple[str, str | None]:
    result = client.update_customer_session_v2(session_id, session(coupons=[code], items=[("a", 1, 100.0)], **kwargs))  # type: ignore[arg-type]
    for effect in result.effects:
        if effect.effect_type == "acceptCoupon" and effect.props.value == code:
            return "accepted", None
        if effect.effect_type == "rejectCoupon" and effect.props.value == code:
            return "rejected", effect.props.rejection_reason
    raise AssertionError(f"no verdict for {code}: {kinds(result.effects)}")


def test_valid_coupon_is_accepted_with_its_discount_and_envelope(fake: FakeTalon, client: TalonClient) -> None:
    campaign = coupon_campaign(fake)
    created = fake.add_coupon("SAVE-10", campaign.id)
    result = client.update_customer_session_v2("s1", session(coupons=["SAVE-10"], items=[("a", 2, 25.0)]))
    accept, discount = result.effects
    assert accept.effect_type == "acceptCoupon"
    assert (accept.campaign_id, accept.ruleset_id, accept.rule_index, accept.rule_name) == (
        campaign.id,
        campaign.ruleset_id,
        0,
        "coupon rule",
    )
    assert accept.triggered_by_coupon == created.id
    assert discount.effect_type == "setDiscount"
    assert discount.props.value == 5.0
    assert discount.triggered_by_coupon == created.id


def test_unknown_code_is_rejected_with_campaign_minus_one(fake: FakeTalon, client: TalonClient) -> None:
    result = client.update_customer_session_v2("s1", session(coupons=["NOPE"]))
    (effect,) = result.effects
    assert effect.effect_type == "rejectCoupon"
    assert effect.campaign_id == -1
    assert effect.props.rejection_reason == "CouponNotFound"


def test_expired_and_future_coupons(fake: FakeTalon, client: TalonClient) -> None:
    campaign = coupon_campaign(fake)
    fake.add_coupon("OLD-1", campaign.id, expiry_date=START + timedelta(days=1))
    fake.add_coupon("NEW-1", campaign.id, start_date=START + timedelta(days=3))
    assert verdict(client, "OLD-1") == ("accepted", None)
    assert verdict(client, "NEW-1") == ("rejected", "CouponStartDateInFuture")
    fake.clock.advance(days=2)
    assert verdict(client, "OLD-1") == ("rejected", "CouponExpired")
    fake.clock.advance(days=2)
    assert verdict(client, "NEW-1") == ("accepted", None)


@pytest.mark.parametrize(
    "fields",
    [
        {"state": "disabled"},
        {"start_time": START + timedelta(days=1)},
        {"end_time": START},
    ],
)
def test_coupon_of_a_not_running_campaign(fake: FakeTalon, client: TalonClient, fields: dict[str, object]) -> None:
    campaign = coupon_campaign(fake, **fields)
    fake.add_coupon("CODE-1", campaign.id)
    assert verdict(client, "CODE-1") == ("rejected", "CouponPartOfNotRunningCampaign")


def test_coupon_usage_limit_across_sessions(fake: FakeTalon, client: TalonClient) -> None:
    campaign = coupon_campaign(fake)
    fake.add_coupon("ONCE-1", campaign.id, usage_limit=1)
    assert verdict(client, "ONCE-1", "s1") == ("accepted", None)
    assert verdict(client, "ONCE-1", "s2") == ("accepted", None)  # nothing is redeemed until a session closes
    client.update_customer_session_v2("s1", session(state="closed"))
    assert fake.coupon("ONCE-1").usage_counter == 1
    assert verdict(client, "ONCE-1", "s2") == ("rejected", "CouponLimitReached")


def test_campaign_and_profile_limits(fake: FakeTalon, client: TalonClient) -> None:
    campaign = coupon_campaign(fake, limits=CampaignLimits(coupon_redemptions=2, redemptions_per_profile=1))
    for code in ("A-001", "A-002", "A-003"):
        fake.add_coupon(code, campaign.id, usage_limit=0)
    client.update_customer_session_v2("s1", session("alice", coupons=["A-001"], state="closed"))
    assert verdict(client, "A-002", "s2", profile="alice") == ("rejected", "ProfileLimitReached")
    client.update_customer_session_v2("s3", session("bob", coupons=["A-002"], state="closed"))
    assert verdict(client, "A-003", "s4", profile="carol") == ("rejected", "CampaignLimitReached")


def test_per_coupon_profile_limit_and_anonymous_profile(fake: FakeTalon, client: TalonClient) -> None:
    campaign = coupon_campaign(fake)
    fake.add_coupon("MULTI-1", campaign.id, usage_limit=10, profile_usage_limit=1)
    client.update_customer_session_v2("s1", session("alice", coupons=["MULTI-1"], state="closed"))
    assert verdict(client, "MULTI-1", "s2", profile="alice") == ("rejected", "ProfileLimitReached")
    assert verdict(client, "MULTI-1", "s3", profile="bob") == ("accepted", None)
    assert verdict(client, "MULTI-1", "s4", profile="") == ("rejected", "ProfileRequired")


def test_recipient_must_match(fake: FakeTalon, client: TalonClient) -> None:
    campaign = coupon_campaign(fake)
    fake.add_coupon("MINE-1", campaign.id, recipient_integration_id="alice")
    assert verdict(client, "MINE-1", "s1", profile="bob") == ("rejected", "CouponRecipientDoesNotMatch")
    assert verdict(client, "MINE-1", "s2", profile="alice") == ("accepted", None)


def test_mandatory_reservation(fake: FakeTalon, client: TalonClient) -> None:
    campaign = coupon_campaign(fake)
    fake.add_coupon("HARD-1", campaign.id, is_reservation_mandatory=True)
    assert verdict(client, "HARD-1", "s1", profile="alice") == ("rejected", "CouponReservationRequired")
    assert verdict(client, "HARD-1", "s2", profile="") == ("rejected", "ProfileRequired")
    client.create_coupon_reservation("HARD-1", {"integrationIDs": ["alice"]})
    assert verdict(client, "HARD-1", "s3", profile="alice") == ("accepted", None)


def test_rejected_by_condition_names_the_condition(fake: FakeTalon, client: TalonClient) -> None:
    campaign = coupon_campaign(fake, CartSubtotal(">=", 500))
    fake.add_coupon("BIG-1", campaign.id)
    result = client.update_customer_session_v2("s1", session(coupons=["BIG-1"], items=[("a", 1, 100.0)]))
    (effect,) = result.effects
    assert effect.props.rejection_reason == "CouponRejectedByCondition"
    assert effect.props.condition_index == 1
    assert effect.rule_name == "coupon rule"


def test_effect_that_cannot_apply_rejects_the_coupon(fake: FakeTalon, client: TalonClient) -> None:
    rule = Rule(
        "spend",
        conditions=(CouponValid(),),
        effects=(SetDiscount("d", value=5), DeductLoyaltyPoints(program_id=1, value=100)),
    )
    campaign = fake.add_campaign(Campaign(name="points", rules=(rule,)))
    fake.add_coupon("PTS-1", campaign.id)
    result = client.update_customer_session_v2("s1", session(coupons=["PTS-1"], items=[("a", 1, 10.0)]))
    assert kinds(result.effects) == ["rejectCoupon"]
    assert result.effects[0].props.rejection_reason == "EffectCouldNotBeApplied"
    assert result.effects[0].props.effect_index == 1


def test_empty_coupon_list_clears_and_omitted_list_keeps(fake: FakeTalon, client: TalonClient) -> None:
    campaign = coupon_campaign(fake)
    fake.add_coupon("KEEP-1", campaign.id)
    client.update_customer_session_v2("s1", session(coupons=["KEEP-1"]))
    client.update_customer_session_v2("s1", session())
    assert fake.session("s1").coupon_codes == ["KEEP-1"]
    client.update_customer_session_v2("s1", session(coupons=[]))
    assert fake.session("s1").coupon_codes == []


def test_discounts_never_exceed_what_they_discount(fake: FakeTalon, client: TalonClient) -> None:
    rules = (
        Rule("item", effects=(SetDiscountPerItem("per item", value=30, sku="a"),)),
        Rule("cart", effects=(SetDiscount("big", value=1000),)),
        Rule("ship", effects=(SetDiscountPerAdditionalCost("free shipping", additional_cost="shipping", value=50),)),
    )
    fake.add_campaign(Campaign(name="generous", rules=rules))
    body = session(items=[("a", 2, 20.0), ("b", 1, 10.0)], additionalCosts={"shipping": {"price": 4.5}})
    result = client.update_customer_session_v2("s1", body)
    first, second, cart, ship = result.effects
    units = [(e.props.name, e.props.position, e.props.sub_position, e.props.value) for e in (first, second)]
    assert units == [("per item#0", 0, 0, 20.0), ("per item#0", 0, 1, 20.0)]
    assert (first.props.desired_value, second.props.desired_value) == (30.0, 30.0)
    assert (cart.props.value, cart.props.desired_value) == (10.0, 1000.0)
    assert (ship.props.additional_cost, ship.props.value, ship.props.desired_value) == ("shipping", 4.5, 50.0)


def test_reservations_endpoints(fake: FakeTalon, client: TalonClient) -> None:
    campaign = coupon_campaign(fake)
    fake.add_coupon("RES-1", campaign.id)
    coupon = client.create_coupon_reservation("RES-1", {"integrationIDs": ["alice", "bob"]})
    assert coupon.value == "RES-1"
    assert client.last_response is not None
    assert client.last_response.status_code == 201
    listed = client.get_reserved_customers("RES-1")
    assert (listed.total_result_size, [p.integration_id for p in listed.data]) == (2, ["alice", "bob"])
    client.delete_coupon_reservation("RES-1", {"integrationIDs": ["alice"]})
    assert [p.integration_id for p in client.get_reserved_customers("RES-1").data] == ["bob"]
    inventory = client.get_customer_inventory("bob", coupons=True)
    assert [(c.value, c.state) for c in inventory.coupons or []] == [("RES-1", "active")]


def test_reservation_of_unknown_coupon_is_404(client: TalonClient) -> None:
    with pytest.raises(TalonAPIError) as info:
        client.create_coupon_reservation("NOPE-1", {"integrationIDs": ["alice"]})
    assert info.value.status_code == 404


def test_coupon_path_values_are_percent_decoded(fake: FakeTalon, client: TalonClient) -> None:
    campaign = coupon_campaign(fake)
    fake.add_coupon("50%/OFF", campaign.id)
    assert client.create_coupon_reservation("50%/OFF", {"integrationIDs": ["alice"]}).value == "50%/OFF"


def test_loyalty_points_are_written_at_close(fake: FakeTalon, client: TalonClient) -> None:
    fake.add_campaign(
        Campaign(name="points", rules=(Rule("earn", effects=(AddLoyaltyPoints(program_id=3, percent=10),)),))
    )
    open_result = client.update_customer_session_v2("s1", session(items=[("a", 1, 80.0)]))
    assert of_type(open_result.effects, "addLoyaltyPoints")[0].props.value == 8.0
    assert fake.loyalty_balance("alice", 3) == 0
    client.update_customer_session_v2("s1", session(state="closed"))
    assert fake.loyalty_balance("alice", 3) == 8.0
    second = client.update_customer_session_v2("s2", session(items=[("a", 1, 50.0)], content=["loyalty"]))
    assert second.loyalty is not None
    ledger = second.loyalty.programs["3"].ledger
    assert (ledger.current_balance, ledger.tentative_current_balance) == (8.0, 13.0)


def test_coupon_discount_budget(fake: FakeTalon, client: TalonClient) -> None:
    campaign = coupon_campaign(fake)
    fake.add_coupon("GIFT-CARD", campaign.id, usage_limit=0, discount_limit=15)
    first = client.update_customer_session_v2(
        "s1", session(coupons=["GIFT-CARD"], items=[("a", 1, 100.0)], state="closed")
    )
    assert of_type(first.effects, "setDiscount")[0].props.value == 10.0
    assert (fake.coupon("GIFT-CARD").discount_counter, fake.coupon("GIFT-CARD").discount_remainder) == (10.0, 5.0)
    second = client.update_customer_session_v2(
        "s2", session(coupons=["GIFT-CARD"], items=[("a", 1, 100.0)], state="closed")
    )
    capped = of_type(second.effects, "setDiscount")[0]
    assert (capped.props.value, capped.props.desired_value) == (5.0, 10.0)
    assert verdict(client, "GIFT-CARD", "s3") == ("rejected", "EffectCouldNotBeApplied")
    client.update_customer_session_v2("s2", session(state="cancelled"))
    assert fake.coupon("GIFT-CARD").discount_remainder == 5.0
    assert verdict(client, "GIFT-CARD", "s4") == ("accepted", None)
