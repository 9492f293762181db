"""The contract suite: every one of the 39 operations through the typed client, as a downstream suite would.

It runs twice: against the fake (fake mode, in the normal test run) and against the cassettes in the top-level
``cassettes/`` directory (replay mode, from ``tests/plugin/test_contract_replay.py``). Both runs compare the answers
with the same snapshots, so a change in the fake's behaviour shows up as a snapshot difference against what was
recorded. Re-record with ``python tools/record_contract.py``.
"""

from __future__ import annotations

from typing import Any

from syrupy.assertion import SnapshotAssertion

from pytest_talon import (
    TalonClient,
    assert_coupon_accepted,
    assert_discount_total,
    assert_effect,
    assert_loyalty_points,
    assert_referral_accepted,
    assert_rolled_back,
    assert_session_state,
)

SHIRTS = [{"sku": "SHIRT-1", "quantity": 2, "price": 30}]
MUGS = [{"sku": "MUG-1", "quantity": 3, "price": 8}]  # one discount effect per mug unit (subPosition 0, 1, 2)


def session(profile: str, **fields: Any) -> dict[str, Any]:
    return {"customerSession": {"profileId": profile, **fields}}


def test_session_lifecycle(talon_client: TalonClient, talon_snapshot: SnapshotAssertion) -> None:
    opened = talon_client.update_customer_session_v2(
        "c-order-1", session("carol", couponCodes=["SUMMER-10"], cartItems=SHIRTS + MUGS)
    )
    assert_coupon_accepted(opened, "SUMMER-10")
    assert_discount_total(opened, "11.4")  # 10% of 84, plus 1 on each of the 3 mugs
    closed = talon_client.update_customer_session_v2("c-order-1", session("carol", state="closed"))
    assert_session_state(talon_client.get_customer_session("c-order-1"), "closed")
    returned = talon_client.return_cart_items(
        "c-order-1", {"return": {"returnedCartItems": [{"position": 0, "quantity": 1}, {"position": 1, "quantity": 2}]}}
    )
    assert_rolled_back(returned, discount=2)  # the discounts of the two returned mugs, one effect per unit
    assert_session_state(talon_client.get_customer_session("c-order-1"), "partially_returned")
    cancelled = talon_client.update_customer_session_v2("c-order-1", session("carol", state="cancelled"))
    assert_rolled_back(cancelled, coupon="SUMMER-10", discount="9.4")  # 8.4 and the mug not returned
    assert [opened, closed, returned, cancelled] == talon_snapshot


def test_reopen_rolls_back(talon_client: TalonClient, talon_snapshot: SnapshotAssertion) -> None:
    talon_client.update_customer_session_v2("c-order-2", session("dave", cartItems=SHIRTS, state="closed"))
    reopened = talon_client.reopen_customer_session("c-order-2")
    assert_rolled_back(reopened)
    assert_session_state(talon_client.get_customer_session("c-order-2"), "open")
    assert reopened == talon_snapshot


def test_profiles_events_and_inventory(talon_client: TalonClient, talon_snapshot: SnapshotAssertion) -> None:
    profile = talon_client.update_customer_profile_v2(
        "erin", {"attributes": {"tier": "gold"}, "responseContent": ["customerProfile"]}, run_rule_engine=True
    )
    bulk = talon_client.update_customer_profiles_v2(
        {"customerProfiles": [{"integrationId": "frank"}, {"integrationId": "grace"}]}, silent="no"
    )
    event = talon_client.track_event_v2({"type": "newsletter_signup", "profileId": "erin"}, silent="no")
    assert_effect(event, "couponCreated")
    inventory = talon_client.get_customer_inventory("alice", profile=True, coupons=True, loyalty=True, giveaways=True)
    talon_client.delete_customer_data("grace")
    assert [profile, bulk, event, inventory] == talon_snapshot


def test_referrals(talon_client: TalonClient, talon_snapshot: SnapshotAssertion) -> None:
    referral = talon_client.create_referral({"campaignId": 3, "advocateProfileIntegrationId": "alice"})
    many = talon_client.create_referrals_for_multiple_advocates(
        {"campaignId": 3, "advocateProfileIntegrationIds": ["bob", "carol"], "usageLimit": 1}, silent="no"
    )
    state = talon_client.update_customer_session_v2(
        "c-order-3", session("heidi", referralCode=referral.code, cartItems=SHIRTS)
    )
    assert_referral_accepted(state, referral.code)
    assert [referral, many, state] == talon_snapshot


def test_coupon_reservations(talon_client: TalonClient, talon_snapshot: SnapshotAssertion) -> None:
    coupon = talon_client.create_coupon_reservation("WALLET/2026", {"integrationIDs": ["ivan", "judy"]})
    reserved = talon_client.get_reserved_customers("WALLET/2026")
    assert sorted(p.integration_id for p in reserved.data) == ["ivan", "judy"]
    talon_client.delete_coupon_reservation("WALLET/2026", {"integrationIDs": ["judy"]})
    after = talon_client.get_reserved_customers("WALLET/2026")
    assert [p.integration_id for p in after.data] == ["ivan"]
    assert [coupon, reserved, after] == talon_snapshot


def test_profile_loyalty(talon_client: TalonClient, talon_snapshot: SnapshotAssertion) -> None:
    # Below the lowest tier (Silver, 5 points) the projected tier has no name: the answer leaves it out.
    no_tier = talon_client.get_loyalty_balances("1", "alice", include_projected_tier=True)
    assert no_tier.balance is not None
    assert no_tier.balance.projected_tier is not None
    assert no_tier.balance.projected_tier.projected_tier_name is None
    state = talon_client.update_customer_session_v2("c-order-4", session("alice", cartItems=SHIRTS, state="closed"))
    assert_loyalty_points(state, added=10, program_id=1)
    activated = talon_client.activate_loyalty_points("2", {"sessionId": "c-order-4"})
    balances = talon_client.get_loyalty_balances("1", "alice", include_tiers=True, include_projected_tier=True)
    transactions = talon_client.get_loyalty_program_profile_transactions("1", "alice", page_size=10)
    points = talon_client.get_loyalty_program_profile_points("1", "alice", status="active")
    talon_client.delete_loyalty_transactions_from_ledgers(
        "1", "alice", {"scope": "SelectedSubledgers", "subledgerIds": ["drinks"]}
    )
    after = talon_client.get_loyalty_balances("1", "alice")
    assert [no_tier, state, activated, balances, transactions, points, after] == talon_snapshot


def test_card_loyalty(talon_client: TalonClient, talon_snapshot: SnapshotAssertion) -> None:
    card = talon_client.generate_loyalty_card("5", {"cardIdentifier": "CARD-0042", "customerProfileIds": ["kim"]})
    linked = talon_client.link_loyalty_card_to_profile("5", "CARD-0042", {"integrationId": "lee"})
    unlinked = talon_client.unlink_loyalty_card_from_profile("5", "CARD-0042", {"integrationId": "lee"})
    talon_client.update_customer_session_v2(
        "c-order-5", session("kim", cartItems=SHIRTS, loyaltyCards=["CARD-0042"], state="closed")
    )
    balances = talon_client.get_loyalty_card_balances("5", "CARD-0042")
    transactions = talon_client.get_loyalty_card_transactions("5", "CARD-0042")
    points = talon_client.get_loyalty_card_points("5", "CARD-0042")
    assert [card, linked, unlinked, balances, transactions, points] == talon_snapshot


def test_audiences(talon_client: TalonClient, talon_snapshot: SnapshotAssertion) -> None:
    audience = talon_client.create_audience_v2({"name": "VIP", "integration": "segment", "integrationId": "seg-1"})
    renamed = talon_client.update_audience_v2(str(audience.id), {"name": "Very important"})
    talon_client.update_customer_profile_audiences(
        {"data": [{"action": "add", "profileIntegrationId": "mia", "audienceId": audience.id}]}
    )
    talon_client.update_audience_customers_attributes(str(audience.id), {"vip": True})
    talon_client.delete_audience_memberships_v2(str(audience.id))
    talon_client.delete_audience_v2(str(audience.id))
    assert [audience, renamed] == talon_snapshot


def test_catalog_achievements_prices_and_campaigns(
    talon_client: TalonClient, talon_snapshot: SnapshotAssertion
) -> None:
    catalog = talon_client.sync_catalog(
        "3", {"actions": [{"type": "ADD", "payload": {"sku": "MUG-1", "price": 8.5, "product": {"name": "Mugs"}}}]}
    )
    talon_client.update_customer_session_v2("c-order-6", session("nina", cartItems=SHIRTS, state="closed"))
    achievements = talon_client.get_customer_achievements("nina")
    history = talon_client.get_customer_achievement_history("nina", "2")
    prices = talon_client.best_prior_price(
        {
            "skus": ["SHIRT-1"],
            "timeframe": "30",
            "timeframeEndDate": "2026-01-01T00:00:00Z",
            "timeframeEndDateType": "strict",
        }
    )
    assert prices[0].price == 27.5
    campaigns = talon_client.integration_get_all_campaigns(page_size=2)
    assert campaigns.has_more
    assert [catalog, achievements, history, prices, campaigns] == talon_snapshot


def test_legacy_v1(talon_client: TalonClient, talon_snapshot: SnapshotAssertion) -> None:
    items = [{"name": "Shirt", "sku": "SHIRT-1", "quantity": 2, "price": 30}]
    v1_session = talon_client.update_customer_session(
        "c-v1", {"profileId": "olga", "coupon": "SUMMER-10", "cartItems": items}
    )
    v1_event = talon_client.track_event({"type": "visit", "sessionId": "c-v1", "profileId": "olga", "attributes": {}})
    v1_profile = talon_client.update_customer_profile("olga", {"attributes": {"tier": "silver"}})
    assert [v1_session, v1_event, v1_profile] == talon_snapshot
