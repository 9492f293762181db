"""The official SDK (talon-one-sdk) drives each of its 35 Integration API operations against the fake's loopback
server; every raw answer must be valid against the spec's response schema and a success (issue 12).

The answers are read raw (the SDK's ``*_without_preload_content`` methods), so an invalid answer is reported by
the schema, with its JSON path, rather than by the SDK's parser. One case per operation.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

import pytest
import talon_one

from pytest_talon._spec.operations import OPERATIONS_BY_ID
from pytest_talon.fake import FakeTalon
from tests._spec import spec_errors
from tests.contract.conftest import APPLICATION
from tests.contract.test_spec_valid import KNOWN_INVALID

EVERYTHING = ["customerSession", "customerProfile", "coupons", "triggeredCampaigns", "referral", "loyalty", "event"]
PROFILE_PARTS = ["customerProfile", "triggeredCampaigns", "loyalty", "event", "ruleFailureReasons"]
SHIRTS = [{"sku": "SHIRT-1", "quantity": 2, "price": 30}]
CARD = "CARD-0042"


def _session(profile: str, **fields: Any) -> tuple[str, dict[str, Any]]:
    return "IntegrationRequest", {"customerSession": {"profileId": profile, **fields}, "responseContent": EVERYTHING}


#: (operationId, path arguments, body (SDK model name, wire dict) or None, query keyword arguments), in order.
#: ``AUDIENCE`` stands for the id the fake gave the audience created first.
AUDIENCE = object()
PLAN: list[tuple[str, tuple[Any, ...], tuple[str, Any] | None, dict[str, Any]]] = [
    ("updateCustomerSessionV2", ("s-1",), _session("carol", couponCodes=["SUMMER-10"], cartItems=SHIRTS), {}),
    ("updateCustomerSessionV2", ("s-1",), _session("carol", state="closed"), {}),
    ("getCustomerSession", ("s-1",), None, {}),
    (
        "returnCartItems",
        ("s-1",),
        ("ReturnIntegrationRequest", {"return": {"returnedCartItems": [{"position": 0}]}}),
        {},
    ),
    ("updateCustomerSessionV2", ("s-2",), _session("alice", cartItems=SHIRTS, state="closed"), {}),
    ("reopenCustomerSession", ("s-2",), None, {}),
    ("updateCustomerSessionV2", ("s-3",), _session("alice", cartItems=SHIRTS, state="closed"), {}),
    ("activateLoyaltyPoints", (2,), ("ActivateLoyaltyPoints", {"sessionId": "s-3"}), {}),
    (
        "updateCustomerProfileV2",
        ("erin",),
        ("CustomerProfileIntegrationRequestV2", {"attributes": {"tier": "gold"}, "responseContent": PROFILE_PARTS}),
        {"run_rule_engine": True},
    ),
    (
        "updateCustomerProfilesV2",
        (),
        ("MultipleCustomerProfileIntegrationRequest", {"customerProfiles": [{"integrationId": "frank"}]}),
        {"silent": "no"},
    ),
    (
        "trackEventV2",
        (),
        ("IntegrationEventV2Request", {"type": "newsletter_signup", "profileId": "erin"}),
        {"silent": "no"},
    ),
    (
        "getCustomerInventory",
        ("alice",),
        None,
        {"profile": True, "referrals": True, "coupons": True, "loyalty": True, "giveaways": True, "achievements": True},
    ),
    ("createReferral", (), ("NewReferral", {"campaignId": 3, "advocateProfileIntegrationId": "alice"}), {}),
    (
        "createReferralsForMultipleAdvocates",
        (),
        (
            "NewReferralsForMultipleAdvocates",
            {"campaignId": 3, "advocateProfileIntegrationIds": ["bob"], "usageLimit": 1},
        ),
        {"silent": "no"},
    ),
    ("createCouponReservation", ("WALLET/2026",), ("CouponReservations", {"integrationIDs": ["ivan", "judy"]}), {}),
    ("getReservedCustomers", ("WALLET/2026",), None, {}),
    ("deleteCouponReservation", ("WALLET/2026",), ("CouponReservations", {"integrationIDs": ["judy"]}), {}),
    ("getLoyaltyBalances", (1, "alice"), None, {"include_tiers": True, "include_projected_tier": True}),
    ("getLoyaltyProgramProfileTransactions", (1, "alice"), None, {"page_size": 10}),
    ("getLoyaltyProgramProfilePoints", (1, "alice"), None, {"status": "active"}),
    (
        "deleteLoyaltyTransactionsFromLedgers",
        (1, "alice"),
        ("DeleteLoyaltyTransactionsRequest", {"scope": "SelectedSubledgers", "subledgerIds": ["drinks"]}),
        {},
    ),
    ("generateLoyaltyCard", (5,), ("GenerateLoyaltyCard", {"cardIdentifier": CARD, "customerProfileIds": ["kim"]}), {}),
    ("linkLoyaltyCardToProfile", (5, CARD), ("LoyaltyCardRegistration", {"integrationId": "lee"}), {}),
    ("unlinkLoyaltyCardFromProfile", (5, CARD), ("LoyaltyCardRegistration", {"integrationId": "lee"}), {}),
    ("updateCustomerSessionV2", ("s-4",), _session("kim", cartItems=SHIRTS, loyaltyCards=[CARD], state="closed"), {}),
    ("getLoyaltyCardBalances", (5, CARD), None, {}),
    ("getLoyaltyCardTransactions", (5, CARD), None, {}),
    ("getLoyaltyCardPoints", (5, CARD), None, {}),
    ("createAudienceV2", (), ("NewAudience", {"name": "VIP", "integration": "segment", "integrationId": "seg-1"}), {}),
    ("updateAudienceV2", (AUDIENCE,), ("UpdateAudience", {"name": "Very important"}), {}),
    (
        "updateCustomerProfileAudiences",
        (),
        (
            "CustomerProfileAudienceRequest",
            {"data": [{"action": "add", "profileIntegrationId": "mia", "audienceId": 0}]},
        ),
        {},
    ),
    ("updateAudienceCustomersAttributes", (AUDIENCE,), ("dict", {"vip": True}), {}),
    ("deleteAudienceMembershipsV2", (AUDIENCE,), None, {}),
    ("deleteAudienceV2", (AUDIENCE,), None, {}),
    (
        "syncCatalog",
        (3,),
        ("CatalogSyncRequest", {"actions": [{"type": "ADD", "payload": {"sku": "MUG-1", "price": 8.5}}]}),
        {},
    ),
    ("getCustomerAchievements", ("alice",), None, {}),
    ("getCustomerAchievementHistory", ("alice", 2), None, {}),
    (
        "bestPriorPrice",
        (),
        (
            "BestPriorPriceRequest",
            {"skus": ["SHIRT-1"], "timeframe": "30", "timeframeEndDate": "2026-01-01T00:00:00Z", "strictEndDate": True},
        ),
        {},
    ),
    ("deleteCustomerData", ("frank",), None, {}),
]
SDK_OPERATIONS = sorted({operation_id for operation_id, *_ in PLAN})

#: The contract suite's known spec violations; the SDK's richer requests and newer request shapes add none.
SDK_KNOWN_INVALID: dict[str, pytest.MarkDecorator] = {**KNOWN_INVALID}


def _body(kind: str, wire: Any) -> Any:
    return wire if kind == "dict" else getattr(talon_one, kind).from_dict(wire)


def _drive(api: Any) -> dict[str, list[tuple[int, Any]]]:
    answers: dict[str, list[tuple[int, Any]]] = defaultdict(list)
    audience_id = None
    for operation_id, args, body, query in PLAN:
        args = tuple(audience_id if a is AUDIENCE else a for a in args)
        if body is not None and body[0] == "CustomerProfileAudienceRequest":
            body = (body[0], {"data": [{**body[1]["data"][0], "audienceId": audience_id}]})
        call_args = (*args, _body(*body)) if body is not None else args
        method = getattr(api, OPERATIONS_BY_ID[operation_id].method_name + "_without_preload_content")
        raw = method(*call_args, **query)
        data = json.loads(raw.data) if raw.data else None
        answers[operation_id].append((raw.status, data))
        if operation_id == "createAudienceV2":
            audience_id = data["id"]
    return answers


@pytest.fixture(scope="module")
def sdk_answers() -> Iterator[dict[str, list[tuple[int, Any]]]]:
    fake = FakeTalon()
    fake.load_campaigns(APPLICATION)
    with fake.serve() as base_url:
        config = talon_one.Configuration(host=base_url)
        config.api_key = {"api_key_v1": fake.api_key}
        config.api_key_prefix = {"api_key_v1": "ApiKey-v1"}
        with talon_one.ApiClient(config) as client:
            yield _drive(talon_one.IntegrationApi(client))


def test_the_plan_covers_every_operation_the_sdk_has() -> None:
    sdk_methods = {
        op.operation_id for op in OPERATIONS_BY_ID.values() if hasattr(talon_one.IntegrationApi, op.method_name)
    }
    assert sorted(sdk_methods) == SDK_OPERATIONS
    assert len(SDK_OPERATIONS) == 35


@pytest.mark.parametrize("operation_id", [pytest.param(o, marks=SDK_KNOWN_INVALID.get(o, ())) for o in SDK_OPERATIONS])
def test_every_sdk_answer_is_a_valid_success(sdk_answers: dict[str, list[tuple[int, Any]]], operation_id: str) -> None:
    problems = [
        f"answer {index} ({status}): {problem}"
        for index, (status, body) in enumerate(sdk_answers[operation_id])
        for problem in ([] if status < 300 else [f"not a success: {json.dumps(body)[:300]}"])
        + spec_errors(operation_id, status, body)
    ]
    assert not problems, f"{operation_id} answers to the official SDK break the spec:\n" + "\n".join(problems)
