"""dry runs, now, silent, runRuleEngine and responseContent."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from pytest_talon.client import TalonClient
from pytest_talon.errors import TalonAPIError
from pytest_talon.fake import (
    AddToAudience,
    Campaign,
    CouponValid,
    CreateCoupon,
    EventType,
    FakeTalon,
    ProfileAttribute,
    Rule,
    SetDiscount,
    ShowNotification,
    UpdateAttribute,
)

from .conftest import kinds, raw, session

ALL_SESSION_PARTS = [
    "customerSession",
    "customerProfile",
    "coupons",
    "triggeredCampaigns",
    "referral",
    "loyalty",
    "event",
    "awardedGiveaways",
    "ruleFailureReasons",
    "previousReturns",
]


def test_dry_run_evaluates_but_persists_nothing(fake: FakeTalon, client: TalonClient) -> None:
    campaign = fake.add_campaign(
        Campaign(name="c", rules=(Rule("r", conditions=(CouponValid(),), effects=(SetDiscount("d", value=1),)),))
    )
    fake.add_coupon("DRY-1", campaign.id)
    result = client.update_customer_session_v2("s1", session(coupons=["DRY-1"], state="closed"), dry=True)
    assert kinds(result.effects) == ["acceptCoupon", "setDiscount"]
    with pytest.raises(TalonAPIError):
        client.get_customer_session("s1")
    assert fake.coupon("DRY-1").usage_counter == 0
    with pytest.raises(TalonAPIError):
        client.get_customer_inventory("alice", profile=True)


def test_dry_run_on_existing_session_keeps_it(fake: FakeTalon, client: TalonClient) -> None:
    client.update_customer_session_v2("s1", session(items=[("a", 1, 5.0)]))
    client.update_customer_session_v2("s1", session(items=[("b", 3, 5.0)]), dry=True)
    stored = fake.session("s1")
    assert ([i.sku for i in stored.cart_items], stored.update_count) == (["a"], 1)


def test_dry_run_with_evaluable_campaigns_runs_disabled_ones(fake: FakeTalon, client: TalonClient) -> None:
    off = fake.add_campaign(
        Campaign(name="off", state="disabled", rules=(Rule("r", effects=(ShowNotification("t", "b"),)),))
    )
    fake.add_campaign(Campaign(name="on", rules=(Rule("r", effects=(SetDiscount("d", value=1),)),)))
    body = session(evaluableCampaignIds=[off.id])
    assert kinds(client.update_customer_session_v2("s1", body, dry=True).effects) == ["showNotification"]
    assert kinds(client.update_customer_session_v2("s1", body).effects) == ["setDiscount"]


def test_now_moves_evaluation_time_for_dry_runs_only(fake: FakeTalon, client: TalonClient) -> None:
    later = datetime(2026, 3, 1, tzinfo=timezone.utc)
    fake.add_campaign(
        Campaign(
            name="spring",
            start_time=later - timedelta(days=1),
            rules=(Rule("r", effects=(SetDiscount("d", value=1),)),),
        )
    )
    assert client.update_customer_session_v2("s1", session()).effects == []
    assert kinds(client.update_customer_session_v2("s1", session(), dry=True, now=later).effects) == ["setDiscount"]
    response = raw(fake, "PUT", "/v2/customer_sessions/s1?now=2026-03-01T00:00:00Z", json=session())
    assert response.status_code == 400
    assert response.json()["errors"][0]["source"] == {"parameter": "now"}


def test_response_content_fills_exactly_the_requested_parts(fake: FakeTalon, client: TalonClient) -> None:
    client.update_customer_session_v2("s1", session())
    bare = client.last_response
    assert bare is not None
    assert set(bare.json()) == {"effects", "createdCoupons", "createdReferrals"}
    client.update_customer_session_v2("s1", session(content=["customerProfile", "event"]))
    assert client.last_response is not None
    assert set(client.last_response.json()) == {
        "effects",
        "createdCoupons",
        "createdReferrals",
        "customerProfile",
        "event",
    }
    assert client.last_response.json()["event"]["type"] == "talon_session_updated"


def test_every_session_part_can_be_requested(fake: FakeTalon, client: TalonClient) -> None:
    result = client.update_customer_session_v2("s1", session(content=ALL_SESSION_PARTS))
    assert result.customer_session is not None
    assert result.customer_profile is not None
    assert (result.coupons, result.triggered_campaigns, result.awarded_giveaways, result.previous_returns) == (
        [],
        [],
        [],
        [],
    )
    assert result.event is not None
    assert result.event.type == "talon_session_created"


def test_track_event_silent_and_with_body(fake: FakeTalon, client: TalonClient) -> None:
    fake.add_campaign(
        Campaign(
            name="ev", rules=(Rule("r", conditions=(EventType("viewed"),), effects=(ShowNotification("hi", "there"),)),)
        )
    )
    assert client.track_event_v2({"type": "viewed", "profileId": "alice"}) is None
    assert client.last_response is not None
    assert client.last_response.status_code == 204
    result = client.track_event_v2(
        {"type": "viewed", "profileId": "alice", "responseContent": ["event", "customerProfile"]}, silent="no"
    )
    assert kinds(result.effects) == ["showNotification"]
    assert result.event is not None
    assert result.event.type == "viewed"
    assert result.customer_profile is not None
    assert result.customer_profile.integration_id == "alice"
    other = client.track_event_v2({"type": "clicked", "profileId": "alice"}, silent="no")
    assert other.effects == []


def test_track_event_needs_profile_and_custom_type(fake: FakeTalon) -> None:
    assert raw(fake, "POST", "/v2/events", json={"type": "x"}).status_code == 400
    reserved = raw(fake, "POST", "/v2/events", json={"type": "talon_session_closed", "profileId": "a"})
    assert (reserved.status_code, reserved.json()["StatusCode"]) == (400, 400)


def test_profile_update_runs_rules_only_on_request(fake: FakeTalon, client: TalonClient) -> None:
    rules = (
        Rule(
            "vip",
            conditions=(ProfileAttribute("tier", "==", "gold"),),
            effects=(AddToAudience(7, "VIP"), UpdateAttribute("profile.welcome", {"sent": True})),
        ),
        Rule("coupon", effects=(CreateCoupon(prefix="WELCOME-"),)),
    )
    fake.add_campaign(Campaign(name="vip", rules=rules))
    quiet = client.update_customer_profile_v2("alice", {"attributes": {"tier": "gold"}})
    assert (quiet.effects, quiet.created_coupons) == ([], [])
    result = client.update_customer_profile_v2(
        "alice", {"attributes": {"tier": "gold"}, "responseContent": ["customerProfile"]}, run_rule_engine=True
    )
    assert kinds(result.effects) == ["addToAudience", "updateAttribute", "couponCreated"]
    assert [c.value for c in result.created_coupons] == ["WELCOME-0001"]
    assert result.customer_profile is not None
    profile = fake.profile("alice")
    assert profile.attributes == {"tier": "gold", "welcome": {"sent": True}}
    assert [m.id for m in profile.audience_memberships or []] == [7]
    assert fake.coupon("WELCOME-0001").recipient_integration_id == "alice"


def test_profile_response_content_needs_the_engine(fake: FakeTalon) -> None:
    response = raw(fake, "PUT", "/v2/customer_profiles/alice", json={"responseContent": ["customerProfile"]})
    assert response.status_code == 400
    dry = raw(fake, "PUT", "/v2/customer_profiles/alice?dry=true", json={})
    assert dry.status_code == 400


def test_profile_dry_run_persists_nothing(fake: FakeTalon, client: TalonClient) -> None:
    fake.add_campaign(Campaign(name="c", rules=(Rule("r", effects=(CreateCoupon(),)),)))
    result = client.update_customer_profile_v2("alice", {"attributes": {"a": 1}}, run_rule_engine=True, dry=True)
    assert len(result.created_coupons) == 1
    with pytest.raises(Exception, match="no customer profile"):
        fake.profile("alice")
    with pytest.raises(Exception, match="no coupon"):
        fake.coupon(result.created_coupons[0].value)


def test_bulk_profile_update(fake: FakeTalon, client: TalonClient) -> None:
    body = {"customerProfiles": [{"integrationId": "a", "attributes": {"x": 1}}, {"integrationId": "b"}]}
    assert client.update_customer_profiles_v2(body) is None
    assert client.last_response is not None
    assert client.last_response.status_code == 204
    result = client.update_customer_profiles_v2(
        {"customerProfiles": [{"integrationId": "a", "attributes": {"y": 2}}]}, silent="no"
    )
    assert result.integration_states is not None
    assert result.integration_states[0].customer_profile.attributes == {"x": 1, "y": 2}
    assert raw(fake, "PUT", "/v2/customer_profiles?silent=maybe", json=body).status_code == 400


def test_inventory_sections_and_customer_data_deletion(fake: FakeTalon, client: TalonClient) -> None:
    client.update_customer_session_v2("s1", session(attributes={"note": "x"}))
    client.update_customer_profile_v2("alice", {"attributes": {"email": "a@example.com"}})
    inventory = client.get_customer_inventory(
        "alice", profile=True, coupons=True, referrals=True, loyalty=True, giveaways=True, achievements=True
    )
    assert inventory.profile is not None
    assert inventory.profile.attributes == {"email": "a@example.com"}
    assert (inventory.coupons, inventory.referrals, inventory.giveaways, inventory.achievements) == ([], [], [], [])
    assert set(client.get_customer_inventory("alice").to_wire()) == set()
    assert client.delete_customer_data("alice") is None
    assert fake.profile("alice").attributes == {}
    assert fake.session("s1").attributes == {}
    with pytest.raises(TalonAPIError) as info:
        client.delete_customer_data("nobody")
    assert info.value.status_code == 404


def test_dry_close_evaluates_the_payload_alone(fake: FakeTalon, client: TalonClient) -> None:
    campaign = fake.add_campaign(
        Campaign(name="c", rules=(Rule("r", conditions=(CouponValid(),), effects=(SetDiscount("d", value=1),)),))
    )
    fake.add_coupon("KEPT-1", campaign.id)
    client.update_customer_session_v2("s1", session(coupons=["KEPT-1"], items=[("a", 1, 5.0)]))
    assert kinds(client.update_customer_session_v2("s1", session(), dry=True).effects) == [
        "acceptCoupon",
        "setDiscount",
    ]
    assert client.update_customer_session_v2("s1", session(state="closed"), dry=True).effects == []
    assert fake.session("s1").state == "open"


@pytest.mark.parametrize(
    ("field", "value", "pointer"),
    [
        ("identifiers", ["a", "b", "c", "d", "e", "f"], "/customerSession/identifiers"),
        ("loyaltyCards", ["card-1", "card-2"], "/customerSession/loyaltyCards"),
        ("cartItems", [{"sku": "a", "quantity": 10001, "price": 1}], "/customerSession/cartItems"),
    ],
)
def test_session_input_limits(fake: FakeTalon, field: str, value: object, pointer: str) -> None:
    response = raw(fake, "PUT", "/v2/customer_sessions/s1", json={"customerSession": {field: value}})
    assert response.status_code == 400
    assert response.json()["errors"][0]["source"]["pointer"] == pointer
