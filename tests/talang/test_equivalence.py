"""The Talang twins of examples/campaigns.yaml (examples/campaigns-talang.yaml) answer exactly as the declared
campaigns do: the same sessions, built with the factories, give the same effects, verdicts and created codes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pytest_talon.factories import CartItemFactory, NewCustomerSessionV2Factory, use_seed
from pytest_talon.fake import FakeTalon

EXAMPLES = Path(__file__).parents[2] / "examples"
DECLARED = yaml.safe_load((EXAMPLES / "campaigns.yaml").read_text())
TWINS = yaml.safe_load((EXAMPLES / "campaigns-talang.yaml").read_text())["campaigns"]
AUTH = {"Authorization": "ApiKey-v1 fake-talon-api-key"}


def with_twins() -> dict[str, Any]:
    """The example file with each campaign that has a Talang twin replaced by it."""
    twins = {twin["id"]: twin for twin in TWINS}
    return {**DECLARED, "campaigns": [twins.get(c["id"], c) for c in DECLARED["campaigns"]]}


def test_every_twin_is_a_talang_campaign_of_the_example_with_the_same_rule_titles() -> None:
    declared = {c["id"]: c for c in DECLARED["campaigns"]}
    for twin in TWINS:
        original = declared[twin["id"]]
        assert "rules" not in twin
        assert twin["name"] == original["name"]
        assert [r["title"] for r in twin["ruleset"]["rules"]] == [r["title"] for r in original["rules"]]
    assert sorted(set(declared) - {t["id"] for t in TWINS}) == [5]  # audiences, attributes, achievements


def fake_of(campaigns: dict[str, Any]) -> FakeTalon:
    fake = FakeTalon()
    fake.load_campaigns(campaigns)
    url = f"{fake.base_url}/v2/customer_profiles/alice"
    body = {"attributes": {"tier": "gold"}}
    assert fake.handle(httpx.Request("PUT", url, json=body, headers=AUTH)).status_code == 200
    return fake


def put(fake: FakeTalon, session_id: str, session: dict[str, Any]) -> tuple[int, Any]:
    url = f"{fake.base_url}/v2/customer_sessions/{session_id}"
    body = {"customerSession": session, "responseContent": ["ruleFailureReasons", "triggeredCampaigns", "loyalty"]}
    response = fake.handle(httpx.Request("PUT", url, json=body, headers=AUTH))
    return response.status_code, response.json()


_tweaks = st.fixed_dictionaries(
    {
        "seed": st.integers(0, 2**32),
        "profile": st.sampled_from(["alice", "bob", "", None]),
        "coupons": st.lists(st.sampled_from(["SUMMER-10", "SUMMER-ONCE", "VIP-2026", "NOPE-1"]), max_size=2),
        "referral": st.sampled_from([None, "ALICE-REF", "NOPE-REF"]),
        "shirts": st.integers(0, 3),
        "accessories": st.booleans(),
        "eco": st.booleans(),
        "use_points": st.sampled_from([None, True, False]),
        "close": st.booleans(),
    }
)


def session_of(tweaks: dict[str, Any]) -> dict[str, Any]:
    """A factory-built session, steered towards what the example campaigns look at."""
    with use_seed(tweaks["seed"]):
        session = NewCustomerSessionV2Factory.build_dict()
        extra = [CartItemFactory.build_dict(sku="SHIRT-1", quantity=n) for n in range(1, tweaks["shirts"] + 1)]
        if tweaks["accessories"]:
            extra.append(CartItemFactory.build_dict(category="accessories"))
        if tweaks["eco"]:
            extra.append(CartItemFactory.build_dict(attributes={"eco": True}))
    session["cartItems"] = [*session.get("cartItems", []), *extra]
    if tweaks["profile"] is not None:
        session["profileId"] = tweaks["profile"]
    session["couponCodes"] = tweaks["coupons"]
    if tweaks["referral"] is not None:
        session["referralCode"] = tweaks["referral"]
    if tweaks["use_points"] is not None:
        session["attributes"] = {**session.get("attributes", {}), "usePoints": tweaks["use_points"]}
    return session


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(first=_tweaks, second=_tweaks)
def test_declared_campaigns_and_their_talang_twins_give_the_same_answers(
    first: dict[str, Any], second: dict[str, Any]
) -> None:
    declared, twins = fake_of(DECLARED), fake_of(with_twins())
    for session_id, tweaks in (("s1", first), ("s2", second)):
        session = session_of(tweaks)
        assert put(twins, session_id, session) == put(declared, session_id, session)
        if tweaks["close"]:
            closed = {**session, "state": "closed"}
            assert put(twins, session_id, closed) == put(declared, session_id, closed)


def test_the_twins_give_the_same_answer_on_a_hand_picked_session() -> None:
    declared, twins = fake_of(DECLARED), fake_of(with_twins())
    session = {
        "profileId": "alice",
        "couponCodes": ["SUMMER-10"],
        "cartItems": [
            {"sku": "SHIRT-1", "quantity": 2, "price": 30.0},
            {"sku": "BELT-1", "quantity": 1, "price": 19.99, "category": "accessories", "attributes": {"eco": True}},
        ],
        "additionalCosts": {"shipping": {"price": 4.95}},
        "attributes": {"usePoints": True},
        "state": "closed",
    }
    status, answer = put(twins, "s1", session)
    assert (status, answer) == put(declared, "s1", session)
    assert [e["effectType"] for e in answer["effects"]] == [
        "acceptCoupon",
        "setDiscount",
        "showNotification",
        "setDiscountPerItem",
        "setDiscountPerItem",
        "setDiscountPerAdditionalCost",
        "addFreeItem",
        "addLoyaltyPoints",
        "deductLoyaltyPoints",
        "setDiscount",
        "referralCreated",
    ]
