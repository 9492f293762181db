"""Overrides: whole values, nested dicts and models, the ``a__b`` form, traits, params and their errors."""

from __future__ import annotations

import pytest

from pytest_talon.factories import (
    ActivateLoyaltyPointsFactory,
    CartItemFactory,
    CatalogSyncRequestFactory,
    CustomerProfileIntegrationRequestV2Factory,
    FactoryError,
    IntegrationRequestFactory,
    NewCustomerSessionV2Factory,
    NewReferralFactory,
    NewReturnFactory,
    ReturnIntegrationRequestFactory,
    Use,
    use_seed,
)
from pytest_talon.models import CartItem, IntegrationRequest, NewCustomerSessionV2


@pytest.fixture(autouse=True)
def _seeded() -> object:
    with use_seed(42) as ctx:
        yield ctx


def test_a_plain_override_replaces_the_generated_value() -> None:
    item = CartItemFactory.build(sku="SKU-1", quantity=4, price=9.99)
    assert (item.sku, item.quantity, item.price) == ("SKU-1", 4, 9.99)


def test_wire_names_are_accepted_as_override_keys() -> None:
    session = NewCustomerSessionV2Factory.build(profileId="cust-1", couponCodes=["WELCOME"])
    assert (session.profile_id, session.coupon_codes) == ("cust-1", ["WELCOME"])


def test_a_list_of_built_models_is_used_as_is() -> None:
    items = CartItemFactory.build_batch(3, price=10)
    request = IntegrationRequestFactory.build(customer_session__cart_items=items)
    assert request.customer_session.cart_items == items
    assert [item.price for item in items] == [10.0, 10.0, 10.0]


def test_double_underscore_overrides_reach_nested_models() -> None:
    request = IntegrationRequestFactory.build(customer_session__state="closed", customer_session__profile_id="p-7")
    assert request.customer_session.state == "closed"
    assert request.customer_session.profile_id == "p-7"
    assert request.customer_session.cart_items, "the rest of the session is still generated"


def test_double_underscore_overrides_apply_to_each_generated_list_item() -> None:
    request = IntegrationRequestFactory.build(customer_session__cart_items__quantity=7)
    assert {item.quantity for item in request.customer_session.cart_items or []} == {7}


def test_a_dict_for_a_nested_model_is_a_partial_override() -> None:
    request = IntegrationRequestFactory.build(customer_session={"state": "cancelled"})
    assert request.customer_session.state == "cancelled"
    assert request.customer_session.profile_id


def test_a_model_instance_for_a_nested_model_is_used_as_is() -> None:
    session = NewCustomerSessionV2(profile_id="x")
    assert IntegrationRequestFactory.build(customer_session=session).customer_session is session


def test_dicts_in_a_model_list_are_built_by_the_item_factory() -> None:
    session = NewCustomerSessionV2Factory.build(cart_items=[{"sku": "A"}, CartItem(sku="B", quantity=1)])
    items = session.cart_items or []
    assert [item.sku for item in items] == ["A", "B"]
    assert items[0].quantity >= 1
    assert items[0].price is not None


def test_unknown_field_names_the_model_and_the_closest_field() -> None:
    with pytest.raises(FactoryError, match=r"NewCustomerSessionV2 has no field 'stat' \(did you mean 'state'\?\)"):
        NewCustomerSessionV2Factory.build(stat="closed")


def test_unknown_nested_field_names_the_nested_model() -> None:
    with pytest.raises(FactoryError, match=r"NewCustomerSessionV2 has no field 'profile' \(did you mean 'profile_id'"):
        IntegrationRequestFactory.build(customer_session__profile="x")


def test_unknown_top_level_prefix_of_a_nested_override() -> None:
    with pytest.raises(
        FactoryError, match=r"IntegrationRequest has no field 'customer_sesion__state'.*customer_session"
    ):
        IntegrationRequestFactory.build(customer_sesion__state="closed")


def test_double_underscore_into_a_plain_field_is_refused() -> None:
    with pytest.raises(FactoryError, match=r"CartItem\.sku is not a nested model"):
        CartItemFactory.build(sku__upper=True)


def test_nested_overrides_into_a_custom_provider_field_ask_for_the_whole_value() -> None:
    expected = r"NewReturn\.returned_cart_items is computed by a custom provider.*returned_cart_items=\.\.\."
    with pytest.raises(FactoryError, match=expected):
        ReturnIntegrationRequestFactory.build(return__returned_cart_items__quantity=1)


def test_an_invalid_override_is_a_factory_error_that_says_what_to_do() -> None:
    with pytest.raises(FactoryError, match=r"(?s)invalid CartItem.*quantity.*build_dict\(\)"):
        CartItemFactory.build(quantity=0)


def test_factory_error_is_a_talon_error() -> None:
    from pytest_talon.errors import TalonError

    assert issubclass(FactoryError, TalonError)


def test_traits_shape_the_body() -> None:
    session = NewCustomerSessionV2Factory.build(traits=["closed", "with_coupons", "with_loyalty_card"])
    assert session.state == "closed"
    assert 1 <= len(session.coupon_codes or []) <= 2
    assert len(session.loyalty_cards or []) == 1


def test_anonymous_session_has_an_empty_profile_id() -> None:
    assert IntegrationRequestFactory.build(traits=["anonymous"]).customer_session.profile_id == ""


def test_outer_traits_combine_and_explicit_overrides_win() -> None:
    request = IntegrationRequestFactory.build(traits=["closed", "with_coupons"], customer_session__coupon_codes=["X1"])
    assert request.customer_session.state == "closed"
    assert request.customer_session.coupon_codes == ["X1"]


def test_outer_and_nested_traits_accumulate() -> None:
    request = IntegrationRequestFactory.build(traits=["closed"], customer_session__traits=["with_referral"])
    assert request.customer_session.state == "closed"
    assert request.customer_session.referral_code


def test_profile_in_an_audience() -> None:
    body = CustomerProfileIntegrationRequestV2Factory.build(traits=["in_audience"])
    assert body.audiences_changes is not None
    assert body.audiences_changes.adds
    assert body.audiences_changes.deletes == []


def test_an_unknown_trait_lists_the_available_ones() -> None:
    with pytest.raises(FactoryError, match=r"no trait 'close' \(did you mean 'closed'\?\); available traits: .*closed"):
        NewCustomerSessionV2Factory.build(traits=["close"])


def test_a_declaration_can_be_passed_as_an_override() -> None:
    item = CartItemFactory.build(name=Use(lambda g, d: d["sku"].lower()))
    assert item.name == item.sku.lower()


def test_trait_removing_a_default_field_keeps_the_xor_rule() -> None:
    body = ActivateLoyaltyPointsFactory.build(traits=["by_transactions"])
    assert body.session_id is None
    assert body.transaction_uui_ds
    explicit = ActivateLoyaltyPointsFactory.build(transaction_uui_ds=[body.transaction_uui_ds[0]])
    assert explicit.session_id is None


def test_dates_stay_ordered_around_an_overridden_date() -> None:
    from datetime import datetime, timezone

    expiry = datetime(2026, 3, 1, tzinfo=timezone.utc)
    for _ in range(20):
        referral = NewReferralFactory.build(expiry_date=expiry, traits=["scheduled"])
        assert referral.start_date is not None
        assert referral.start_date < expiry


def test_returns_reference_positions_of_the_given_cart() -> None:
    request = IntegrationRequestFactory.build(customer_session__cart_items=CartItemFactory.build_batch(4, quantity=2))
    for _ in range(20):
        returned = ReturnIntegrationRequestFactory.build(cart=request).return_.returned_cart_items
        cart = request.customer_session.cart_items or []
        for line in returned:
            assert line.position is not None
            assert line.quantity is not None
            assert line.sku == cart[line.position].sku
            assert 1 <= line.quantity <= cart[line.position].quantity


def test_return_cart_accepts_a_plain_list_and_rejects_an_empty_one() -> None:
    items = CartItemFactory.build_batch(2)
    assert {line.sku for line in NewReturnFactory.build(cart=items).returned_cart_items} <= {i.sku for i in items}
    with pytest.raises(FactoryError, match="cart= must be a non-empty list"):
        NewReturnFactory.build(cart=[])


def test_catalog_sync_uses_one_action_type_with_distinct_skus() -> None:
    for _ in range(20):
        request = CatalogSyncRequestFactory.build(action_type="REMOVE")
        skus = [action.payload["sku"] for action in request.actions]
        assert {action.type for action in request.actions} == {"REMOVE"}
        assert len(skus) == len(set(skus))


def test_build_dict_and_build_json_are_the_wire_form() -> None:
    with use_seed(3):
        as_dict = IntegrationRequestFactory.build_dict(customer_session__state="closed")
    with use_seed(3):
        as_json = IntegrationRequestFactory.build_json(customer_session__state="closed")
    assert as_dict["customerSession"]["state"] == "closed"
    assert IntegrationRequest.from_wire(as_json).to_wire() == as_dict
    assert ": " not in as_json
    assert ", " not in as_json


def test_build_batch_builds_distinct_bodies() -> None:
    batch = CartItemFactory.build_batch(5, category="books")
    assert len(batch) == 5
    assert len({item.sku for item in batch}) == 5
    assert all(item.sku.startswith("SKU-BOO-") for item in batch)
