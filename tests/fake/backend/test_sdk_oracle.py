"""Oracle: every body the loyalty, audience, catalog, achievement, pricing, campaign-list and v1 operations
answer with parses with the official talon-one SDK's models.

The SDK has no legacy v1 models (trackEvent, updateCustomerSession, updateCustomerProfile) and no
``IntegrationCampaign`` (integrationGetAllCampaigns): those bodies are checked against our own generated models.
"""

from __future__ import annotations

import inspect
import json
from datetime import timedelta
from typing import Any

import pytest
import talon_one

from pytest_talon import models
from pytest_talon._spec.operations import OPERATIONS_BY_ID
from pytest_talon.client import TalonClient
from pytest_talon.fake import AddLoyaltyPoints, Campaign, FakeTalon, Rule

from .conftest import raw, session

PART_TWO = {
    "getLoyaltyBalances",
    "getLoyaltyCardBalances",
    "getLoyaltyCardTransactions",
    "getLoyaltyProgramProfileTransactions",
    "getLoyaltyCardPoints",
    "getLoyaltyProgramProfilePoints",
    "deleteLoyaltyTransactionsFromLedgers",
    "activateLoyaltyPoints",
    "generateLoyaltyCard",
    "linkLoyaltyCardToProfile",
    "unlinkLoyaltyCardFromProfile",
    "createAudienceV2",
    "updateAudienceV2",
    "deleteAudienceV2",
    "deleteAudienceMembershipsV2",
    "updateCustomerProfileAudiences",
    "syncCatalog",
    "getCustomerAchievements",
    "getCustomerAchievementHistory",
    "bestPriorPrice",
    "integrationGetAllCampaigns",
    "trackEvent",
    "updateCustomerSession",
    "updateCustomerProfile",
}
#: Operations the SDK does not know, with the model of ours their answers are checked with.
NOT_IN_SDK: dict[str, type[models.WireModel]] = {
    "integrationGetAllCampaigns": models.IntegrationCampaignList,
    "trackEvent": models.IntegrationState,
    "updateCustomerSession": models.LegacyIntegrationState,
    "updateCustomerProfile": models.LegacyIntegrationState,
}


@pytest.fixture
def rich(fake: FakeTalon) -> FakeTalon:
    tiers = ({"name": "Silver", "minPoints": 5}, {"name": "Gold", "minPoints": 500})
    fake.add_loyalty_program(id=1, name="Points", sub_ledgers=("drinks",), tiers=tiers, default_validity="30D")
    fake.add_loyalty_program(id=2, name="Later", default_pending="on_action", default_validity="7D")
    fake.add_loyalty_program(id=5, name="Cards", card_based=True, users_per_card_limit=3)
    effects = (AddLoyaltyPoints(1, value=10), AddLoyaltyPoints(2, value=4), AddLoyaltyPoints(5, value=3))
    fake.add_campaign(Campaign(name="earn", rules=(Rule("earn", effects=effects),), tags=("all",)))
    fake.add_catalog(1, "main", items=[{"sku": "A1", "price": 10, "attributes": {"color": "red"}}])
    fake.add_achievement("TwoOrders", "Two orders", 2, campaign_id=1, period="7D")
    fake.add_price_history(
        "A1", 9.0, fake.clock.now() - timedelta(days=3), context_id="x", influencing_campaigns={1: 1.0}
    )
    fake.add_giveaway(1, "GIFT-0001", profile="alice")
    return fake


def drive(fake: FakeTalon, client: TalonClient) -> None:
    card = client.generate_loyalty_card("5", {"customerProfileIds": ["alice"]}).identifier
    client.link_loyalty_card_to_profile("5", card, {"integrationId": "bob"})
    client.unlink_loyalty_card_from_profile("5", card, {"integrationId": "bob"})
    client.update_customer_session_v2("s1", session(items=[("A1", 1, 10.0)], cards=[card], state="closed"))
    client.activate_loyalty_points("2", {"sessionId": "s1"})
    fake.add_loyalty_points(
        1, 3, profile="alice", sub_ledger_id="drinks", expiry_date=fake.clock.now() + timedelta(days=1)
    )
    fake.clock.advance(days=2)
    client.get_loyalty_balances("1", "alice", include_tiers=True, include_projected_tier=True)
    client.get_loyalty_program_profile_transactions("1", "alice")
    for status in ("active", "expired"):
        client.get_loyalty_program_profile_points("1", "alice", status=status)
    client.get_loyalty_card_balances("5", card)
    client.get_loyalty_card_transactions("5", card)
    client.get_loyalty_card_points("5", card)
    client.delete_loyalty_transactions_from_ledgers(
        "1", "alice", {"scope": "SelectedSubledgers", "subledgerIds": ["drinks"]}
    )
    audience = client.create_audience_v2(
        {"name": "VIP", "integration": "segment", "integrationId": "s-1", "sandbox": True}
    )
    client.update_audience_v2(str(audience.id), {"name": "Very important"})
    client.update_customer_profile_audiences(
        {"data": [{"action": "add", "profileIntegrationId": "alice", "audienceId": audience.id}]}
    )
    client.delete_audience_memberships_v2(str(audience.id))
    client.delete_audience_v2(str(audience.id))
    client.sync_catalog(
        "1", {"actions": [{"type": "ADD", "payload": {"sku": "B2", "price": 3, "product": {"name": "Bee"}}}]}
    )
    client.get_customer_achievements("alice")
    client.get_customer_achievement_history("alice", "1")
    end = fake.clock.now().isoformat()
    client.best_prior_price(
        {"skus": ["A1"], "timeframe": "30", "timeframeEndDate": end, "timeframeEndDateType": "strict"}
    )
    client.integration_get_all_campaigns()
    v1_items = [{"name": "A", "sku": "A1", "quantity": 1, "price": 10}]
    client.update_customer_session("v1", {"profileId": "alice", "coupon": "NOPE-1", "cartItems": v1_items})
    client.track_event({"type": "visit", "sessionId": "v1", "attributes": {}})
    client.update_customer_profile("alice", {"attributes": {"x": 1}})
    client.get_customer_inventory("alice", profile=True, loyalty=True, giveaways=True, achievements=True)


def check_with_sdk(operation_id: str, body: Any) -> None:
    if operation_id in NOT_IN_SDK:
        NOT_IN_SDK[operation_id].from_wire(body)
        return
    method = getattr(talon_one.IntegrationApi, OPERATIONS_BY_ID[operation_id].method_name)
    answer = inspect.signature(method).return_annotation
    if isinstance(body, list):
        for item in body:
            talon_one.BestPriorPrice.from_json(json.dumps(item))
    else:
        answer.from_json(json.dumps(body))


def test_every_domain_response_parses_with_the_sdk(rich: FakeTalon, client: TalonClient) -> None:
    drive(rich, client)
    seen = set()
    for entry in rich.requests:
        assert entry.status < 300, (entry.operation_id, entry.response_json)
        assert entry.operation_id is not None
        seen.add(entry.operation_id)
        if entry.response_json is not None:
            check_with_sdk(entry.operation_id, entry.response_json)
    assert seen >= PART_TWO


@pytest.mark.parametrize(
    ("method", "path", "body", "schema"),
    [
        ("GET", "/v1/loyalty_programs/9/profile/alice/balances", None, "ErrorResponseWithStatus"),
        ("GET", "/v1/loyalty_programs/1/profile/alice/points?status=x", None, "ErrorResponseWithStatus"),
        ("POST", "/v2/audiences", {"name": ""}, "ErrorResponseWithStatus"),
        ("PUT", "/v1/catalogs/1/sync", {"actions": []}, "ErrorResponse"),
        ("GET", "/v1/customer_profiles/nobody/achievements", None, "ErrorResponseWithStatus"),
    ],
)
def test_domain_error_bodies_parse_with_the_sdk(
    rich: FakeTalon, method: str, path: str, body: Any, schema: str
) -> None:
    rich.add_loyalty_points(1, 1, profile="alice")
    response = raw(rich, method, path, json=body) if body is not None else raw(rich, method, path)
    assert response.status_code in (400, 404)
    getattr(talon_one, schema).from_json(response.text)
    assert ("StatusCode" in response.json()) == (schema == "ErrorResponseWithStatus")
