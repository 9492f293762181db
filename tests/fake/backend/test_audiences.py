"""Audiences: create (409 on a duplicate integration id), rename, delete, memberships, bulk updates, conditions."""

from __future__ import annotations

import pytest

from pytest_talon.client import TalonClient
from pytest_talon.errors import TalonAPIError
from pytest_talon.fake import Campaign, FakeTalon, InAudience, Rule, SetDiscount

from .conftest import error_of, raw, session


def members(fake: FakeTalon, audience_id: int) -> list[str]:
    return sorted(p for p in ("alice", "bob", "carol") if audience_id in _ids(fake, p))


def _ids(fake: FakeTalon, profile: str) -> list[int]:
    try:
        found = fake.profile(profile)
    except Exception:
        return []
    return [m.id for m in found.audience_memberships or []]


def test_create_rename_and_duplicate_integration_id(fake: FakeTalon, client: TalonClient) -> None:
    created = client.create_audience_v2({"name": "VIP", "integration": "segment", "integrationId": "seg-1"})
    assert (created.id, created.name, created.integration_id, created.account_id) == (1, "VIP", "seg-1", 1)
    assert client.last_response is not None
    assert client.last_response.status_code == 201
    renamed = client.update_audience_v2(str(created.id), {"name": "Very important"})
    assert (renamed.id, renamed.name, renamed.integration) == (1, "Very important", "segment")
    duplicate = raw(
        fake, "POST", "/v2/audiences", json={"name": "Again", "integration": "segment", "integrationId": "seg-1"}
    )
    assert duplicate.status_code == 409
    assert duplicate.json()["StatusCode"] == 409
    other_partner = client.create_audience_v2({"name": "Other", "integration": "mparticle", "integrationId": "seg-1"})
    assert other_partner.id == 2
    nameless = raw(fake, "POST", "/v2/audiences", json={"name": ""})
    assert error_of(nameless) == {"status": 400, "pointer": "/name"}


def test_bulk_membership_changes_show_in_profiles_and_conditions(fake: FakeTalon, client: TalonClient) -> None:
    audience = client.create_audience_v2({"name": "VIP"})
    rule = Rule("vip", conditions=(InAudience(audience.id),), effects=(SetDiscount("vip", value=5),))
    fake.add_campaign(Campaign(name="vip only", rules=(rule,)))
    data = [
        {"action": "add", "profileIntegrationId": "alice", "audienceId": audience.id},
        {"action": "add", "profileIntegrationId": "bob", "audienceId": audience.id},
        {"action": "delete", "profileIntegrationId": "bob", "audienceId": audience.id},
    ]
    client.update_customer_profile_audiences({"data": data})
    assert members(fake, audience.id) == ["alice"]
    assert [m.name for m in fake.profile("alice").audience_memberships or []] == ["VIP"]
    alice = client.update_customer_session_v2("s1", session("alice", items=[("a", 1, 20.0)]))
    bob = client.update_customer_session_v2("s2", session("bob", items=[("a", 1, 20.0)]))
    assert [e.effect_type for e in alice.effects] == ["setDiscount"]
    assert bob.effects == []


def test_bulk_limits_and_unknown_audiences(fake: FakeTalon, client: TalonClient) -> None:
    audience = client.create_audience_v2({"name": "VIP"})
    too_many = [{"action": "add", "profileIntegrationId": f"p{i}", "audienceId": audience.id} for i in range(1001)]
    response = raw(fake, "POST", "/v2/customer_audiences", json={"data": too_many})
    assert error_of(response) == {"status": 400, "pointer": "/data"}
    assert fake.app.profiles == {}
    unknown = raw(
        fake,
        "POST",
        "/v2/customer_audiences",
        json={"data": [{"action": "add", "profileIntegrationId": "a", "audienceId": 9}]},
    )
    assert error_of(unknown) == {"status": 404, "pointer": "/data/0/audienceId"}
    exactly = [{"action": "add", "profileIntegrationId": f"p{i}", "audienceId": audience.id} for i in range(1000)]
    client.update_customer_profile_audiences({"data": exactly})
    assert len(fake.app.profiles) == 1000


def test_delete_memberships_and_audience(fake: FakeTalon, client: TalonClient) -> None:
    audience = fake.add_audience("Club", members=["alice", "bob"])
    client.delete_audience_memberships_v2(str(audience.id))
    assert members(fake, audience.id) == []
    fake.add_audience("Other", id=5, members=["carol"])
    client.delete_audience_v2("5")
    assert members(fake, 5) == []
    with pytest.raises(TalonAPIError) as gone:
        client.update_audience_v2("5", {"name": "x"})
    assert gone.value.status_code == 404
    with pytest.raises(TalonAPIError) as missing:
        client.delete_audience_v2("5")
    assert missing.value.status_code == 404


def test_audience_attributes_reach_every_member(fake: FakeTalon) -> None:
    audience = fake.add_audience("Club", members=["alice", "bob"])
    fake.app.profile_or_create("carol")
    assert fake.client().update_audience_customers_attributes(str(audience.id), {"tier": "gold"}) is None
    assert [fake.profile(p).attributes.get("tier") for p in ("alice", "bob", "carol")] == ["gold", "gold", None]
