"""How the Talon snapshot extension normalises data: placeholders, sorting, input types, syrupy filters."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from syrupy.filters import paths, props
from syrupy.matchers import path_type
from talon_one.models.effect import Effect as SdkEffect

from pytest_talon.models import IntegrationStateV2
from pytest_talon.snapshots import TalonSnapshotExtension, normalize, talon_snapshot_extension, to_plain
from tests.snapshots._states import integration_state


def render(data: Any, extension: type[TalonSnapshotExtension] = TalonSnapshotExtension, **options: Any) -> str:
    return str(extension().serialize(data, **options))


def test_ids_timestamps_and_effect_order_do_not_change_the_snapshot() -> None:
    first = render(integration_state())
    assert render(integration_state(id_base=9000, created="2031-12-31T23:59:59Z", reverse=True)) == first


def test_a_changed_discount_changes_the_snapshot() -> None:
    assert render(integration_state(discount=15.0)) != render(integration_state())


def test_volatile_values_become_placeholders_that_keep_relationships() -> None:
    data = normalize(integration_state())
    session = data["customerSession"]
    assert (session["id"], session["created"], session["updated"]) == ("<id-1>", "<created>", "<updated>")
    assert session["integrationId"] == "session-1"  # chosen by the integration, so kept
    campaign_ids = [effect["campaignId"] for effect in data["effects"]]
    # sorted by effect type; both effects of the summer campaign share one placeholder
    assert [effect["effectType"] for effect in data["effects"]] == ["acceptCoupon", "addLoyaltyPoints", "setDiscount"]
    assert campaign_ids == ["<campaignId-1>", "<campaignId-2>", "<campaignId-1>"]
    assert data["effects"][1]["props"]["transactionUUID"] == "<transactionUUID-1>"
    assert [campaign["name"] for campaign in data["triggeredCampaigns"]] == ["Loyalty", "Summer"]


def test_the_text_is_sorted_indented_json() -> None:
    text = render({"b": 1, "a": {"d": None, "c": [3, 1]}})
    assert text == '{\n  "a": {\n    "c": [\n      3,\n      1\n    ],\n    "d": null\n  },\n  "b": 1\n}\n'
    assert json.loads(text) == {"a": {"c": [3, 1], "d": None}, "b": 1}


@pytest.mark.parametrize(
    "convert",
    [
        pytest.param(lambda state: state, id="wire dict"),
        pytest.param(IntegrationStateV2.from_wire, id="pytest-talon model"),
        pytest.param(lambda state: httpx.Response(200, json=state), id="httpx response"),
    ],
)
def test_models_responses_and_dicts_render_alike(convert: Any) -> None:
    state = integration_state()
    del state["triggeredCampaigns"]  # a full Campaign has dozens of required fields
    assert render(convert(state)) == render(state)


def test_sdk_models_render_through_to_dict() -> None:
    effect = integration_state()["effects"][0]
    assert render(SdkEffect.from_dict(effect)) == render(effect)


def test_plain_conversion_of_python_values() -> None:
    from datetime import datetime, timezone
    from decimal import Decimal
    from uuid import UUID

    value = {1: (Decimal("2.5"), 3.0), "when": datetime(2026, 1, 2, tzinfo=timezone.utc), "u": UUID(int=1), "s": {2, 1}}
    assert to_plain(value) == {
        "1": [2.5, 3],
        "when": "2026-01-02T00:00:00+00:00",
        "u": "00000000-0000-0000-0000-000000000001",
        "s": [1, 2],
    }


def test_the_helper_adds_volatile_paths_keys_and_stable_keys() -> None:
    extension = talon_snapshot_extension(
        volatile_paths=["$.customerSession.cartItems[*].sku"],
        volatile_keys=["state"],
        stable_keys=["integrationId"],
        timestamp_keys=["expiry"],
    )
    data = normalize({**integration_state(), "expiry": "2026-01-01"}, extension)
    assert data["customerSession"]["cartItems"][0]["sku"] == "<sku-1>"
    assert data["customerSession"]["state"] == "<state-1>"
    assert data["customerSession"]["integrationId"] == "session-1"
    assert data["expiry"] == "<expiry>"
    assert issubclass(extension, TalonSnapshotExtension)
    assert normalize(integration_state())["customerSession"]["state"] == "open"  # the base class is untouched


def test_syrupy_filters_and_matchers_apply_to_the_normalised_data() -> None:
    state = integration_state()
    assert '"cartItems"' not in render(state, exclude=props("cartItems"))
    kept = json.loads(render(state, include=paths("customerSession", "customerSession.state")))
    assert kept == {"customerSession": {"state": "open"}}
    matched = json.loads(render(state, matcher=path_type({"customerSession.state": (str,)})))
    assert matched["customerSession"]["state"] == "str"


def test_the_public_names_exist_and_the_callables_are_documented() -> None:
    import pytest_talon.snapshots as module

    for name in module.__all__:
        value = getattr(module, name)
        if callable(value):
            assert value.__doc__, name


def test_a_malformed_volatile_path_is_rejected_when_the_extension_is_built() -> None:
    from pytest_talon.errors import TalonError

    with pytest.raises(TalonError, match="must start with"):
        talon_snapshot_extension(volatile_paths=["customerSession.id"])


def _checkout_state(fake: Any) -> Any:
    client = fake.client()
    body = {"customerSession": {"profileId": "alice", "cartItems": [{"sku": "SHIRT-1", "quantity": 2, "price": 30}]}}
    return client.update_customer_session_v2(
        "order-1", {**body, "responseContent": ["customerSession", "customerProfile"]}
    )


def test_placeholders_do_not_depend_on_ids_that_coincide_elsewhere() -> None:
    # Given the same answer from a fresh fake (profile id 1, session id 1) and from one with earlier traffic
    from pytest_talon.fake import FakeTalon

    fresh, busy = FakeTalon(), FakeTalon()
    for fake in (fresh, busy):
        fake.add_campaign(
            {"id": 1, "name": "Ten off", "rules": [{"effects": [{"setDiscount": {"name": "10", "value": 10}}]}]}
        )
    busy.client().update_customer_profile_v2("someone-else", {"attributes": {}})
    busy.client().update_customer_session_v2("older", {"customerSession": {"profileId": "bob"}})
    # Then the snapshots agree: placeholders are numbered per JSON path, not per key name across the answer
    assert render(_checkout_state(busy)) == render(_checkout_state(fresh))
    data = normalize(_checkout_state(FakeTalon()))
    assert data["customerSession"]["id"] == data["customerProfile"]["id"] == "<id-1>"
