"""Catalog sync: every action type, filters, limits, versions, and catalog attributes in rule conditions."""

from __future__ import annotations

from typing import Any

import pytest

from pytest_talon.client import TalonClient
from pytest_talon.errors import TalonAPIError
from pytest_talon.fake import Campaign, FakeTalon, ItemAttribute, Rule, SetDiscount

from .conftest import error_of, raw, session

ITEMS = [
    {"sku": "A1", "price": 10, "attributes": {"color": "red", "size": 1}},
    {"sku": "B2", "price": 20, "attributes": {"color": "blue", "size": 2}},
    {"sku": "C3", "price": 30, "attributes": {"color": "red", "size": 3}},
]


@pytest.fixture
def catalog(fake: FakeTalon) -> FakeTalon:
    fake.add_catalog(1, "main", items=ITEMS)
    return fake


def sync(client: TalonClient, *actions: dict[str, Any], version: int | None = None) -> int:
    body: dict[str, Any] = {"actions": list(actions)}
    if version is not None:
        body["version"] = version
    return client.sync_catalog("1", body).version


def test_add_patch_remove_and_versions(catalog: FakeTalon, client: TalonClient) -> None:
    assert sync(client, {"type": "ADD", "payload": {"sku": "D4", "price": 5, "product": {"name": "Dee"}}}) == 2
    replaced = {"type": "ADD", "payload": {"sku": "D4", "attributes": {"color": "green"}, "replaceIfExists": True}}
    assert sync(client, replaced, version=2) == 3
    assert catalog.catalog_items(1)["D4"] == {
        "sku": "D4",
        "price": 5,
        "attributes": {"color": "green"},
        "product": None,
    }
    sync(client, {"type": "PATCH", "payload": {"sku": "A1", "price": 11, "attributes": {"size": 9}}})
    assert catalog.catalog_items(1)["A1"]["attributes"] == {"color": "red", "size": 9}
    sync(client, {"type": "PATCH", "payload": {"sku": "Z9", "price": 1, "createIfNotExists": True}})
    sync(client, {"type": "REMOVE", "payload": {"sku": "B2"}})
    assert sorted(catalog.catalog_items(1)) == ["A1", "C3", "D4", "Z9"]


def test_many_actions_use_filters(catalog: FakeTalon, client: TalonClient) -> None:
    red = {"filters": [{"attr": "color", "op": "EQ", "value": "red"}, {"attr": "size", "op": "GE", "value": 2}]}
    sync(client, {"type": "PATCH_MANY", "payload": {**red, "price": 1}})
    assert {s: i["price"] for s, i in catalog.catalog_items(1).items()} == {"A1": 10, "B2": 20, "C3": 1}
    sync(client, {"type": "REMOVE_MANY", "payload": {"filters": [{"attr": "sku", "op": "IN", "value": "A1, B2"}]}})
    assert sorted(catalog.catalog_items(1)) == ["C3"]
    sync(client, {"type": "REMOVE_MANY", "payload": {}})
    assert catalog.catalog_items(1) == {}


@pytest.mark.parametrize(
    ("actions", "pointer"),
    [
        ([{"type": "ADD", "payload": {"sku": "A1"}}], "/actions/0/payload/sku"),
        ([{"type": "PATCH", "payload": {"sku": "NEW"}}], "/actions/0/payload/sku"),
        ([{"type": "REMOVE", "payload": {"sku": "NEW"}}], "/actions/0/payload/sku"),
        ([{"type": "ADD", "payload": {"sku": "X"}}, {"type": "REMOVE", "payload": {"sku": "A1"}}], "/actions"),
        (
            [{"type": "ADD", "payload": {"sku": "X"}}, {"type": "ADD", "payload": {"sku": "X"}}],
            "/actions/1/payload/sku",
        ),
        (
            [{"type": "REMOVE_MANY", "payload": {"filters": [{"attr": "color", "op": "GT", "value": "red"}]}}],
            "/actions/0/payload/filters/0/value",
        ),
        (
            [{"type": "REMOVE_MANY", "payload": {"filters": [{"attr": "color", "op": "LIKE", "value": "r"}]}}],
            "/actions/0/payload/filters/0/op",
        ),
        ([{"type": "MOVE", "payload": {"sku": "A1"}}], "/actions/0/type"),
        ([], "/actions"),
    ],
)
def test_bad_syncs_name_the_field_and_change_nothing(catalog: FakeTalon, actions: list[Any], pointer: str) -> None:
    response = raw(catalog, "PUT", "/v1/catalogs/1/sync", json={"actions": actions})
    assert error_of(response) == {"status": 400, "pointer": pointer}
    assert "StatusCode" not in response.json()
    assert sorted(catalog.catalog_items(1)) == ["A1", "B2", "C3"]
    assert catalog.app.catalogs[1].version == 1


def test_action_count_limit_and_stale_version(catalog: FakeTalon, client: TalonClient) -> None:
    too_many = [{"type": "ADD", "payload": {"sku": f"N{i}"}} for i in range(1001)]
    assert error_of(raw(catalog, "PUT", "/v1/catalogs/1/sync", json={"actions": too_many})) == {
        "status": 400,
        "pointer": "/actions",
    }
    sync(client, *too_many[:1000])
    assert len(catalog.catalog_items(1)) == 1003
    stale = raw(
        catalog,
        "PUT",
        "/v1/catalogs/1/sync",
        json={"actions": [{"type": "REMOVE", "payload": {"sku": "A1"}}], "version": 1},
    )
    assert error_of(stale) == {"status": 400, "pointer": "/version"}
    with pytest.raises(TalonAPIError) as missing:
        client.sync_catalog("7", {"actions": [{"type": "REMOVE", "payload": {"sku": "A1"}}]})
    assert missing.value.status_code == 404


def test_conditions_see_catalog_attributes(catalog: FakeTalon, client: TalonClient) -> None:
    rule = Rule("red things", conditions=(ItemAttribute("color", "red"),), effects=(SetDiscount("red", value=2),))
    catalog.add_campaign(Campaign(name="red", rules=(rule,)))
    red = client.update_customer_session_v2("s1", session(items=[("A1", 1, 10.0)]))
    blue = client.update_customer_session_v2("s2", session(items=[("B2", 1, 20.0)]))
    assert [e.effect_type for e in red.effects] == ["setDiscount"]
    assert blue.effects == []
    stored = catalog.session("s1").cart_items[0]
    assert not (stored.attributes)
    assert not ({})
