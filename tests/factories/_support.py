"""Shared helpers of the factory tests: the list of factories and one function that checks a built model."""

from __future__ import annotations

import json
from typing import Any

import talon_one.models as sdk

import pytest_talon.factories as factories
from pytest_talon.factories import CatalogActionFactory, Factory
from tests.factories._checks import SCHEMAS, semantic_problems, spec_problems

FACTORY_NAMES = sorted(name for name in factories.__all__ if name.endswith("Factory") and name != "Factory")
FACTORY_CLASSES: list[type[Factory[Any]]] = [getattr(factories, name) for name in FACTORY_NAMES]


def assert_valid(factory: type[Factory[Any]], built: Any) -> None:
    """Assert ``built`` round-trips through our model, meets the spec and the semantic rules, and the SDK takes it."""
    model = factory.__model__
    assert isinstance(built, model)
    wire = built.to_wire()
    assert model.from_wire(wire).to_wire() == wire
    assert model.from_wire(built.to_json()).to_wire() == wire
    assert spec_problems(wire, SCHEMAS[model.__schema_name__]) == []
    assert semantic_problems(built) == []
    assert_sdk_accepts(factory, wire)


#: Schemas the installed SDK models differently from our spec; its model cannot take a spec-valid body.
SDK_DIVERGENCES = {
    "BestPriorPriceRequest": "talon-one-sdk 26.2 requires strictEndDate and has no timeframeEndDateType",
}


def assert_sdk_accepts(factory: type[Factory[Any]], wire: dict[str, Any]) -> None:
    """Assert the official SDK model of the same name parses ``wire`` without dropping a field."""
    if issubclass(factory, CatalogActionFactory):
        sdk_class = CatalogActionFactory.sdk_class_for(wire["type"])
        wire = wire["payload"]
    else:
        sdk_class = getattr(sdk, factory.__sdk_model__ or factory.__model__.__name__, None)
        if sdk_class is None or factory.__model__.__name__ in SDK_DIVERGENCES:
            return
    parsed = sdk_class.from_dict(wire)
    assert parsed is not None
    assert set(wire) <= set(parsed.to_dict())
    assert sdk_class.from_json(json.dumps(wire)) == parsed
