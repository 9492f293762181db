"""Oracle: every body the fake answers with must parse with the official talon-one SDK's strict models, both for
responses collected in-process and end to end, the unmodified SDK client talking to the loopback server."""

from __future__ import annotations

import inspect
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import talon_one

from pytest_talon._spec.operations import OPERATIONS_BY_ID
from pytest_talon.client import TalonClient
from pytest_talon.fake import FakeTalon

from .conftest import session

EXAMPLE = Path(__file__).parents[2] / "examples" / "campaigns.yaml"
PART_ONE = {
    "updateCustomerSessionV2",
    "getCustomerSession",
    "returnCartItems",
    "reopenCustomerSession",
    "updateCustomerProfileV2",
    "updateCustomerProfilesV2",
    "trackEventV2",
    "createReferral",
    "createReferralsForMultipleAdvocates",
    "createCouponReservation",
    "deleteCouponReservation",
    "getReservedCustomers",
    "getCustomerInventory",
    "deleteCustomerData",
}
EVERYTHING = [
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
PROFILE_PARTS = ["customerProfile", "triggeredCampaigns", "loyalty", "event", "awardedGiveaways", "ruleFailureReasons"]


def sdk_model(operation_id: str) -> Any:
    """The SDK class the official client parses this operation's answer with."""
    method = getattr(talon_one.IntegrationApi, OPERATIONS_BY_ID[operation_id].method_name)
    return inspect.signature(method).return_annotation


def drive(client: TalonClient) -> None:
    """Call every session, profile, event, coupon and referral operation with rich state, so every effect type
    and response part shows up."""
    items = [
        {"sku": "SHIRT-1", "quantity": 2, "price": 30.0},
        {"sku": "BAG-1", "quantity": 1, "price": 20.0, "category": "accessories", "attributes": {"eco": True}},
    ]
    body = session(
        "bob",
        coupons=["SUMMER-10", "NOPE-1"],
        referral="ALICE-REF",
        cartItems=items,
        additionalCosts={"shipping": {"price": 5}},
        content=EVERYTHING,
    )
    client.update_customer_profile_v2("alice", {"attributes": {"tier": "gold"}})
    client.update_customer_session_v2("warmup", session("alice", items=[("A", 1, 100.0)], state="closed"))
    spend = session("alice", items=[("A", 1, 10.0)], attributes={"usePoints": True}, state="closed", content=EVERYTHING)
    client.update_customer_session_v2("s3", spend)
    client.update_customer_session_v2("s3", session("alice", state="cancelled", content=EVERYTHING))
    client.update_customer_session_v2("s1", body)
    client.update_customer_session_v2("s1", session("bob", state="closed", content=EVERYTHING))
    client.get_customer_session("s1")
    client.return_cart_items(
        "s1",
        {
            "return": {"returnedCartItems": [{"position": 0, "quantity": 1}]},
            "responseContent": [*EVERYTHING[:7], "previousReturns"],
        },
        run_rule_engine=True,
    )
    client.update_customer_session_v2("s1", session("bob", state="cancelled", content=EVERYTHING))
    client.update_customer_session_v2(
        "s2", session("alice", items=[("B", 1, 60.0)], coupons=["SUMMER-10"], state="closed")
    )
    client.reopen_customer_session("s2")
    client.update_customer_profile_v2(
        "carol",
        {
            "attributes": {"tier": "gold"},
            "audiencesChanges": {"adds": [10], "deletes": []},
            "responseContent": PROFILE_PARTS,
        },
        run_rule_engine=True,
    )
    client.update_customer_profiles_v2(
        {"customerProfiles": [{"integrationId": "dave", "attributes": {"a": 1}}]}, silent="no"
    )
    for event_type in ("newsletter_signup", "newsletter_unsubscribe", "vip_joined"):
        client.track_event_v2({"type": event_type, "profileId": "carol", "responseContent": PROFILE_PARTS}, silent="no")
    client.create_referral(
        {"campaignId": 4, "advocateProfileIntegrationId": "erin", "friendProfileIntegrationId": "frank"}
    )
    client.create_referrals_for_multiple_advocates(
        {"campaignId": 4, "advocateProfileIntegrationIds": ["g", "h"], "usageLimit": 1}, silent="no"
    )
    client.create_coupon_reservation("SUMMER-ONCE", {"integrationIDs": ["alice", "carol"]})
    client.get_reserved_customers("SUMMER-ONCE")
    client.delete_coupon_reservation("SUMMER-ONCE", {"integrationIDs": ["carol"]})
    for who in ("alice", "carol"):
        client.get_customer_inventory(
            who, profile=True, coupons=True, referrals=True, loyalty=True, giveaways=True, achievements=True
        )
    client.delete_customer_data("dave")


@pytest.fixture
def rich(fake: FakeTalon) -> FakeTalon:
    fake.load_campaigns(EXAMPLE)
    return fake


def test_every_response_parses_with_the_sdk(rich: FakeTalon, client: TalonClient) -> None:
    drive(client)
    seen: set[str] = set()
    effect_types: set[str] = set()
    for entry in rich.requests:
        assert entry.status < 300, (entry.operation_id, entry.response_json)
        assert entry.operation_id is not None
        seen.add(entry.operation_id)
        effect_types.update(entry.effect_types)
        if entry.response_json is not None:
            sdk_model(entry.operation_id).from_json(json.dumps(entry.response_json))
    assert seen == PART_ONE
    assert {
        "acceptCoupon",
        "rejectCoupon",
        "acceptReferral",
        "setDiscountPerItem",
        "setDiscountPerAdditionalCost",
        "addLoyaltyPoints",
        "deductLoyaltyPoints",
        "rollbackCoupon",
        "rollbackReferral",
        "rollbackDiscount",
        "rollbackAddedLoyaltyPoints",
        "rollbackDeductedLoyaltyPoints",
        "couponCreated",
        "referralCreated",
        "reserveCoupon",
        "addToAudience",
        "removeFromAudience",
        "customEffect",
        "triggerWebhook",
        "updateAttribute",
        "showNotification",
        "addFreeItem",
    } <= effect_types


def test_error_bodies_parse_with_the_sdk(fake: FakeTalon, client: TalonClient) -> None:
    from .conftest import raw

    with_status = raw(fake, "GET", "/v1/customer_profiles/nobody/inventory").json()
    talon_one.ErrorResponseWithStatus.from_json(json.dumps(with_status))
    plain = raw(fake, "PUT", "/v2/customer_sessions/s1", json={"customerSession": {"state": "weird"}}).json()
    talon_one.ErrorResponse.from_json(json.dumps(plain))


@pytest.fixture
def sdk(rich: FakeTalon) -> Iterator[Any]:
    with rich.serve() as base_url:
        config = talon_one.Configuration(host=base_url)
        config.api_key = {"api_key_v1": rich.api_key}
        config.api_key_prefix = {"api_key_v1": "ApiKey-v1"}
        with talon_one.ApiClient(config) as api_client:
            yield talon_one.IntegrationApi(api_client)


def test_official_sdk_end_to_end_against_the_loopback_server(rich: FakeTalon, sdk: Any) -> None:
    m = talon_one
    item = m.CartItem(sku="SHIRT-1", quantity=2, price=30.0)
    new = m.NewCustomerSessionV2(
        profile_id="bob", coupon_codes=["SUMMER-10"], referral_code="ALICE-REF", cart_items=[item]
    )
    state = sdk.update_customer_session_v2(
        "s1", m.IntegrationRequest(customer_session=new, response_content=["customerSession", "coupons"])
    )
    assert {e.effect_type for e in state.effects} >= {"acceptCoupon", "acceptReferral", "setDiscount"}
    assert state.customer_session.state == "open"
    closed = m.NewCustomerSessionV2(state="closed")
    sdk.update_customer_session_v2("s1", m.IntegrationRequest(customer_session=closed))
    assert sdk.get_customer_session("s1").customer_session.state == "closed"
    returned = m.ReturnIntegrationRequest(
        var_return=m.NewReturn(returned_cart_items=[m.ReturnedCartItem(position=0, quantity=1)])
    )
    assert sdk.return_cart_items("s1", returned).var_return.returned_cart_items[0].quantity == 1
    sdk.update_customer_session_v2(
        "s2", m.IntegrationRequest(customer_session=m.NewCustomerSessionV2(profile_id="bob", state="closed"))
    )
    assert isinstance(sdk.reopen_customer_session("s2").effects, list)
    profile = sdk.update_customer_profile_v2(
        "carol", m.CustomerProfileIntegrationRequestV2(attributes={"tier": "gold"}), run_rule_engine=True
    )
    assert profile.effects == [] or profile.effects is not None
    bulk = m.MultipleCustomerProfileIntegrationRequest(
        customer_profiles=[m.MultipleCustomerProfileIntegrationRequestItem(integration_id="dave")]
    )
    assert (
        sdk.update_customer_profiles_v2(bulk, silent="no").integration_states[0].customer_profile.integration_id
        == "dave"
    )
    event = sdk.track_event_v2(m.IntegrationEventV2Request(type="newsletter_signup", profile_id="carol"), silent="no")
    assert "couponCreated" in {e.effect_type for e in event.effects}
    referral = sdk.create_referral(m.NewReferral(campaign_id=4, advocate_profile_integration_id="erin"))
    assert referral.usage_counter == 0
    many = m.NewReferralsForMultipleAdvocates(campaign_id=4, advocate_profile_integration_ids=["g"], usage_limit=1)
    assert sdk.create_referrals_for_multiple_advocates(many, silent="no").total_result_size == 1
    assert (
        sdk.create_coupon_reservation("SUMMER-ONCE", m.CouponReservations(integration_ids=["carol"])).value
        == "SUMMER-ONCE"
    )
    assert sdk.get_reserved_customers("SUMMER-ONCE").total_result_size == 1
    sdk.delete_coupon_reservation("SUMMER-ONCE", m.CouponReservations(integration_ids=["carol"]))
    inventory = sdk.get_customer_inventory("alice", profile=True, referrals=True, coupons=True)
    assert inventory.referrals[0].code == "ALICE-REF"
    sdk.delete_customer_data("dave")
    with pytest.raises(talon_one.ApiException) as info:
        sdk.get_customer_inventory("nobody")
    assert info.value.status == 404
