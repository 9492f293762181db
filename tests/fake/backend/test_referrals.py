"""Referrals: creation endpoints, the advocate/friend flow, and every rejection reason the fake implements."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from pytest_talon.client import TalonClient
from pytest_talon.errors import TalonAPIError
from pytest_talon.fake import Campaign, CampaignLimits, CartSubtotal, FakeTalon, ReferralValid, Rule, SetDiscount

from ..conftest import kinds, session

START = datetime(2026, 1, 1, tzinfo=timezone.utc)


def referral_campaign(fake: FakeTalon, *conditions: object, **fields: object) -> Campaign:
    rule = Rule("friend discount", conditions=(ReferralValid(), *conditions), effects=(SetDiscount("friend", value=5),))
    return fake.add_campaign(Campaign(name="Refer a friend", rules=(rule,), **fields))  # type: ignore[arg-type]


def verdict(client: TalonClient, code: str, profile: str = "friend", session_id: str = "s1") -> tuple[str, str | None]:
    result = client.update_customer_session_v2(session_id, session(profile, referral=code, items=[("a", 1, 20.0)]))
    for effect in result.effects:
        if effect.effect_type == "acceptReferral":
            return "accepted", None
        if effect.effect_type == "rejectReferral":
            return "rejected", effect.props.rejection_reason
    raise AssertionError(kinds(result.effects))


def test_create_referral_and_flow(fake: FakeTalon, client: TalonClient) -> None:
    campaign = referral_campaign(fake)
    created = client.create_referral({"campaignId": campaign.id, "advocateProfileIntegrationId": "advocate"})
    assert client.last_response is not None
    assert client.last_response.status_code == 201
    assert (created.usage_counter, created.advocate_profile_integration_id, len(created.code) >= 4) == (
        0,
        "advocate",
        True,
    )
    result = client.update_customer_session_v2("s1", session("friend", referral=created.code, items=[("a", 1, 20.0)]))
    assert kinds(result.effects) == ["acceptReferral", "setDiscount"]
    client.update_customer_session_v2("s1", session("friend", state="closed"))
    assert fake.referral(created.code).usage_counter == 1
    inventory = client.get_customer_inventory("advocate", referrals=True)
    assert [r.referred_customers for r in inventory.referrals or []] == [["friend"]]
    cancelled = client.update_customer_session_v2("s1", session("friend", state="cancelled"))
    assert "rollbackReferral" in kinds(cancelled.effects)
    assert fake.referral(created.code).usage_counter == 0


def test_create_referral_for_unknown_campaign_is_400_error_response(client: TalonClient) -> None:
    with pytest.raises(TalonAPIError) as info:
        client.create_referral({"campaignId": 99, "advocateProfileIntegrationId": "a"})
    assert info.value.status_code == 400
    assert "StatusCode" not in info.value.response.json()


def test_referrals_for_multiple_advocates(fake: FakeTalon, client: TalonClient) -> None:
    campaign = referral_campaign(fake)
    body = {
        "campaignId": campaign.id,
        "advocateProfileIntegrationIds": ["a1", "a2", "a3"],
        "usageLimit": 2,
        "referralPattern": "FR-####",
    }
    assert client.create_referrals_for_multiple_advocates(body) is None
    assert client.last_response is not None
    assert client.last_response.status_code == 204
    listed = client.create_referrals_for_multiple_advocates(
        {**body, "advocateProfileIntegrationIds": ["b1", "b2"]}, silent="no"
    )
    assert client.last_response.status_code == 201
    assert listed.total_result_size == 2
    codes = [r.code for r in listed.data]
    assert len(set(codes)) == 2
    assert all(c.startswith("FR-") and len(c) == 7 for c in codes)
    assert [r.usage_limit for r in listed.data] == [2, 2]


@pytest.mark.parametrize(
    ("setup", "profile", "reason"),
    [
        ({}, "advocate", "ReferralRecipientIdSameAsAdvocate"),
        ({"friend": "someone-else"}, "friend", "ReferralRecipientDoesNotMatch"),
        ({"expiry_date": START}, "friend", "ReferralExpired"),
        ({"start_date": START + timedelta(days=1)}, "friend", "ReferralStartDateInFuture"),
    ],
)
def test_referral_rejections(
    fake: FakeTalon, client: TalonClient, setup: dict[str, object], profile: str, reason: str
) -> None:
    campaign = referral_campaign(fake)
    fake.add_referral("REF-CODE", campaign.id, "advocate", **setup)
    assert verdict(client, "REF-CODE", profile) == ("rejected", reason)


def test_referral_limits(fake: FakeTalon, client: TalonClient) -> None:
    campaign = referral_campaign(fake, limits=CampaignLimits(referral_redemptions=2))
    fake.add_referral("ONCE-REF", campaign.id, "advocate", usage_limit=1)
    fake.add_referral("MANY-REF", campaign.id, "advocate")
    client.update_customer_session_v2("s1", session("f1", referral="ONCE-REF", state="closed"))
    assert verdict(client, "ONCE-REF", "f2", "s2") == ("rejected", "ReferralLimitReached")
    client.update_customer_session_v2("s3", session("f3", referral="MANY-REF", state="closed"))
    assert verdict(client, "MANY-REF", "f4", "s4") == ("rejected", "CampaignLimitReached")


def test_unknown_disabled_and_conditional_referrals(fake: FakeTalon, client: TalonClient) -> None:
    assert verdict(client, "NOPE-REF") == ("rejected", "ReferralNotFound")
    off = referral_campaign(fake, state="disabled")
    fake.add_referral("OFF-REF", off.id, "advocate")
    assert verdict(client, "OFF-REF", session_id="s2") == ("rejected", "ReferralPartOfNotRunningCampaign")
    picky = referral_campaign(fake, CartSubtotal(">", 100))
    fake.add_referral("PICKY-REF", picky.id, "advocate")
    assert verdict(client, "PICKY-REF", session_id="s3") == ("rejected", "ReferralRejectedByCondition")
