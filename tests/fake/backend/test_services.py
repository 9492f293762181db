"""The backend's services called directly, as FakeTalon and the handlers call them: no HTTP, no
OperationCall, records out."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from pytest_talon import models
from pytest_talon.fake import FakeTalon, Rule, SetDiscount
from pytest_talon.fake.backend import audiences, coupons, sessions
from pytest_talon.fake.errors import BadRequest, NotFound

NOW = datetime(2026, 1, 1, tzinfo=timezone.utc)


def _new(state: str = "open", profile: str = "alice") -> models.NewCustomerSessionV2:
    return models.NewCustomerSessionV2(profile_id=profile, state=state)


def _cart(price: float) -> list[dict[str, object]]:
    return [{"sku": "A1", "quantity": 1, "price": price}]


def test_a_session_is_stored_with_its_effects_and_a_dry_update_stores_nothing() -> None:
    fake = FakeTalon()
    fake.add_campaign(name="five off", rules=(Rule(title="r", effects=(SetDiscount(name="5 off", value=5),)),))
    app = fake.app
    dry = sessions.update_session(app, "s1", _new(), _cart(20), dry=True, now=app.now())
    assert [e["effectType"] for e in dry.result.effects] == ["setDiscount"]
    assert "s1" not in app.sessions
    done = sessions.update_session(app, "s1", _new(), _cart(20), dry=False, now=app.now())
    assert done.session is app.sessions["s1"]
    assert done.session.update_count == 1
    assert sessions.net_effects(app.sessions["s1"]) == done.result.effects


def test_the_session_lifecycle_refuses_what_the_api_refuses() -> None:
    app = FakeTalon().app
    sessions.update_session(app, "s1", _new("closed"), _cart(10), dry=False, now=app.now())
    with pytest.raises(BadRequest, match="closed and cannot be modified") as closed:
        sessions.update_session(app, "s1", _new("closed"), None, dry=False, now=app.now())
    assert closed.value.pointer == "/customerSession/state"
    with pytest.raises(BadRequest, match="created open or closed"):
        sessions.update_session(app, "s2", _new("cancelled"), None, dry=False, now=app.now())
    assert sessions.reopen_session(app, "s1") == []
    assert app.sessions["s1"].state == "open"
    with pytest.raises(BadRequest, match="only a closed customer session can be reopened"):
        sessions.reopen_session(app, "s1")
    with pytest.raises(NotFound):
        sessions.session_or_404(app, "nope")


def test_audience_memberships_are_checked_before_any_is_applied() -> None:
    app = FakeTalon().app
    vip = audiences.seed_audience(app, "VIP", members=["alice"])
    actions = [
        models.CustomerProfileAudienceRequestItem(action="delete", profile_integration_id="alice", audience_id=vip.id),
        models.CustomerProfileAudienceRequestItem(action="add", profile_integration_id="bob", audience_id=99),
    ]
    with pytest.raises(NotFound) as unknown:
        audiences.apply_memberships(app, actions)
    assert unknown.value.pointer == "/data/1/audienceId"
    assert app.profiles["alice"].audience_ids == [vip.id]
    assert "bob" not in app.profiles
    audiences.delete_audience(app, vip.id)
    assert app.profiles["alice"].audience_ids == []


def test_a_personal_coupon_takes_one_reservation_and_reserving_creates_the_profile() -> None:
    fake = FakeTalon()
    fake.add_campaign(name="coupons")
    coupons.seed_coupon(fake.app, "PERSONAL1", 1, reservation=False)
    assert coupons.reserve(fake.app, "PERSONAL1", ["carol", "carol"]).reserved_by == ["carol"]
    assert "carol" in fake.app.profiles
    with pytest.raises(BadRequest, match="only one customer may reserve it"):
        coupons.reserve(fake.app, "PERSONAL1", ["dave"])
    coupons.release(fake.app, "PERSONAL1", ["carol"])
    assert fake.app.coupons["PERSONAL1"].reserved_by == []
