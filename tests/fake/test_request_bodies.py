"""Request bodies are read the way the live API (Go's encoding/json) reads them: strict about types, lenient about
fields it does not know (issue 12, parts 2 and 3)."""

from __future__ import annotations

import json
from unittest import mock

import pytest

from pytest_talon import models
from pytest_talon._spec.operations import OPERATIONS
from pytest_talon.client import TalonClient
from pytest_talon.errors import TalonRequestError
from pytest_talon.factories import factory_for
from pytest_talon.fake import FakeTalon
from pytest_talon.fake.api import bodies, body_shortcut, sessions
from pytest_talon.fake.api.bodies import Body, read_body
from pytest_talon.fake.errors import BadRequest
from pytest_talon.models import WireModel

from .conftest import raw

SESSION = "/v2/customer_sessions/s1"


def _put(fake: FakeTalon, content: str) -> tuple[int, dict[str, object]]:
    response = raw(fake, "PUT", SESSION, content=content.encode(), headers={**_auth(fake), "Content-Type": "x"})
    return response.status_code, response.json()


def _auth(fake: FakeTalon) -> dict[str, str]:
    return {"Authorization": f"ApiKey-v1 {fake.api_key}"}


def _pointer(body: dict[str, object]) -> object:
    errors = body["errors"]
    assert isinstance(errors, list)
    return errors[0]["source"]["pointer"]


@pytest.mark.parametrize(
    ("item", "pointer"),
    [
        ('{"sku": "a", "quantity": "2"}', "/customerSession/cartItems/0/quantity"),
        ('{"sku": "a", "quantity": 1, "price": "30"}', "/customerSession/cartItems/0/price"),
        ('{"sku": "a", "quantity": 2.0}', "/customerSession/cartItems/0/quantity"),
        ('{"sku": 7, "quantity": 1}', "/customerSession/cartItems/0/sku"),
        ('{"sku": "a", "quantity": true}', "/customerSession/cartItems/0/quantity"),
    ],
)
def test_no_coercion_a_wrong_type_answers_400_naming_the_pointer(fake: FakeTalon, item: str, pointer: str) -> None:
    status, body = _put(fake, f'{{"customerSession": {{"profileId": "alice", "cartItems": [{item}]}}}}')
    assert status == 400
    assert _pointer(body) == pointer
    assert fake.requests[-1].status == 400
    assert raw(fake, "GET", SESSION).status_code == 404  # nothing from a refused request is stored


@pytest.mark.parametrize(
    ("value", "pointer"),
    [
        ("NaN", "/customerSession/cartItems/0/price"),
        ("Infinity", "/customerSession/cartItems/0/price"),
        ("-Infinity", "/customerSession/cartItems/0/price"),
        ("1e400", "/customerSession/cartItems/0/price"),
        ("1" + "0" * 400, "/customerSession/cartItems/0/price"),
    ],
)
def test_nan_infinity_and_float64_overflow_answer_400(fake: FakeTalon, value: str, pointer: str) -> None:
    item = f'{{"sku": "a", "quantity": 1, "price": {value}}}'
    status, body = _put(fake, f'{{"customerSession": {{"profileId": "alice", "cartItems": [{item}]}}}}')
    assert status == 400
    assert _pointer(body) == pointer
    assert "finite number" in str(body["message"])
    assert raw(fake, "GET", SESSION).status_code == 404


def test_nan_in_free_form_attributes_answers_400(fake: FakeTalon) -> None:
    status, body = _put(fake, '{"customerSession": {"attributes": {"score": NaN}}}')
    assert status == 400
    assert _pointer(body) == "/customerSession/attributes/score"


def test_integers_beyond_int64_answer_400(fake: FakeTalon) -> None:
    status, body = _put(fake, f'{{"customerSession": {{"evaluableCampaignIds": [1, {2**63}]}}}}')
    assert status == 400
    assert _pointer(body) == "/customerSession/evaluableCampaignIds/1"
    assert "int64" in str(body["message"])
    ok, _ = _put(fake, f'{{"customerSession": {{"evaluableCampaignIds": [{2**63 - 1}]}}}}')
    assert ok == 200


def test_unknown_fields_are_ignored_at_any_depth_and_logged(fake: FakeTalon) -> None:
    status, body = _put(
        fake,
        '{"customerSession": {"profileId": "alice", "newIn26": {"x": 1}, "cartItems": '
        '[{"sku": "a", "quantity": 1, "price": 5, "colour/shade": "red"}]}, "responseContent": ["customerSession"], '
        '"topLevelExtra": true}',
    )
    assert status == 200
    assert body["customerSession"]["cartItems"][0] == {"sku": "a", "quantity": 1, "price": 5, "position": 0}
    assert fake.requests[-1].unknown_fields == [
        "/customerSession/newIn26",
        "/customerSession/cartItems/0/colour~1shade",
        "/topLevelExtra",
    ]
    assert fake.requests[-1].json["topLevelExtra"] is True  # the log keeps the body as sent


def test_known_fields_leave_unknown_fields_empty(fake: FakeTalon) -> None:
    status, _ = _put(fake, '{"customerSession": {"profileId": "alice"}}')
    assert status == 200
    assert fake.requests[-1].unknown_fields == []


def test_free_form_maps_keep_every_key(fake: FakeTalon) -> None:
    status, body = _put(
        fake, '{"customerSession": {"attributes": {"anything": 1}}, "responseContent": ["customerSession"]}'
    )
    assert status == 200
    assert body["customerSession"]["attributes"] == {"anything": 1}
    assert fake.requests[-1].unknown_fields == []


def test_the_typed_client_still_refuses_unknown_fields(fake: FakeTalon) -> None:
    with fake.client() as client, pytest.raises(TalonRequestError, match="profileID"):
        TalonClient.update_customer_session_v2(client, "s1", {"customerSession": {"profileID": "x"}})
    assert fake.requests == []


def _same(fast: WireModel, exact: WireModel) -> bool:
    """The same data with the same Python types and the same fields set (the shortcut builds the subclasses
    :func:`~pytest_talon.models._base.strict_twin` makes, the exact path the models themselves); a session update's
    cart items also compare as the handler stores them."""
    public = getattr(models, type(exact).__name__)  # twins keep the name of the model they are made from
    return (
        isinstance(fast, public)
        and isinstance(exact, public)
        and repr(_plain(fast)) == repr(_plain(exact))
        and fast.to_wire() == exact.to_wire()
        and _cart(fast) == _cart(exact)
    )


def _plain(model: WireModel) -> object:
    dumped = model.model_dump()
    if isinstance(model, models.IntegrationRequest):
        dumped["customer_session"].pop("cart_items", None)
    return dumped


def _cart(model: WireModel) -> object:
    if not isinstance(model, models.IntegrationRequest):
        return None
    items = sessions._items(model.customer_session)
    return [[(k, type(v), v) for k, v in item.items()] for item in items] if items is not None else None


def _exact(content: bytes, model_cls: type[WireModel]) -> Body:
    """The exact path alone (the shortcut switched off), to compare with :func:`read_body`."""
    with mock.patch.object(body_shortcut, "exact_for", return_value=False):
        return read_body(content, model_cls)


@pytest.mark.parametrize("name", sorted({op.body for op in OPERATIONS if op.body}))
def test_the_shortcut_reads_every_request_model_as_the_exact_path_does(name: str) -> None:
    model_cls = getattr(models, name)
    assert body_shortcut.exact_for(model_cls), f"{name} reaches a model that ignores unknown fields"
    for built in factory_for(model_cls).build_batch(3):
        content = built.to_json().encode()
        with mock.patch.object(bodies, "_strip_unknown", side_effect=AssertionError("the exact path was taken")):
            fast = read_body(content, model_cls)
        exact = _exact(content, model_cls)
        assert _same(fast.model, exact.model)
        assert fast.model.model_fields_set == exact.model.model_fields_set
        assert (fast.raw, fast.unknown_fields) == (exact.raw, exact.unknown_fields) == (json.loads(content), [])


def test_a_body_the_shortcut_cannot_take_still_lists_nested_unknown_fields() -> None:
    content = b'{"customerSession": {"cartItems": [{"sku": "a", "quantity": 1, "colour": "red"}]}, "x": 1}'
    body = read_body(content, models.IntegrationRequest)
    assert body.unknown_fields == ["/customerSession/cartItems/0/colour", "/x"]
    assert body.model == _exact(content, models.IntegrationRequest).model


@pytest.mark.parametrize(
    "text",
    ["NaN bread", "Infinity scarf", "order 1234567890123456789012", "1e400 is a string here", "SKU-e+123", "ab: 1e400"],
)
def test_strings_that_look_like_refused_numbers_are_accepted_on_either_path(text: str) -> None:
    content = json.dumps({"customerSession": {"profileId": text, "cartItems": [{"sku": text, "quantity": 1}]}})
    body = read_body(content.encode(), models.IntegrationRequest)
    assert body.model.customer_session.profile_id == text
    assert _same(body.model, _exact(content.encode(), models.IntegrationRequest).model)
    assert body.raw == json.loads(content)


def test_uuids_and_timestamps_keep_the_shortcut() -> None:
    content = (
        b'{"customerSession": {"profileId": "3fa85f64-5717-4562-b3fc-2c963f66afa6", '
        b'"attributes": {"at": "2026-12-01T17:43:10.123456Z", "ref": "12e456"}}}'
    )
    with mock.patch.object(bodies, "_strip_unknown", side_effect=AssertionError("the exact path was taken")):
        body = read_body(content, models.IntegrationRequest)
    assert body.raw["customerSession"]["attributes"]["ref"] == "12e456"


FULL_ITEM = {
    "sku": "SKU-1",
    "quantity": 2,
    "price": 10,
    "name": "Shoe",
    "category": "shoes",
    "weight": 1.5,
    "height": 2,
    "width": 3.25,
    "length": 4,
    "position": 7,
    "returnedQuantity": 1,
    "remainingQuantity": 1,
    "catalogItemID": 12,
    "selectedPriceType": "member",
    "attributes": {"colour": "red", "tags": ["a", None], "size": None, "deep": {"x": 1.0}},
    "additionalCosts": {"wrap": {"price": 2}, "ship": {"price": 4.5}},
    "prices": {
        "member": {
            "price": 9,
            "adjustmentContextId": "ctx",
            "adjustmentReferenceId": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
            "adjustmentEffectiveFrom": "2026-12-01T10:00:00+01:00",
            "adjustmentEffectiveUntil": "2026-12-31T23:59:59.5Z",
        }
    },
    "product": {"name": "Runner"},
    "adjustmentReferenceId": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
    "adjustmentEffectiveFrom": "2026-12-01T10:00:00Z",
    "adjustmentEffectiveUntil": "2026-12-02T10:00:00.123456-05:00",
}


@pytest.mark.parametrize(
    "items",
    [
        [FULL_ITEM, {"sku": "B", "quantity": 1}],
        [{"sku": "N", "quantity": 1, "price": None, "name": None, "attributes": None, "product": None}],
        [{"quantity": 3, "sku": "ORDER", "price": 0, "weight": -0.0}],
        [{"sku": "py-name", "quantity": 1, "catalog_item_id": 4}],  # Python field names: the exact path takes it
        [],
    ],
    ids=["every field", "nulls", "zeros and key order", "python names", "empty"],
)
def test_cart_items_read_by_either_path_are_stored_the_same(items: list[dict[str, object]]) -> None:
    content = json.dumps({"customerSession": {"cartItems": items, "profileId": "p"}}).encode()
    fast, exact = read_body(content, models.IntegrationRequest), _exact(content, models.IntegrationRequest)
    assert _same(fast.model, exact.model)
    assert fast.unknown_fields == exact.unknown_fields == []


@pytest.mark.parametrize(
    "item",
    [
        {"sku": "a", "quantity": 0},
        {"sku": "", "quantity": 1},
        {"sku": "a", "quantity": 1.0},
        {"sku": "a", "quantity": 1, "price": "10"},
        {"sku": "a"},
        {"sku": "a", "quantity": 1, "product": {}},
        {"sku": "a", "quantity": 1, "prices": {"x": {"adjustmentReferenceId": "not-a-uuid"}}},
        {"sku": "a", "quantity": 1, "adjustmentEffectiveFrom": "yesterday"},
    ],
)
def test_a_cart_item_the_models_refuse_is_refused_with_the_same_message(item: dict[str, object]) -> None:
    content = json.dumps({"customerSession": {"cartItems": [item]}}).encode()
    with pytest.raises(BadRequest) as fast:
        read_body(content, models.IntegrationRequest)
    with pytest.raises(BadRequest) as exact:
        _exact(content, models.IntegrationRequest)
    assert str(fast.value) == str(exact.value)


def test_unknown_fields_of_cart_items_are_still_listed() -> None:
    content = b'{"customerSession": {"cartItems": [{"sku": "a", "quantity": 1, "product": {"name": "n", "x": 1}}]}}'
    body = read_body(content, models.IntegrationRequest)
    assert body.unknown_fields == ["/customerSession/cartItems/0/product/x"]
    assert sessions._items(body.model.customer_session) == [{"quantity": 1, "sku": "a", "product": {"name": "n"}}]


def test_a_body_with_an_unknown_field_keeps_the_dates_of_its_cart_items(fake: FakeTalon) -> None:
    # The exact path used to validate shared models behind their Python check, where strict mode refuses RFC 3339
    # strings: any unknown field then turned a cart item's date into a 400.
    item = {"sku": "a", "quantity": 1, "adjustmentEffectiveFrom": "2026-12-01T10:00:00Z"}
    status, body = _put(fake, json.dumps({"customerSession": {"cartItems": [item], "sentByANewerSdk": 1}}))
    assert status == 200, body
    assert fake.requests[-1].unknown_fields == ["/customerSession/sentByANewerSdk"]
    assert fake.app.sessions["s1"].cart_items == [item]
