"""Unit tests of value comparison, name checks, field resolution and message rendering."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any
from unittest.mock import ANY
from uuid import UUID

import pytest

from pytest_talon._assertions.compare import MISSING, check_choice, to_decimal, values_match
from pytest_talon._assertions.render import MAX_ROWS, effects_table, fmt, found_among
from pytest_talon._assertions.spec import EffectSpec, field_path
from pytest_talon.assertions import AssertionUsageError, assert_effects, set_verbosity
from tests.assertions._data import CLOSED_EFFECTS

NOON = datetime(2026, 11, 20, 10, tzinfo=timezone.utc)
ID = UUID("5a3f6c1e-0000-4000-8000-000000000001")


@pytest.mark.parametrize(
    ("expected", "actual", "match"),
    [
        (2.5, 2.5, True),
        (10, 10.0, True),
        (0.3, 0.1 + 0.2, True),
        (1.0, 1.000001, False),
        (Decimal("0.3"), 0.1 + 0.2, False),
        (Decimal("2.50"), 2.5, True),
        ("10", 10, False),
        (10, "10", False),
        (True, 1, False),
        (1, True, False),
        (False, False, True),
        (None, None, True),
        (None, 0, False),
        ("Summer", "summer", False),
        (re.compile(r"Bean bonus#\d+"), "Bean bonus#0", True),
        (re.compile("Bean"), "Bean bonus#0", False),
        (re.compile("0"), 0, False),
        (NOON, "2026-11-20T10:00:00Z", True),
        (NOON, "2026-11-20T12:00:00+02:00", True),
        (NOON.replace(tzinfo=None), "2026-11-20T10:00:00Z", False),
        (NOON, "yesterday", False),
        (NOON.replace(microsecond=120000), "2026-11-20T10:00:00.12+00:00", True),  # 3.10's fromisoformat refuses it
        (NOON.replace(microsecond=123456), "2026-11-20T10:00:00.123456789Z", True),
        (NOON.replace(tzinfo=None), "2026-11-20T10:00:00", True),
        (ID, str(ID).upper(), True),
        ({"tier": "gold", "points": 1}, {"tier": "gold", "points": 1.0}, True),
        ({"tier": "gold"}, {"tier": "gold", "points": 1}, False),
        ([1, "a"], [1.0, "a"], True),
        ([1], [1, 2], False),
        (ANY, "anything", True),
    ],
)
def test_values_match(expected: Any, actual: Any, match: bool) -> None:
    assert values_match(expected, actual) is match


def test_amounts_become_exact_decimals() -> None:
    assert to_decimal(0.1) == Decimal("0.1")
    assert to_decimal("3.750") == Decimal("3.750")
    with pytest.raises(AssertionUsageError, match="expected an amount, got the boolean True"):
        to_decimal(True)
    with pytest.raises(AssertionUsageError, match=r"expected an amount \(a number or a numeric string\), got 'ten'"):
        to_decimal("ten")


def test_check_choice_names_the_closest_or_lists_all() -> None:
    check_choice("colour", "red", ("red", "blue"))
    with pytest.raises(AssertionUsageError, match=r"^unknown colour 'bleu', did you mean 'blue'\?$"):
        check_choice("colour", "bleu", ("red", "blue"))
    with pytest.raises(AssertionUsageError, match=r"^unknown colour 'xyz'; known: red, blue$"):
        check_choice("colour", "xyz", ("red", "blue"))


def test_fields_resolve_from_python_or_wire_names_and_props_win() -> None:
    assert field_path("setDiscount", "campaign_id") == ("campaignId",)
    assert field_path("setDiscount", "campaignId") == ("campaignId",)
    assert field_path("rejectCoupon", "rejection_reason") == ("props", "rejectionReason")
    assert field_path("rejectCoupon", "condition_index") == ("props", "conditionIndex")  # also an envelope field
    assert field_path("addLoyaltyPoints", "transactionUUID") == ("props", "transactionUUID")


def test_expected_effects_come_in_several_forms() -> None:
    specs = [
        EffectSpec.coerce("acceptCoupon"),
        EffectSpec.coerce(("setDiscount", {"value": 2.5})),
        EffectSpec.coerce({"effect_type": "setDiscount", "campaignId": 7, "props": {"name": "x"}}),
    ]
    assert [repr(spec) for spec in specs] == [
        "EffectSpec('acceptCoupon')",
        "EffectSpec('setDiscount', value=2.5)",
        "EffectSpec('setDiscount', name='x', campaignId=7)",
    ]
    with pytest.raises(AssertionUsageError, match="cannot read an expected effect from 42"):
        EffectSpec.coerce(42)
    with pytest.raises(AssertionUsageError, match="an effect type is a string such as 'setDiscount', got None"):
        EffectSpec.coerce({"props": {}})


def test_unordered_matching_finds_an_assignment_a_greedy_one_would_miss() -> None:
    # the first spec also fits the effect only the second spec fits; a greedy pass would take it
    effects = [CLOSED_EFFECTS[1], {**CLOSED_EFFECTS[1], "campaignId": 99, "props": {"name": "Other", "value": 1.0}}]
    found = assert_effects(effects, ["setDiscount", EffectSpec("setDiscount", campaign_id=7)])
    assert [effect.campaign_id for effect in found] == [99, 7]


def test_the_closest_candidate_prefers_the_same_type() -> None:
    spec = EffectSpec("setDiscountPerItem", value=2.5)
    assert spec.score(CLOSED_EFFECTS[2]) > spec.score(CLOSED_EFFECTS[1])  # same type, wrong value vs right value


def test_fmt_is_compact_and_stable() -> None:
    assert [fmt(10.0), fmt(2.5), fmt(Decimal("2.50")), fmt("x"), fmt(None), fmt(MISSING)] == [
        "10",
        "2.5",
        "2.50",
        "'x'",
        "None",
        "<missing>",
    ]
    assert fmt({"a": [1.0, re.compile("b.")]}) == "{'a': [1, re.compile('b.')]}"
    assert fmt(NOON) == "2026-11-20T10:00:00+00:00"


@pytest.fixture
def verbosity() -> Iterator[None]:
    previous = set_verbosity(0)
    yield
    set_verbosity(previous)


@pytest.mark.usefixtures("verbosity")
def test_tables_truncate_below_vv() -> None:
    effects = [CLOSED_EFFECTS[1]] * (MAX_ROWS + 3)
    assert effects_table(effects)[-1] == "  ... 3 more, use -vv to show all"
    assert len(effects_table(effects)) == 1 + MAX_ROWS + 1
    set_verbosity(2)
    assert len(effects_table(effects)) == 1 + MAX_ROWS + 3


def test_found_among_counts_effects() -> None:
    assert found_among([]) == ["the response has no effects"]
    assert found_among(CLOSED_EFFECTS[:1])[0] == "got 1 effect:"
    rows = found_among(CLOSED_EFFECTS[5:6], ["subLedgerId"])  # props asked about join the key props
    assert rows[2] == "  0  addLoyaltyPoints  11        Double points  programId=3, value=50, subLedgerId=''"
