"""Static types of the factory API (checked by ``mypy --strict tests/factories``; trivially true at run time)."""

from __future__ import annotations

from typing import Any

from typing_extensions import assert_type

from pytest_talon.factories import CartItemFactory, IntegrationRequestFactory, factory_for
from pytest_talon.factories._core import Factory
from pytest_talon.models import CartItem, IntegrationRequest


def test_build_methods_are_typed_by_the_model() -> None:
    assert_type(IntegrationRequestFactory.build(), IntegrationRequest)
    assert_type(CartItemFactory.build_batch(2), list[CartItem])
    assert_type(CartItemFactory.build_dict(), dict[str, Any])
    assert_type(CartItemFactory.build_json(), str)
    assert_type(factory_for(CartItem), type[Factory[Any]])
