"""The wire models: inventory against the spec, names, extra-field policy, effects, enums and formats."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pydantic
import pytest

from pytest_talon import models
from pytest_talon.models._base import _reaches_nullable, strict_twin
from tests._samples import DIGEST, SCHEMAS, sample

REACHABLE = set(DIGEST["requestSchemas"]) | set(DIGEST["responseSchemas"])
# Not classes: the free-form effect props object and the bare-array best prior price answer (list[BestPriorPrice]).
NOT_CLASSES = {"EffectProps", "BestPriorPriceResponse"}


def test_every_reachable_schema_has_a_model() -> None:
    assert set(models.MODELS_BY_SCHEMA) == REACHABLE - NOT_CLASSES
    for schema, model in models.MODELS_BY_SCHEMA.items():
        assert model.__schema_name__ == schema
        assert getattr(models, model.__name__) is model


def test_every_model_has_every_spec_property_with_its_wire_name() -> None:
    for schema, model in models.MODELS_BY_SCHEMA.items():
        aliases = {f.alias or name for name, f in model.model_fields.items()}
        assert aliases == set(SCHEMAS[schema].get("properties", {})), schema


def test_required_fields_follow_the_spec() -> None:
    for schema, model in models.MODELS_BY_SCHEMA.items():
        required = {f.alias or name for name, f in model.model_fields.items() if f.is_required()}
        assert required == set(SCHEMAS[schema].get("required", [])), schema


@pytest.mark.parametrize(
    ("model", "attribute", "wire"),
    [
        (models.NewCustomerSessionV2, "profile_id", "profileId"),
        (models.ErrorResponseWithStatus, "status_code", "StatusCode"),
        (models.ExperimentVariantAllocation, "experiment_id", "experimentID"),
        (models.CartItem, "catalog_item_id", "catalogItemID"),
        (models.LedgerTransactionLogEntryIntegrationAPI, "customer_session_id", "customerSessionId"),
        (models.ReturnIntegrationRequest, "return_", "return"),
    ],
)
def test_snake_case_attributes_and_wire_names(model: type[models.WireModel], attribute: str, wire: str) -> None:
    assert model.model_fields[attribute].alias in {wire, None}


def test_both_names_are_accepted_and_the_wire_is_camel_case() -> None:
    by_wire = models.NewCustomerSessionV2.from_wire({"profileId": "p1", "couponCodes": ["A"]})
    by_python = models.NewCustomerSessionV2(profile_id="p1", coupon_codes=["A"])
    assert by_wire == by_python
    assert by_python.to_wire() == {"profileId": "p1", "couponCodes": ["A"]}
    assert by_python.to_json() == '{"couponCodes":["A"],"profileId":"p1"}'


def test_to_wire_leaves_out_unset_fields_and_keeps_explicit_defaults() -> None:
    session = models.NewCustomerSessionV2(state="open")
    assert session.to_wire() == {"state": "open"}
    assert models.NewCustomerSessionV2().to_wire() == {}
    assert models.NewCustomerSessionV2().state == "open"  # the spec's default, readable without being sent


def test_to_wire_sends_null_only_in_fields_the_spec_marks_nullable() -> None:
    card = models.LoyaltyCard.model_validate({**sample("LoyaltyCard"), "blockReason": None, "subledgers": None})
    assert "blockReason" not in card.to_wire()
    assert "subledgers" not in card.to_wire()
    nested = models.Loyalty(programs={}, cards=[card]).to_wire()
    assert "blockReason" not in nested["cards"][0]
    # Free-form values keep their nulls; the one nullable field of the spec keeps its null.
    assert models.NewCustomerSessionV2(attributes={"gift": None}).to_wire() == {"attributes": {"gift": None}}
    nullable = models.DeleteLoyaltyTransactionsRequest(scope="AllSubledgers", subledger_ids=None)
    assert nullable.to_wire() == {"scope": "AllSubledgers", "subledgerIds": None}
    assert models.DeleteLoyaltyTransactionsRequest.__nullable__ == {"subledgerIds", "subledger_ids"}


def test_one_model_reaches_a_nullable_field_and_the_rest_dump_in_one_pass() -> None:
    """to_wire restores nulls by walking the data only for models that reach a nullable field; the fake dumps
    whole carts at once relying on CartItem not being one of them."""
    wire_models = [m for m in vars(models).values() if isinstance(m, type) and issubclass(m, models.WireModel)]
    assert [m.__name__ for m in wire_models if _reaches_nullable(m)] == ["DeleteLoyaltyTransactionsRequest"]
    nested = models.DeleteLoyaltyTransactionsRequest(scope="SelectedSubledgers", subledger_ids=["a"])
    assert nested.to_wire() == {"scope": "SelectedSubledgers", "subledgerIds": ["a"]}
    assert nested.to_wire_bytes() == b'{"scope":"SelectedSubledgers","subledgerIds":["a"]}'
    assert models.DeleteLoyaltyTransactionsRequest(scope="AllSubledgers", subledger_ids=None).to_json() == (
        '{"scope":"AllSubledgers","subledgerIds":null}'
    )


def test_request_models_reject_unknown_fields_naming_them() -> None:
    with pytest.raises(pydantic.ValidationError) as info:
        models.NewCustomerSessionV2.from_wire({"profileID": "p1"})
    (error,) = info.value.errors()
    assert error["loc"] == ("profileID",)
    assert error["type"] == "extra_forbidden"


def test_shared_models_reject_unknown_fields_only_in_requests() -> None:
    item = {"sku": "S", "quantity": 1, "colour": "red"}
    with pytest.raises(pydantic.ValidationError, match="unknown field\\(s\\) 'colour' for CartItem"):
        models.IntegrationRequest.from_wire({"customerSession": {"cartItems": [item]}})
    assert models.CartItem.model_validate(item).sku == "S"  # in a response: ignored


def test_a_strict_twin_refuses_what_the_strict_context_refuses_and_reads_the_rest_the_same() -> None:
    twin = strict_twin(models.IntegrationRequest)
    assert twin is not models.IntegrationRequest
    assert issubclass(twin, models.IntegrationRequest)
    assert strict_twin(models.CartItem).model_config.get("extra") == "forbid"
    assert strict_twin(models.NewAudience) is models.NewAudience  # reaches no shared model: itself
    nested = twin.model_fields["customer_session"].annotation
    assert nested is strict_twin(models.NewCustomerSessionV2)  # one twin per model, nested or not
    item = {"sku": "S", "quantity": 1, "price": 2, "additionalCosts": {"ship": {"price": 1.5}}}
    body = {"customerSession": {"profileId": "p", "cartItems": [item]}, "responseContent": ["customerSession"]}
    read = twin.model_validate(body, strict=True)
    expected = models.IntegrationRequest.from_wire(body)
    assert isinstance(read.customer_session.cart_items[0], models.CartItem)  # type: ignore[index]
    assert repr(read.model_dump()) == repr(expected.model_dump())
    assert read.to_wire() == expected.to_wire()
    for where in (item, item["additionalCosts"]["ship"]):  # type: ignore[index]
        where["colour"] = "red"
        with pytest.raises(pydantic.ValidationError, match="extra_forbidden"):
            twin.model_validate(body, strict=True)
        with pytest.raises(pydantic.ValidationError, match="unknown field"):
            models.IntegrationRequest.from_wire(body)
        del where["colour"]


def test_response_models_ignore_unknown_fields() -> None:
    data = sample("CustomerProfile")
    data["brandNewField"] = {"added": "by a newer API"}
    profile = models.CustomerProfile.from_wire(data)
    assert "brandNewField" not in profile.to_wire()
    assert profile.integration_id == data["integrationId"]


def test_attributes_stay_free_form_dicts() -> None:
    session = models.NewCustomerSessionV2.from_wire({"attributes": {"ShippingCity": "Berlin", "nested": {"a": [1]}}})
    assert session.attributes == {"ShippingCity": "Berlin", "nested": {"a": [1]}}


def effect(effect_type: str, props: dict[str, Any]) -> models.Effect:
    return models.Effect.from_wire(
        {"campaignId": 3, "rulesetId": 7, "ruleIndex": 0, "ruleName": "r", "effectType": effect_type, "props": props}
    )


def test_effect_props_are_typed_by_effect_type() -> None:
    parsed = effect("setDiscount", {"name": "10% off", "value": 12.5})
    assert isinstance(parsed.props, models.SetDiscountEffectProps)
    assert parsed.props.value == 12.5
    assert parsed.to_wire()["props"] == {"name": "10% off", "value": 12.5}
    rejected = effect("rejectCoupon", {"value": "X", "rejectionReason": "CouponExpired"})
    assert isinstance(rejected.props, models.RejectCouponEffectProps)
    assert rejected.props.rejection_reason == "CouponExpired"


def test_every_props_schema_is_registered_under_its_effect_type() -> None:
    props_schemas = {n for n in SCHEMAS if n.endswith("EffectProps") and n != "EffectProps"}
    registered = {m.__schema_name__ for m in models.EFFECT_PROPS_BY_TYPE.values()}
    # Strikethrough shapes come from a separate endpoint's StrikethroughEffect, not from Effect.effectType.
    assert registered == {n for n in props_schemas if not n.startswith("Strikethrough")}
    assert models.EFFECT_PROPS_BY_TYPE["customEffect"] is models.CustomEffectProps
    assert tuple(sorted(models.EFFECT_PROPS_BY_TYPE)) == models.KNOWN_EFFECT_TYPES


def test_unknown_effect_types_keep_raw_props() -> None:
    parsed = effect("brandNewEffect", {"anything": [1, 2]})
    assert parsed.props == {"anything": [1, 2]}
    assert parsed.to_wire()["props"] == {"anything": [1, 2]}


def test_invalid_props_for_a_known_effect_type_are_an_error() -> None:
    with pytest.raises(pydantic.ValidationError, match="value"):
        effect("setDiscount", {"name": "no value"})


@pytest.mark.parametrize(
    ("model", "field", "bad"),
    [
        (models.NewCustomerSessionV2, "state", "shut"),
        (models.CouponRejectionReason, "reason", "CouponLost"),
        (models.ReferralRejectionReason, "reason", "ReferralLost"),
        (models.CatalogAction, "type", "UPSERT"),
    ],
)
def test_enums_are_closed(model: type[models.WireModel], field: str, bad: str) -> None:
    data = sample(model.__schema_name__, full=False)
    data[field] = bad
    with pytest.raises(pydantic.ValidationError, match=field):
        model.model_validate(data)


def test_enum_values_match_the_spec() -> None:
    spec = SCHEMAS["CouponRejectionReason"]["properties"]["reason"]["enum"]
    data = sample("CouponRejectionReason")
    for value in spec:
        assert models.CouponRejectionReason.model_validate({**data, "reason": value}).reason == value


def test_date_time_and_int64_formats() -> None:
    data = sample("CustomerSessionV2")
    data["created"] = "2026-05-01T10:00:00+02:00"
    session = models.CustomerSessionV2.from_wire(data)
    assert session.created == datetime(2026, 5, 1, 8, 0, tzinfo=timezone.utc)
    assert isinstance(session.id, int)
    with pytest.raises(pydantic.ValidationError, match="created"):
        models.CustomerSessionV2.from_wire({**data, "created": "yesterday"})
    with pytest.raises(pydantic.ValidationError, match="id"):
        models.CustomerSessionV2.from_wire({**data, "id": "forty-two"})


def test_length_and_item_limits() -> None:
    with pytest.raises(pydantic.ValidationError, match=r"couponCodes\.0"):
        models.NewCustomerSessionV2.from_wire({"couponCodes": ["X" * 101]})
    with pytest.raises(pydantic.ValidationError, match="loyaltyCards"):
        models.NewCustomerSessionV2.from_wire({"loyaltyCards": ["a", "b"]})
    with pytest.raises(pydantic.ValidationError, match="quantity"):
        models.CartItem.from_wire({"sku": "A", "quantity": 0})


def test_from_wire_accepts_json_text_and_bytes() -> None:
    text = '{"customerSession": {"profileId": "p"}}'
    assert models.IntegrationRequest.from_wire(text) == models.IntegrationRequest.from_wire(text.encode())


@pytest.mark.parametrize("schema", sorted(models.MODELS_BY_SCHEMA))
def test_round_trip_through_the_wire(schema: str) -> None:
    data = sample(schema)
    model = models.MODELS_BY_SCHEMA[schema].from_wire(data)
    assert models.MODELS_BY_SCHEMA[schema].from_wire(model.to_wire()) == model
