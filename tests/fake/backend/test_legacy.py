"""Legacy v1 operations: the same engine and state as v2, answered in the legacy IntegrationState shapes."""

from __future__ import annotations

from typing import Any

import pytest

from pytest_talon.client import TalonClient
from pytest_talon.fake import Campaign, CouponValid, FakeTalon, Rule, SetDiscount

from .conftest import error_of, raw


@pytest.fixture
def shop(fake: FakeTalon) -> FakeTalon:
    rule = Rule("coupon", conditions=(CouponValid(),), effects=(SetDiscount("5 off", value=5),))
    campaign = fake.add_campaign(Campaign(name="shop", rules=(rule,)))
    fake.add_coupon("SAVE-5", campaign.id, usage_limit=0)
    return fake


def v1_session(state: str = "open", coupon: str | None = "SAVE-5", **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "profileId": "alice",
        "state": state,
        "cartItems": [{"name": "Shirt", "sku": "shirt", "quantity": 2, "price": 20}],
    }
    if coupon is not None:
        body["coupon"] = coupon
    return {**body, **extra}


def test_v1_session_update_answers_the_legacy_shape(shop: FakeTalon, client: TalonClient) -> None:
    state = client.update_customer_session("s1", v1_session())
    assert (state.session.coupon, state.session.discounts, state.session.state) == ("SAVE-5", {"5 off": 5.0}, "open")
    assert [(e["effectType"], e["campaignId"], e["props"]) for e in state.event.effects] == [
        ("acceptCoupon", 1, {"value": "SAVE-5"}),
        ("setDiscount", 1, {"name": "5 off", "value": 5.0, "scope": "cartItems"}),
    ]
    assert (state.profile.integration_id, state.event.session_id, state.event.ledger_entries) == ("alice", "s1", [])
    assert state.coupon is not None
    assert state.coupon.value == "SAVE-5"
    assert shop.session("s1").coupon_codes == ["SAVE-5"]
    closed = client.update_customer_session("s1", v1_session(state="closed"))
    assert closed.session.state == "closed"
    assert shop.coupon("SAVE-5").usage_counter == 1
    assert client.get_customer_session("s1").customer_session.state == "closed"  # type: ignore[union-attr]


def test_v1_session_errors_and_dry_runs(shop: FakeTalon, client: TalonClient) -> None:
    client.update_customer_session("s1", v1_session(), dry=True)
    assert shop.app.sessions == {}
    no_price = raw(
        shop, "PUT", "/v1/customer_sessions/s1", json={"cartItems": [{"sku": "a", "quantity": 1, "name": "A"}]}
    )
    assert error_of(no_price) == {"status": 400, "pointer": "/cartItems/0/price"}
    client.update_customer_session("s1", v1_session(state="closed"))
    reopen = raw(shop, "PUT", "/v1/customer_sessions/s1", json=v1_session(state="open"))
    assert error_of(reopen) == {"status": 400, "pointer": "/state"}


def test_v1_rejections_fill_event_meta(shop: FakeTalon, client: TalonClient) -> None:
    state = client.update_customer_session("s1", v1_session(coupon="NOPE-1"))
    assert state.event.meta is not None
    assert state.event.meta.coupon_rejection_reason is not None
    assert state.event.meta.coupon_rejection_reason.reason == "CouponNotFound"
    assert state.session.discounts == {}


def test_v1_event_creates_the_session_and_checks_its_profile(shop: FakeTalon, client: TalonClient) -> None:
    state = client.track_event({"type": "visit", "sessionId": "s9", "profileId": "bob", "attributes": {"page": "home"}})
    assert client.last_response is not None
    assert client.last_response.status_code == 201
    assert (state.event.type, state.event.session_id, state.event.attributes) == ("visit", "s9", {"page": "home"})
    assert (state.session.integration_id, state.session.profile_id, state.profile.integration_id) == (
        "s9",
        "bob",
        "bob",
    )
    assert shop.session("s9").profile_id == "bob"
    assert [e.session_id for e in shop.app.events if e.type == "visit"] == ["s9"]
    other = raw(
        shop, "POST", "/v1/events", json={"type": "visit", "sessionId": "s9", "profileId": "eve", "attributes": {}}
    )
    assert error_of(other) == {"status": 400, "pointer": "/profileId"}


def test_v1_profile_update_runs_the_rules(shop: FakeTalon, client: TalonClient) -> None:
    state = client.update_customer_profile("carol", {"attributes": {"tier": "gold"}})
    assert (state.profile.integration_id, state.profile.attributes) == ("carol", {"tier": "gold"})
    assert state.event.type == "talon_profile_created"
    assert shop.profile("carol").attributes == {"tier": "gold"}
    client.update_customer_profile("carol", {"attributes": {"tier": "silver"}}, dry=True)
    assert shop.profile("carol").attributes == {"tier": "gold"}


@pytest.mark.parametrize(
    ("path", "body", "shape", "identifier"),
    [
        ("/v1/customer_sessions/%0D", v1_session(coupon=None), "session", "\r"),
        ("/v1/customer_profiles/pZ%0B", {"attributes": {}}, "profile", "pZ\x0b"),
    ],
)
def test_v1_ids_with_control_characters_are_ids_not_a_crash(
    fake: FakeTalon, path: str, body: Any, shape: str, identifier: str
) -> None:
    # Found by schemathesis: the v1 handlers built a URL for their v2 counterpart with the decoded ID in it (500).
    response = raw(fake, "PUT", path, json=body)
    assert response.status_code == 200, response.text
    assert response.json()[shape]["integrationId"] == identifier
