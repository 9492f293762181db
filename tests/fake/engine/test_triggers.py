"""The campaign index (pytest_talon.fake.engine.triggers) changes the cost of campaigns that cannot fire, never an
answer: every response equals the one of a fake that evaluates every rule of every campaign."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from pytest_talon.fake import FakeTalon
from pytest_talon.fake.engine import triggers

from ..conftest import raw, session

CONTENT = ["customerSession", "customerProfile", "triggeredCampaigns", "ruleFailureReasons"]


def _rule(title: str, *conditions: dict[str, Any], name: str = "d", value: int = 1) -> dict[str, Any]:
    return {
        "title": title,
        "conditions": list(conditions),
        "effects": [{"setDiscount": {"name": name, "value": value}}],
    }


def _campaigns() -> dict[str, Any]:
    """Every kind of campaign the index treats apart: code-only, event-gated, mixed, windowed, disabled, grouped."""
    coupon, referral = {"couponValid": {}}, {"referralValid": {}}
    closed, purchase = {"eventType": {"type": "talon_session_closed"}}, {"eventType": {"type": "purchase"}}
    cart = {"cartSubtotal": {"op": ">=", "value": 10}}
    campaigns = [
        {"name": "always", "rules": [_rule("always", cart, name="base")]},
        {"name": "coupon only", "rules": [_rule("c", coupon, cart)]},
        {"name": "referral only", "rules": [_rule("r", referral)]},
        {"name": "on close", "rules": [_rule("close", closed), _rule("close 2", closed, cart)]},
        {"name": "on purchase or coupon", "rules": [_rule("p", purchase), _rule("pc", coupon)]},
        {"name": "two gates", "rules": [_rule("a", closed), _rule("b", purchase)]},
        {"name": "gate second", "rules": [_rule("late", cart, closed)]},
        {"name": "windowed", "startTime": "2000-01-01T00:00:00Z", "rules": [_rule("w", closed)]},
        {"name": "disabled", "state": "disabled", "rules": [_rule("x", closed)]},
        {"name": "grouped 1", "rules": [_rule("g1", closed, value=2)]},
        {"name": "grouped 2", "rules": [_rule("g2", cart, value=3)]},
        {"name": "grouped coupon", "rules": [_rule("g3", coupon, value=5)]},
        {"name": "no rules"},
    ]
    return {
        "campaigns": campaigns,
        "evaluationGroups": [{"mode": "highestDiscount", "campaigns": [10, 11, 12]}],
        "coupons": [
            {"value": "CPN-2", "campaignId": 2},
            {"value": "CPN-5", "campaignId": 5},
            {"value": "GRP-12", "campaignId": 12},
        ],
        "referrals": [{"code": "REF-3", "campaignId": 3, "advocate": "adam"}],
    }


def _script(fake: FakeTalon) -> list[Any]:
    """The answers of a mix of session updates (with and without codes, closing), events and profile updates."""
    items = [("sku", 2, 10.0)]
    calls: list[tuple[str, str, dict[str, Any]]] = [
        ("PUT", "/v2/customer_sessions/s1", session(items=items, content=CONTENT)),
        ("PUT", "/v2/customer_sessions/s1", session(items=items, coupons=["CPN-2", "CPN-5"], content=CONTENT)),
        ("PUT", "/v2/customer_sessions/s1", session(items=items, coupons=["GRP-12"], state="closed", content=CONTENT)),
        ("PUT", "/v2/customer_sessions/s2", session("bob", items=items, referral="REF-3", content=CONTENT)),
        ("PUT", "/v2/customer_sessions/s2", session("bob", items=items, state="closed", content=CONTENT)),
        ("PUT", "/v2/customer_sessions/s3", session("eve", items=[("x", 1, 1.0)], state="closed", content=CONTENT)),
        ("POST", "/v2/events?silent=no", {"profileId": "eve", "type": "purchase", "responseContent": CONTENT[1:]}),
        (
            "POST",
            "/v2/events?silent=no&dry=true&forceCompleteEvaluation=true",
            {"profileId": "eve", "type": "other", "responseContent": CONTENT[1:]},
        ),
        (
            "PUT",
            "/v2/customer_sessions/s4?dry=true",
            session(items=items, evaluableCampaignIds=[9, 4], content=CONTENT),
        ),
        ("PUT", "/v2/customer_profiles/eve?runRuleEngine=true", {"attributes": {}, "responseContent": CONTENT[1:]}),
    ]
    answers = [raw(fake, method, path, json=body) for method, path, body in calls]
    return [(answer.status_code, answer.json() if answer.content else None) for answer in answers]


def _fake() -> FakeTalon:
    fake = FakeTalon()
    fake.load_campaigns(_campaigns())
    return fake


def test_answers_equal_those_of_evaluating_every_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    indexed = _script(_fake())
    monkeypatch.setattr(triggers, "_gate", lambda campaign: triggers.Gate(codes_only=False))
    assert _script(_fake()) == indexed
    assert {status for status, _ in indexed} == {200}


def test_campaigns_that_can_only_fail_are_folded_into_blocks() -> None:
    fake = _fake()
    raw(fake, "PUT", "/v2/customer_sessions/s1", json=session(items=[("sku", 1, 20.0)]))
    index = fake.app.indexes["campaign_index"][1]
    blocks = [s for s in index.plan("talon_session_created", frozenset()) if s.failures is not None]
    assert [c.name for b in blocks for c in b.members] == [
        "coupon only",
        "referral only",
        "on close",
        "on purchase or coupon",
        "no rules",
    ]


def test_fakes_loading_one_campaigns_file_answer_as_a_fake_given_them_as_data(tmp_path: Path) -> None:
    path = tmp_path / "campaigns.json"
    path.write_text(json.dumps(_campaigns()))
    first, second = FakeTalon(), FakeTalon()
    first.load_campaigns(path)
    second.load_campaigns(path)

    given_data = _fake()  # the same campaigns as data: other objects

    answers = _script(first), _script(second), _script(given_data)

    assert first.app.indexes["campaign_index"][1] is not second.app.indexes["campaign_index"][1]  # each its own
    assert answers[0] == answers[1] == answers[2]
