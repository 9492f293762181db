"""Integration states are written as JSON directly (``state_body``, ``session_wire``, ``profile_wire``): each answer
must be exactly what its response model would send - the same fields and the same JSON types (``0.0``, not ``0``)."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest

from pytest_talon import models
from pytest_talon._spec.operations import OPERATIONS
from pytest_talon.fake import FakeTalon
from pytest_talon.fake.backend import effect_recipes, encode
from tests.fake_server.test_snapshot import _rich_fake

#: The operations whose answer is an integration state built by ``state_body``.
STATE_OPERATIONS = {
    "updateCustomerSessionV2",
    "trackEventV2",
    "updateCustomerProfileV2",
    "returnCartItems",
    "reopenCustomerSession",
}


def _exact(data: Any) -> str:
    """JSON text that tells ints from floats and ignores key order."""
    return json.dumps(data, sort_keys=True)


def test_every_integration_state_is_what_its_response_model_sends() -> None:
    fake = _rich_fake()
    by_id = {op.operation_id: op for op in OPERATIONS}
    seen: set[str] = set()
    for entry in fake.requests:
        if entry.operation_id not in STATE_OPERATIONS or entry.status != 200 or not entry.response_json:
            continue
        seen.add(entry.operation_id)
        model = getattr(models, str(by_id[entry.operation_id].response))
        assert _exact(model.model_validate(entry.response_json).to_wire()) == _exact(entry.response_json), (
            entry.operation_id
        )
    assert {"updateCustomerSessionV2", "trackEventV2", "updateCustomerProfileV2"} <= seen


def test_session_and_profile_json_are_what_their_models_send() -> None:
    fake = _rich_fake()
    assert fake.app.sessions
    for record in fake.app.sessions.values():
        wire = encode.session_wire(fake.app, record)
        assert _exact(models.CustomerSessionV2.model_validate(wire).to_wire()) == _exact(wire)
        assert encode.session(fake.app, record).to_wire() == wire
    for profile in fake.app.profiles.values():
        wire = encode.profile_wire(fake.app, profile)
        assert _exact(models.CustomerProfile.model_validate(wire).to_wire()) == _exact(wire)


def test_an_answer_does_not_change_when_the_state_it_came_from_does() -> None:
    fake = FakeTalon()
    fake.add_campaign(name="ten", rules=[{"effects": [{"setDiscount": {"name": "ten", "value": 10}}]}])
    with fake.client() as client:
        client.update_customer_session_v2(
            "s1",
            {"customerSession": {"profileId": "p", "attributes": {"a": 1}, "cartItems": [{"sku": "x", "quantity": 1}]}},
        )
        sent = client.last_response
        assert sent is not None
        before = sent.json()
        client.update_customer_session_v2("s1", {"customerSession": {"attributes": {"a": 2}}})
    assert sent.json() == before


@pytest.fixture
def recipes(monkeypatch: pytest.MonkeyPatch) -> dict[Any, Any]:
    """The process's effect recipes, empty for the test (and restored after it)."""
    table: dict[Any, Any] = {}
    monkeypatch.setattr(effect_recipes, "_RECIPES", table)
    return table


def _ordered(data: Any) -> str:
    """JSON text that tells ints from floats and keeps key order."""
    return json.dumps(data)


def _effect(effect_type: str, **props: Any) -> dict[str, Any]:
    envelope = {"campaignId": 1, "rulesetId": 2, "ruleIndex": 0, "ruleName": "r", "effectType": effect_type}
    return {**envelope, "props": props}


def test_effects_are_sent_as_the_effect_model_sends_them_the_first_time_and_after(recipes: dict[Any, Any]) -> None:
    fake = _rich_fake()
    effects = [e for s in fake.app.sessions.values() for e in s.effects]
    effects += [e for ev in fake.app.events for e in ev.effects]
    effects += [
        _effect("setDiscount", name="int value", value=5, scope="cartItems"),  # an int where the model has a float
        _points_with_card(),
        {**_effect("showNotification", notificationType="info", title="t", body="b"), "triggeredByCoupon": 3},
        _effect("someFutureEffect", anything=1),
    ]
    assert len({e["effectType"] for e in effects}) >= 8
    expected = _ordered(models.Effect.wire_list(effects))
    assert _ordered(effect_recipes.effects_wire(effects)) == expected  # shapes learned
    assert recipes
    assert _ordered(effect_recipes.effects_wire(effects)) == expected  # recipes replayed
    assert '"value": 5.0' in expected


def test_effects_with_a_field_checked_beyond_its_type_are_always_validated(recipes: dict[Any, Any]) -> None:
    """A constrained string (a card identifier) or a non-scalar value depends on more than its type: no recipe."""
    card = _points_with_card()
    nested = _effect("customEffect", effectId=1, name="c", payload={"a": [1]})
    for _ in range(2):
        effect_recipes.effects_wire([card, nested])
    assert not recipes


def _points_with_card() -> dict[str, Any]:
    props = {"name": "card", "programId": 1, "subLedgerId": "", "value": 1.0, "recipientIntegrationId": "p"}
    return _effect("addLoyaltyPoints", **props, transactionUUID=str(uuid.UUID(int=1)), cardIdentifier="abcd")
