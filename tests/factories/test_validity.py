"""Factory output is valid: our model, the spec's constraints, issue 5's consistency rules and the SDK agree."""

from __future__ import annotations

from typing import Any

import pytest

from pytest_talon.factories import Factory, use_seed
from tests.factories._support import FACTORY_CLASSES, FACTORY_NAMES, assert_valid

TRAITS = [(factory, trait) for factory in FACTORY_CLASSES for trait in factory.trait_names()]


@pytest.mark.parametrize("factory", FACTORY_CLASSES, ids=FACTORY_NAMES)
def test_builds_are_valid(factory: type[Factory[Any]]) -> None:
    with use_seed(5):
        for _ in range(30):
            assert_valid(factory, factory.build())


@pytest.mark.parametrize(("factory", "trait"), TRAITS, ids=[f"{f.__name__}-{t}" for f, t in TRAITS])
def test_every_trait_builds_valid_bodies(factory: type[Factory[Any]], trait: str) -> None:
    with use_seed(6):
        for _ in range(10):
            assert_valid(factory, factory.build(traits=[trait]))


@pytest.mark.slow
@pytest.mark.parametrize("factory", FACTORY_CLASSES, ids=FACTORY_NAMES)
def test_a_thousand_builds_never_produce_an_invalid_value(factory: type[Factory[Any]]) -> None:
    with use_seed(1000):
        for built in factory.build_batch(1000):
            assert_valid(factory, built)
