"""build_sdk returns the official talon_one model, and says clearly when it cannot."""

from __future__ import annotations

import importlib
import sys
from typing import Any

import pytest

from pytest_talon.factories import (
    AddPriceAdjustmentCatalogActionFactory,
    BestPriorPriceRequestFactory,
    CatalogActionFactory,
    CatalogSyncRequestFactory,
    ExperimentVariantAllocationFactory,
    FactoryError,
    IntegrationRequestFactory,
    RemoveManyItemsCatalogActionFactory,
)

sdk: Any = importlib.import_module("talon_one.models")


def test_build_sdk_returns_the_sdk_model_with_the_overrides() -> None:
    request = IntegrationRequestFactory.build_sdk(customer_session__state="closed", customer_session__profile_id="p1")
    assert isinstance(request, sdk.IntegrationRequest)
    assert request.customer_session.state == "closed"
    assert request.customer_session.profile_id == "p1"
    assert all(isinstance(item, sdk.CartItem) for item in request.customer_session.cart_items)


def test_catalog_actions_become_the_sdk_payload_model_of_their_type() -> None:
    assert isinstance(RemoveManyItemsCatalogActionFactory.build_sdk(), sdk.RemoveManyItemsCatalogAction)
    assert isinstance(AddPriceAdjustmentCatalogActionFactory.build_sdk(), sdk.AddPriceAdjustmentCatalogAction)
    assert isinstance(CatalogActionFactory.build_sdk(type="PATCH"), sdk.PatchItemCatalogAction)
    assert isinstance(CatalogSyncRequestFactory.build_sdk(), sdk.CatalogSyncRequest)


def test_a_model_the_sdk_lacks_is_a_clear_error() -> None:
    with pytest.raises(FactoryError, match=r"talon_one.models has no 'ExperimentVariantAllocation'.*build_dict"):
        ExperimentVariantAllocationFactory.build_sdk()


def test_a_schema_the_sdk_models_differently_is_a_clear_error() -> None:
    with pytest.raises(FactoryError, match=r"BestPriorPriceRequest rejected a spec-valid body.*build_dict"):
        BestPriorPriceRequestFactory.build_sdk()


def test_missing_sdk_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "talon_one.models", None)
    with pytest.raises(
        FactoryError, match=r"IntegrationRequestFactory.build_sdk\(\) needs .*pip install talon-one-sdk"
    ):
        IntegrationRequestFactory.build_sdk()
