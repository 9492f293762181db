"""Every request schema has a factory, named after its model, registered as the model's default."""

from __future__ import annotations

import typing

import pytest

import pytest_talon.factories as factories
from pytest_talon.factories import CATALOG_ACTION_TYPES, FactoryError, factory_for
from pytest_talon.models import MODELS_BY_SCHEMA, CatalogAction
from tests.factories._checks import REQUEST_SCHEMAS
from tests.factories._support import FACTORY_CLASSES


def test_every_request_schema_has_a_factory_named_after_its_model() -> None:
    missing = [name for name in REQUEST_SCHEMAS if not hasattr(factories, f"{MODELS_BY_SCHEMA[name].__name__}Factory")]
    assert missing == []


@pytest.mark.parametrize("schema", REQUEST_SCHEMAS)
def test_the_named_factory_is_the_default_for_its_model(schema: str) -> None:
    model = MODELS_BY_SCHEMA[schema]
    factory = getattr(factories, f"{model.__name__}Factory")
    assert factory.__model__ is model
    assert factory_for(schema) is factory
    assert factory_for(model) is factory


def test_each_catalog_action_type_has_its_own_factory() -> None:
    declared = typing.get_args(CatalogAction.model_fields["type"].annotation)
    assert sorted(CATALOG_ACTION_TYPES) == sorted(declared)
    for action_type, sdk_name in CATALOG_ACTION_TYPES.items():
        factory = getattr(factories, f"{sdk_name}Factory")
        assert factory.build().type == action_type


def test_factory_for_an_unknown_model_says_so() -> None:
    with pytest.raises(FactoryError, match="no factory is registered for 'Coupon'"):
        factory_for("Coupon")


def test_all_is_sorted_complete_and_documented() -> None:
    assert factories.__all__ == sorted(factories.__all__)
    public = {name for name in vars(factories) if not name.startswith(("_", "@"))} - {"annotations"}
    modules = {"catalogs", "coupons", "events", "loyalty", "profiles", "sessions"}
    assert public - modules == set(factories.__all__)
    undocumented = [
        name
        for name in factories.__all__
        if callable(getattr(factories, name)) and not (getattr(factories, name).__doc__ or "").strip()
    ]
    assert undocumented == []


def test_every_factory_says_what_it_builds() -> None:
    assert all(factory.__doc__ and factory.__doc__ != factories.Factory.__doc__ for factory in FACTORY_CLASSES)
