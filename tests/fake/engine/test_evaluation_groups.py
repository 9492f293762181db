"""Campaign evaluation groups: stackable, listOrder and highestDiscount, exclusions, and their declarations."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import talon_one

from pytest_talon.client import TalonClient
from pytest_talon.fake import (
    Campaign,
    CartSubtotal,
    CouponValid,
    CreateCoupon,
    EvaluationGroup,
    EventType,
    FakeSetupError,
    FakeTalon,
    ReferralValid,
    Rule,
    SessionAttribute,
    SetDiscount,
    ShowNotification,
    UpdateAttribute,
)

from ..conftest import session


def coupon_campaign(fake: FakeTalon, name: str, *effects: Any, conditions: tuple[Any, ...] = ()) -> Campaign:
    """A campaign whose one coupon rule fires ``effects``, with a coupon ``<NAME>-1``."""
    rule = Rule(f"{name} rule", conditions=(CouponValid(), *conditions), effects=effects)
    campaign = fake.add_campaign(Campaign(name=name, rules=(rule,)))
    fake.add_coupon(f"{name.upper()}-1", campaign.id)
    return campaign


def plain_campaign(fake: FakeTalon, name: str, *effects: Any, conditions: tuple[Any, ...] = ()) -> Campaign:
    """A campaign whose one rule (no coupon) fires ``effects``."""
    return fake.add_campaign(Campaign(name=name, rules=(Rule(f"{name} rule", conditions, effects),)))


def update(client: TalonClient, *codes: str, subtotal: float = 100.0, **extra: Any) -> list[dict[str, Any]]:
    """Update session s1 of alice with ``codes`` and one item worth ``subtotal``; the raw effects."""
    client.update_customer_session_v2("s1", session(coupons=list(codes), items=[("a", 1, subtotal)], **extra))
    effects: list[dict[str, Any]] = client.last_response.json()["effects"]
    return effects


def verdicts(effects: list[dict[str, Any]]) -> dict[str, tuple[str, ...]]:
    """Each code's verdict: ``("accept",)`` or ``("reject", reason, exclusion reason or "")``."""
    out: dict[str, tuple[str, ...]] = {}
    for e in effects:
        props = e["props"]
        if e["effectType"] in ("acceptCoupon", "acceptReferral"):
            out[props["value"]] = ("accept",)
        elif e["effectType"] in ("rejectCoupon", "rejectReferral"):
            out[props["value"]] = ("reject", props["rejectionReason"], props.get("campaignExclusionReason", ""))
    return out


def discounts(effects: list[dict[str, Any]]) -> list[tuple[int, float]]:
    return [(e["campaignId"], e["props"]["value"]) for e in effects if e["effectType"] == "setDiscount"]


def test_stackable_group_applies_every_campaign_and_tags_its_effects(fake: FakeTalon, client: TalonClient) -> None:
    first = coupon_campaign(fake, "First", SetDiscount("five", value=5))
    second = coupon_campaign(fake, "Second", SetDiscount("seven", value=7))
    outside = plain_campaign(fake, "Outside", ShowNotification("hi", "there"))
    group = fake.add_evaluation_group(mode="stackable", campaigns=[first.id, second.id])
    effects = update(client, "FIRST-1", "SECOND-1")
    assert verdicts(effects) == {"FIRST-1": ("accept",), "SECOND-1": ("accept",)}
    assert discounts(effects) == [(first.id, 5.0), (second.id, 7.0)]
    for effect in effects:
        tags = (effect.get("evaluationGroupID"), effect.get("evaluationGroupMode"))
        assert tags == ((None, None) if effect["campaignId"] == outside.id else (group.id, "stackable"))


def test_list_order_keeps_the_first_campaign_in_the_group_order(fake: FakeTalon, client: TalonClient) -> None:
    low = coupon_campaign(fake, "Low", SetDiscount("five", value=5), ShowNotification("low", "dropped"))
    high = coupon_campaign(fake, "High", SetDiscount("seven", value=7))
    fake.add_evaluation_group(mode="listOrder", campaigns=[high.id, low.id])  # high first although its id is later
    effects = update(client, "LOW-1", "HIGH-1")
    assert verdicts(effects) == {
        "HIGH-1": ("accept",),
        "LOW-1": ("reject", "CouponPartOfNotTriggeredCampaign", "CampaignIsNotFirst"),
    }
    assert discounts(effects) == [(high.id, 7.0)]
    assert [e["effectType"] for e in effects if e["campaignId"] == low.id] == ["rejectCoupon"]
    rejected = next(e for e in effects if e["effectType"] == "rejectCoupon")
    assert (rejected["campaignId"], rejected["triggeredByCoupon"]) == (low.id, fake.coupon("LOW-1").id)
    assert (rejected["evaluationGroupMode"], rejected["props"]["value"]) == ("listOrder", "LOW-1")


def test_list_order_falls_through_to_the_next_campaign_that_fires(fake: FakeTalon, client: TalonClient) -> None:
    picky = coupon_campaign(fake, "Picky", SetDiscount("big", value=50), conditions=(CartSubtotal(">=", 500),))
    fallback = coupon_campaign(fake, "Fallback", SetDiscount("small", value=3))
    fake.add_evaluation_group(mode="listOrder", campaigns=[picky.id, fallback.id])
    effects = update(client, "PICKY-1", "FALLBACK-1")
    assert verdicts(effects) == {"FALLBACK-1": ("accept",), "PICKY-1": ("reject", "CouponRejectedByCondition", "")}
    assert discounts(effects) == [(fallback.id, 3.0)]


def test_highest_discount_compares_each_campaign_alone(fake: FakeTalon, client: TalonClient) -> None:
    fifteen = coupon_campaign(fake, "Fifteen", SetDiscount("fifteen", value=15))
    eighteen = coupon_campaign(fake, "Eighteen", SetDiscount("eighteen", value=18))
    effects = update(client, "FIFTEEN-1", "EIGHTEEN-1", subtotal=20.0)
    assert discounts(effects) == [(fifteen.id, 15.0), (eighteen.id, 5.0)]  # ungrouped: the second is capped
    fake.add_evaluation_group(mode="highestDiscount", campaigns=[fifteen.id, eighteen.id])
    effects = update(client, "FIFTEEN-1", "EIGHTEEN-1", subtotal=20.0)
    assert discounts(effects) == [(eighteen.id, 18.0)]
    assert verdicts(effects)["FIFTEEN-1"] == ("reject", "CouponPartOfNotTriggeredCampaign", "CampaignGaveLowerDiscount")


def test_highest_discount_tie_goes_to_the_earlier_campaign_in_the_group(fake: FakeTalon, client: TalonClient) -> None:
    one = coupon_campaign(fake, "One", SetDiscount("a", value=4))
    two = coupon_campaign(fake, "Two", SetDiscount("b", value=4))
    fake.add_evaluation_group(mode="highestDiscount", campaigns=[two.id, one.id])
    assert discounts(update(client, "ONE-1", "TWO-1")) == [(two.id, 4.0)]


def test_excluded_referral_campaign(fake: FakeTalon, client: TalonClient) -> None:
    first = plain_campaign(fake, "Always first", SetDiscount("d", value=2))
    referrals = fake.add_campaign(
        Campaign(name="Friends", rules=(Rule("friend", (ReferralValid(),), (SetDiscount("f", value=5),)),))
    )
    fake.add_referral("FRIEND-1", referrals.id, advocate="bob")
    fake.add_evaluation_group(mode="listOrder", campaigns=[first.id, referrals.id])
    effects = update(client, referral="FRIEND-1")
    assert verdicts(effects) == {
        "FRIEND-1": ("reject", "ReferralPartOfNotTriggeredCampaign", "CampaignIsNotFirst"),
    }
    assert discounts(effects) == [(first.id, 2.0)]


def test_closing_counts_only_the_applied_campaigns(fake: FakeTalon, client: TalonClient) -> None:
    kept = coupon_campaign(fake, "Kept", SetDiscount("a", value=5))
    left = coupon_campaign(fake, "Left", SetDiscount("b", value=5))
    fake.add_evaluation_group(mode="listOrder", campaigns=[kept.id, left.id])
    update(client, "KEPT-1", "LEFT-1", state="closed", content=["triggeredCampaigns"])
    assert [c["id"] for c in client.last_response.json()["triggeredCampaigns"]] == [kept.id]
    assert (fake.coupon("KEPT-1").usage_counter, fake.coupon("LEFT-1").usage_counter) == (1, 0)
    assert fake.profile("alice").closed_sessions == 1


def test_left_out_campaigns_leave_no_trace_in_ids_or_attributes(fake: FakeTalon, client: TalonClient) -> None:
    loser = plain_campaign(fake, "Loser", CreateCoupon(), UpdateAttribute("session.flag", {"set": True}))
    winner = plain_campaign(fake, "Winner", CreateCoupon())
    after = plain_campaign(fake, "After", CreateCoupon(), conditions=(SessionAttribute("flag", "exists"),))
    fake.add_evaluation_group(mode="listOrder", campaigns=[winner.id, loser.id])
    effects = update(client)
    created = [(e["campaignId"], e["props"]["value"]) for e in effects if e["effectType"] == "couponCreated"]
    assert created == [(winner.id, "GEN-0001")]  # the loser's code and attribute were undone
    assert after.id not in {e["campaignId"] for e in effects}
    assert "flag" not in (fake.session("s1").attributes or {})


def test_campaign_outside_groups_is_unaffected(fake: FakeTalon, client: TalonClient) -> None:
    one = coupon_campaign(fake, "One", SetDiscount("a", value=5))
    two = coupon_campaign(fake, "Two", SetDiscount("b", value=5))
    plain_campaign(fake, "Outside", SetDiscount("c", value=1), ShowNotification("t", "b"))
    before = [e for e in update(client, "ONE-1", "TWO-1") if e["campaignId"] == 3]
    fake.add_evaluation_group(mode="highestDiscount", campaigns=[one.id, two.id])
    after = [e for e in update(client, "ONE-1", "TWO-1") if e["campaignId"] == 3]
    assert after == before
    assert [e["effectType"] for e in after] == ["setDiscount", "showNotification"]


def test_rule_failures_carry_the_group(fake: FakeTalon, client: TalonClient) -> None:
    picky = coupon_campaign(fake, "Picky", SetDiscount("big", value=50), conditions=(CartSubtotal(">=", 500),))
    group = fake.add_evaluation_group(EvaluationGroup("listOrder", (picky.id,), name="solo"))
    update(client, "PICKY-1", content=["ruleFailureReasons"])
    (failure,) = client.last_response.json()["ruleFailureReasons"]
    assert (failure["evaluationGroupID"], failure["evaluationGroupMode"]) == (group.id, "listOrder")
    assert (failure["couponValue"], failure["conditionIndex"]) == ("PICKY-1", 1)


def test_codes_outside_a_dry_runs_evaluation_set(fake: FakeTalon, client: TalonClient) -> None:
    listed = coupon_campaign(fake, "Listed", SetDiscount("a", value=1))
    coupon_campaign(fake, "Unlisted", SetDiscount("b", value=1))
    body = session(coupons=["LISTED-1", "UNLISTED-1"], items=[("a", 1, 10.0)], evaluableCampaignIds=[listed.id])
    client.update_customer_session_v2("s1", body, dry=True)
    assert verdicts(client.last_response.json()["effects"]) == {
        "LISTED-1": ("accept",),
        "UNLISTED-1": ("reject", "CouponPartOfNotTriggeredCampaign", "CampaignNotInEvaluationSet"),
    }


def test_force_complete_evaluation_ignores_groups(fake: FakeTalon, client: TalonClient) -> None:
    first = plain_campaign(fake, "First", ShowNotification("1", "x"), conditions=(EventType("signup"),))
    second = plain_campaign(fake, "Second", ShowNotification("2", "y"), conditions=(EventType("signup"),))
    fake.add_evaluation_group(mode="listOrder", campaigns=[first.id, second.id])
    event = {"type": "signup", "profileId": "alice"}
    grouped = client.track_event_v2(event, silent="no", dry=True).effects
    assert [(e.campaign_id, e.evaluation_group_mode) for e in grouped] == [(first.id, "listOrder")]
    complete = client.track_event_v2(event, silent="no", dry=True, force_complete_evaluation=True).effects
    assert [(e.campaign_id, e.evaluation_group_id) for e in complete] == [(first.id, None), (second.id, None)]


def test_the_sdk_parses_grouped_answers(fake: FakeTalon, client: TalonClient) -> None:
    low = coupon_campaign(fake, "Low", SetDiscount("a", value=2))
    high = coupon_campaign(fake, "High", SetDiscount("b", value=9))
    group = fake.add_evaluation_group(mode="highestDiscount", campaigns=[low.id, high.id], id=7)
    update(client, "LOW-1", "HIGH-1", content=["triggeredCampaigns", "ruleFailureReasons"])
    state = talon_one.models.IntegrationStateV2.from_json(client.last_response.text)
    assert state is not None
    by_type = {e.effect_type: e for e in state.effects}
    assert (by_type["setDiscount"].evaluation_group_id, by_type["setDiscount"].evaluation_group_mode) == (
        group.id,
        "highestDiscount",
    )
    assert by_type["rejectCoupon"].props["campaignExclusionReason"] == "CampaignGaveLowerDiscount"
    assert [c.id for c in state.triggered_campaigns or []] == [high.id]


# ---- declarations --------------------------------------------------------------------------------------------


def test_campaigns_file_vocabulary(tmp_path: Path, fake: FakeTalon, client: TalonClient) -> None:
    rule = {"title": "r", "conditions": [{"couponValid": {}}], "effects": [{"setDiscount": {"name": "d", "value": 3}}]}
    data = {
        "campaigns": [{"id": 1, "name": "A", "rules": [rule]}, {"id": 2, "name": "B", "rules": [rule]}],
        "evaluationGroups": [{"id": 4, "name": "Exclusive", "mode": "listOrder", "campaigns": [2, 1]}],
        "coupons": [{"value": "A-001", "campaignId": 1}, {"value": "B-001", "campaignId": 2}],
    }
    path = tmp_path / "campaigns.json"
    path.write_text(json.dumps(data))
    fake.load_campaigns(path)
    assert fake.app.evaluation_groups == {4: EvaluationGroup("listOrder", (2, 1), id=4, name="Exclusive")}
    assert verdicts(update(client, "A-001", "B-001")) == {
        "B-001": ("accept",),
        "A-001": ("reject", "CouponPartOfNotTriggeredCampaign", "CampaignIsNotFirst"),
    }


@pytest.mark.parametrize(
    ("group", "message"),
    [
        ({"name": "G", "mode": "cheapest", "campaigns": [1]}, "mode: 'cheapest' is not one of stackable, listOrder"),
        ({"name": "G", "mode": "lowestDiscount", "campaigns": [1]}, "mode: 'lowestDiscount' is not modelled"),
        ({"name": "G", "mode": "listOrder", "campaigns": [1, 9]}, "campaigns: campaign 9 does not exist"),
        ({"name": "G", "mode": "listOrder", "campaigns": []}, "campaigns: [] must be a non-empty list"),
        ({"name": "G", "mode": "listOrder", "campaigns": [1, 1]}, "campaigns: [1, 1] lists a campaign twice"),
        ({"name": "G", "mode": "listOrder"}, "campaigns: an evaluation group needs a mode and a list of campaigns"),
        ({"name": "G", "mode": "listOrder", "campaigns": [1], "order": 2}, "unknown field(s) ['order']"),
    ],
)
def test_file_errors_name_file_group_and_field(tmp_path: Path, group: dict[str, Any], message: str) -> None:
    path = tmp_path / "campaigns.yaml"
    path.write_text(json.dumps({"campaigns": [{"name": "x"}], "evaluationGroups": [group]}))
    with pytest.raises(FakeSetupError) as info:
        FakeTalon().load_campaigns(path)
    assert str(info.value).startswith(f"{path}: evaluation group #1 'G': ")
    assert message in str(info.value)


def test_python_declarations_validate(fake: FakeTalon) -> None:
    a, b = fake.add_campaign(Campaign(name="a")), fake.add_campaign(Campaign(name="b"))
    first = fake.add_evaluation_group({"mode": "stackable", "campaigns": [a.id]})
    assert (first.id, first.campaigns) == (1, (a.id,))
    with pytest.raises(FakeSetupError, match=r"campaign 1 is already in evaluation group 1"):
        fake.add_evaluation_group(mode="listOrder", campaigns=[b.id, a.id])
    with pytest.raises(FakeSetupError, match="evaluation group 1 already exists"):
        fake.add_evaluation_group(mode="listOrder", campaigns=[b.id], id=1)
    with pytest.raises(FakeSetupError, match="not both"):
        fake.add_evaluation_group(EvaluationGroup("stackable", (b.id,)), name="x")
    assert fake.add_evaluation_group(EvaluationGroup("highestDiscount", [b.id])).id == 2  # type: ignore[arg-type]


def test_a_left_out_campaign_is_not_reevaluated_on_return(fake: FakeTalon, client: TalonClient) -> None:
    rules = (Rule("r", (CouponValid(),), (SetDiscount("d", value=5),)), Rule("n", (), (ShowNotification("t", "b"),)))
    kept = coupon_campaign(fake, "Kept", SetDiscount("a", value=5))
    left = fake.add_campaign(Campaign(name="Left", rules=rules, reevaluate_on_return=True))
    fake.add_coupon("LEFT-1", left.id)
    fake.add_evaluation_group(mode="listOrder", campaigns=[kept.id, left.id])
    client.update_customer_session_v2(
        "s1", session(coupons=["KEPT-1", "LEFT-1"], items=[("a", 2, 50.0)], state="closed")
    )
    body = {"return": {"returnedCartItems": [{"position": 0, "quantity": 1}]}}
    effects = client.return_cart_items("s1", body, run_rule_engine=True).effects
    assert left.id not in {e.campaign_id for e in effects}  # it did not apply at close, so it does not now
