"""The public face of the assertion helpers: complete, sorted, documented."""

from __future__ import annotations

import inspect

import pytest_talon.assertions as assertions
from pytest_talon.errors import TalonError

HELPERS = [
    "assert_coupon_accepted",
    "assert_coupon_rejected",
    "assert_discount_total",
    "assert_effect",
    "assert_effects",
    "assert_error",
    "assert_loyalty_points",
    "assert_no_effect",
    "assert_referral_accepted",
    "assert_referral_rejected",
    "assert_rolled_back",
    "assert_session_state",
    "assert_status",
]


def test_every_helper_of_the_issue_is_exported() -> None:
    assert [name for name in assertions.__all__ if name.startswith("assert_")] == HELPERS


def test_all_is_sorted_and_every_name_exists_and_is_documented() -> None:
    assert assertions.__all__ == sorted(assertions.__all__, key=lambda name: (not name.isupper(), name))
    for name in assertions.__all__:
        value = getattr(assertions, name)
        if inspect.isfunction(value) or inspect.isclass(value):
            assert inspect.getdoc(value), f"{name} has no docstring"


def test_failures_are_assertion_errors_in_the_talon_hierarchy() -> None:
    assert issubclass(assertions.TalonAssertionError, AssertionError)
    assert issubclass(assertions.TalonAssertionError, TalonError)
    assert issubclass(assertions.AssertionUsageError, assertions.TalonAssertionError)
    assert issubclass(assertions.AssertionUsageError, ValueError)
    assert assertions.TalonAssertionError.__module__ == "pytest_talon.assertions"
