"""The public API: explicit, sorted, complete and documented."""

from __future__ import annotations

import inspect

import pytest_talon
from pytest_talon import models
from pytest_talon.client import AsyncTalonClient, TalonClient


def test_all_is_sorted_and_resolvable() -> None:
    assert list(pytest_talon.__all__) == sorted(pytest_talon.__all__)
    for name in pytest_talon.__all__:
        assert hasattr(pytest_talon, name), name


def test_the_assertion_helpers_are_exported_lazily_from_one_list() -> None:
    from pytest_talon import assertions

    helpers = [name for name in assertions.__all__ if name.startswith("assert_")]
    assert [name for name in pytest_talon.__all__ if name.startswith("assert_")] == helpers
    for name in helpers:
        assert getattr(pytest_talon, name) is getattr(assertions, name)


def test_every_public_name_is_documented() -> None:
    for name in pytest_talon.__all__:
        obj = getattr(pytest_talon, name)
        if inspect.ismodule(obj) or callable(obj):
            assert inspect.getdoc(obj), f"pytest_talon.{name} has no docstring"


def test_every_model_is_documented_and_exported() -> None:
    for name in models.__all__:
        obj = getattr(models, name)
        if inspect.isclass(obj):
            assert obj.__doc__, name


def test_every_client_method_is_documented_with_its_path() -> None:
    for cls in (TalonClient, AsyncTalonClient):
        for name, method in inspect.getmembers(cls, inspect.isfunction):
            if not name.startswith("_"):
                assert inspect.getdoc(method), f"{cls.__name__}.{name}"
